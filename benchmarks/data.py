"""Synthetic and bundled data for the benchmark workloads (nothing is downloaded).

Every generator writes float32 directly (``dtype=`` and ``out=`` on the NumPy random
generator) and works in chunks, so creating a dataset never allocates a float64 copy or a
temporary as large as the dataset: the process's peak memory then reflects the dataset
itself, which W4 needs in order to measure what training adds on top of it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: Rows generated per chunk; bounds the temporaries of the generators (~16 MB at d=784).
CHUNK_ROWS = 5_000


def prototype_classes(
    n: int,
    n_features: int,
    n_classes: int,
    *,
    seed: int,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-like structured data: class prototypes plus uniform noise, values in [0, 1].

    Each class ``c`` has a fixed sparse binary "stroke" pattern ``P[c]`` (20 % of the
    pixels on). A sample of class ``c`` is ``x = 0.08 * P[c] + 0.92 * u`` with
    ``u ~ U[0, 1)^d``: learnable, but not linearly trivial in one epoch.

    Parameters
    ----------
    n, n_features, n_classes : int
        Shape of the data set.
    seed : int
        Seed of the generator (the prototypes depend on it too).
    out : ndarray of shape (n, n_features), float32, optional
        Where to write the inputs, e.g. a ``np.lib.format.open_memmap`` array.

    Returns
    -------
    X : ndarray of shape (n, n_features), float32
    y : ndarray of shape (n,), int64
    """
    rng = np.random.default_rng(seed)
    prototypes = (rng.random((n_classes, n_features), dtype=np.float32) < 0.2).astype(np.float32)
    prototypes *= 0.08
    X = np.empty((n, n_features), dtype=np.float32) if out is None else out
    y = rng.integers(0, n_classes, size=n)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        chunk = X[start:stop]
        rng.random(out=chunk, dtype=np.float32)
        chunk *= 0.92
        chunk += prototypes[y[start:stop]]
    return X, y


def write_npy_dataset(
    directory: Path, n: int, n_features: int, n_classes: int, *, seed: int
) -> tuple[Path, Path]:
    """Write ``X.npy`` (float32) and ``y.npy`` (int64) chunk by chunk; returns their paths.

    The file is filled through ``np.lib.format.open_memmap``, so writing a file larger
    than the memory of the machine is fine.
    """
    directory.mkdir(parents=True, exist_ok=True)
    x_path, y_path = directory / "X.npy", directory / "y.npy"
    X = np.lib.format.open_memmap(x_path, mode="w+", dtype=np.float32, shape=(n, n_features))
    _, y = prototype_classes(n, n_features, n_classes, seed=seed, out=X)
    X.flush()
    del X
    np.save(y_path, y)
    return x_path, y_path


def seeds_tiny(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The seed tutorial's dummy data: 200 train + 40 test items, 10 inputs, 4 classes.

    As in the tutorial (seed 002), a 10-15-4 tanh/softmax "generator" network with weights
    drawn from U(-9.9, 9.9) labels random inputs drawn from U(-10, 10); the class is the
    generator's arg-max.
    """
    rng = np.random.default_rng(seed)
    w1 = rng.uniform(-9.9, 9.9, size=(10, 15))
    b1 = rng.uniform(-9.9, 9.9, size=15)
    w2 = rng.uniform(-9.9, 9.9, size=(15, 4))
    b2 = rng.uniform(-9.9, 9.9, size=4)
    X = rng.uniform(-10.0, 10.0, size=(240, 10))
    y = np.argmax(np.tanh(X @ w1 + b1) @ w2 + b2, axis=1)
    X = X.astype(np.float32)
    return X[:200], y[:200], X[200:], y[200:]


def digits(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 digits (no download), scaled to [0, 1], 75/25 split."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
    return X_tr, y_tr, X_te, y_te
