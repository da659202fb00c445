"""A small checker for the Markdown tables printed by ``benchmarks/run.py``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Table:
    heading: str  # the nearest "#" heading above the table
    caption: str  # the nearest non-empty line above the table
    rows: list[list[str]]  # header first


def tables(text: str) -> list[Table]:
    """Every pipe table in ``text``, in order.

    Raises AssertionError where a table is malformed: a missing ``|---|`` separator, or a
    row whose number of cells differs from the header's.
    """
    found: list[Table] = []
    lines = text.splitlines()
    heading = caption = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            header = _cells(line)
            assert i + 1 < len(lines), f"table under {caption!r} has no separator row"
            sep = _cells(lines[i + 1])
            assert len(sep) == len(header) and all(set(c) == {"-"} for c in sep), (
                f"bad separator under {caption!r}: {lines[i + 1]!r}"
            )
            rows = [header]
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                row = _cells(lines[i])
                assert len(row) == len(header), f"row {lines[i]!r} has {len(row)} cells"
                rows.append(row)
                i += 1
            found.append(Table(heading, caption, rows))
            continue
        if line.startswith("#"):
            heading = caption = line.lstrip("# ").strip()
        elif line.strip():
            caption = line.strip()
        i += 1
    return found


def table(text: str, heading_start: str, first_column: str | None = None) -> Table:
    """The one table under a heading starting with ``heading_start`` (and header cell)."""
    matches = [
        t
        for t in tables(text)
        if t.heading.startswith(heading_start)
        and (first_column is None or t.rows[0][0] == first_column)
    ]
    assert len(matches) == 1, f"{len(matches)} tables under {heading_start!r}/{first_column!r}"
    return matches[0]


def _cells(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|"), f"not a table row: {line!r}"
    return [c.strip() for c in line[1:-1].split("|")]
