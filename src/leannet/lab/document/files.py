"""The figure files a document embeds or copies: plain names, regular files, bounded.

Renderers never open ``out_dir / name`` themselves: a name from a run directory
(``run.json``) could be ``../../root/.bashrc`` (the PDF step would write outside
its temporary directory) or ``/etc/hostname`` (the HTML would embed it), and a
``curves.png`` could be a symbolic link, a FIFO or ``/dev/zero``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..._safe_io import read_bytes
from ...errors import DataError

__all__ = ["FIGURE_MAX_BYTES", "SAFE_NAME", "check_figure_name", "figure_bytes"]

#: Letters, digits, ``_ . -``; no separator, no leading dot, no ``..``.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
FIGURE_MAX_BYTES = 32 * 2**20


def check_figure_name(name: object, where: str = "figure") -> str:
    """``name`` if it is a plain file name (it then stays inside its directory)."""
    if not isinstance(name, str) or not SAFE_NAME.match(name) or ".." in name:
        raise DataError(
            f"{where}: file name {str(name)[:80]!r} is not a plain file name inside the "
            "run directory (letters, digits, '_', '.', '-'); refused"
        )
    return name


def figure_bytes(out_dir: Path, name: str) -> bytes:
    """The bytes of figure ``name`` in ``out_dir``: a plain name, a regular file that is
    not a symbolic link, at most `FIGURE_MAX_BYTES`."""
    check_figure_name(name, f"{out_dir}")
    return read_bytes(
        Path(out_dir) / name, what="figure", max_bytes=FIGURE_MAX_BYTES, follow_symlinks=False
    )
