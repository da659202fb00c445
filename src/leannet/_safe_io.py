"""Bounded reading of files that came from elsewhere (models, checkpoints, data, run dirs).

Every file leannet reads may be hostile or simply wrong: a FIFO that never
answers, ``/dev/zero`` that never ends, a 1 kB archive that claims 80 GB, a
deflate bomb. The rules, applied in one place:

* only **regular files** are read: FIFOs, sockets, devices and directories are
  refused with one clear line before a byte is read (a FIFO is opened
  non-blocking, so even opening it cannot hang);
* every read is **bounded**: a file larger than the limit given by the caller
  is refused from its size, before it is read;
* in a ZIP/``.npz`` archive (`BoundedArchive`) every member's ``.npy``
  header is checked against the member's stored size and the file's size
  *before* its memory is allocated, pickles are refused, compressed members are
  refused (model files, checkpoints) or inflated only up to their declared size
  and a sane ratio (data files), and every ZIP checksum is verified.
"""

from __future__ import annotations

import math
import os
import stat
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from .errors import DataError, LeannetError, ModelFileError

__all__ = [
    "BoundedArchive",
    "describe_exception",
    "open_regular",
    "read_bytes",
    "read_text",
]

_MAX_HEADER_BYTES = 10_000  # NumPy's own default limit for .npy headers
#: Above this many inflated bytes, a member compressed more than _MAX_RATIO:1 is a bomb.
_BOMB_FLOOR = 256 * 2**20
_MAX_RATIO = 100


def describe_exception(exc: BaseException, limit: int = 300) -> str:
    """``"TypeName: message"`` cut to ``limit`` characters (a forged file can make it huge)."""
    text = " ".join(str(exc).split())
    if len(text) > limit:
        text = text[:limit] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_regular(
    path: str | os.PathLike,
    *,
    what: str,
    max_bytes: int | None,
    error: type[LeannetError] = DataError,
    follow_symlinks: bool = True,
) -> IO[bytes]:
    """Open ``path`` for binary reading if it is a regular file of at most ``max_bytes``.

    Args:
        path: the file.
        what: how the message names the file ("model file", "data file"...).
        max_bytes: the largest size accepted (None: no limit beyond the file's own size).
        error: the LeannetError subclass raised.
        follow_symlinks: False refuses a symbolic link as the last path component
            (files of a run directory must be the directory's own files).

    Returns:
        An open binary file; the caller closes it.

    Raises:
        error: missing file, directory, FIFO, device, socket, unreadable, or too large.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_symlinks:
        if path.is_symlink():
            raise error(f"{what} {path} is a symbolic link; only plain files are read here")
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{what} {path} does not exist; check the path") from None
    except IsADirectoryError:
        raise error(f"{what} {path} is a directory, not a file") from None
    except OSError as exc:
        raise error(f"{what} {path} cannot be opened ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                f"{what} {path} is {_kind(info.st_mode)}, not a regular file; "
                "give the path of a file on disk"
            )
        if max_bytes is not None and info.st_size > max_bytes:
            raise error(
                f"{what} {path} is {info.st_size} bytes, more than the {max_bytes} bytes "
                f"leannet reads for a {what}; check that this is the right file"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(
    path: str | os.PathLike,
    *,
    what: str,
    max_bytes: int,
    error: type[LeannetError] = DataError,
    follow_symlinks: bool = True,
) -> bytes:
    """The content of a regular file of at most ``max_bytes`` (see `open_regular`).

    Reads at most ``max_bytes + 1`` bytes even if the file grows meanwhile.
    """
    with open_regular(
        path, what=what, max_bytes=max_bytes, error=error, follow_symlinks=follow_symlinks
    ) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise error(f"{what} {path} cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise error(f"{what} {path} grew past {max_bytes} bytes while being read")
    return data


def read_text(
    path: str | os.PathLike,
    *,
    what: str,
    max_bytes: int,
    error: type[LeannetError] = DataError,
    encoding: str = "utf-8",
    follow_symlinks: bool = True,
) -> str:
    """A bounded UTF-8 text file; a decoding error names the byte offset."""
    data = read_bytes(
        path, what=what, max_bytes=max_bytes, error=error, follow_symlinks=follow_symlinks
    )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error(
            f"{what} {path} is not {encoding} text (byte {exc.start} is {data[exc.start]:#04x})"
        ) from None


class BoundedArchive:
    """Read-only access to the ``.npy`` members of a ZIP/``.npz``, with safety checks.

    Use as a context manager; any unexpected failure inside the ``with`` block
    (a corrupted archive can raise almost anything from ``zipfile``, ``zlib`` or
    ``numpy``) becomes ``error`` naming the file.

    Args:
        path: the archive.
        what: how messages name it ("model file", "checkpoint", "data file").
        error: the LeannetError subclass raised.
        allow_compressed: accept deflated members (data files written by
            ``np.savez_compressed``); model files and checkpoints are stored.
        max_bytes: the largest archive accepted, and the largest inflated member.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        what: str,
        error: type[LeannetError] = ModelFileError,
        allow_compressed: bool = False,
        max_bytes: int | None = None,
    ):
        self.path = Path(path)
        self.what = what
        self.error = error
        self.allow_compressed = allow_compressed
        self.max_bytes = max_bytes
        self._file: IO[bytes] | None = None
        self._zip: zipfile.ZipFile | None = None
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.size = 0

    def fail(self, problem: str) -> LeannetError:
        return self.error(f"{self.what} {self.path}: {problem}")

    def __enter__(self) -> BoundedArchive:
        self._file = open_regular(
            self.path, what=self.what, max_bytes=self.max_bytes, error=self.error
        )
        try:
            self.size = os.fstat(self._file.fileno()).st_size
            self._zip = zipfile.ZipFile(self._file)
            for info in self._zip.infolist():
                if not info.filename.endswith(".npy"):
                    raise self.fail(
                        f"unexpected member {info.filename[:80]!r}; only .npy arrays belong here"
                    )
                self.members[info.filename[: -len(".npy")]] = info
        except BaseException as exc:
            self.__exit__(type(exc), exc, None)
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._zip is not None:
            self._zip.close()
        if self._file is not None:
            self._file.close()
        if exc is None or isinstance(exc, LeannetError) or not isinstance(exc, Exception):
            return False
        if isinstance(exc, MemoryError):
            raise self.fail("needs more memory than is available") from None
        if isinstance(exc, zipfile.BadZipFile | EOFError) and self._zip is None:
            raise self.fail(
                f"not a valid .npz archive, or truncated ({describe_exception(exc)})"
            ) from None
        raise self.fail(f"the file is corrupted ({describe_exception(exc)})") from None

    def header(self, name: str, *, kinds: str = "fiub") -> tuple[tuple, np.dtype]:
        """Shape and dtype of member ``name`` from its ``.npy`` header; its data is not read."""
        with self._open(name) as member:
            shape, _, dtype = self._parse_header(name, member, kinds)
        return shape, dtype

    def read(self, name: str, *, kinds: str = "fiub", shape: tuple | None = None, max_bytes=None):
        """Member ``name`` as an array after every check passed (see the class docstring)."""
        info = self.members[name]
        if max_bytes is not None and info.file_size > max_bytes:
            raise self.fail(f"array {name!r} is too large ({info.file_size} bytes)")
        with self._open(name) as member:
            found_shape, fortran_order, dtype = self._parse_header(name, member, kinds)
            if shape is not None and tuple(found_shape) != tuple(shape):
                raise self.fail(
                    f"array {name!r} has shape {tuple(found_shape)}, but the described "
                    f"network needs {tuple(shape)}"
                )
            nbytes = math.prod(found_shape) * dtype.itemsize
            data = member.read(nbytes)
            if len(data) != nbytes or member.read(1) != b"":  # reaching EOF checks the CRC
                raise self.fail(f"array {name!r} is truncated")
        order = "F" if fortran_order else "C"
        return np.frombuffer(data, dtype=dtype).reshape(found_shape, order=order).copy()

    # -- internals ------------------------------------------------------------------------------
    def _open(self, name: str):
        info = self.members[name]
        if info.compress_type != zipfile.ZIP_STORED:
            if not self.allow_compressed:
                raise self.fail(
                    f"array {name!r} is compressed; leannet files store arrays uncompressed"
                )
            if info.compress_type != zipfile.ZIP_DEFLATED:
                raise self.fail(f"array {name!r} uses an unsupported compression method")
            limit = self.max_bytes
            if limit is not None and info.file_size > limit:
                raise self.fail(
                    f"array {name!r} inflates to {info.file_size} bytes, more than the "
                    f"{limit} bytes leannet reads"
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _BOMB_FLOOR and ratio > _MAX_RATIO:
                raise self.fail(
                    f"array {name!r} inflates {ratio:.0f}-fold to {info.file_size} bytes "
                    "(a compression bomb?); save the data uncompressed with np.savez"
                )
        if info.header_offset + info.compress_size > self.size:
            raise self.fail(f"array {name!r} extends past the end of the file (truncated)")
        return self._zip.open(info)

    def _parse_header(self, name: str, member, kinds: str):
        info = self.members[name]
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            header = np.lib.format.read_array_header_1_0(member, _MAX_HEADER_BYTES)
        elif version == (2, 0):
            header = np.lib.format.read_array_header_2_0(member, _MAX_HEADER_BYTES)
        else:
            raise self.fail(f"array {name!r} uses unsupported .npy version {version}")
        shape, fortran_order, dtype = header
        if dtype.hasobject:
            raise self.fail(
                f"array {name!r} holds pickled Python objects; refused "
                "(leannet never unpickles, since that could run code from the file)"
            )
        if dtype.kind not in kinds or dtype.fields is not None or dtype.subdtype is not None:
            wanted = {"f": "float", "U": "text"}.get(kinds, "numeric")
            raise self.fail(f"array {name!r} has dtype {dtype}, expected a {wanted} dtype")
        nbytes = math.prod(shape) * dtype.itemsize
        if member.tell() + nbytes != info.file_size:
            raise self.fail(
                f"array {name!r}: its header announces {nbytes} bytes of data, "
                "which does not match the stored size; the file is corrupted"
            )
        return tuple(shape), fortran_order, dtype


def member_names(archive: BoundedArchive) -> list[str]:
    """The archive's member names (without ``.npy``), for messages: at most 10 shown."""
    return shorten_list(sorted(archive.members))


def shorten_list(items: list[Any], limit: int = 10) -> list[Any]:
    """``items`` cut to ``limit`` entries plus a ``"... N more"`` marker."""
    items = list(items)
    if len(items) <= limit:
        return items
    return items[:limit] + [f"... {len(items) - limit} more"]
