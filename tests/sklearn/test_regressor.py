"""LeanRegressor: squared error and Poisson, one or several outputs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402

from leannet.errors import ConfigError, DataError  # noqa: E402
from leannet.sklearn import LeanRegressor  # noqa: E402


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def test_poisson_predicts_the_mean_through_the_log_link():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(300, 2))
    mu = np.exp(0.5 + X @ np.array([1.0, -0.5]))
    y = rng.poisson(mu)
    # identity hidden units: a log-linear model, the true model of these counts
    est = LeanRegressor(loss="poisson", hidden_layer_sizes=(2,), activation="identity",
                        optimizer="lbfgs", random_state=0).fit(X, y)  # fmt: skip
    assert est.out_activation_ == "exp"
    pred = est.predict(X)
    assert pred.min() > 0
    assert np.corrcoef(pred, mu)[0, 1] > 0.95


def test_poisson_output_bias_starts_at_the_log_mean_of_each_target():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = np.column_stack([rng.poisson(4.0, 50), np.zeros(50), rng.poisson(0.5, 50)])
    w = rng.uniform(0.5, 2.0, 50)
    # one sgd step of 1e-12: the biases are still where they started
    est = LeanRegressor(loss="poisson", optimizer="sgd", learning_rate=1e-12, max_iter=1,
                        batch_size=50, random_state=0).fit(X, y, sample_weight=w)  # fmt: skip
    # squared_error from the same seed: the drawn start, which a zero-mean column keeps
    sq = LeanRegressor(optimizer="sgd", learning_rate=1e-12, max_iter=1, batch_size=50,
                       random_state=0).fit(X, y)  # fmt: skip
    drawn = sq.intercepts_[-1]
    mean = np.average(y, axis=0, weights=w)
    np.testing.assert_allclose(est.intercepts_[-1], [np.log(mean[0]), drawn[1], np.log(mean[2])])
    assert abs(drawn[0] - np.log(mean[0])) > 0.1


def test_poisson_refuses_negative_targets():
    with pytest.raises(DataError, match="targets >= 0"):
        LeanRegressor(loss="poisson").fit(np.ones((3, 2)), [1.0, -1.0, 2.0])


def test_attributes_match_scikit_learns():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(50, 3)), rng.normal(size=(50, 2))
    kw = dict(hidden_layer_sizes=(4, 3), max_iter=2)
    lean, ref = LeanRegressor(**kw).fit(X, Y), MLPRegressor(**kw).fit(X, Y)
    for name in ("n_outputs_", "n_layers_", "out_activation_", "n_iter_", "t_"):
        assert getattr(lean, name) == getattr(ref, name), name
    assert [w.shape for w in lean.coefs_] == [w.shape for w in ref.coefs_]
    assert lean.predict(X).shape == ref.predict(X).shape == (50, 2)
    assert lean.predict(X[:, :3]).dtype == np.float64


def test_a_column_target_predicts_one_dimension_like_scikit_learn():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.normal(size=(30, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = LeanRegressor(hidden_layer_sizes=(3,), max_iter=2).fit(X, y)
    assert est.predict(X).shape == (30,)


def test_warm_start_cannot_change_the_loss():
    X, y = np.arange(12.0).reshape(6, 2), np.arange(6.0)
    est = LeanRegressor(hidden_layer_sizes=(3,), warm_start=True, max_iter=2).fit(X, y)
    with pytest.raises(ConfigError, match="cannot change loss"):
        est.set_params(loss="poisson").fit(X, y)
