"""LaTeX: a standalone ``article`` using only graphicx, booktabs, geometry and fontenc.

Tables and figures float (``!htbp``) with float fractions that let them fill pages."""

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
    "§": r"\S{}",
    "µ": r"\ensuremath{\mu}",
    "₂": r"\textsubscript{2}",
    "ᵀ": r"\textsuperscript{T}",
    "⊙": r"\ensuremath{\odot}",
    # letters of Latin alphabets without a combining-accent form (see _accented)
    "ß": r"\ss{}",
    "ø": r"\o{}",
    "Ø": r"\O{}",
    "æ": r"\ae{}",
    "Æ": r"\AE{}",
    "œ": r"\oe{}",
    "Œ": r"\OE{}",
    "ł": r"\l{}",
    "Ł": r"\L{}",
    "đ": r"\dj{}",
    "Đ": r"\DJ{}",
    "ı": r"\i{}",
    "þ": r"\th{}",
    "Þ": r"\TH{}",
    "ð": r"\dh{}",
    "¿": r"\textquestiondown{}",
    "¡": r"\textexclamdown{}",
    "«": r"\guillemotleft{}",
    "»": r"\guillemotright{}",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "€": r"\texteuro{}",
    "£": r"\pounds{}",
    "\u00a0": r"\nobreakspace{}",
}

# combining accents (a letter's NFD form) -> the LaTeX accent command
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"',
    "\u030a": "r", "\u0327": "c", "\u030c": "v", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0328": "k", "\u030b": "H",
}  # fmt: skip

# Plain-text math the reports write, typeset as math: ||W||_2, ->, x^2, 10^-3.
_MATH = re.compile(
    r"\|\|(?P<norm>[^|\n]{1,30})\|\|(?:_(?P<sub>[A-Za-z0-9]+))?"
    r"|(?P<arrow>->)"
    r"|(?<=[\w)])\^(?P<sup>[A-Za-z0-9.+\-]{1,12})"
)


def tex_escape(text: str) -> str:
    """Escape text for LaTeX, with ``||W||_2``, ``->`` and ``x^2`` typeset as math,
    accented Latin letters as accents; a character no pdflatex font holds (CJK, emoji)
    is written as its code point, ``<U+4E2D>``."""
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
            out.append(_accented(ch))
    return "".join(out)


def _accented(ch: str) -> str:
    """An accented Latin letter as LaTeX accents (é -> \\'{e}, ǎ -> \\v{a}); any other
    character, which pdflatex's fonts do not hold, as its code point ``<U+4E2D>``."""
    import unicodedata

    base, *marks = unicodedata.normalize("NFD", ch)
    if base.isascii() and base.isalpha() and marks and all(m in _ACCENTS for m in marks):
        out = base
        for mark in marks:
            out = f"\\{_ACCENTS[mark]}{{{out}}}"
        return out
    return rf"\texttt{{<U+{ord(ch):04X}>}}"


def render_latex(doc: Document, run_dir: Path | None = None) -> str:
    """A standalone ``article`` using only graphicx, booktabs, geometry and float."""
    t = tex_escape
    lines = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2.2cm]{geometry}",
        r"\usepackage{graphicx}",
        r"\usepackage{booktabs}",
        r"\usepackage{cmap}",  # copy and search give the letters shown (ł, ř, ß, ...)
        r"\usepackage[T1]{fontenc}",
        # floats fill pages: up to 90 % of a page may be figures or tables, and a page
        # of floats alone only when they cover 80 % of it (no half-empty pages)
        r"\renewcommand{\topfraction}{0.9}",
        r"\renewcommand{\bottomfraction}{0.9}",
        r"\renewcommand{\textfraction}{0.07}",
        r"\renewcommand{\floatpagefraction}{0.8}",
        r"\setcounter{topnumber}{4}",
        r"\setcounter{bottomnumber}{4}",
        r"\setcounter{totalnumber}{6}",
        # a page of floats only starts at the top, floats 12pt apart (not spread out)
        r"\makeatletter\setlength{\@fptop}{0pt}\setlength{\@fpsep}{12pt}"
        r"\setlength{\@fpbot}{0pt plus 1fil}\makeatother",
        rf"\title{{{t(doc.title)}}}",
        r"\date{}",
        r"\author{leannet}",
        r"\begin{document}",
        r"\maketitle",
    ]
    if doc.subtitle:
        lines += [t(doc.subtitle), ""]
    for s in doc.sections:
        # a section of floats only carries its heading inside its first float, so the
        # heading moves with it instead of staying behind, alone, at a page's foot
        heading = t(s.heading)
        inside = not s.paragraphs and not s.bullets and bool(s.tables or s.figures)
        if not inside:
            lines.append(rf"\section*{{{heading}}}")
        pending = [rf"{{\raggedright\normalfont\Large\bfseries {heading}\par}}\medskip"]
        if not inside:
            pending = []
        for p in s.paragraphs:
            lines += [t(p), ""]
        for tab in s.tables:
            spec = "".join("r" if r else "l" for r in right_aligned(tab))
            lines += [r"\begin{table}[!htbp]", *pending, r"\centering\small"]
            pending = []
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
                *pending,
                r"\centering",
                rf"\includegraphics[width={_tex_width(run_dir, f.file)}\linewidth]{{{f.file}}}",
                rf"\\{{\small {t(f.caption)}}}",
                r"\end{figure}",
            ]
            pending = []
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
