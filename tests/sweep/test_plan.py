"""The plan: folds, grid names, scorers and the inferred task, checked before any fit."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.errors import ConfigError
from leannet.sweep import sweep

from ._helpers import FAST


def test_folds_larger_than_a_class_count_are_refused(cancer):
    X, y = cancer
    y = y.copy()
    y[:3] = 2  # a third class with 3 samples
    with pytest.raises(ConfigError, match=r"cv=5 folds but class 2 has only \d+ training samples"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=5, test_size=0.0, n_jobs=1)
    with pytest.raises(ConfigError, match="cv must be"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=1, n_jobs=1)


def test_unknown_grid_parameter_is_refused_before_fitting(cancer):
    X, y = cancer
    with pytest.raises(ConfigError, match="'dropuot'.*did you mean 'dropout'"):
        sweep(X, y, grid={"dropuot": [0.1]}, cv=2, n_jobs=1)


@pytest.mark.parametrize(
    ("y", "task"),
    [
        (np.array(["a", "b", "a"]), "classification"),
        (np.array([0, 1, 2, 1]), "classification"),
        (np.array([1.0, 2.0, 1.0]), "classification"),
        (np.arange(30.0), "regression"),  # 30 distinct whole numbers: a quantity
        (np.array([0.5, 1.0, 2.0]), "regression"),
    ],
)
def test_task_inference(y, task):
    from leannet.datasets import infer_task

    assert infer_task(y) == task


def test_unknown_scorer_is_refused(cancer):
    X, y = cancer
    with pytest.raises(ConfigError, match="scoring='acuracy' is not a scikit-learn scorer"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, n_jobs=1, scoring="acuracy")
