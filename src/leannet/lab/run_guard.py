"""Keeping a run directory whole: a lock, build-beside-and-swap, and data identity.

* `RunLock`: one leannet process at a time writes a run directory
  (``flock`` on the directory itself, released by the kernel if the process
  dies); a second ``--resume`` of the same run gets a clear error instead of
  mixing two models' files.
* `staging_dir` / `swap_in`: ``train --force`` over an existing run
  builds the new run in a hidden directory beside it and exchanges the two at
  the end (``renameat2(RENAME_EXCHANGE)`` where Linux offers it), so a full
  disk, a crash or a Ctrl-C before the end leaves the previous run
  byte-identical, and nothing of the previous run (e.g. its ``checkpoint.npz``)
  survives into the new one. A staging directory left by a killed run (SIGKILL,
  power loss) is removed by `remove_stale_staging` on the next run of that
  directory: it is stale when no process holds its lock any more.
* `data_identity`: a SHA-256 of the exact arrays a run trains and is
  scored on (data, split and scaling), stored in ``config.json`` and compared on
  ``--resume``, so a resume on other rows or another split is refused.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import numpy as np

from ..errors import ConfigError, FileWriteError

__all__ = ["RunLock", "data_identity", "remove_stale_staging", "staging_dir", "swap_in"]

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None


class RunLock:
    """An exclusive, non-blocking lock on a run directory (context manager).

    Raises:
        ConfigError: another process holds it.
    """

    def __init__(self, run_dir: str | os.PathLike, what: str = "run directory"):
        self.run_dir = Path(run_dir)
        self.what = what
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        if fcntl is None:  # pragma: no cover
            return self
        self._fd = os.open(self.run_dir, os.O_RDONLY)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._fd)
            self._fd = None
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise ConfigError(
                    f"{self.what} {self.run_dir} is in use by another leannet process; "
                    "wait for it to finish (or stop it) and try again"
                ) from None
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None


def staging_dir(target: Path) -> Path:
    """A new empty hidden directory beside ``target`` (same file system, so it can be swapped)."""
    parent = target.parent if str(target.parent) else Path(".")
    try:
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    except OSError as exc:
        raise FileWriteError(
            f"cannot create a directory beside {target}: {exc.strerror or exc}; "
            "choose another --out or free some space",
            filename=str(target),
            errno=exc.errno,
        ) from None


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the staging directories of ``target`` that no living process owns.

    Call it while holding ``RunLock(target)``. Only real directories (not links)
    beside ``target`` named exactly as `staging_dir` names them
    (``.NAME.new-`` and 8 ``mkdtemp`` characters) are candidates; each is removed
    only if its lock can be taken, i.e. the run that built it (which holds a
    `RunLock` on it until it ends) is dead. Returns the removed paths.
    """
    parent = target.parent if str(target.parent) else Path(".")
    pattern = re.compile(rf"\.{re.escape(target.name)}\.new-[A-Za-z0-9_]{{8}}")
    removed = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if not stat.S_ISDIR(entry.lstat().st_mode):
                continue
            with RunLock(entry, "staging directory"):
                shutil.rmtree(entry)
        except (OSError, ConfigError):  # in use by a living run, or not ours to remove
            continue
        removed.append(entry)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP") else -1):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staged: Path, target: Path) -> None:
    """Put the complete run in ``staged`` at ``target``; the previous ``target`` is removed.

    The exchange is one atomic rename where the system offers it; otherwise the
    old directory is first renamed aside, so a crash between the two renames
    leaves both complete runs on disk.
    """
    try:
        if _exchange(staged, target):
            old = staged  # after the exchange, the staged name holds the previous run
        else:
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.rename(target, old)
            os.rename(staged, target)
    except OSError as exc:
        raise FileWriteError(
            f"could not put the new run in place at {target} ({exc.strerror or exc}); "
            f"the previous run is unchanged and the new one is in {staged}",
            filename=str(target),
            errno=exc.errno,
        ) from None
    shutil.rmtree(old, ignore_errors=True)
    with contextlib.suppress(OSError):
        fd = os.open(target.parent if str(target.parent) else ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def data_identity(splits) -> str:
    """SHA-256 of the arrays of every split, in order (data, split and scaling together)."""
    digest = hashlib.sha256()
    for name, X, y in splits.items():
        for array in (X, y):
            array = np.ascontiguousarray(array)
            digest.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
            digest.update(array.tobytes())
    return digest.hexdigest()
