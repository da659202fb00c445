"""The Dataset type: sizes, classes and outputs."""

from __future__ import annotations

import numpy as np

from leannet.datasets import TASKS, Dataset


def test_sizes_classes_and_outputs():
    X = np.zeros((5, 3))
    cls = Dataset(X, np.array([0, 1, 2, 1, 0]), "classification", ["a", "b", "c"], ["x", "y", "z"])
    assert (cls.n_samples, cls.n_features, cls.n_classes, cls.n_outputs) == (5, 3, 3, 3)
    reg = Dataset(X, np.zeros(5), "regression", ["a", "b", "c"])
    assert reg.n_classes is None and reg.n_outputs == 1
    multi = Dataset(X, np.zeros((5, 2)), "regression", ["a", "b", "c"])
    assert multi.n_outputs == 2
    assert TASKS == ("classification", "regression")
