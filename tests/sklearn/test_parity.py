"""Parity with scikit-learn's MLP at equal settings: same start, same scores.

* Glorot-started leannet and ``MLPRegressor`` from the same start reach the same training
  R² (within 0.02) after 10, 50 and 200 epochs on ``check_regressors_train``'s data;
* ``optimizer="lbfgs"`` reaches scikit-learn's ``lbfgs`` scores on iris and on regression;
* with scikit-learn's initial weights transplanted, one epoch of sgd/adam gives
  scikit-learn's weights (the alpha conversion and the learning-rate scale are right).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.datasets import load_iris, make_regression  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from sklearn.preprocessing import StandardScaler, scale  # noqa: E402

from leannet.sklearn import LeanClassifier, LeanRegressor, l2_from_alpha  # noqa: E402


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def regressors_train_data():
    """The data of scikit-learn's ``check_regressors_train``."""
    X, y = make_regression(
        n_samples=200, n_features=10, n_informative=1, bias=5.0, noise=20, random_state=42
    )
    return StandardScaler().fit_transform(X), scale(y)


def _scikit_learn_from(start, epochs, seed, X, y):
    """``MLPRegressor`` (defaults) trained for ``epochs`` from the weights of ``start``."""
    ref = MLPRegressor(max_iter=1, random_state=seed).fit(X, y)  # creates its state
    ref.coefs_ = [np.array(w, dtype=np.float64) for w in start.coefs_]
    ref.intercepts_ = [np.array(b, dtype=np.float64) for b in start.intercepts_]
    ref.loss_curve_, ref.best_loss_, ref._no_improvement_count, ref.t_ = [], np.inf, 0, 0
    return ref.set_params(max_iter=epochs, warm_start=True).fit(X, y)


@pytest.mark.slow
@pytest.mark.parametrize("epochs", [10, 50, 200])
def test_glorot_started_training_r2_matches_scikit_learn(epochs):
    """Same Glorot draw (leannet's), default settings, alpha converted: the same R².

    Drawn independently, the two libraries' starts differ seed by seed (training R² after
    10 epochs spreads from -0.1 to 0.5 over seeds in both), so comparing means within 0.02
    would need about a thousand seeds; starting both from leannet's draw compares
    everything else (loss scale, penalty, Adam, batches, stopping rule).
    """
    import leannet as ln

    X, y = regressors_train_data()
    l2 = l2_from_alpha(1e-4, 200, 1, loss="squared_error")  # scikit-learn's default alpha
    for seed in range(3):
        lean = LeanRegressor(max_iter=epochs, l2=l2, random_state=seed).fit(X, y)
        start = ln.build_mlp(10, [100], 1, loss="mse", seed=seed, dtype="float64")
        weights = type("Start", (), {})()
        weights.coefs_ = [layer.W for layer in start.dense_layers]
        weights.intercepts_ = [layer.b for layer in start.dense_layers]
        ref = _scikit_learn_from(weights, epochs, seed, X, y)
        assert abs(lean.score(X, y) - ref.score(X, y)) <= 0.02
        assert lean.n_iter_ == ref.n_iter_


def test_glorot_start_has_scikit_learns_bounds():
    """Weights and biases of every layer uniform in +-sqrt(6 / (fan_in + fan_out))."""
    X, y = regressors_train_data()
    est = LeanRegressor(hidden_layer_sizes=(300,), max_iter=1, random_state=0)
    net = est._build_network(est._validated_params(), 10, 1, "identity", 0, np.float64)
    for layer in net.dense_layers:
        bound = np.sqrt(6.0 / (layer.n_in + layer.n_out))
        for array in (layer.W, layer.b):
            assert np.abs(array).max() <= bound
        assert np.abs(layer.W).max() > 0.9 * bound  # filled, not a narrower start
        assert np.abs(layer.b).max() > 0.0  # biases start non-zero, as in scikit-learn


# Small networks and few iterations, so that neither library reaches a perfect score
# (with 100 units and 200 iterations both score 1.0 on iris and on the training data).
@pytest.mark.slow
def test_lbfgs_reaches_scikit_learn_scores_on_iris():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    kw = dict(hidden_layer_sizes=(2,), max_iter=20)
    l2 = l2_from_alpha(1e-4, len(X))  # lbfgs: the batch is the whole set
    lean = [LeanClassifier(optimizer="lbfgs", l2=l2, random_state=s, **kw).fit(X, y).score(X, y)
            for s in range(10)]  # fmt: skip
    ref = [MLPClassifier(solver="lbfgs", random_state=s, **kw).fit(X, y).score(X, y)
           for s in range(10)]  # fmt: skip
    assert np.mean(lean) >= np.mean(ref) - 0.02, (np.mean(lean), np.mean(ref))  # 0.985, 0.975


@pytest.mark.slow
def test_lbfgs_reaches_scikit_learn_scores_on_regression():
    X, y = regressors_train_data()
    train, test = slice(0, 150), slice(150, None)
    kw = dict(hidden_layer_sizes=(5,), max_iter=10)
    l2 = l2_from_alpha(1e-4, 150, 1, loss="squared_error")
    lean = [LeanRegressor(optimizer="lbfgs", l2=l2, random_state=s, **kw)
            .fit(X[train], y[train]).score(X[test], y[test]) for s in range(10)]  # fmt: skip
    ref = [MLPRegressor(solver="lbfgs", random_state=s, **kw)
           .fit(X[train], y[train]).score(X[test], y[test]) for s in range(10)]  # fmt: skip
    # held-out R², mean of 10 seeds (measured 0.750 and 0.732; seed-to-seed sd about 0.04)
    assert np.mean(lean) >= np.mean(ref) - 0.03, (np.mean(lean), np.mean(ref))


def _one_step(est, weights, X, y):
    """Set the weights, start a fresh optimizer, take one full-batch partial_fit step."""
    est.partial_fit(X, y)  # builds the model
    if isinstance(est, MLPRegressor):
        est.coefs_ = [w.copy() for w in weights[0]]
        est.intercepts_ = [b.copy() for b in weights[1]]
        del est._optimizer
    else:
        for layer, W, b in zip(est.network_.dense_layers, *weights):
            layer.W[...] = W
            layer.b[...] = b
        est._optimizer = est._make_optimizer(est._validated_params())
    est.partial_fit(X, y)
    return est.coefs_ + est.intercepts_


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_one_step_from_the_same_weights_gives_scikit_learns_weights(solver, n_outputs):
    """Full batch, alpha=0.1: the regressor's alpha is l2 = alpha/(K*B), and sgd's
    learning rate means scikit-learn's step (leannet's mse gradient is 2/K of its)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    y = X @ rng.normal(size=(5, n_outputs)) + 0.1 * rng.normal(size=(40, n_outputs))
    y = y[:, 0] if n_outputs == 1 else y
    weights = (
        [rng.normal(size=(5, 7)), rng.normal(size=(7, n_outputs))],
        [rng.normal(size=7), rng.normal(size=n_outputs)],
    )
    common = dict(hidden_layer_sizes=(7,), batch_size=40, shuffle=False, momentum=0.9)
    ref = MLPRegressor(solver=solver, alpha=0.1, learning_rate_init=0.05, **common)
    lean = LeanRegressor(
        optimizer=solver,
        l2=l2_from_alpha(0.1, 40, n_outputs, loss="squared_error"),
        learning_rate="constant",
        learning_rate_init=0.05,
        dtype="float64",
        **common,
    )
    # Adam's step (0.05 here) agrees to 1e-5: scikit-learn adds epsilon to sqrt(v), leannet
    # (as PyTorch) to the bias-corrected sqrt(v_hat), and leannet's gradient is 2/K of its.
    atol = 1e-9 if solver == "sgd" else 1e-5
    for mine, theirs in zip(_one_step(lean, weights, X, y), _one_step(ref, weights, X, y)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-6, atol=atol)
    if solver == "adam":
        return  # Adam's first step is about lr * sign(g): it hides a wrong penalty scale
    # the documented conversion of alpha before this fix (alpha / (2B)) does not match
    lean.set_params(l2=0.1 / (2 * 40))
    got, ref_w = _one_step(lean, weights, X, y), _one_step(ref, weights, X, y)
    assert not all(np.allclose(a, b, rtol=1e-6, atol=atol) for a, b in zip(got, ref_w))
