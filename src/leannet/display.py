"""Rich display in Jupyter: HTML (and plain-text) views of networks, histories and runs.

The classes delegate to these functions (``Sequential._repr_html_`` calls
[`network_html`][leannet.display.network_html], ...), so every view is built in one place, from the object's own
numbers, with no plotting library: the small loss curve of a history is inline SVG.
A sweep's view (`leannet.sweep.format`) is built from [`html_table`][leannet.display.html_table],
`escape` and `VIEW_STYLE`, so the core never reads the sweep package.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
from pathlib import Path

__all__ = [
    "VIEW_STYLE",
    "escape",
    "history_html",
    "history_text",
    "html_table",
    "network_html",
    "run_html",
    "sparkline_svg",
]

VIEW_STYLE = (
    "<style>.leannet-view table{border-collapse:collapse;font-size:0.9em}"
    ".leannet-view th,.leannet-view td{padding:2px 8px;border-bottom:1px solid #ddd;"
    "text-align:right}.leannet-view td.l,.leannet-view th.l{text-align:left}"
    ".leannet-view tr.chosen td{font-weight:bold;background:#eef6ee}</style>"
)
#: bigger files are not embedded in a run's HTML view (a notebook stays small)
MAX_EMBED_BYTES = 2_000_000
#: metrics.json/run.json larger than this are not read (files from elsewhere are untrusted)
MAX_JSON_BYTES = 5_000_000


def escape(value) -> str:
    return html.escape(str(value), quote=True)


def _num(value, spec: str = ".4g") -> str:
    if value is None:
        return "–"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return escape(value)
    return "nan" if math.isnan(value) else format(value, spec)


def html_table(header: list[str], rows: list[list[str]], *, left: int = 1, marked=()) -> str:
    """An HTML table; ``rows`` hold already-escaped cells; the first ``left`` columns
    are left-aligned; rows whose index is in ``marked`` are highlighted."""
    th = "".join(f'<th class="{"l" if i < left else ""}">{h}</th>' for i, h in enumerate(header))
    body = []
    for r, row in enumerate(rows):
        cells = "".join(
            f'<td class="{"l" if i < left else ""}">{c}</td>' for i, c in enumerate(row)
        )
        body.append(f'<tr class="{"chosen" if r in marked else ""}">{cells}</tr>')
    return f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# -- networks ---------------------------------------------------------------------------------
def _layer_rows(net) -> list[list[str]]:
    from .layers import Dense

    rows, width = [], None
    for i, layer in enumerate(net.layers):
        width = layer.output_size(width)
        if isinstance(layer, Dense):
            count = layer.W.size + layer.b.size
            regs = []
            if layer.weight_regularizer is not None:
                regs.append(f"W: {layer.weight_regularizer!r}")
            if layer.bias_regularizer is not None:
                regs.append(f"b: {layer.bias_regularizer!r}")
            if layer.max_norm is not None:
                regs.append(f"max_norm={layer.max_norm:g}")
            shape = f"W {layer.W.shape[0]}×{layer.W.shape[1]}, b {layer.b.size}"
        else:
            count, regs, shape = 0, [], ""
        rows.append(
            [
                str(i),
                escape(type(layer).__name__),
                escape(shape),
                escape(width if width else ""),
                f"{count:,}",
                escape("; ".join(regs)),
            ]
        )
    return rows


def network_html(net) -> str:
    """The layers of a [`Sequential`][leannet.network.Sequential]: shapes, output widths, parameter
    counts and regularizers, with the total."""
    rows = _layer_rows(net)
    table = html_table(["#", "layer", "parameters", "out", "count", "regularization"], rows, left=3)
    head = (
        f"<b>Sequential</b>: {len(net.layers)} layers, {net.n_inputs} inputs → "
        f"{net.n_outputs} outputs, <b>{net.n_params:,}</b> parameters "
        f"({escape(net.dtype.name)}, seed {escape(net.seed)})"
    )
    return f'<div class="leannet-view">{VIEW_STYLE}<p>{head}</p>{table}</div>'


# -- histories --------------------------------------------------------------------------------
def sparkline_svg(series: dict[str, list[float]], *, width: int = 320, height: int = 90) -> str:
    """Inline SVG with one polyline per series (shared y axis, linear), e.g. loss and val_loss."""
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
    finite = [v for vals in series.values() for v in vals if v is not None and math.isfinite(v)]
    if not finite:
        return ""
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or 1.0
    n = max(len(v) for v in series.values())
    pad = 4
    lines, legend = [], []
    for k, (name, vals) in enumerate(series.items()):
        pts = []
        for i, v in enumerate(vals):
            if v is None or not math.isfinite(v):
                continue
            x = pad + (width - 2 * pad) * (i / max(n - 1, 1))
            y = pad + (height - 2 * pad) * (1 - (v - lo) / span)
            pts.append(f"{x:.1f},{y:.1f}")
        colour = colours[k % len(colours)]
        lines.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{" ".join(pts)}"/>'
        )
        legend.append(f'<span style="color:{colour}">&#9632; {escape(name)}</span>')
    return (
        f'<div><svg width="{width}" height="{height}" role="img" '
        f'aria-label="curves from {_num(hi)} to {_num(lo)}" style="border:1px solid #ddd">'
        f"{''.join(lines)}</svg><br><small>{' '.join(legend)} "
        f"(y from {_num(lo)} to {_num(hi)})</small></div>"
    )


def _best_val(history) -> tuple[int, float] | None:
    vals = history.history.get("val_loss")
    if not vals:
        return None
    finite = [(v, i) for i, v in enumerate(vals) if math.isfinite(v)]
    if not finite:
        return None
    value, index = min(finite)
    return history.epoch[index], value


def history_text(history) -> str:
    """``History(epochs=500, loss=0.0418, val_loss=0.0513, accuracy=1)``: the last values."""
    parts = [f"epochs={len(history)}"]
    last = history.last() if len(history) else {}
    for key in ("loss", "val_loss", "accuracy", "val_accuracy", "r2", "val_r2"):
        if key in last:
            parts.append(f"{key}={last[key]:.4g}")
    if history.stopped_epoch is not None:
        parts.append(f"stopped_epoch={history.stopped_epoch}")
    if history.interrupted:
        parts.append("interrupted=True")
    return f"History({', '.join(parts)})"


def history_html(history) -> str:
    """A compact loss curve (train and validation) and the numbers of the last epoch."""
    if not len(history):
        return '<div class="leannet-view"><b>History</b>: no completed epoch</div>'
    series = {k: history.history[k] for k in ("loss", "val_loss") if k in history.history}
    last = history.last()
    keys = [k for k in ("loss", "data_loss", "reg_loss", "accuracy", "r2", "lr") if k in last]
    rows = [[escape(k), _num(last[k]), _num(last.get(f"val_{k}"))] for k in keys]
    notes = [f"{len(history)} epochs (last: {history.epoch[-1]})"]
    best = _best_val(history)
    if best is not None:
        notes.append(f"lowest val_loss {_num(best[1])} at epoch {best[0]}")
    if history.stopped_epoch is not None:
        notes.append(f"stopped early at epoch {history.stopped_epoch}")
    if history.interrupted:
        notes.append("interrupted (Ctrl-C)")
    return (
        f'<div class="leannet-view">{VIEW_STYLE}<p><b>History</b>: {escape("; ".join(notes))}</p>'
        f"{sparkline_svg(series)}"
        f"{html_table(['last epoch', 'train', 'validation'], rows)}</div>"
    )


# -- run directories --------------------------------------------------------------------------
def read_json_bounded(path: Path, limit: int | None = None) -> dict | None:
    """A JSON object from ``path``, or None if missing, too large, unreadable or not an object."""
    limit = MAX_JSON_BYTES if limit is None else limit
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        with open(path, "rb") as f:
            data = json.loads(f.read(limit + 1).decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _embedded_png(path: Path) -> str:
    try:
        if not path.is_file() or path.stat().st_size > MAX_EMBED_BYTES:
            return ""
        with open(path, "rb") as f:
            data = f.read(MAX_EMBED_BYTES + 1)
    except OSError:
        return ""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ""
    return f'<img alt="{escape(path.name)}" style="max-width:480px" src="data:image/png;base64,{base64.b64encode(data).decode()}">'


REPORT_FILES = ("report.html", "report.md", "report.tex", "report.pdf")


def run_html(run_dir: str | os.PathLike) -> str:
    """A run directory: its title, the final metrics per split, the training curves and
    links to its reports. Only fixed file names inside ``run_dir`` are read, each bounded."""
    run_dir = Path(run_dir)
    info = read_json_bounded(run_dir / "run.json") or {}
    metrics = read_json_bounded(run_dir / "metrics.json") or {}
    title = info.get("title") if isinstance(info.get("title"), str) else run_dir.name
    parts = [f"<p><b>Run</b> {escape(title)} <code>{escape(run_dir)}</code></p>"]
    splits = metrics.get("metrics")
    if isinstance(splits, dict) and splits:
        names = [n for n in splits if isinstance(splits[n], dict)]
        keys: list[str] = []
        for n in names:
            keys += [k for k in splits[n] if k not in keys and not isinstance(splits[n][k], dict)]
        rows = [[escape(k)] + [_num(splits[n].get(k)) for n in names] for k in keys]
        parts.append(html_table(["metric"] + [escape(n) for n in names], rows))
    else:
        parts.append("<p>no metrics.json (or it could not be read)</p>")
    parts.append(_embedded_png(run_dir / "curves.png"))
    links = [
        f'<a href="{escape((run_dir / name).as_posix())}">{escape(name)}</a>'
        for name in REPORT_FILES
        if (run_dir / name).is_file()
    ]
    if links:
        parts.append(f"<p>reports: {' · '.join(links)}</p>")
    return f'<div class="leannet-view">{VIEW_STYLE}{"".join(parts)}</div>'
