"""Column tables: a pandas DataFrame, a mapping of columns, or a CSV file, as one shape.

The preprocessing step reads every input as an ordered ``{name: 1-D object array}``
mapping. Cells keep their raw value (text from a CSV file, numbers, ``None``,
``NaN``, pandas' ``NA``/``NaT``, dates); `is_missing` says which cells are empty.
pandas is optional: a DataFrame is accepted when pandas is installed, but nothing here
imports it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..errors import DataError

__all__ = ["MISSING_TEXT", "as_columns", "is_missing", "read_csv_table"]

# Cells that mean "no value" in files written by spreadsheets, pandas and R.
MISSING_TEXT = frozenset({"", "na", "nan", "n/a", "null", "none", "?", "nat", "<na>"})


def is_missing(values: np.ndarray) -> np.ndarray:
    """Boolean mask of the empty cells of a 1-D column.

    A cell is missing when it is ``None``, a float NaN, pandas' ``NA``/``NaT``, or
    text from `MISSING_TEXT` (case and surrounding spaces ignored).
    """
    return np.fromiter((_missing_cell(v) for v in values), dtype=bool, count=len(values))


def _missing_cell(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in MISSING_TEXT
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    # pandas.NA / NaT and numpy.datetime64("NaT") compare unequal to themselves
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def as_columns(data, *, source: str = "the data") -> dict[str, np.ndarray]:
    """The columns of ``data`` as ``{name: object array}``, in their order.

    Args:
        data: a pandas DataFrame, or a mapping from column name to a 1-D sequence.
        source: how error messages name the data.

    Raises:
        DataError: not a table, a column that is not one-dimensional, columns of
            different lengths, or a name that is not text.
    """
    if hasattr(data, "columns") and hasattr(data, "__getitem__") and hasattr(data, "dtypes"):
        items = [(name, data[name].to_numpy(dtype=object)) for name in data.columns]
    elif isinstance(data, Mapping):
        items = list(data.items())
    else:
        raise DataError(
            f"{source}: expected a pandas DataFrame or a mapping of column name to values, "
            f"got {type(data).__name__}"
        )
    columns: dict[str, np.ndarray] = {}
    for name, values in items:
        if not isinstance(name, str):
            raise DataError(f"{source}: column names must be text, got {name!r}")
        if np.ndim(values) != 1:
            raise DataError(f"{source}: column {name!r} is not one-dimensional")
        array = np.empty(len(values), dtype=object)
        array[:] = list(values)
        columns[name] = array
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise DataError(f"{source}: the columns have different lengths {sorted(lengths)}")
    if not columns:
        raise DataError(f"{source}: the table has no columns")
    return columns


def read_csv_table(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """A CSV file (header row; ``,``, ``;`` or tab) as a column table of raw text cells."""
    from ..datasets import read_csv_rows

    path = Path(path)
    header, rows = read_csv_rows(path)
    cells = np.array(rows, dtype=object).reshape(len(rows), len(header))
    return {name: cells[:, j].copy() for j, name in enumerate(header)}


def n_rows(columns: Mapping[str, np.ndarray]) -> int:
    """Rows in a column table (0 when it has no columns)."""
    return len(next(iter(columns.values()))) if columns else 0
