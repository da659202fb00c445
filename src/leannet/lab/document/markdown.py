"""Markdown with pipe tables; figures linked by file name (same directory)."""

from __future__ import annotations

from .model import Document, Table, right_aligned

__all__ = ["markdown_table", "render_markdown"]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table) -> list[str]:
    """The lines of one pipe table (numeric columns right-aligned); no title or note."""
    lines = ["| " + " | ".join(_md_cell(c) for c in table.columns) + " |"]
    lines.append("|" + "|".join(" ---: " if r else " --- " for r in right_aligned(table)) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in table.rows]
    return lines


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
            lines += markdown_table(t)
            lines.append("")
            if t.note:
                lines += [f"*{t.note}*", ""]
        if s.bullets:
            lines += [f"- {b}" for b in s.bullets] + [""]
        for f in s.figures:
            lines += [f"![{f.caption}]({f.file})", "", f"*{f.caption}*", ""]
    return "\n".join(lines)
