"""Where a run came from: leannet version, date, command line, data file hashes."""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import shlex
import sys
from pathlib import Path

__all__ = ["file_sha256", "provenance"]


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def provenance(data_files=(), argv: list[str] | None = None) -> dict:
    """Version, UTC date, command line and the SHA-256 of each data file that exists.

    Args:
        data_files: paths (or built-in dataset names, recorded without a hash).
        argv: the command line (default ``sys.argv``).
    """
    from .._version import __version__

    argv = list(sys.argv if argv is None else argv)
    if argv:
        argv[0] = Path(argv[0]).name
    files = []
    for spec in data_files:
        path = Path(os.fspath(spec))
        entry = {"data": os.fspath(spec)}
        if path.is_file():
            entry["sha256"] = file_sha256(path)
        files.append(entry)
    return {
        "leannet_version": __version__,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "command_line": shlex.join(argv),
        "data": files,
    }
