"""MNIST-style IDX files (optionally gzipped) and directories of them."""

from __future__ import annotations

import gzip
import math
import os
import struct
from pathlib import Path

import numpy as np

from ..errors import DataError
from .targets import encode_labels
from .types import Dataset

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (optionally gzipped), the format of the MNIST files."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            raw = fh.read()
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise DataError(f"{path}: not an IDX file (bad magic number)")
    ndim = raw[3]
    if ndim == 0 or len(raw) < 4 + 4 * ndim:
        raise DataError(f"{path}: truncated IDX header")
    shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = math.prod(shape) * dtype.itemsize
    body = raw[4 + 4 * ndim :]
    if len(body) != expected:
        raise DataError(
            f"{path}: IDX header promises {expected} bytes of data for shape "
            f"{shape} but the file has {len(body)}; the file is truncated or corrupt"
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
        X = images.reshape(images.shape[0], -1).astype(np.float32)
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
