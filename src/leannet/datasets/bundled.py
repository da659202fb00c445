"""The real data sets that ship inside the scikit-learn wheel (never downloaded)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import ConfigError
from .generators import _rng
from .types import Dataset


def _sklearn_loader(name: str, task: str) -> Callable[..., Dataset]:
    def load(n_samples: int | None = None, *, seed: int = 0) -> Dataset:
        try:
            from sklearn import datasets as skd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigError(
                f"the built-in dataset {name!r} comes with scikit-learn; "
                "install it with: pip install 'leannet[cli]'"
            ) from None
        bunch = getattr(skd, f"load_{name}")()
        X = np.asarray(bunch.data, dtype=float)
        y = np.asarray(bunch.target)
        class_names = None
        if task == "classification":
            names = getattr(bunch, "target_names", None)
            class_names = [str(c) for c in names] if names is not None else None
            y = y.astype(int)
            if class_names is None:
                class_names = [str(c) for c in range(int(y.max()) + 1)]
        else:
            y = y.astype(float)
        if n_samples is not None and n_samples < len(X):
            keep = np.sort(_rng(seed).permutation(len(X))[:n_samples])
            X, y = X[keep], y[keep]
        feature_names = [str(f) for f in getattr(bunch, "feature_names", [])] or [
            f"x{i + 1}" for i in range(X.shape[1])
        ]
        return Dataset(
            X,
            y,
            task,
            feature_names,
            class_names,
            name=name,
            target_name="target",
            description=_SKLEARN_DESCRIPTIONS[name],
        )

    return load


_SKLEARN_DESCRIPTIONS = {
    "digits": "8x8 handwritten digits, 1797 images, 10 classes (scikit-learn, bundled)",
    "breast_cancer": "Wisconsin breast cancer, 569 samples, 30 features, 2 classes (bundled)",
    "iris": "Fisher's iris flowers, 150 samples, 4 features, 3 classes (bundled)",
    "wine": "wine cultivars, 178 samples, 13 features, 3 classes (bundled)",
    "diabetes": "diabetes progression, 442 samples, 10 features, regression (bundled)",
}
