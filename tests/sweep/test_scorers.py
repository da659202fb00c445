"""Every scikit-learn scorer either scores leannet's models or is refused in one line
before any fit runs (f1 or roc_auc on three classes, log errors on negative targets)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from leannet.errors import ConfigError
from leannet.sweep.plan import make_plan

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def _data(kind: str):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    if kind == "multiclass":
        return X, np.arange(60) % 3
    if kind == "binary":
        return X, (X[:, 0] > 0).astype(int)
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=60)


def _fitted(kind: str, X, y):
    from leannet.sklearn import LeanClassifier, LeanRegressor

    est = LeanRegressor if kind == "regression" else LeanClassifier
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(X, y)


@pytest.mark.parametrize("kind", ["multiclass", "binary", "regression"])
def test_every_scorer_works_or_is_refused_in_one_line(kind):
    X, y = _data(kind)
    task = "regression" if kind == "regression" else "classification"
    model = _fitted(kind, X, y)
    accepted, refused = [], []
    for name in sklearn_metrics.get_scorer_names():
        try:
            make_plan(X, y, grid={"l2": [0.0]}, estimator=None, params=None, task=task,
                      cv=2, test_size=0.0, X_test=None, y_test=None, scoring=name, seed=0,
                      standardize=True)  # fmt: skip
        except ConfigError as exc:
            assert "\n" not in str(exc) and name in str(exc)
            refused.append(name)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score = sklearn_metrics.get_scorer(name)(model, X, y)  # must not raise
        assert np.isfinite(score) or np.isnan(score), name
        accepted.append(name)
    assert accepted and refused  # both outcomes occur for every kind of task
    if kind == "multiclass":
        assert {"f1", "roc_auc"} <= set(refused) and "f1_macro" in accepted
    if kind == "binary":
        assert {"f1", "roc_auc", "average_precision"} <= set(accepted)
    if kind == "regression":
        assert {"r2", "neg_root_mean_squared_error"} <= set(accepted) and "accuracy" in refused


def test_multiclass_refusal_suggests_averaged_scorers():
    X, y = _data("multiclass")
    with pytest.raises(ConfigError, match="f1_macro"):
        make_plan(X, y, grid={"l2": [0.0]}, estimator=None, params=None, task="auto", cv=2,
                  test_size=0.0, X_test=None, y_test=None, scoring="f1", seed=0,
                  standardize=True)  # fmt: skip


def test_a_scorer_failing_on_a_fitted_model_is_one_line():
    from sklearn.dummy import DummyRegressor

    from leannet.sweep.tasks import _score

    X, y = np.zeros((4, 1)), np.array([1.0, 2.0, 3.0, 4.0])
    model = DummyRegressor(strategy="constant", constant=-5.0).fit(X, y)
    with pytest.raises(ConfigError, match="could not score a fitted model") as info:
        _score(model, X, y, "neg_mean_squared_log_error")
    assert "\n" not in str(info.value)
