"""optimizer="lbfgs": scipy's L-BFGS-B over the flat parameters, penalties in the objective."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from scipy import sparse  # noqa: E402
from sklearn.datasets import load_iris, make_regression  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from leannet.errors import ConfigError  # noqa: E402
from leannet.sklearn import LeanClassifier, LeanRegressor  # noqa: E402


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_sparse_and_dense_input_give_the_same_weights(iris):
    X, y = iris
    kw = dict(optimizer="lbfgs", hidden_layer_sizes=(8,), max_iter=50, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        dense = LeanClassifier(**kw).fit(X, y)
        csr = LeanClassifier(**kw).fit(sparse.csr_matrix(X), y)
        csc = LeanClassifier(**kw).fit(sparse.csc_matrix(X), y)
    # The sparse product sums in another order than BLAS: one evaluation of the objective
    # agrees to rounding, and 50 L-BFGS iterations amplify that to ~1e-6.
    from leannet.sklearn.lbfgs import _objective

    theta = np.array(dense.network_.params, dtype=np.float64)
    _, y_enc = dense._prepare(X, y, reset=False)
    value, grad = _objective(dense.network_, X, y_enc, dense._loss_name(), None)(theta)
    value_s, grad_s = _objective(csr.network_, sparse.csr_matrix(X), y_enc, csr._loss_name(), None)(
        theta
    )
    assert value == pytest.approx(value_s, rel=1e-12)
    np.testing.assert_allclose(grad, grad_s, rtol=1e-9, atol=1e-13)
    for est in (csr, csc):
        for a, b in zip(dense.coefs_ + dense.intercepts_, est.coefs_ + est.intercepts_):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(dense.predict(X), csr.predict(sparse.csr_matrix(X)))


@pytest.mark.parametrize("Estimator", [LeanClassifier, LeanRegressor])
def test_sample_weight_two_equals_duplicated_rows(Estimator, iris):
    X, y = iris
    twice = np.arange(0, len(X), 3)
    weight = np.ones(len(X))
    weight[twice] = 2.0
    X_dup, y_dup = np.vstack([X, X[twice]]), np.concatenate([y, y[twice]])
    kw = dict(optimizer="lbfgs", hidden_layer_sizes=(6,), max_iter=30, l2=1e-3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = Estimator(**kw).fit(X, y, sample_weight=weight)
        duplicated = Estimator(**kw).fit(X_dup, y_dup)
        plain = Estimator(**kw).fit(X, y)
    for a, b in zip(weighted.coefs_, duplicated.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)
    assert not np.allclose(weighted.coefs_[0], plain.coefs_[0], rtol=1e-6, atol=1e-8)


def test_penalty_is_part_of_the_objective(iris):
    X, y = iris
    kw = dict(optimizer="lbfgs", hidden_layer_sizes=(8,), max_iter=100, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        norms = [
            sum(float((w**2).sum()) for w in LeanClassifier(l2=l2, **kw).fit(X, y).coefs_)
            for l2 in (0.0, 1e-2, 1e-1)
        ]
    assert norms[0] > norms[1] > norms[2]


def test_max_iter_and_max_fun_bound_the_run(iris):
    X, y = iris
    with pytest.warns(ConvergenceWarning, match="failed to converge"):
        est = LeanClassifier(optimizer="lbfgs", max_iter=3, tol=0.0, random_state=0).fit(X, y)
    assert est.n_iter_ == 3
    with pytest.warns(ConvergenceWarning, match="evaluation"):
        est = LeanClassifier(optimizer="lbfgs", max_fun=4, tol=0.0, random_state=0).fit(X, y)
    assert est.n_iter_ <= 4


def test_verbose_prints_every_iteration(iris, capsys):
    X, y = iris
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = LeanClassifier(optimizer="lbfgs", max_iter=5, tol=0.0, verbose=1, random_state=0)
        est.fit(X, y)
    out = capsys.readouterr().out
    assert out.count("Iteration ") == est.n_iter_ == 5
    assert f"loss = {est.loss_curve_[-1]:.8f}" in out


@pytest.mark.parametrize(
    "option", [{"dropout": 0.2}, {"noise": 0.1}, {"weight_decay": 1e-3}, {"max_norm": 2.0}]
)
def test_random_or_per_step_parts_of_training_are_refused(option, iris):
    with pytest.raises(ConfigError, match=next(iter(option))):
        LeanClassifier(optimizer="lbfgs", **option).fit(*iris)


def test_partial_fit_does_not_exist():
    assert not hasattr(LeanRegressor(optimizer="lbfgs"), "partial_fit")
    assert hasattr(LeanRegressor(optimizer="sgd"), "partial_fit")


def test_regression_float32_stays_float32():
    X, y = make_regression(100, 4, noise=1.0, random_state=0)
    X32 = X.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = LeanRegressor(optimizer="lbfgs", hidden_layer_sizes=(5,), max_iter=20).fit(X32, y)
    assert est.network_.dtype == np.float32
    assert est.predict(X32).dtype == np.float32
    assert est.predict(X).dtype == np.float64


def test_divergence_names_the_iteration_and_leaves_the_estimator_unfitted():
    rng = np.random.RandomState(0)
    X = np.finfo(np.float64).max * rng.uniform(size=(10, 2))
    est = LeanRegressor(optimizer="lbfgs")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match="diverged in L-BFGS iteration") as info:
            est.fit(X, rng.standard_normal(10))
    assert "learning_rate" not in str(info.value)  # lbfgs has none
    assert not hasattr(est, "network_") and not hasattr(est, "n_iter_")
