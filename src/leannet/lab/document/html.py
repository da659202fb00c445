"""Self-contained HTML: every figure embedded as a ``data:`` URI, one small stylesheet."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from .files import figure_bytes
from .model import Document, right_aligned

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:960px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child,td.l{text-align:left}
caption{caption-side:top;text-align:left;font-weight:600;padding:.2em 0}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.9em;color:#555}.note{font-size:.85em;color:#666;margin-top:-.8em}
.subtitle{color:#555;margin-top:0}
"""


def render_html(doc: Document, run_dir: Path) -> str:
    """Self-contained HTML: every image is embedded as a ``data:image/png;base64`` URI."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(doc.title)}</h1>",
    ]
    if doc.subtitle:
        parts.append(f'<p class="subtitle">{e(doc.subtitle)}</p>')
    for s in doc.sections:
        parts.append(f"<h2>{e(s.heading)}</h2>")
        parts += [f"<p>{e(p)}</p>" for p in s.paragraphs]
        for t in s.tables:
            parts.append(
                f"<table><caption>{e(t.title)}</caption><thead><tr>"
                + "".join(f"<th>{e(c)}</th>" for c in t.columns)
                + "</tr></thead><tbody>"
            )
            cls = ["" if right else ' class="l"' for right in right_aligned(t)]
            parts += [
                "<tr>"
                + "".join(f"<td{k}>{e(c)}</td>" for k, c in zip(cls, r, strict=False))
                + "</tr>"
                for r in t.rows
            ]
            parts.append("</tbody></table>")
            if t.note:
                parts.append(f'<p class="note">{e(t.note)}</p>')
        if s.bullets:
            parts.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in s.bullets) + "</ul>")
        for f in s.figures:
            data = base64.b64encode(figure_bytes(run_dir, f.file)).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{e(f.caption)}">'
                f"<figcaption>{e(f.caption)}</figcaption></figure>"
            )
    parts.append('<hr><p class="note">Made by leannet.</p></body></html>')
    return "\n".join(parts) + "\n"
