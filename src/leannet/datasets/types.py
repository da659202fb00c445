"""The [`Dataset`][leannet.datasets.Dataset] type every loader returns, and the task names."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["TASKS", "Dataset"]

TASKS = ("classification", "regression")


@dataclass
class Dataset:
    """A data set ready for training.

    Attributes
    ----------
    X : ndarray, shape (n_samples, n_features)
        Features as floats.
    y : ndarray
        Integer class indices ``0..k-1`` (classification, shape ``(n,)``) or
        float targets (regression, shape ``(n,)`` or ``(n, n_outputs)``).
    task : {"classification", "regression"}
    feature_names : list of str
    class_names : list of str or None
        Original label of each class index (classification only).
    name : str
        Built-in name or file path it came from.
    target_name : str or None
        Name of the target column (CSV), else None.
    X_test, y_test : ndarray or None
        A fixed test split when the source defines one (``teacher``, MNIST IDX).
    description : str
        One line for listings and reports.
    """

    X: np.ndarray
    y: np.ndarray
    task: str
    feature_names: list[str]
    class_names: list[str] | None = None
    name: str = ""
    target_name: str | None = None
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    description: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int | None:
        """Number of classes, or None for regression."""
        return None if self.class_names is None else len(self.class_names)

    @property
    def n_outputs(self) -> int:
        """Regression outputs (1 for a 1-D target), or the number of classes."""
        if self.task == "classification":
            return int(self.n_classes)
        return 1 if self.y.ndim == 1 else int(self.y.shape[1])
