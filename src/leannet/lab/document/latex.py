"""LaTeX: a standalone ``article`` using only graphicx, booktabs, geometry and float."""

from __future__ import annotations

import re
from pathlib import Path

from ..._safe_io import open_regular
from ...errors import LeannetError
from .files import check_figure_name
from .model import Document, right_aligned

__all__ = ["png_size", "render_latex", "tex_escape"]

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
    "∈": r"\ensuremath{\in}",
    "∉": r"\ensuremath{\notin}",
    "≠": r"\ensuremath{\neq}",
    "ŷ": r"\ensuremath{\hat y}",
    "ȳ": r"\ensuremath{\bar y}",
    "θ": r"\ensuremath{\theta}",
    "∇": r"\ensuremath{\nabla}",
    "∂": r"\ensuremath{\partial}",
    "‖": r"\ensuremath{\Vert}",
    "←": r"\ensuremath{\leftarrow}",
    "⁻": r"\textsuperscript{-}",
    "¹": r"\textsuperscript{1}",
    "½": r"\ensuremath{\frac12}",
    "°": r"\ensuremath{^\circ}",
}

# Plain-text math the reports write, typeset as math: ||W||_2, ->, x^2, 10^-3.
_MATH = re.compile(
    r"\|\|(?P<norm>[^|\n]{1,30})\|\|(?:_(?P<sub>[A-Za-z0-9]+))?"
    r"|(?P<arrow>->)"
    r"|(?<=[\w)])\^(?P<sup>[A-Za-z0-9.+\-]{1,12})"
)


def tex_escape(text: str) -> str:
    """Escape text for LaTeX, with ``||W||_2``, ``->`` and ``x^2`` typeset as math;
    unknown non-ASCII characters become ``?``."""
    out, last = [], 0
    text = str(text)
    for match in _MATH.finditer(text):
        out.append(_escape_chars(text[last : match.start()]))
        last = match.end()
        if match["norm"] is not None:
            bar = r"\ensuremath{\Vert}"
            sub = rf"\textsubscript{{{match['sub']}}}" if match["sub"] else ""
            out.append(f"{bar}{_escape_chars(match['norm'])}{bar}{sub}")
        elif match["arrow"]:
            out.append(r"\ensuremath{\rightarrow}")
        else:
            out.append(rf"\textsuperscript{{{_escape_chars(match['sup'])}}}")
    out.append(_escape_chars(text[last:]))
    return "".join(out)


def _escape_chars(text: str) -> str:
    out = []
    for ch in text:
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
            spec = "".join("r" if r else "l" for r in right_aligned(tab))
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
                r"\begin{figure}[!htbp]",
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
    w, h = png_size(run_dir / check_figure_name(name))
    return "0.95" if w > 1.6 * h else ("0.8" if w > 1.25 * h else "0.55")


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG header; (4, 3) if it cannot be read."""
    try:
        with open_regular(path, what="figure", max_bytes=None, follow_symlinks=False) as fh:
            head = fh.read(24)
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    except (OSError, LeannetError):  # drawn at the default size; the HTML step names the problem
        return 4, 3
