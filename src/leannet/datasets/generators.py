"""Seeded synthetic data sets (no download): XOR, spirals, a quadratic, a teacher
network's labels, a 1-D binary task and Gaussian blobs."""

from __future__ import annotations

import numpy as np

from .types import Dataset


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _labelled(
    X: np.ndarray, y: np.ndarray, n_classes: int, name: str, description: str, **fields
) -> Dataset:
    """A classification set with classes ``"0".."k-1"`` and features ``x1..xd`` (or
    ``feature_names``)."""
    names = fields.pop("feature_names", None) or [f"x{i + 1}" for i in range(X.shape[1])]
    classes = [str(k) for k in range(n_classes)]
    return Dataset(
        X, y, "classification", names, classes, name=name, description=description, **fields
    )


def make_xor(n_samples: int | None = None, *, seed: int = 0, noise: float = 0.1) -> Dataset:
    """The XOR truth table (seed 000). ``n_samples=None`` gives exactly the 4 corners;
    otherwise ``n_samples`` points jittered around the corners by ``N(0, noise)``."""
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    labels = np.array([0, 1, 1, 0])
    if n_samples is None:
        X, y = corners, labels
    else:
        idx = _rng(seed).integers(0, 4, size=n_samples)
        X = corners[idx] + _rng(seed + 1).normal(0.0, noise, size=(n_samples, 2))
        y = labels[idx]
    return _labelled(X, y, 2, "xor", "XOR of two binary inputs (4 points, or noisy copies)")


def make_spiral(
    n_samples: int | None = None, *, classes: int = 3, seed: int = 0, noise: float = 0.2
) -> Dataset:
    """Interleaved spirals, as in the book-style seed (001): ``n_samples`` points
    per class, radius ``r`` in [0, 1], angle ``4 (k + r) + N(0, noise)``."""
    per_class = 100 if n_samples is None else max(1, n_samples // classes)
    rng = _rng(seed)
    X = np.zeros((per_class * classes, 2))
    y = np.zeros(per_class * classes, dtype=int)
    for k in range(classes):
        r = np.linspace(0.0, 1.0, per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, per_class) + rng.normal(0, noise, per_class)
        sl = slice(k * per_class, (k + 1) * per_class)
        X[sl] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[sl] = k
    return _labelled(X, y, classes, "spiral", f"{classes} interleaved spirals in 2-D")


def make_quadratic(n_samples: int | None = None, *, seed: int = 0, noise: float = 0.5) -> Dataset:
    """The noisy quadratic of the course text (004): ``x ~ U(-2, 2)``,
    ``y = 2 x^2 + N(0, noise)``, 100 points by default."""
    n = 100 if n_samples is None else n_samples
    rng = _rng(seed)
    X = rng.uniform(-2.0, 2.0, size=(n, 1))
    y = 2.0 * X[:, 0] ** 2 + rng.normal(0.0, noise, size=n)
    return Dataset(
        X,
        y,
        "regression",
        ["x"],
        None,
        name="quadratic",
        target_name="y",
        description="y = 2x^2 + N(0, 0.5) on x in [-2, 2] (100 points)",
    )


def teacher_network_weights(
    sizes: tuple[int, int, int] = (10, 15, 4), *, weight_range: float = 9.9, seed: int = 3
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weights of the random "teacher" network of seed 002: every weight and bias
    uniform in ``[-weight_range, weight_range]``. Returns ``W1, b1, W2, b2``."""
    n_in, n_hid, n_out = sizes
    rng = _rng(seed)
    lo, hi = -weight_range, weight_range
    W1 = rng.uniform(lo, hi, size=(n_in, n_hid))
    b1 = rng.uniform(lo, hi, size=n_hid)
    W2 = rng.uniform(lo, hi, size=(n_hid, n_out))
    b2 = rng.uniform(lo, hi, size=n_out)
    return W1, b1, W2, b2


def make_teacher(
    n_samples: int | None = None,
    *,
    n_test: int = 40,
    seed: int = 0,
    teacher_seed: int = 3,
    sizes: tuple[int, int, int] = (10, 15, 4),
    weight_range: float = 9.9,
    input_range: float = 1.0,
) -> Dataset:
    """Synthetic classification data labelled by a random teacher network (seed 002).

    A 10-15-4 tanh/softmax network with weights uniform in ±9.9 labels inputs drawn
    uniformly from ``[-input_range, input_range]^10`` with the arg-max of its output.
    The large weights make the labelling function wiggly, so a small student
    network trained on 200 items can memorise them: the overfitting setting of the
    L2 article. ``n_samples`` (default 200) training items and ``n_test`` (40) test
    items come from independent input draws (``seed``); ``teacher_seed`` fixes the
    teacher (default 3, the seed of the article's generator), so every ``seed`` is a
    new sample from the same labelling function.
    """
    n = 200 if n_samples is None else n_samples
    W1, b1, W2, b2 = teacher_network_weights(sizes, weight_range=weight_range, seed=teacher_seed)

    def label(X: np.ndarray) -> np.ndarray:
        return np.argmax(np.tanh(X @ W1 + b1) @ W2 + b2, axis=1)

    rng = _rng(seed + 1000)
    X = rng.uniform(-input_range, input_range, size=(n, sizes[0]))
    X_test = rng.uniform(-input_range, input_range, size=(n_test, sizes[0]))
    description = (
        "labels from a random 10-15-4 teacher net with weights in ±9.9 (200 train + 40 test)"
    )
    return _labelled(
        X, label(X), sizes[2], "teacher", description, X_test=X_test, y_test=label(X_test)
    )


def make_binary1d(n_samples: int | None = None, *, seed: int = 0, noise: float = 0.25) -> Dataset:
    """One feature, two classes, not linearly separable (the course task of seed 004):
    class 1 when ``|x| < 1`` for ``x ~ U(-3, 3)``, with ``N(0, noise)`` jitter on
    the input so that the classes overlap a little."""
    n = 200 if n_samples is None else n_samples
    rng = _rng(seed)
    x_true = rng.uniform(-3.0, 3.0, size=n)
    y = (np.abs(x_true) < 1.0).astype(int)
    X = (x_true + rng.normal(0.0, noise, size=n))[:, None]
    description = "one feature, class 1 when |x| < 1 (200 points, noisy)"
    return _labelled(X, y, 2, "binary1d", description, feature_names=["x"])


def make_blobs(
    n_samples: int | None = None, *, classes: int = 3, seed: int = 0, spread: float = 1.0
) -> Dataset:
    """Gaussian blobs in 2-D, one per class, centres on a circle of radius 3."""
    n = 300 if n_samples is None else n_samples
    rng = _rng(seed)
    y = rng.integers(0, classes, size=n)
    angles = 2 * np.pi * np.arange(classes) / classes
    centres = 3.0 * np.c_[np.cos(angles), np.sin(angles)]
    X = centres[y] + rng.normal(0.0, spread, size=(n, 2))
    return _labelled(X, y, classes, "blobs", f"{classes} Gaussian blobs in 2-D (300 points)")
