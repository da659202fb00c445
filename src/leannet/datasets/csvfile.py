"""CSV files with a header row: delimiter detection, target column, numeric features."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import numpy as np

from .._memory import available_memory
from .._safe_io import read_bytes
from ..errors import DataError
from .targets import is_number, make_targets
from .types import Dataset

# Cells that mean "no value" in CSV files written by spreadsheets, pandas and R.
MISSING_CELLS = {"", "na", "nan", "n/a", "null", "none", "?"}


class CsvRows(list):
    """Data rows of a CSV file; ``line_numbers[i]`` is the file line of row ``i``.

    Blank lines are skipped, so a row's line number cannot be computed from its
    index; every message about a cell uses `where`.
    """

    def __init__(self, rows: list[list[str]], line_numbers: list[int]):
        super().__init__(rows)
        self.line_numbers = line_numbers

    def where(self, i: int) -> str:
        """``"row 3 (line 7)"`` for data row index ``i``."""
        line = self.line_numbers[i] if i < len(self.line_numbers) else i + 2
        return f"row {i + 1} (line {line})"


def where(data: list, i: int) -> str:
    """``"row i+1 (line n)"``, with the true line number when ``data`` is a CsvRows."""
    return data.where(i) if isinstance(data, CsvRows) else f"row {i + 1} (line {i + 2})"


def read_csv_rows(path: Path) -> tuple[list[str], CsvRows]:
    """Header and data rows of a CSV file; the delimiter (``,``, ``;``, tab) is detected.

    Only a regular file is read (a FIFO or ``/dev/zero`` is refused), and at most
    a quarter of the memory available (parsing takes several times the file size).
    """
    path = Path(path)
    available = available_memory()
    raw = read_bytes(path, what="data file", max_bytes=available // 4 if available else 2**40)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}: not a UTF-8 text file; save it as CSV (UTF-8) (line {line} "
            f"has byte {raw[exc.start]:#04x})"
        ) from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty; a CSV needs a header row and data rows")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(f"{path}: line {line} holds a NUL byte; this is not a text CSV file")
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows, lines = [], []
    try:
        for r in reader:
            if r:
                rows.append(r)
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise DataError(
            f"{path}: line {reader.line_num}: not valid CSV ({exc}); check for an unclosed quote"
        ) from None
    for r in rows:
        for cell in r:
            if "\n" in cell or "\r" in cell:
                raise DataError(
                    f"{path}: a quoted cell spans several lines ({cell[:20]!r}...); "
                    "check for an unclosed quote"
                )
    if not rows:
        raise DataError(f"{path}: the file is empty; a CSV needs a header row and data rows")
    header = [h.strip() for h in rows[0]]
    data = CsvRows(rows[1:], lines[1:])
    if not data:
        raise DataError(f"{path}: the header is there but no data rows follow")
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise DataError(
            f"{path}: duplicate column names {', '.join(map(repr, dup))}; "
            "give every column a unique name"
        )
    for i, r in enumerate(data):
        if len(r) != len(header):
            raise DataError(
                f"{path}: {data.where(i)} has {len(r)} fields but the "
                f"header has {len(header)}; fix the row or the header"
            )
    return header, data


def _numeric_features(
    path: Path, header: list[str], data: list[list[str]], columns: list[int]
) -> np.ndarray:
    """The given columns as a float matrix; missing cells, inf and text are errors."""
    for i, r in enumerate(data):
        for j in columns:
            cell = r[j]
            if cell.strip().lower() in MISSING_CELLS:
                raise DataError(
                    f"{path}: {where(data, i)}, column {header[j]!r} is "
                    f"missing ({cell.strip() or 'empty'}); fill in or drop "
                    "incomplete rows"
                )
    features, bad = [], []
    for j in columns:
        col = [r[j] for r in data]
        try:
            values = np.array([float(c) for c in col])
        except ValueError:
            example = next(c for c in col if not is_number(c))
            bad.append(f"{header[j]!r} (e.g. {example.strip()!r})")
            continue
        if not np.all(np.isfinite(values)):
            i = int(np.argmin(np.isfinite(values)))
            raise DataError(
                f"{path}: {where(data, i)}, column {header[j]!r} is "
                f"{col[i].strip()}; use finite numbers"
            )
        features.append(values)
    if bad:
        raise DataError(
            f"{path}: feature column{'s' if len(bad) > 1 else ''} {', '.join(bad)} "
            f"{'are' if len(bad) > 1 else 'is'} not numeric; encode categories as "
            "numbers (e.g. one-hot columns) or drop those columns"
        )
    return np.column_stack(features) if features else np.zeros((len(data), 0))


def load_csv(
    path: str | os.PathLike,
    target: str | None = None,
    *,
    task: str | None = None,
    min_classes: int = 2,
) -> Dataset:
    """Read a CSV file with a header row.

    The delimiter (``,``, ``;`` or tab) is detected. ``target`` names the target
    column (default: the last). Every other column must be numeric; empty,
    ``NA`` and ``NaN`` cells are rejected with their row and column.
    ``min_classes=1`` accepts a single class (evaluating a model on part of the data).
    """
    path = Path(path)
    header, data = read_csv_rows(path)
    if len(header) < 2:
        raise DataError(
            f"{path}: found {len(header)} column; a CSV needs at least one feature "
            "column and a target column, with a header row naming them"
        )
    if target is None:
        t_idx = len(header) - 1
    elif target in header:
        t_idx = header.index(target)
    else:
        raise DataError(f"{path}: no column named {target!r}; the columns are: {', '.join(header)}")
    # missing target cells are reported like missing features
    for i, r in enumerate(data):
        if r[t_idx].strip().lower() in MISSING_CELLS:
            raise DataError(
                f"{path}: {where(data, i)}, column {header[t_idx]!r} is "
                f"missing ({r[t_idx].strip() or 'empty'}); fill in or drop "
                "incomplete rows"
            )
    X = _numeric_features(path, header, data, [j for j in range(len(header)) if j != t_idx])
    raw_t = [r[t_idx].strip() for r in data]
    if all(is_number(c) for c in raw_t):
        t_values = np.array([float(c) for c in raw_t])
        if not np.all(np.isfinite(t_values)):
            i = int(np.argmin(np.isfinite(t_values)))
            raise DataError(
                f"{path}: {where(data, i)}, target {header[t_idx]!r} is "
                f"{raw_t[i]}; use finite numbers"
            )
    else:
        t_values = np.array(raw_t, dtype=str)
    y, class_names, task = make_targets(t_values, task, str(path), min_classes)
    feature_names = [h for j, h in enumerate(header) if j != t_idx]
    return Dataset(
        X,
        y,
        task,
        feature_names,
        class_names,
        name=str(path),
        target_name=header[t_idx],
        description=f"CSV file {path.name}",
    )


def load_csv_features(path: str | os.PathLike, feature_names: list[str]) -> np.ndarray:
    """The named feature columns of a CSV file, in the given order (for prediction)."""
    path = Path(path)
    header, data = read_csv_rows(path)
    missing = [f for f in feature_names if f not in header]
    if missing:
        raise DataError(
            f"{path}: the model needs column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}, which the file lacks; its columns are: "
            f"{', '.join(header)}"
        )
    return _numeric_features(path, header, data, [header.index(f) for f in feature_names])
