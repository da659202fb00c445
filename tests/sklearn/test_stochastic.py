"""Stochastic solvers: scikit-learn's epoch rules on the engine's training loop."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from scipy import sparse  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from leannet.errors import ConfigError, DataError, TrainingDiverged  # noqa: E402
from leannet.sklearn import EstimatorDiverged, LeanClassifier, LeanRegressor  # noqa: E402


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
@pytest.mark.parametrize("Estimator", [LeanClassifier, LeanRegressor])
def test_sample_weight_two_equals_duplicated_rows_full_batch(Estimator, optimizer, iris):
    X, y = iris
    twice = np.arange(0, len(X), 4)
    weight = np.ones(len(X))
    weight[twice] = 2.0
    X_dup, y_dup = np.vstack([X, X[twice]]), np.concatenate([y, y[twice]])
    # batch_size="auto" is min(200, n): one full batch for both data sets
    kw = dict(optimizer=optimizer, hidden_layer_sizes=(6,), max_iter=20, l2=1e-3, tol=0.0,
              random_state=0, learning_rate=0.01)  # fmt: skip
    weighted = Estimator(**kw).fit(X, y, sample_weight=weight)
    duplicated = Estimator(**kw).fit(X_dup, y_dup)
    plain = Estimator(**kw).fit(X, y)
    for a, b in zip(
        weighted.coefs_ + weighted.intercepts_, duplicated.coefs_ + duplicated.intercepts_
    ):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert not np.allclose(weighted.coefs_[0], plain.coefs_[0])
    np.testing.assert_allclose(weighted.loss_curve_, duplicated.loss_curve_, rtol=1e-10)


def test_partial_fit_takes_sample_weight(iris):
    X, y = iris
    kw = dict(hidden_layer_sizes=(5,), random_state=0)  # full batches (n <= 200)
    zero_half = np.where(np.arange(len(X)) % 2 == 0, 1.0, 0.0)
    a = LeanClassifier(**kw).partial_fit(X, y, sample_weight=zero_half, classes=[0, 1, 2])
    b = LeanClassifier(**kw).partial_fit(X[::2], y[::2], classes=[0, 1, 2])
    np.testing.assert_allclose(a.coefs_[0], b.coefs_[0], rtol=1e-9, atol=1e-12)


def test_sparse_input_gives_the_dense_weights(iris):
    X, y = iris
    kw = dict(hidden_layer_sizes=(5,), batch_size=32, max_iter=3, tol=0.0, random_state=0)
    dense = LeanClassifier(**kw).fit(X, y)
    csr = LeanClassifier(**kw).fit(sparse.csr_matrix(X), y)
    for a, b in zip(dense.coefs_ + dense.intercepts_, csr.coefs_ + csr.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_invscaling_follows_the_samples_seen(iris):
    X, y = iris
    est = LeanClassifier(optimizer="sgd", learning_rate="invscaling", learning_rate_init=0.1,
                         power_t=0.5, max_iter=4, tol=0.0, random_state=0).fit(X, y)  # fmt: skip
    assert est.t_ == 4 * len(X)
    assert est.learning_rate_ == pytest.approx(0.1 / (4 * len(X) + 1) ** 0.5)


def test_adaptive_divides_the_rate_by_five_instead_of_stopping(iris):
    X, y = iris
    est = LeanClassifier(optimizer="sgd", learning_rate="adaptive", learning_rate_init=0.1,
                         tol=10.0, n_iter_no_change=1, max_iter=6, random_state=0).fit(X, y)  # fmt: skip
    # tol=10: only the first epoch improves (on best_loss_=inf); then the rate falls by 5
    # after every 2 epochs without improvement (epochs 3 and 5)
    assert est.n_iter_ == 6
    assert est.learning_rate_ == pytest.approx(0.1 / 5**2)


@pytest.mark.parametrize("schedule", ["invscaling", "adaptive"])
def test_schedules_are_for_sgd_only(schedule, iris):
    with pytest.raises(ConfigError, match="optimizer='sgd' only"):
        LeanClassifier(learning_rate=schedule).fit(*iris)


def test_a_number_and_learning_rate_init_together_are_refused(iris):
    with pytest.raises(ConfigError, match="learning_rate_init"):
        LeanClassifier(learning_rate=0.01, learning_rate_init=0.1).fit(*iris)


def test_momentum_and_nesterov_reach_the_engine(iris):
    est = LeanClassifier(optimizer="sgd", momentum=0.5, nesterovs_momentum=False, max_iter=1)
    est.fit(*iris)
    assert est._optimizer.momentum == 0.5 and est._optimizer.nesterov is False
    est = LeanClassifier(optimizer="adam", beta_1=0.8, beta_2=0.99, epsilon=1e-6, max_iter=1)
    est.fit(*iris)
    config = est._optimizer.get_config()
    assert (config["beta1"], config["beta2"], config["eps"]) == (0.8, 0.99, 1e-6)


def test_divergence_is_a_value_error_and_leaves_the_estimator_unfitted(iris):
    X, y = iris
    est = LeanRegressor(optimizer="sgd", learning_rate=10.0, momentum=0.9, max_iter=50)
    with pytest.raises(ValueError, match="non-finite parameter weights") as info:
        est.fit(X * 1e3, y)
    assert isinstance(info.value, EstimatorDiverged) and isinstance(info.value, TrainingDiverged)
    assert f"diverged in epoch {info.value.epoch};" in str(info.value) and info.value.epoch >= 1
    assert "left unfitted" in str(info.value)
    assert not [name for name in vars(est) if name.endswith("_")]
    assert est.get_params()["learning_rate"] == 10.0


def test_float64_beyond_float32_range_is_named_when_training_in_float32():
    X = np.array([[1e300, 1.0], [2.0, 3.0], [4.0, 5.0]])
    with pytest.raises(DataError, match="beyond the float32 range"):
        LeanRegressor(dtype="float32").fit(X, [1.0, 2.0, 3.0])


def test_huge_float32_input_is_reported_as_divergence_not_as_nan_input():
    rng = np.random.RandomState(0)
    X = (np.finfo(np.float32).max * rng.uniform(size=(10, 2))).astype(np.float32)
    with pytest.raises(EstimatorDiverged, match="input data may contain large values"):
        LeanRegressor().fit(X, rng.standard_normal(10))


def test_partial_fit_refuses_early_stopping(iris):
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        LeanClassifier(early_stopping=True).partial_fit(*iris, classes=[0, 1, 2])


def test_batch_size_larger_than_the_data_warns_and_is_clipped(iris):
    X, y = iris
    with pytest.warns(UserWarning, match="larger than the 150 training samples"):
        est = LeanClassifier(batch_size=1000, max_iter=1).fit(X, y)
    assert est._optimizer.t == 1  # one full batch
