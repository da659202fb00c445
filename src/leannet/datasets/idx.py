"""MNIST-style IDX files (optionally gzipped) and directories of them."""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from .._memory import check_fits
from .._safe_io import describe_exception, open_regular
from ..errors import DataError
from .targets import encode_labels
from .types import Dataset

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


#: deflate cannot shrink data more than ~1032-fold: a larger claim is forged or truncated
_MAX_GZIP_RATIO = 1100


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (optionally gzipped), the format of the MNIST files.

    The header is read and checked first: the data it announces must fit the
    file (uncompressed) or what deflate can expand the file to (``.gz``) and the
    memory available, and only that many bytes are then read or inflated.
    """
    path = Path(path)
    with open_regular(path, what="IDX file", max_bytes=None, error=DataError) as raw_handle:
        size = os.fstat(raw_handle.fileno()).st_size
        gz = path.suffix == ".gz"
        fh = gzip.GzipFile(fileobj=raw_handle, mode="rb") if gz else raw_handle
        try:
            return _read_idx_stream(path, fh, size, gz)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(f"{path}: cannot be read ({describe_exception(exc)})") from None


def _read_idx_stream(path: Path, fh, size: int, gz: bool) -> np.ndarray:
    magic = fh.read(4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in _IDX_TYPES:
        raise DataError(f"{path}: not an IDX file (bad magic number)")
    ndim = magic[3]
    dims = fh.read(4 * ndim)
    if ndim == 0 or len(dims) < 4 * ndim:
        raise DataError(f"{path}: truncated IDX header")
    shape = struct.unpack(f">{ndim}I", dims)
    dtype = np.dtype(_IDX_TYPES[magic[2]])
    expected = math.prod(shape) * dtype.itemsize
    header = 4 + 4 * ndim
    if not gz and expected != size - header:
        raise DataError(
            f"{path}: IDX header promises {expected} bytes of data for shape "
            f"{shape} but the file has {size - header}; the file is truncated or corrupt"
        )
    if gz and expected > size * _MAX_GZIP_RATIO:
        raise DataError(
            f"{path}: IDX header promises {expected} bytes of data for shape {shape}, more "
            f"than this {size}-byte .gz file can inflate to; the file is truncated or forged"
        )
    check_fits(expected, f"{path}: IDX data of shape {shape}", "use a smaller file")
    body = fh.read(expected)
    extra = fh.read(1)
    if len(body) != expected or extra:
        found = f"{len(body)}" if not extra else f"more than {expected}"
        raise DataError(
            f"{path}: IDX header promises {expected} bytes of data for shape "
            f"{shape} but the file has {found}; the file is truncated or corrupt"
        )
    return np.frombuffer(body, dtype=dtype).reshape(shape)


def _find_idx(directory: Path, split: str, kind: str) -> Path | None:
    tags = ("train",) if split == "train" else ("t10k", "test")
    for p in sorted(directory.iterdir()):
        low = p.name.lower()
        if kind in low and any(low.startswith(t) or f"-{t}" in low or f"_{t}" in low for t in tags):
            if "idx" in low or low.endswith(".gz") or "ubyte" in low:
                return p
    return None


def load_idx_dir(directory: str | os.PathLike) -> Dataset:
    """Load MNIST-style IDX files from a directory.

    Expects ``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte`` (``.gz``
    allowed; dots instead of dashes too), and optionally the ``t10k-`` test pair.
    Pixels are scaled to [0, 1] and each image is flattened to one row.
    """
    directory = Path(directory)
    found = {
        (s, k): _find_idx(directory, s, k) for s in ("train", "test") for k in ("images", "labels")
    }
    if found[("train", "images")] is None or found[("train", "labels")] is None:
        raise DataError(
            f"{directory}: no IDX training files found; expected "
            "train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]"
        )

    def pair(split: str) -> tuple[np.ndarray, np.ndarray]:
        images = read_idx(found[(split, "images")])
        labels = read_idx(found[(split, "labels")]).reshape(-1)
        if images.shape[0] != labels.shape[0]:
            raise DataError(
                f"{directory}: {split} images ({images.shape[0]}) and labels "
                f"({labels.shape[0]}) differ in number"
            )
        if labels.dtype.kind == "f":
            bad = ~np.isfinite(labels) | (labels != np.round(labels))
            if bad.any():
                i = int(np.argmax(bad))
                raise DataError(
                    f"{found[(split, 'labels')]}: label {i} is {labels[i]}; IDX labels must be "
                    "whole numbers (class indices)"
                )
        with np.errstate(over="ignore"):
            X = images.reshape(images.shape[0], -1).astype(np.float32)
        if images.dtype.kind == "f" and not np.isfinite(X).all():
            r, c = np.argwhere(~np.isfinite(X))[0]
            raise DataError(
                f"{found[(split, 'images')]}: image {r}, pixel {c} is NaN, inf or beyond the "
                "float32 range (about 3.4e38); rescale the images"
            )
        if images.dtype == np.uint8:
            X /= 255.0
        return X, labels.astype(np.int64)

    X, y_raw = pair("train")
    y, names = encode_labels(y_raw)
    ds = Dataset(
        X,
        y,
        "classification",
        [f"px{i}" for i in range(X.shape[1])],
        names,
        name=str(directory),
        description="IDX images (MNIST format)",
    )
    if found[("test", "images")] is not None and found[("test", "labels")] is not None:
        Xt, yt_raw = pair("test")
        lookup = {int(n): i for i, n in enumerate(names)}
        bad = sorted(set(yt_raw.tolist()) - set(lookup))
        if bad:
            raise DataError(f"{directory}: test labels {bad} never occur in the training labels")
        ds.X_test, ds.y_test = Xt, np.array([lookup[int(v)] for v in yt_raw], dtype=np.int64)
    return ds
