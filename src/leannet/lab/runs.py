"""Run directories and atomic file writes.

Every file of a run is written atomically: the bytes go to a temporary file in
the same directory, are flushed to disk (``fsync``), and the temporary file is
renamed over the target with `os.replace`. A crash leaves either the old
file or the new one, never half of one.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import time
from pathlib import Path

import numpy as np

from .._atomic import atomic_write_bytes, atomic_write_text
from .._jsonsafe import to_json_safe
from ..errors import ConfigError, FileWriteError

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_json",
    "create_run_dir",
    "write_history_csv",
    "read_history_csv",
    "spreadsheet_safe",
    "to_jsonable",
]


#: First characters that make a spreadsheet read a cell as a formula (or DDE command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def spreadsheet_safe(cell: object) -> str:
    """``cell`` as text that spreadsheets show as text, never run as a formula.

    A text cell starting with ``= + - @``, a tab, CR/LF, ``|`` or ``%`` gets a
    leading ``'`` (OWASP's advice for CSV injection: ``=HYPERLINK(...)`` or
    ``+cmd|' /C calc'!A0`` in a class label must not execute when a user opens
    the predictions). Numbers such as ``-1`` or ``+2.5e3`` are left as they are.
    """
    text = str(cell)
    if not text.startswith(_FORMULA_START):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def to_jsonable(obj):
    """NumPy scalars/arrays (recursively) as plain JSON types; NaN/inf -> None."""
    return to_json_safe(obj)


def atomic_write_json(path: str | os.PathLike, obj) -> Path:
    """Write ``obj`` as indented JSON, atomically."""
    return atomic_write_text(path, json.dumps(to_jsonable(obj), indent=2) + "\n")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:40] or "run"


def create_run_dir(
    out: str | os.PathLike | None,
    name: str,
    *,
    force: bool = False,
    base: str | os.PathLike = "runs",
) -> Path:
    """Create the directory of a new run and return it.

    ``out=None`` makes a fresh ``runs/<YYYYmmdd-HHMMSS>-<name>`` under the current
    directory (with a numeric suffix if that exists already). An explicit ``out``
    that exists and is not empty is refused unless ``force`` is true; with ``force``
    files are replaced one by one (atomically), nothing else is deleted.
    """
    if out is None:
        root = Path(base)
        stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{_slug(name)}"
        path = root / stem
        k = 2
        while path.exists():
            path = root / f"{stem}-{k}"
            k += 1
        _make_dir(path, exist_ok=False)
        return path
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"--out {path} is a file, not a directory; choose another path")
    if path.exists() and any(path.iterdir()) and not force:
        raise ConfigError(
            f"run directory {path} already exists and is not empty; "
            "choose another --out or pass --force to overwrite it"
        )
    _make_dir(path, exist_ok=True)
    return path


def _make_dir(path: Path, *, exist_ok: bool) -> None:
    """``mkdir -p`` with a clear error (read-only parent, full disk) instead of a traceback."""
    try:
        path.mkdir(parents=True, exist_ok=exist_ok)
    except OSError as exc:
        raise FileWriteError(
            f"cannot create the run directory {path}: {exc.strerror or exc}; "
            "choose another --out or fix the permissions",
            filename=str(path),
            errno=exc.errno,
        ) from None


def write_history_csv(path: str | os.PathLike, history: dict, epochs: list | None = None) -> Path:
    """Write a training history (dict of equal-length lists) as CSV, one row per epoch."""
    keys = [k for k, v in history.items() if isinstance(v, list | tuple | np.ndarray)]
    n = max((len(history[k]) for k in keys), default=0)
    epochs = list(epochs) if epochs is not None else list(range(1, n + 1))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["epoch", *keys])
    for i in range(n):
        row = [epochs[i] if i < len(epochs) else i + 1]
        for k in keys:
            v = history[k][i] if i < len(history[k]) else ""
            row.append(repr(float(v)) if v != "" and v is not None else "")
        writer.writerow(row)
    return atomic_write_text(path, buf.getvalue())


def read_history_csv(path: str | os.PathLike) -> dict[str, list[float]]:
    """Read a history written by `write_history_csv` (``epoch`` included)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return {}
    header, data = rows[0], rows[1:]
    out: dict[str, list[float]] = {h: [] for h in header}
    for r in data:
        for h, v in zip(header, r, strict=False):
            out[h].append(float(v) if v not in ("", "nan") else math.nan)
    return out
