"""The document model every lab report is made of: sections of paragraphs,
bullets, tables and figures, as plain data. Runs and sweeps build one; the
renderers (`html`, `markdown`, `latex`, `pdf`) turn it
into files without knowing where it came from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["Document", "Figure", "Section", "Table", "fmt", "right_aligned"]


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


def right_aligned(table: Table) -> list[bool]:
    """Right-align a column when every cell in it is a number (or ±, %, –)."""

    def numeric(text: str) -> bool:
        t = text.strip().lstrip("+-−").replace("%", "")
        return bool(t) and (t[0].isdigit() or t in ("–", "nan", "inf"))

    return [
        i > 0 and bool(table.rows) and all(numeric(r[i]) for r in table.rows if i < len(r))
        for i in range(len(table.columns))
    ]
