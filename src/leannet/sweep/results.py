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
        """Every complete record in the file (an unfinished last line is skipped)."""
        if not self.path.exists():
            return []
        records = []
        with open(self.path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                if number == len(lines):  # cut off by an interruption: redo that fit
                    warnings.warn(
                        f"{self.path}: last line is incomplete (interrupted write); that fit will be redone",
                        stacklevel=2,
                    )
                    continue
                raise ConfigError(
                    f"{self.path} line {number} is not valid JSON; this is not a leannet results "
                    "file, or it was edited: use another --results path"
                ) from None
            if not isinstance(record, dict) or "task" not in record:
                raise ConfigError(
                    f"{self.path} line {number} is not a leannet sweep record; use another --results path"
                )
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
