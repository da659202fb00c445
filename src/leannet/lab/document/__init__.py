"""Reports as documents: a plain-data model (`Document`) and one renderer per
format (HTML, Markdown, LaTeX, PDF), shared by training runs and sweeps.

``write_document(doc, out_dir)`` writes ``report.html``, ``report.md``,
``report.tex`` and, when ``pdflatex`` is installed, ``report.pdf``, each atomically.
"""

from __future__ import annotations

from pathlib import Path

from ..._atomic import atomic_write_text
from .html import render_html
from .latex import render_latex, tex_escape
from .markdown import markdown_table, render_markdown
from .model import Document, Figure, Section, Table, fmt
from .pdf import compile_pdf, find_tex_engine

__all__ = [
    "Document",
    "Figure",
    "Section",
    "Table",
    "compile_pdf",
    "find_tex_engine",
    "fmt",
    "markdown_table",
    "render_html",
    "render_latex",
    "render_markdown",
    "tex_escape",
    "write_document",
]


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
