"""What a raw column holds: numbers, dates or text; and which columns carry no signal.

Rules (each dropped column is reported with the rule that matched):

* **constant**: at most one distinct value among the non-missing cells;
* **id-like**: whole numbers that are all distinct and consecutive from 0 or 1 (a row
  number; a run of years is kept), or, in file order, a row number that restarts per
  group: two or more blocks, each counting up by 1 from 0 or 1, on average at least
  ``_MIN_COUNTER_BLOCK`` rows long (penguins' "Sample Number" 1..152, 1..68, 1..124;
  calendar cycles such as a month 1..12, a day 1..31 or a week 1..53, and short per-group
  counters such as a visit number, are kept; a day of the year 1..365 is not),
  or text with a distinct value in more than half of the rows and more than 20
  distinct values (an identifier or free text, which one-hot encoding cannot use).
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np

from .table import is_missing

__all__ = [
    "DATE_PARTS",
    "column_kind",
    "date_parts",
    "raw_blocks",
    "to_float",
    "uninformative_reason",
]

DATE_PARTS = ("year", "month", "day", "weekday")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_MAX_TEXT_DISTINCT = 20


def to_float(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cells as floats, NaN where a cell is missing or not a finite number.

    Returns:
        ``(floats, unreadable)``: the values, and a mask of the cells that were
        present but not a finite number (text, inf).
    """
    missing = is_missing(values)
    out = np.full(len(values), np.nan)
    unreadable = np.zeros(len(values), dtype=bool)
    for i, cell in enumerate(values):
        if missing[i]:
            continue
        try:
            number = float(cell.strip() if isinstance(cell, str) else cell)
        except (TypeError, ValueError):
            unreadable[i] = True
            continue
        if np.isfinite(number):
            out[i] = number
        else:
            unreadable[i] = True
    return out, unreadable


def _as_datetime64(cell):
    """One cell as ``datetime64[s]``, or None when it is not a date."""
    if isinstance(cell, np.datetime64):
        return cell.astype("datetime64[s]")
    if hasattr(cell, "to_datetime64"):  # pandas.Timestamp, without importing pandas
        return cell.to_datetime64().astype("datetime64[s]")
    if isinstance(cell, _dt.datetime | _dt.date):
        return np.datetime64(cell).astype("datetime64[s]")
    if isinstance(cell, str) and _ISO_DATE.match(cell.strip()):
        try:
            return np.datetime64(cell.strip().replace(" ", "T"), "s")
        except ValueError:
            return None
    return None


def date_parts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates as numeric parts: year, month, day, weekday (Monday 0), NaN where unreadable.

    Returns:
        ``(parts, unreadable)``: an ``(n, 4)`` float array and a mask of cells that
        were present but not a date.
    """
    missing = is_missing(values)
    parts = np.full((len(values), len(DATE_PARTS)), np.nan)
    unreadable = np.zeros(len(values), dtype=bool)
    for i, cell in enumerate(values):
        if missing[i]:
            continue
        stamp = _as_datetime64(cell)
        if stamp is None:
            unreadable[i] = True
            continue
        day = stamp.astype("datetime64[D]")
        date = day.astype(_dt.date)
        parts[i] = (date.year, date.month, date.day, date.weekday())
    return parts, unreadable


def column_kind(values: np.ndarray) -> str:
    """``"numeric"``, ``"date"`` or ``"text"``: what every non-missing cell is.

    A column with no cells present counts as numeric (it is then dropped as constant).
    """
    present = values[~is_missing(values)]
    if len(present) == 0:
        return "numeric"
    _, unreadable = to_float(present)
    if not unreadable.any():
        return "numeric"
    if all(_as_datetime64(cell) is not None for cell in present):
        return "date"
    return "text"


def uninformative_reason(values: np.ndarray, kind: str) -> str | None:
    """Why a column should be dropped (constant or id-like), or None to keep it."""
    present = values[~is_missing(values)]
    if len(present) == 0:
        return "empty: every cell is missing"
    if kind == "numeric":
        numbers, _ = to_float(present)
        distinct = np.unique(numbers)
        if len(distinct) == 1:
            return f"constant: every value is {distinct[0]:g}"
        whole = bool(np.all(np.mod(numbers, 1) == 0))
        if (
            whole
            and len(distinct) == len(present) == len(values)
            and distinct[0] in (0, 1)
            and distinct[-1] - distinct[0] == len(values) - 1
        ):
            return (
                f"id-like: whole numbers {distinct[0]:g}..{distinct[-1]:g}, each row a "
                "different consecutive value (a row number)"
            )
        blocks = _counter_blocks(numbers) if whole and len(present) == len(values) else None
        if blocks is not None:
            return (
                f"id-like: a row number restarting per group ({len(blocks)} blocks counting "
                f"up by 1 from {numbers[0]:g}: {', '.join(blocks)} rows)"
            )
        return None
    distinct = np.unique(np.array([str(c).strip() for c in present], dtype=str))
    if len(distinct) == 1:
        return f"constant: every value is {str(distinct[0])!r}"
    if kind == "text" and len(distinct) > max(_MAX_TEXT_DISTINCT, len(values) / 2):
        return (
            f"id-like: {len(distinct)} distinct text values in {len(values)} rows "
            "(an identifier or free text)"
        )
    return None


_MIN_COUNTER_BLOCK = 60  # longer than any calendar cycle but the day of the year


def _counter_blocks(numbers: np.ndarray) -> list[str] | None:
    """Block lengths (as text) when ``numbers``, in file order, are two or more runs each
    counting up by 1 from 0 or 1 and on average at least _MIN_COUNTER_BLOCK long."""
    starts = np.flatnonzero(np.diff(numbers) != 1) + 1
    if len(starts) == 0 or len(numbers) / (len(starts) + 1) < _MIN_COUNTER_BLOCK:
        return None
    firsts = numbers[np.concatenate([[0], starts])]
    if not (np.all(firsts == firsts[0]) and firsts[0] in (0, 1)):
        return None
    lengths = np.diff(np.concatenate([[0], starts, [len(numbers)]]))
    return [str(int(n)) for n in lengths]


def raw_blocks(columns, inputs, rows):
    """Numeric block (NaN where missing) and text block (None where missing) of ``rows``."""
    numeric, text, names = [], [], []
    counts = {"imputed": {}, "unreadable": {}}
    for item in inputs:
        name, values = item["name"], columns[item["name"]][rows]
        missing = is_missing(values)
        if item["kind"] == "numeric":
            block, unreadable = to_float(values)
            numeric.append(block[:, None])
            names.append(name)
        elif item["kind"] == "date":
            block, unreadable = date_parts(values)
            numeric.append(block)
            names.extend(f"{name}_{part}" for part in DATE_PARTS)
        else:
            unreadable = np.zeros(len(values), dtype=bool)
            cells = np.array([None if m else str(v).strip() for v, m in zip(values, missing)])
            text.append(cells.astype(object)[:, None])
        counts["imputed"][name] = int((missing | unreadable).sum())
        counts["unreadable"][name] = int(unreadable.sum())
    n = len(rows)
    numeric_block = np.hstack(numeric) if numeric else np.zeros((n, 0))
    text_block = np.hstack(text) if text else np.zeros((n, 0), dtype=object)
    return numeric_block, text_block, names, counts
