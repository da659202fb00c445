"""Saving and loading networks: one ``.npz`` file, no pickles, strict checks on load.

File format (``format_version`` 1)
----------------------------------
An uncompressed NumPy ``.npz`` archive (a ZIP file, written by ``np.savez``)
holding

* one float array per parameter, under its name from ``net.parameters()``
  (``"layers.0.W"``, ``"layers.0.b"``, ...), and
* ``"__leannet__"``: a 0-d unicode array with the JSON text
  ``{"format": "leannet-model", "format_version": 1, "network": net.get_config()}``,
  plus, optionally, ``"preprocessing"``: the fitted state of the preprocessing the
  model expects (`leannet.preprocessing.state`), checked field by field on load.

Loading a file from a stranger must never run code and never half-load a
model, so [`load`][leannet.serialization.load] reads the archive itself rather than trusting it:

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
`ModelFileError` naming the file and what is wrong.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ._atomic import atomic_open
from ._safe_io import BoundedArchive, shorten_list
from ._safe_io import describe_exception as _describe
from .errors import ConfigError, ModelFileError

#: a ``leannet.Sequential`` (named loosely: this module cannot import the network module)
Sequential = Any

# The class model files describe. ``leannet.network`` registers ``Sequential`` when it is
# imported: the network saves itself through this module, so this module cannot import
# the network module without a cycle.
_network_class: list[type] = []


def register_network_class(cls: type) -> None:
    """Make ``cls`` (with ``from_config``) the class [`load`][leannet.serialization.load] builds."""
    _network_class[:] = [cls]


__all__ = ["FORMAT", "FORMAT_VERSION", "META_KEY", "load", "load_with_preprocessing", "save"]

FORMAT = "leannet-model"
FORMAT_VERSION = 1
META_KEY = "__leannet__"
_MAX_META_BYTES = 16 * 2**20  # a JSON description larger than this is not a leannet file


def save(net: Sequential, path: str | os.PathLike, *, preprocessing: dict | None = None) -> Path:
    """Write ``net`` (architecture and weights) to ``path`` atomically.

    Args:
        net (Sequential): The network to save.
        path (str or PathLike): Destination file, conventionally ending in ``.npz``; used as
            given (no suffix is added). An existing file is replaced only once the new one is
            complete on disk.

    Returns:
        pathlib.Path: The path written.

    Raises:
        FileWriteError: The directory is missing or read-only, or the disk is full; the file
            previously stored at ``path`` is unchanged.
    """
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "network": net.get_config()}
    if preprocessing is not None:
        try:
            _check_width(_check_preprocessing(preprocessing, path), net, path)
        except ModelFileError as exc:
            raise ConfigError(f"cannot save this preprocessing with the network: {exc}") from None
        meta["preprocessing"] = preprocessing
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
    """Read a network written by `save` (or ``net.save``).

    A stored preprocessing block is validated too (see `load_with_preprocessing`).

    Args:
        path (str or PathLike): The ``.npz`` file.

    Returns:
        Sequential: A new network with the saved architecture and weights.

    Raises:
        ModelFileError: For any problem with the file; the message names the file and the
            problem. No code from the file is ever executed and no partially loaded network is
            returned.
    """
    return load_with_preprocessing(path)[0]


def load_with_preprocessing(path: str | os.PathLike) -> tuple[Sequential, dict | None]:
    """Read a model file: the network and its preprocessing state (None if it has none).

    Raises:
        ModelFileError: For any problem with the file, including an invalid preprocessing
            block.
    """
    path = Path(path)
    with _Archive(path, what="model file") as archive:
        meta = archive.meta()
        check_format(meta, FORMAT, path, what="model file")
        preprocessing = meta.get("preprocessing")
        if preprocessing is not None:
            preprocessing = _check_preprocessing(preprocessing, path)
        config = meta.get("network")
        # Check the members against the description before building the network, whose
        # buffers cost 8-24 bytes per parameter: a padded or forged file must not make
        # leannet allocate memory for arrays it does not hold.
        check_declared_size(config, path, available_bytes=archive.size, what="model file")
        archive.check_shapes(declared_parameter_shapes(config))
        net = build_network(config, path, available_bytes=archive.size)
        if preprocessing is not None:
            _check_width(preprocessing, net, path)
        expected = {name: value.shape for name, value in net.parameters()}
        archive.check_members(expected)
        weights = {
            name: archive.array(name, shape, float_only=True) for name, shape in expected.items()
        }
    # Everything is validated: only now touch the network.
    views = dict(net.parameters())
    for name, value in weights.items():
        views[name][...] = value
    return net, preprocessing


def _check_preprocessing(block: Any, path: Path) -> dict:
    """The preprocessing block, or ModelFileError naming the bad field."""
    from .preprocessing.state import validate_state

    try:
        return validate_state(block)
    except (ValueError, TypeError, RecursionError) as exc:
        raise ModelFileError(f"model file {path}: invalid preprocessing block ({exc})") from None


def _check_width(block: dict, net: Sequential, path: Path) -> None:
    """The preprocessing must produce exactly the network's number of inputs."""
    width = len(block["output_names"])
    n_in = net.dense_layers[0].n_in if net.dense_layers else None
    if n_in is not None and width != n_in:
        raise ModelFileError(
            f"model file {path}: the preprocessing block makes {width} features but the "
            f"network takes {n_in}"
        )


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


def declared_parameter_shapes(config: Any) -> dict[str, tuple]:
    """``{"layers.i.W": (n_in, n_out), "layers.i.b": (n_out,)}`` a description asks for.

    Read from the description alone (nothing is built), with the names
    ``net.parameters()`` gives; entries that are not valid Dense layers are
    skipped here and refused later by the network's own checks.
    """
    shapes: dict[str, tuple] = {}
    layers = config.get("layers") if isinstance(config, dict) else None
    for i, layer in enumerate(layers if isinstance(layers, list) else []):
        if not isinstance(layer, dict) or layer.get("class") != "Dense":
            continue
        cfg = layer.get("config")
        n_in = cfg.get("n_in") if isinstance(cfg, dict) else None
        n_out = cfg.get("n_out") if isinstance(cfg, dict) else None
        if all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in (n_in, n_out)):
            shapes[f"layers.{i}.W"] = (n_in, n_out)
            shapes[f"layers.{i}.b"] = (n_out,)
    return shapes


def check_declared_size(config: Any, path: Path, *, available_bytes: int, what: str) -> None:
    """A description must exist and fit in the file (2 bytes per parameter at least)."""
    if not isinstance(config, dict):
        raise ModelFileError(f"{what} {path}: the network description is missing")
    n_params = declared_parameter_count(config)
    if n_params * 2 > available_bytes:  # float16 is the smallest float: 2 bytes each
        raise ModelFileError(
            f"{what} {path}: describes a network with {n_params} parameters, but the file "
            f"has only {available_bytes} bytes; the file is truncated or forged"
        )


def build_network(config: Any, path: Path, *, available_bytes: int, what: str = "model file"):
    """Build the network a file describes, turning every failure into ModelFileError."""
    check_declared_size(config, path, available_bytes=available_bytes, what=what)
    try:
        return _network_class[0].from_config(config)
    except Exception as exc:  # noqa: BLE001 - a forged config may fail in any way
        raise ModelFileError(
            f"{what} {path}: the network description is invalid ({_describe(exc)})"
        ) from None


class _Archive(BoundedArchive):
    """A leannet model or checkpoint archive: stored members, a JSON description."""

    def __init__(self, path: Path, *, what: str):
        super().__init__(path, what=what, error=ModelFileError)

    def meta(self) -> Any:
        """The JSON description stored under ``__leannet__``."""
        if META_KEY not in self.members:
            raise self.fail(
                f"no {META_KEY} description inside; this .npz was not written by leannet"
            )
        value = self.read(META_KEY, kinds="U", max_bytes=_MAX_META_BYTES)
        if value.shape != ():
            raise self.fail(f"the {META_KEY} description must be a single string")
        try:
            return json.loads(str(value[()]))
        except (ValueError, RecursionError) as exc:
            raise self.fail(
                f"the {META_KEY} description is not valid JSON ({_describe(exc)})"
            ) from None

    def check_members(self, expected: dict[str, tuple]) -> None:
        """The arrays present must be exactly ``expected`` plus the description."""
        present = set(self.members) - {META_KEY}
        missing = sorted(set(expected) - present)
        extra = sorted(present - set(expected))
        if missing:
            raise self.fail(
                f"missing arrays {shorten_list(missing)} required by the described network"
            )
        if extra:
            raise self.fail(
                f"unknown arrays {shorten_list(extra)} not part of the described network"
            )

    def check_shapes(self, expected: dict[str, tuple]) -> None:
        """Each member is present, its header has the expected shape and a float dtype.

        Only the ``.npy`` headers are read, not the data.
        """
        missing = sorted(set(expected) - set(self.members))
        if missing:
            raise self.fail(
                f"missing arrays {shorten_list(missing)} required by the described network"
            )
        for name, shape in expected.items():
            found, _ = self.header(name, kinds="f")
            if tuple(found) != tuple(shape):
                raise self.fail(
                    f"array {name!r} has shape {tuple(found)}, but the described "
                    f"network needs {tuple(shape)}"
                )

    def array(self, name: str, shape: tuple | None = None, *, float_only: bool = False):
        """Read member ``name``; check its shape (when given), dtype and finiteness."""
        if name not in self.members:
            raise self.fail(f"array {name!r} is missing")
        value = self.read(name, kinds="f" if float_only else "fiub", shape=shape)
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            raise self.fail(f"array {name!r} contains NaN or inf")
        return value
