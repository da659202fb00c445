"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every file leannet writes (models, checkpoints, reports, figures) goes through
this module. The recipe:

1. create a temporary file in the *same directory* as the target (so that the
   final rename never crosses a file system),
2. write the content, ``flush`` and ``os.fsync`` it (the bytes are on disk),
3. ``os.replace`` it onto the target name (atomic on POSIX and Windows),
4. ``fsync`` the directory (the rename itself is on disk).

If anything fails before step 3 (an exception, a full disk, Ctrl-C), the
temporary file is removed and the previous file under the target name is left
untouched. If the process is killed outright (SIGKILL, power loss), a stray
``.<name>.*.tmp`` file may remain beside the target, but the target itself is
still the complete old version or the complete new one.

Usage::

    atomic_write_bytes("model.bin", data)
    atomic_write_text("report.md", text)
    with atomic_open("weights.npz") as f:   # binary by default
        np.savez(f, W=W)
    with atomic_open("fig.png") as f:
        fig.savefig(f, format="png")
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import FileWriteError

__all__ = ["atomic_open", "atomic_write_bytes", "atomic_write_text"]

# What each operating-system error means for the user, and the fix.
_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space or write somewhere else",
    getattr(errno, "EDQUOT", -1): "the disk quota is exceeded; free some space or write elsewhere",
    errno.EFBIG: "the file is larger than this system allows; write somewhere else",
    errno.EROFS: "the file system is read-only; choose a writable output directory",
    errno.EACCES: "permission denied; choose a directory you can write to",
    errno.EPERM: "permission denied; choose a directory you can write to",
    errno.ENOENT: "the directory does not exist; create it first",
    errno.ENOTDIR: "a part of the path is not a directory; check the path",
    errno.EISDIR: "the path is a directory; give a file name",
}


def _current_umask() -> int:
    """The process umask, read without changing it where the OS allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no read-only query elsewhere; restore at once
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def _write_error(path: Path, exc: OSError) -> FileWriteError:
    advice = _ADVICE.get(exc.errno, exc.strerror or str(exc))
    kept = "the previous file is unchanged" if path.exists() else "nothing was written"
    return FileWriteError(
        f"could not write {path}: {advice} ({kept})", filename=str(path), errno=exc.errno
    )


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike, mode: str = "wb", *, encoding: str | None = None
) -> Iterator[IO]:
    """Open a temporary file that replaces ``path`` only when the block succeeds.

    Parameters
    ----------
    path : str or PathLike
        The final file name. Its directory must exist.
    mode : {"wb", "w"}
        Binary (default) or text.
    encoding : str, optional
        Text encoding for ``mode="w"`` (default UTF-8).

    Yields
    ------
    file object
        Write to it; it is flushed, fsynced and renamed onto ``path`` when the
        ``with`` block ends without an exception, and deleted otherwise.

    Raises
    ------
    FileWriteError
        The disk is full, the directory is read-only or missing, and so on.
        The previous file under ``path`` (if any) is left unchanged.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', got {mode!r}")
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if mode == "w" and encoding is None:
        encoding = "utf-8"
    try:
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _write_error(path, exc) from None
    tmp = Path(tmp_name)
    try:
        # mkstemp creates the file 0600; give it the permissions a plain open() would.
        try:
            os.chmod(tmp, 0o666 & ~_current_umask())
        except OSError:
            pass
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:  # noqa: B036 - also on Ctrl-C: never leave the temp file behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, FileWriteError):
            raise _write_error(path, exc) from exc
        raise
    _fsync_directory(directory)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see `atomic_open`); return the path."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see `atomic_open`); return the path."""
    with atomic_open(path, "w", encoding=encoding) as handle:
        handle.write(text)
    return Path(path)
