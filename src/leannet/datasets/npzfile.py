"""``.npz`` files holding ``X`` and ``y`` (never pickles)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .._memory import available_memory
from .._safe_io import BoundedArchive
from ..errors import DataError
from .targets import encode_labels, make_targets
from .types import Dataset


def load_npz(path: str | os.PathLike) -> Dataset:
    """Read ``X`` (n, d) and ``y`` (n,) or (n, k) from a ``.npz`` file (no pickles).

    Optional arrays: ``X_test``/``y_test``, ``feature_names``, ``class_names``.
    A 2-D one-hot ``y`` is read as class labels.
    """
    path = Path(path)
    arrays = read_npz_arrays(path)
    for key in ("X", "y"):
        if key not in arrays:
            raise DataError(
                f"{path}: no array named {key!r} (found: "
                f"{', '.join(arrays) or 'none'}); save with np.savez(path, X=X, y=y)"
            )
    X = check_features(arrays["X"], f"{path}: X")
    y_raw = arrays["y"]
    if y_raw.ndim == 0 or y_raw.ndim > 2:
        raise DataError(
            f"{path}: y has shape {y_raw.shape}; it must hold one label or value per row "
            "(shape (n,)) or one-hot rows (shape (n, k))"
        )
    if y_raw.shape[0] != X.shape[0]:
        raise DataError(
            f"{path}: X has {X.shape[0]} rows but y has {y_raw.shape[0]}; they must match"
        )
    y_raw = _onehot_to_labels(y_raw)
    if y_raw.dtype.kind in "fc" and not np.all(np.isfinite(y_raw)):
        i = int(np.argwhere(~np.isfinite(y_raw))[0][0])
        raise DataError(f"{path}: y contains NaN or inf (first at row {i}); remove those rows")
    y, class_names, task = make_targets(y_raw, None, f"{path}: y")
    if "class_names" in arrays and class_names is not None:
        given = [str(c) for c in arrays["class_names"].tolist()]
        if len(given) == len(class_names) and all(c.isdigit() for c in class_names):
            class_names = [given[int(c)] for c in class_names]
    ds = Dataset(
        X,
        y,
        task,
        _names(arrays, X.shape[1]),
        class_names,
        name=str(path),
        description=f"NumPy file {path.name}",
    )
    if ("X_test" in arrays) != ("y_test" in arrays):
        given, lacking = ("X_test", "y_test") if "X_test" in arrays else ("y_test", "X_test")
        raise DataError(f"{path}: has {given} but no {lacking}; save both or neither")
    if "X_test" in arrays and "y_test" in arrays:
        ds.X_test = check_features(arrays["X_test"], f"{path}: X_test")
        if ds.X_test.shape[1] != X.shape[1]:
            raise DataError(
                f"{path}: X_test has {ds.X_test.shape[1]} feature columns but X has "
                f"{X.shape[1]}; they must have the same columns"
            )
        yt = arrays["y_test"]
        if yt.ndim == 0 or yt.ndim > 2 or yt.shape[0] != ds.X_test.shape[0]:
            raise DataError(
                f"{path}: y_test has shape {yt.shape} but X_test has {ds.X_test.shape[0]} "
                "rows; give one target per test row"
            )
        yt = _onehot_to_labels(yt)
        if yt.dtype.kind in "fc" and not np.all(np.isfinite(yt)):
            raise DataError(f"{path}: y_test contains NaN or inf; remove those rows")
        if task == "classification":
            lookup = {name: i for i, name in enumerate(encode_labels(y_raw)[1])}
            _, test_names = encode_labels(yt)
            unknown = [n for n in test_names if n not in lookup]
            if unknown:
                raise DataError(f"{path}: y_test has labels not in y: {', '.join(unknown)}")
            codes, names = encode_labels(yt)
            ds.y_test = np.array([lookup[names[c]] for c in codes], dtype=np.int64)
        else:
            ds.y_test = yt.astype(float)
    return ds


def _names(arrays: dict, d: int) -> list[str]:
    if "feature_names" in arrays and len(arrays["feature_names"]) == d:
        return [str(f) for f in arrays["feature_names"].tolist()]
    return [f"x{i + 1}" for i in range(d)]


def _onehot_to_labels(y: np.ndarray) -> np.ndarray:
    if y.ndim == 2 and y.shape[1] > 1 and np.all((y == 0) | (y == 1)) and np.all(y.sum(1) == 1):
        return np.argmax(y, axis=1)
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0]
    return y


def read_npz_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array of a ``.npz`` data file, read with the bounded archive reader.

    Pickles are refused, each array's header is checked against its stored
    size before memory is allocated, compressed arrays inflate only to their
    declared size (compression bombs are refused), and no array may be larger
    than the memory available.
    """
    with BoundedArchive(
        path,
        what="data file",
        error=DataError,
        allow_compressed=True,
        max_bytes=available_memory(),
    ) as npz:
        return {name: npz.read(name, kinds="biufUS") for name in npz.members}


def check_features(X: np.ndarray, what: str) -> np.ndarray:
    if X.dtype.kind not in "biuf":
        raise DataError(f"{what} must hold numbers, got dtype {X.dtype}; encode text as numbers")
    if X.ndim == 0:
        raise DataError(f"{what} is a single number (a 0-d array); save a (rows, features) array")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim > 2:  # images: flatten each sample
        X = X.reshape(X.shape[0], -1)
    if X.shape[0] == 0:
        raise DataError(f"{what} is empty; it needs at least one row")
    if X.shape[1] == 0:
        raise DataError(f"{what} has no feature columns (shape {X.shape}); it needs at least one")
    X = X.astype(float, copy=False)
    if not np.all(np.isfinite(X)):
        r, c = np.argwhere(~np.isfinite(X))[0]
        raise DataError(
            f"{what} contains NaN or inf (first at row {r}, column {c}); "
            "remove or impute those values"
        )
    return X
