"""Saving and loading networks: one ``.npz`` file, no pickles, strict checks on load.

File format (``format_version`` 1)
----------------------------------
An uncompressed NumPy ``.npz`` archive (a ZIP file, written by ``np.savez``)
holding

* one float array per parameter, under its name from ``net.parameters()``
  (``"layers.0.W"``, ``"layers.0.b"``, ...), and
* ``"__leannet__"``: a 0-d unicode array with the JSON text
  ``{"format": "leannet-model", "format_version": 1, "network": net.get_config()}``.

Loading a file from a stranger must never run code and never half-load a
model, so :func:`load` reads the archive itself rather than trusting it:

* arrays are parsed from their ``.npy`` header and raw bytes (the format
  ``np.load(..., allow_pickle=False)`` reads), and any member whose dtype holds
  Python objects (a pickle) is refused before a byte of its data is read;
* every array header is checked against the size of the file before memory is
  allocated (a 1 kB file cannot ask for 80 GB), members must be stored
  uncompressed (no zip bombs), and the ZIP checksum of every member is verified;
* the format name and version, the network description, the set of arrays,
  their shapes, their float dtype and their finiteness are all checked, and the
  network is returned only after every check passed.

Every problem, whatever its cause (not a ZIP file, truncated, corrupted, wrong
version, unknown layer, wrong shape...), raises
:class:`~leannet.errors.ModelFileError` naming the file and what is wrong.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._atomic import atomic_open
from .errors import ConfigError, ModelFileError

if TYPE_CHECKING:  # pragma: no cover
    from . import Sequential

__all__ = ["FORMAT", "FORMAT_VERSION", "META_KEY", "load", "save"]

FORMAT = "leannet-model"
FORMAT_VERSION = 1
META_KEY = "__leannet__"
_MAX_META_BYTES = 16 * 2**20  # a JSON description larger than this is not a leannet file
_MAX_HEADER_BYTES = 10_000  # NumPy's own default limit for .npy headers


def save(net: Sequential, path: str | os.PathLike) -> Path:
    """Write ``net`` (architecture and weights) to ``path`` atomically.

    Parameters
    ----------
    net : Sequential
        The network to save.
    path : str or PathLike
        Destination file, conventionally ending in ``.npz``; used as given (no
        suffix is added). An existing file is replaced only once the new one is
        complete on disk.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    FileWriteError
        The directory is missing or read-only, or the disk is full; the file
        previously stored at ``path`` is unchanged.
    """
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "network": net.get_config()}
    try:
        meta_text = json.dumps(meta)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"the network's configuration cannot be saved as JSON: {exc}") from None
    arrays: dict[str, np.ndarray] = {}
    for name, value in net.parameters():
        if name == META_KEY or name in arrays:
            raise ConfigError(f"parameter name {name!r} is reserved or used twice; rename it")
        arrays[name] = np.ascontiguousarray(value)
    arrays[META_KEY] = np.array(meta_text)
    path = Path(path)
    with atomic_open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


def load(path: str | os.PathLike) -> Sequential:
    """Read a network written by :func:`save` (or ``net.save``).

    Parameters
    ----------
    path : str or PathLike
        The ``.npz`` file.

    Returns
    -------
    Sequential
        A new network with the saved architecture and weights.

    Raises
    ------
    ModelFileError
        For any problem with the file; the message names the file and the
        problem. No code from the file is ever executed and no partially
        loaded network is returned.
    """
    path = Path(path)
    with _Archive(path, what="model file") as archive:
        meta = archive.meta()
        check_format(meta, FORMAT, path, what="model file")
        config = meta.get("network")
        net = build_network(config, path, available_bytes=archive.size)
        expected = {name: value.shape for name, value in net.parameters()}
        archive.check_members(expected)
        weights = {
            name: archive.array(name, shape, float_only=True) for name, shape in expected.items()
        }
    # Everything is validated: only now touch the network.
    views = dict(net.parameters())
    for name, value in weights.items():
        views[name][...] = value
    return net


# ----------------------------------------------------------------------------
# Shared with leannet.checkpoint: a cautious reader for leannet .npz archives.
# ----------------------------------------------------------------------------


def check_format(meta: Any, expected: str, path: Path, *, what: str) -> None:
    """Check the ``format`` / ``format_version`` fields of a file's description."""
    if not isinstance(meta, dict):
        raise ModelFileError(f"{what} {path}: the {META_KEY} description is not a JSON object")
    found = meta.get("format")
    if found != expected:
        hint = ""
        if found == "leannet-checkpoint":
            hint = "; it is a training checkpoint: resume with fit(..., resume_from=path)"
        elif found == "leannet-model":
            hint = "; it is a saved model: read it with ln.load(path)"
        raise ModelFileError(f"{what} {path}: format is {found!r}, expected {expected!r}{hint}")
    version = meta.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ModelFileError(f"{what} {path}: format_version is missing or not a whole number")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{what} {path}: format_version {version} was written by a newer leannet "
            f"(this one reads version {FORMAT_VERSION}); upgrade leannet"
        )
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{what} {path}: unsupported format_version {version} (expected {FORMAT_VERSION})"
        )


def declared_parameter_count(config: Any) -> int:
    """Parameters a network description asks for, counted without building it.

    Dense layers hold ``n_in * n_out + n_out`` numbers. Used to refuse a small
    file that describes a huge network before any memory is allocated.
    """
    total = 0
    layers = config.get("layers") if isinstance(config, dict) else None
    for layer in layers if isinstance(layers, list) else []:
        cfg = layer.get("config") if isinstance(layer, dict) else None
        if not isinstance(cfg, dict):
            continue
        n_in, n_out = cfg.get("n_in"), cfg.get("n_out")
        if isinstance(n_in, int) and isinstance(n_out, int) and n_in > 0 and n_out > 0:
            total += n_in * n_out + n_out
    return total


def build_network(config: Any, path: Path, *, available_bytes: int, what: str = "model file"):
    """Build the network a file describes, turning every failure into ModelFileError."""
    from . import Sequential  # lazily: the engine imports this module for net.save

    if not isinstance(config, dict):
        raise ModelFileError(f"{what} {path}: the network description is missing")
    n_params = declared_parameter_count(config)
    if n_params * 2 > available_bytes:  # float16 is the smallest float: 2 bytes each
        raise ModelFileError(
            f"{what} {path}: describes a network with {n_params} parameters, but the file "
            f"has only {available_bytes} bytes; the file is truncated or forged"
        )
    try:
        return Sequential.from_config(config)
    except Exception as exc:  # noqa: BLE001 - a forged config may fail in any way
        raise ModelFileError(
            f"{what} {path}: the network description is invalid ({_describe(exc)})"
        ) from None


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    if len(text) > 300:
        text = text[:300] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Archive:
    """Read-only access to the members of a leannet ``.npz``, with safety checks.

    Use as a context manager; any unexpected failure inside the ``with`` block
    (a corrupted archive can raise almost anything from ``zipfile``, ``zlib`` or
    ``numpy``) is turned into ModelFileError naming the file.
    """

    def __init__(self, path: Path, *, what: str):
        self.path = path
        self.what = what
        self._file = None
        self._zip: zipfile.ZipFile | None = None
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.size = 0

    def fail(self, problem: str) -> ModelFileError:
        return ModelFileError(f"{self.what} {self.path}: {problem}")

    def __enter__(self) -> _Archive:
        if not self.path.exists():
            raise ModelFileError(f"{self.what} {self.path} does not exist; check the path")
        if self.path.is_dir():
            raise ModelFileError(f"{self.what} {self.path} is a directory, not a file")
        try:
            self._file = open(self.path, "rb")  # noqa: SIM115 - closed in __exit__
            self.size = os.fstat(self._file.fileno()).st_size
            self._zip = zipfile.ZipFile(self._file)
            for info in self._zip.infolist():
                if not info.filename.endswith(".npy"):
                    raise self.fail(f"unexpected member {info.filename!r}; not a leannet file")
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
        if exc is None or isinstance(exc, ModelFileError) or not isinstance(exc, Exception):
            return False
        if isinstance(exc, zipfile.BadZipFile | EOFError) and self._zip is None:
            raise self.fail(f"not a valid .npz archive, or truncated ({_describe(exc)})") from None
        raise self.fail(f"the file is corrupted ({_describe(exc)})") from None

    def meta(self) -> Any:
        """The JSON description stored under ``__leannet__``."""
        if META_KEY not in self.members:
            raise self.fail(
                f"no {META_KEY} description inside; this .npz was not written by leannet"
            )
        value = self._read(META_KEY, kinds="U", max_bytes=_MAX_META_BYTES)
        if value.shape != ():
            raise self.fail(f"the {META_KEY} description must be a single string")
        try:
            return json.loads(str(value[()]))
        except (ValueError, RecursionError) as exc:
            raise self.fail(f"the {META_KEY} description is not valid JSON ({exc})") from None

    def check_members(self, expected: dict[str, tuple]) -> None:
        """The arrays present must be exactly ``expected`` plus the description."""
        present = set(self.members) - {META_KEY}
        missing = sorted(set(expected) - present)
        extra = sorted(present - set(expected))
        if missing:
            raise self.fail(f"missing arrays {missing} required by the described network")
        if extra:
            raise self.fail(f"unknown arrays {extra} not part of the described network")

    def array(self, name: str, shape: tuple | None = None, *, float_only: bool = False):
        """Read member ``name``; check its shape (when given) and dtype."""
        if name not in self.members:
            raise self.fail(f"array {name!r} is missing")
        value = self._read(name, kinds="f" if float_only else "fiub", shape=shape)
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            raise self.fail(f"array {name!r} contains NaN or inf")
        return value

    def _read(self, name: str, *, kinds: str, shape: tuple | None = None, max_bytes=None):
        info = self.members[name]
        if info.compress_type != zipfile.ZIP_STORED:
            raise self.fail(
                f"array {name!r} is compressed; leannet files store arrays uncompressed"
            )
        if info.header_offset + info.compress_size > self.size:
            raise self.fail(f"array {name!r} extends past the end of the file (truncated)")
        if max_bytes is not None and info.file_size > max_bytes:
            raise self.fail(f"array {name!r} is too large ({info.file_size} bytes)")
        with self._zip.open(info) as member:
            version = np.lib.format.read_magic(member)
            if version == (1, 0):
                header = np.lib.format.read_array_header_1_0(member, _MAX_HEADER_BYTES)
            elif version == (2, 0):
                header = np.lib.format.read_array_header_2_0(member, _MAX_HEADER_BYTES)
            else:
                raise self.fail(f"array {name!r} uses unsupported .npy version {version}")
            found_shape, fortran_order, dtype = header
            if dtype.hasobject:
                raise self.fail(
                    f"array {name!r} holds pickled Python objects; refused "
                    "(leannet never unpickles, since that could run code from the file)"
                )
            if dtype.kind not in kinds or dtype.fields is not None or dtype.subdtype is not None:
                wanted = "float" if kinds == "f" else {"U": "text"}.get(kinds, "numeric")
                raise self.fail(f"array {name!r} has dtype {dtype}, expected a {wanted} dtype")
            if shape is not None and tuple(found_shape) != tuple(shape):
                raise self.fail(
                    f"array {name!r} has shape {tuple(found_shape)}, but the described "
                    f"network needs {tuple(shape)}"
                )
            nbytes = math.prod(found_shape) * dtype.itemsize
            if member.tell() + nbytes != info.file_size:
                raise self.fail(
                    f"array {name!r}: its header announces {nbytes} bytes of data, "
                    f"which does not match the stored size; the file is corrupted"
                )
            data = member.read(nbytes)
            if len(data) != nbytes or member.read(1) != b"":  # reaching EOF checks the CRC
                raise self.fail(f"array {name!r} is truncated")
        order = "F" if fortran_order else "C"
        return np.frombuffer(data, dtype=dtype).reshape(found_shape, order=order).copy()
