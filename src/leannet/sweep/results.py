"""The results file: one JSON line per finished fit, appended atomically.

Each line is written with a single ``write`` on a file opened in append mode,
then flushed and fsynced, so a crash leaves at most one incomplete last line;
reading skips such a line and the fit is simply redone. A rerun of the same
sweep reads the file first and skips every fit whose ``task`` id is there.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

from .._jsonsafe import to_json_safe
from .._safe_io import read_bytes
from ..errors import ConfigError


class ResultsFile:
    """Append-only JSONL store of fit records keyed by ``record["task"]``."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if self.path.exists() and self.path.is_dir():
            raise ConfigError(
                f"results path {self.path} is a directory; give a file name such as results.jsonl"
            )

    def load(self) -> list[dict]:
        """Every complete record in the file (an unfinished last line is skipped).

        The file is untrusted: it is read as a bounded regular file, and every
        record's fields are type-checked (`check_record`); a problem is one
        ConfigError naming the line.
        """
        if not self.path.exists():
            return []
        raw = read_bytes(self.path, what="results file", max_bytes=MAX_BYTES, error=ConfigError)
        records = []
        lines = raw.split(b"\n")
        for number, data in enumerate(lines, 1):
            if not data.strip():
                continue
            try:
                line = data.decode("utf-8")
                record = json.loads(line)
            except (UnicodeDecodeError, ValueError, RecursionError):
                if number == len(lines):  # cut off by an interruption: redo that fit
                    warnings.warn(
                        f"{self.path}: last line is incomplete (interrupted write); that fit will be redone",
                        stacklevel=2,
                    )
                    continue
                raise ConfigError(
                    f"{self.path} line {number} is not valid UTF-8 JSON; this is not a leannet "
                    "results file, or it was edited: use another --results path"
                ) from None
            if not isinstance(record, dict) or "task" not in record:
                raise ConfigError(
                    f"{self.path} line {number} is not a leannet sweep record; use another --results path"
                )
            check_record(record, f"{self.path} line {number}")
            records.append(record)
        return records

    def append(self, record: dict) -> None:
        """Append one record as one line, durably (O_APPEND + a single write + fsync)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(to_json_safe(record), sort_keys=True, allow_nan=False) + "\n"
        data = line.encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            # If an earlier run died mid-line, drop that fragment (the fit is redone).
            size = os.fstat(fd).st_size
            if size:
                with open(self.path, "rb") as fh:
                    fh.seek(size - 1)
                    if fh.read(1) != b"\n":
                        fh.seek(0)
                        os.ftruncate(fd, fh.read().rfind(b"\n") + 1)
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)


MAX_BYTES = 512 * 2**20  # far more than any sweep writes; /dev/zero is refused before this
_KINDS = ("cv", "refit", "warm")


def _fail(where: str, field: str, problem: str) -> ConfigError:
    return ConfigError(
        f"{where}: {field} {problem}; this is not a leannet results file, or it was edited: "
        "use another --results path"
    )


def _number(record: dict, key: str, where: str, *, whole: bool = False) -> None:
    value = record.get(key)
    if value is None:
        return
    kinds = int if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise _fail(where, key, f"must be a {'whole ' if whole else ''}number or null")


def _fit_fields(record: dict, where: str) -> None:
    for key in ("train_score", "val_score", "test_score", "weight_norm", "zero_share"):
        _number(record, key, where)
    for key in ("fit_time", "cpu_time"):
        _number(record, key, where)
    for key in ("n_iter", "epochs"):
        _number(record, key, where, whole=True)
    params = record.get("params", {})
    if not isinstance(params, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str | int | float | bool | list))
        for k, v in params.items()
    ):
        raise _fail(where, "params", "must map setting names to values")
    if record.get("diverged") is not None and not isinstance(record["diverged"], str):
        raise _fail(where, "diverged", "must be text or null")


def check_record(record: dict, where: str) -> None:
    """The fields a sweep reads from a record have their types (forged files are refused)."""
    if not isinstance(record.get("task"), str):
        raise _fail(where, "task", "must be text")
    if not isinstance(record.get("sweep"), str | None):
        raise _fail(where, "sweep", "must be text")
    if record.get("kind", "cv") not in _KINDS:
        raise _fail(where, "kind", f"must be one of {', '.join(_KINDS)}")
    fold = record.get("fold")
    if fold is not None and fold != "all":  # a fold number, or "all" for a refit
        _number(record, "fold", where, whole=True)
    _number(record, "seed", where, whole=True)
    _fit_fields(record, where)
    steps = record.get("steps")
    if steps is not None:
        if not isinstance(steps, list) or not all(isinstance(step, dict) for step in steps):
            raise _fail(where, "steps", "must be a list of fit records")
        for i, step in enumerate(steps):
            _fit_fields(step, f"{where} steps[{i}]")
