"""Reports of a run: HTML (self-contained), Markdown, LaTeX and PDF.

A report is rebuilt from the files of a run directory alone, so ``leannet report
RUN_DIR`` gives the same result as the run itself:

* ``run.json``: title, description and demo-specific sections (tables, figures,
  conclusions computed by the demo from its numbers);
* ``metrics.json``: final metrics per split, architecture, weight statistics,
  early stopping;
* ``config.json``: the resolved configuration (hyperparameters);
* ``history.csv``: the per-epoch history;
* ``*.png``: the plots, listed in ``run.json`` with their captions.

The document is first assembled as plain data (:class:`Document`), then rendered
by one small function per format. The PDF is made by running ``pdflatex`` on the
LaTeX report in a temporary directory, when a TeX engine is installed.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .runs import atomic_write_bytes, atomic_write_text, read_history_csv

__all__ = [
    "Document",
    "Section",
    "Table",
    "Figure",
    "build_document",
    "write_reports",
    "observations",
    "fmt",
]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Figure:
    file: str
    caption: str


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str
    sections: list[Section]


def fmt(value, digits: int = 4) -> str:
    """Format a number for a table: ints as is, floats with ``digits`` significant digits."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
            return f"{value:.{digits - 1}e}"
        return (
            f"{value:.{digits}g}"
            if abs(value) >= 1
            else f"{value:.{digits}f}".rstrip("0").rstrip(".") or "0"
        )
    if isinstance(value, list | tuple):
        return ", ".join(fmt(v, digits) for v in value) if value else "–"
    return str(value)


def _read_json(path: Path) -> dict:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- observations


def observations(metrics: dict, config: dict, history: dict | None = None) -> list[str]:
    """Plain-words observations computed from a run's numbers (never boilerplate)."""
    out: list[str] = []
    splits = metrics.get("metrics", {})
    task = metrics.get("task")
    train = splits.get("train", {})
    held_name = "test" if "test" in splits else ("validation" if "validation" in splits else None)
    held = splits.get(held_name, {}) if held_name else {}
    if task == "classification" and "accuracy" in train and "accuracy" in held:
        gap = 100.0 * (train["accuracy"] - held["accuracy"])
        size = "small" if abs(gap) < 2 else ("moderate" if abs(gap) < 10 else "large")
        out.append(
            f"Generalization gap: training accuracy {100 * train['accuracy']:.1f}% vs "
            f"{held_name} accuracy {100 * held['accuracy']:.1f}%, a gap of {gap:+.1f} points "
            f"({size}{', a sign of overfitting' if size == 'large' and gap > 0 else ''})."
        )
    elif task == "regression" and "data_loss" in train and "data_loss" in held:
        ratio = held["data_loss"] / train["data_loss"] if train["data_loss"] > 0 else math.inf
        out.append(
            f"Generalization gap: {held_name} MSE {fmt(held['data_loss'])} vs training MSE "
            f"{fmt(train['data_loss'])} (ratio {ratio:.2f}"
            f"{'; the model fits the training data much better than new data' if ratio > 1.5 else ''})."
        )
    if "loss" in train and train.get("reg_loss"):
        share = train["reg_loss"] / train["loss"] if train["loss"] else 0.0
        out.append(
            f"The penalty is {100 * share:.1f}% of the final training objective "
            f"(data loss {fmt(train['data_loss'])}, penalty {fmt(train['reg_loss'])})."
        )
    weights = metrics.get("weights", {})
    if weights:
        norms = {k: v["l2_norm"] for k, v in weights.items()}
        big = max(norms, key=norms.get)
        out.append(
            "Weight norms ||W||_2 per layer: "
            + ", ".join(f"{k} {fmt(v, 3)}" for k, v in norms.items())
            + f"; the largest single weight is {fmt(max(v['max_abs'] for v in weights.values()), 3)} "
            f"(in {max(weights, key=lambda k: weights[k]['max_abs'])})."
            if len(norms) > 1
            else f"Weight norm ||W||_2 of {big}: {fmt(norms[big], 3)}."
        )
        zeros = sum(v["n_zero"] for v in weights.values())
        total = sum(v["size"] for v in weights.values())
        l1 = config.get("l1", 0) or 0
        if zeros:
            out.append(
                f"{zeros} of {total} weights ({100 * zeros / total:.1f}%) are exactly zero"
                f"{' (proximal L1 sets weights to exactly zero)' if config.get('l1_proximal') else ''}."
            )
        elif l1 and config.get("l1_proximal"):
            out.append(
                f"No weight reached exactly zero with proximal L1 = {fmt(l1)}: the soft "
                "threshold was too small to reach zero in this run; a larger λ or more epochs "
                "zeroes more weights."
            )
        elif l1:
            out.append(
                f"No weight is exactly zero although L1 = {fmt(l1)}: the sign subgradient "
                "makes weights oscillate around zero; use the proximal L1 step "
                "(--l1-proximal) for exact zeros."
            )
    es = metrics.get("early_stopping")
    if es and es.get("stopped_epoch"):
        out.append(
            f"Early stopping ended training at epoch {es['stopped_epoch']}; the weights of "
            f"epoch {es.get('best_epoch')} (lowest {es.get('monitor', 'val_loss')}) were kept."
        )
    elif history and history.get("val_loss"):
        # demos may watch the test set during training (never selecting on it)
        watched = metrics.get("monitor", "validation")
        vl = [v for v in history["val_loss"] if v == v]
        if vl:
            best = int(min(range(len(vl)), key=vl.__getitem__)) + 1
            if best < 0.8 * len(vl) and vl[-1] > 1.05 * min(vl):
                advice = (
                    "; early stopping (--early-stopping) on a validation set would have "
                    "kept the better weights"
                    if watched == "validation"
                    else ": longer training overfitted"
                )
                out.append(
                    f"{watched.capitalize()} loss was lowest at epoch {best} of {len(vl)} "
                    f"and rose {100 * (vl[-1] / min(vl) - 1):.0f}% by the end{advice}."
                )
            else:
                out.append(
                    f"{watched.capitalize()} loss kept improving to near the end (best at "
                    f"epoch {best} of {len(vl)}): no sign of overtraining."
                )
    if metrics.get("interrupted"):
        out.append(
            "Training was interrupted (Ctrl-C); the numbers are for the last complete epoch."
        )
    if metrics.get("diverged"):
        out.append(f"Training diverged at epoch {metrics['diverged']}; lower the learning rate.")
    return out


# --------------------------------------------------------------------------- document


def _two_column_table(title: str, pairs: list[tuple[str, str]]) -> Table:
    """Key/value pairs laid out as two pairs per row, to keep long lists short."""
    half = (len(pairs) + 1) // 2
    left, right = pairs[:half], pairs[half:] + [("", "")] * (half - len(pairs[half:]))
    rows = [[a, b, c, d] for (a, b), (c, d) in zip(left, right, strict=True)]
    return Table(title, ["setting", "value", "setting", "value"], rows)


def _png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG header; (4, 3) if it cannot be read."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(24)
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    except OSError:
        return 4, 3


def _table_from_json(t: dict) -> Table:
    return Table(
        t.get("title", ""),
        list(t["columns"]),
        [[str(c) for c in r] for r in t["rows"]],
        t.get("note", ""),
    )


def build_document(run_dir: str | os.PathLike) -> Document:
    """Assemble the report of ``run_dir`` from its files."""
    run_dir = Path(run_dir)
    run = _read_json(run_dir / "run.json")
    metrics = _read_json(run_dir / "metrics.json")
    config = _read_json(run_dir / "config.json")
    history = (
        read_history_csv(run_dir / "history.csv") if (run_dir / "history.csv").exists() else {}
    )
    sections: list[Section] = []

    for s in run.get("sections", []):
        sections.append(
            Section(
                s.get("heading", ""),
                list(s.get("paragraphs", [])),
                list(s.get("bullets", [])),
                [_table_from_json(t) for t in s.get("tables", [])],
                [
                    Figure(f["file"], f["caption"])
                    for f in s.get("figures", [])
                    if (run_dir / f["file"]).exists()
                ],
            )
        )

    # a demo's conclusions come first: they are what the run was for
    if run.get("conclusions"):
        sections.append(Section("Conclusions", bullets=list(run["conclusions"])))

    arch = metrics.get("architecture")
    if arch:
        rows = [
            [
                str(i),
                layer["name"],
                layer.get("shape", ""),
                str(layer.get("params", 0)),
                layer.get("regularization", "") or "–",
            ]
            for i, layer in enumerate(arch["layers"])
        ]
        sec = Section(
            run.get("model_heading", "Architecture"),
            tables=[
                Table(
                    "Layers",
                    ["#", "layer", "shape", "parameters", "regularization"],
                    rows,
                    f"{arch.get('n_params', sum(int(r[3]) for r in rows))} trainable parameters; "
                    f"dtype {arch.get('dtype', 'float32')}.",
                )
            ],
        )
        hp = metrics.get("hyperparameters") or {
            k: v for k, v in config.items() if not isinstance(v, dict)
        }
        if hp:
            sec.tables.append(
                _two_column_table("Hyperparameters", [(k, fmt(v)) for k, v in hp.items()])
            )
        sections.append(sec)

    fig_by_kind: dict[str, list[Figure]] = {}
    for f in run.get("figures", []):
        if (run_dir / f["file"]).exists():
            fig_by_kind.setdefault(f.get("kind", "other"), []).append(
                Figure(f["file"], f["caption"])
            )
    if fig_by_kind.get("curves"):
        sections.append(Section("Training curves", figures=fig_by_kind["curves"]))

    splits = metrics.get("metrics", {})
    if splits:
        keys = [
            k
            for k in ("loss", "data_loss", "reg_loss", "accuracy", "r2")
            if any(k in m for m in splits.values())
        ]
        rows = [
            [name] + [fmt(m.get(k)) for k in keys] + [str(m.get("n", "–"))]
            for name, m in splits.items()
        ]
        sections.append(
            Section(
                "Final metrics",
                tables=[
                    Table(
                        "Metrics per split",
                        ["split", *keys, "samples"],
                        rows,
                        "loss = data loss + penalty; accuracy is the share of correct predictions.",
                    )
                ],
                figures=fig_by_kind.get("task", []),
            )
        )

    weights = metrics.get("weights", {})
    if weights:
        rows = [
            [
                k,
                v.get("shape", ""),
                fmt(v["l2_norm"], 4),
                fmt(v["mean_abs"], 4),
                fmt(v["max_abs"], 4),
                f"{100 * v['n_zero'] / max(v['size'], 1):.1f}%",
            ]
            for k, v in weights.items()
        ]
        sections.append(
            Section(
                "Weights",
                tables=[
                    Table(
                        "Weight magnitudes per layer",
                        ["weights", "shape", "||W||_2", "mean |w|", "max |w|", "exact zeros"],
                        rows,
                    )
                ],
                figures=fig_by_kind.get("weights", []),
            )
        )

    other = fig_by_kind.get("other", [])
    if other:
        sections.append(Section("More plots", figures=other))

    obs = observations(metrics, config, history) if metrics.get("metrics") else []
    if obs:
        demo = bool(run.get("conclusions") or run.get("sections"))
        sections.append(
            Section("Observations on the saved model" if demo else "Observations", bullets=obs)
        )

    return Document(
        run.get("title", f"leannet run {run_dir.name}"), run.get("description", ""), sections
    )


# --------------------------------------------------------------------------- HTML

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
            cls = ["" if right else ' class="l"' for right in _right_aligned(t)]
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
            data = base64.b64encode((run_dir / f.file).read_bytes()).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{e(f.caption)}">'
                f"<figcaption>{e(f.caption)}</figcaption></figure>"
            )
    parts.append('<hr><p class="note">Made by leannet.</p></body></html>')
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- Markdown


def _right_aligned(table: Table) -> list[bool]:
    """Right-align a column when every cell in it is a number (or ±, %, –)."""

    def numeric(text: str) -> bool:
        t = text.strip().lstrip("+-−").replace("%", "")
        return bool(t) and (t[0].isdigit() or t in ("–", "nan", "inf"))

    return [
        i > 0 and bool(table.rows) and all(numeric(r[i]) for r in table.rows if i < len(r))
        for i in range(len(table.columns))
    ]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: Document) -> str:
    """Markdown with pipe tables; images are linked by file name (same directory)."""
    lines = [f"# {doc.title}", ""]
    if doc.subtitle:
        lines += [doc.subtitle, ""]
    for s in doc.sections:
        lines += [f"## {s.heading}", ""]
        for p in s.paragraphs:
            lines += [p, ""]
        for t in s.tables:
            if t.title:
                lines += [f"**{t.title}**", ""]
            lines.append("| " + " | ".join(_md_cell(c) for c in t.columns) + " |")
            lines.append(
                "|" + "|".join(" ---: " if r else " --- " for r in _right_aligned(t)) + "|"
            )
            lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in t.rows]
            lines.append("")
            if t.note:
                lines += [f"*{t.note}*", ""]
        if s.bullets:
            lines += [f"- {b}" for b in s.bullets] + [""]
        for f in s.figures:
            lines += [f"![{f.caption}]({f.file})", "", f"*{f.caption}*", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- LaTeX

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "±": r"\ensuremath{\pm}",
    "²": r"\textsuperscript{2}",
    "≥": r"\ensuremath{\geq}",
    "≤": r"\ensuremath{\leq}",
    "–": "--",
    "—": "---",
    "×": r"\ensuremath{\times}",
    "−": "-",
    "λ": r"\ensuremath{\lambda}",
    "→": r"\ensuremath{\rightarrow}",
    "|": r"\textbar{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "…": r"\ldots{}",
    "η": r"\ensuremath{\eta}",
    "·": r"\ensuremath{\cdot}",
    "Σ": r"\ensuremath{\Sigma}",
    "α": r"\ensuremath{\alpha}",
    "β": r"\ensuremath{\beta}",
    "ε": r"\ensuremath{\varepsilon}",
    "μ": r"\ensuremath{\mu}",
    "∞": r"\ensuremath{\infty}",
    "≈": r"\ensuremath{\approx}",
    "√": r"\ensuremath{\surd}",
    "³": r"\textsuperscript{3}",
    "é": r"\'e",
    "ö": r"\"o",
    "ü": r"\"u",
    "σ": r"\ensuremath{\sigma}",
}


def tex_escape(text: str) -> str:
    """Escape text for LaTeX; unknown non-ASCII characters become ``?``."""
    out = []
    for ch in str(text):
        if ch in _TEX_SPECIAL:
            out.append(_TEX_SPECIAL[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def render_latex(doc: Document, run_dir: Path | None = None) -> str:
    """A standalone ``article`` using only graphicx, booktabs, geometry and float."""
    t = tex_escape
    lines = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2.2cm]{geometry}",
        r"\usepackage{graphicx}",
        r"\usepackage{booktabs}",
        r"\usepackage{float}",
        r"\usepackage[T1]{fontenc}",
        rf"\title{{{t(doc.title)}}}",
        r"\date{}",
        r"\author{leannet}",
        r"\begin{document}",
        r"\maketitle",
    ]
    if doc.subtitle:
        lines += [t(doc.subtitle), ""]
    for s in doc.sections:
        lines.append(rf"\section*{{{t(s.heading)}}}")
        for p in s.paragraphs:
            lines += [t(p), ""]
        for tab in s.tables:
            spec = "".join("r" if r else "l" for r in _right_aligned(tab))
            lines += [r"\begin{table}[H]", r"\centering\small"]
            if tab.title:
                lines.append(rf"\textbf{{{t(tab.title)}}}\\[0.4em]")
            lines += [
                r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%",
                rf"\begin{{tabular}}{{{spec}}}",
                r"\toprule",
                " & ".join(t(c) for c in tab.columns) + r" \\",
                r"\midrule",
            ]
            lines += [" & ".join(t(c) for c in r) + r" \\" for r in tab.rows]
            lines += [r"\bottomrule", r"\end{tabular}}"]
            if tab.note:
                lines.append(rf"\\[0.3em]{{\footnotesize {t(tab.note)}}}")
            lines.append(r"\end{table}")
        if s.bullets:
            lines.append(r"\begin{itemize}")
            lines += [rf"\item {t(b)}" for b in s.bullets]
            lines.append(r"\end{itemize}")
        for f in s.figures:
            lines += [
                r"\begin{figure}[H]",
                r"\centering",
                rf"\includegraphics[width={_tex_width(run_dir, f.file)}\linewidth]{{{f.file}}}",
                rf"\\{{\small {t(f.caption)}}}",
                r"\end{figure}",
            ]
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def _tex_width(run_dir: Path | None, name: str) -> str:
    """Wide plots take the text width, square ones (matrices, boundaries) about half."""
    if run_dir is None:
        return "0.9"
    w, h = _png_size(run_dir / name)
    return "0.95" if w > 1.6 * h else ("0.8" if w > 1.25 * h else "0.55")


def find_tex_engine() -> str | None:
    """Path of ``pdflatex`` if installed, else None."""
    return shutil.which("pdflatex")


def compile_pdf(
    tex: str, run_dir: Path, figures: list[str], *, timeout: float = 120
) -> tuple[bool, str]:
    """Compile ``tex`` with pdflatex in a temporary directory; on success write
    ``run_dir/report.pdf`` atomically. Returns ``(ok, message)``."""
    engine = find_tex_engine()
    if engine is None:
        return False, "no TeX engine (pdflatex) installed; report.pdf skipped"
    with tempfile.TemporaryDirectory(prefix="leannet-tex-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "report.tex").write_text(tex, encoding="utf-8")
        for name in figures:
            shutil.copy(run_dir / name, tmpdir / name)
        try:
            proc = subprocess.run(
                [engine, "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
                cwd=tmpdir,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False, f"pdflatex took longer than {timeout:.0f} s; report.pdf skipped"
        pdf = tmpdir / "report.pdf"
        if proc.returncode != 0 or not pdf.exists():
            log = proc.stdout.decode("utf-8", "replace")
            err = [ln for ln in log.splitlines() if ln.startswith("!")]
            return (
                False,
                f"pdflatex failed ({err[0] if err else 'see report.tex'}); report.pdf skipped",
            )
        atomic_write_bytes(run_dir / "report.pdf", pdf.read_bytes())
    return True, "report.pdf written"


def write_reports(run_dir: str | os.PathLike, *, pdf: bool = True) -> dict:
    """(Re)build report.html, report.md, report.tex and, when possible, report.pdf.

    Returns a dict with the paths written and ``pdf_message`` saying what happened
    to the PDF.
    """
    run_dir = Path(run_dir)
    return write_document(build_document(run_dir), run_dir, pdf=pdf)


def write_document(doc: Document, out_dir: Path, *, pdf: bool = True) -> dict:
    """Render ``doc`` to report.html, report.md, report.tex and (when possible) report.pdf
    in ``out_dir``, each written atomically; the figures must already be there.

    Returns a dict with the paths written (``html``, ``md``, ``tex``, ``pdf``) and
    ``pdf_message`` saying what happened to the PDF.
    """
    written = {
        "html": atomic_write_text(out_dir / "report.html", render_html(doc, out_dir)),
        "md": atomic_write_text(out_dir / "report.md", render_markdown(doc)),
    }
    tex = render_latex(doc, out_dir)
    written["tex"] = atomic_write_text(out_dir / "report.tex", tex)
    if pdf:
        figures = [f.file for s in doc.sections for f in s.figures]
        ok, msg = compile_pdf(tex, out_dir, figures)
        if ok:
            written["pdf"] = out_dir / "report.pdf"
        written["pdf_message"] = msg
    else:
        written["pdf_message"] = "report.pdf not requested"
    return written
