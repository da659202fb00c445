"""Activation layers: forward formulas, backward against central differences (float64)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import leannet as ln

RNG = np.random.default_rng(0)


def _away_from_kinks(shape, rng=RNG):
    """Inputs with |x| >= 0.05 so ReLU/LeakyReLU kinks are never inside the difference step."""
    X = rng.normal(size=shape) * 2
    return np.where(np.abs(X) < 0.05, np.sign(X) * 0.05 + X, X)


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))  # exact identity, stable everywhere


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


REFERENCE = {
    "Sigmoid": (ln.Sigmoid, _sigmoid),
    "Tanh": (ln.Tanh, np.tanh),
    "ReLU": (ln.ReLU, lambda z: np.maximum(z, 0.0)),
    "LeakyReLU": (ln.LeakyReLU, lambda z: np.where(z > 0, z, 0.01 * z)),
    "Identity": (ln.Identity, lambda z: z),
    "Softmax": (ln.Softmax, _softmax),
}


def numeric_vjp(f, X, G, eps=1e-6):
    """d/dX of sum(G * f(X)) by central differences, one input element at a time."""
    out = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        Xp = X.copy()
        Xm = X.copy()
        Xp[idx] += eps
        Xm[idx] -= eps
        out[idx] = (np.sum(G * f(Xp)) - np.sum(G * f(Xm))) / (2 * eps)
    return out


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_forward_matches_formula(name):
    cls, ref = REFERENCE[name]
    X = _away_from_kinks((7, 5))
    Y, _ = cls().forward(X, training=False)
    np.testing.assert_allclose(Y, ref(X), rtol=1e-12, atol=1e-15)
    assert Y.shape == X.shape


@pytest.mark.parametrize("name", sorted(REFERENCE))
@pytest.mark.parametrize("training", [False, True])
def test_backward_matches_central_differences(name, training):
    cls, _ = REFERENCE[name]
    layer = cls()
    X = _away_from_kinks((6, 4))
    G = RNG.normal(size=X.shape)
    _, backward = layer.forward(X, training=training)
    dX = backward(G.copy())  # backward may overwrite its argument (engine contract)
    num = numeric_vjp(lambda Z: layer.forward(Z, training=training)[0], X, G)
    err = np.linalg.norm(dX - num) / (np.linalg.norm(dX) + np.linalg.norm(num))
    assert err < 1e-6, f"{name}: relative error {err:.2e}"


def test_leaky_relu_alpha_is_used():
    X = np.array([[-2.0, 3.0]])
    Y, back = ln.LeakyReLU(alpha=0.2).forward(X, training=False)
    np.testing.assert_allclose(Y, [[-0.4, 3.0]])
    np.testing.assert_allclose(back(np.ones_like(X)), [[0.2, 1.0]])


def test_relu_gradient_is_zero_for_negative_and_one_for_positive():
    X = np.array([[-1.0, 2.0, -3.0, 4.0]])
    _, back = ln.ReLU().forward(X, training=False)
    np.testing.assert_array_equal(back(np.full_like(X, 5.0)), [[0.0, 5.0, 0.0, 5.0]])


def test_closure_keeps_its_own_inputs():
    """Two forward passes in a row: each backward uses its own pass (no stale cache on self)."""
    layer = ln.Tanh()
    X1 = _away_from_kinks((2, 3))
    X2 = _away_from_kinks((2, 3))
    _, back1 = layer.forward(X1, training=False)
    layer.forward(X2, training=False)
    G = np.ones_like(X1)
    np.testing.assert_allclose(back1(G), 1 - np.tanh(X1) ** 2, rtol=1e-12)


@pytest.mark.parametrize("z", [800.0, -800.0])
def test_sigmoid_saturates_without_nan(z):
    with np.errstate(over="ignore", under="ignore"):
        Y, _ = ln.Sigmoid().forward(np.array([[z, 0.0]]), training=False)
    assert np.isfinite(Y).all()
    np.testing.assert_allclose(Y, [[1.0 if z > 0 else 0.0, 0.5]], atol=1e-300)


def test_softmax_is_stable_for_huge_inputs():
    X = np.array([[1000.0, 1000.0, -1000.0], [5000.0, 0.0, 0.0]])
    Y, _ = ln.Softmax().forward(X, training=False)
    assert np.isfinite(Y).all()
    np.testing.assert_allclose(Y, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]], atol=1e-300)


@settings(deadline=None, max_examples=30)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.floats(-50, 50))
)
def test_softmax_rows_are_probabilities(X):
    Y, _ = ln.Softmax().forward(X, training=False)
    assert (Y >= 0).all() and (Y <= 1).all()
    np.testing.assert_allclose(Y.sum(axis=1), 1.0, rtol=1e-12)
    # shift invariance: softmax(x + c) == softmax(x)
    Y2, _ = ln.Softmax().forward(X + 3.0, training=False)
    np.testing.assert_allclose(Y2, Y, rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_activation_has_no_params_and_a_config(name):
    layer = REFERENCE[name][0]()
    assert layer.has_params is False
    assert isinstance(layer.get_config(), dict)


def test_leaky_relu_config_round_trips_alpha():
    assert ln.LeakyReLU(alpha=0.3).get_config().get("alpha") == 0.3


def test_hidden_activations_are_the_table_without_softmax():
    from leannet.layers.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, get

    assert set(HIDDEN_ACTIVATIONS) == set(ACTIVATIONS) - {"softmax"}
    for name in HIDDEN_ACTIVATIONS:
        assert get(name).__class__ is ACTIVATIONS[name]


def test_the_lab_and_the_estimators_offer_the_core_tables():
    from leannet import optimizers
    from leannet.lab import config
    from leannet.layers.activations import HIDDEN_ACTIVATIONS
    from leannet.sklearn import params

    assert config.ACTIVATIONS == params.ACTIVATIONS == HIDDEN_ACTIVATIONS
    assert set(config.OPTIMIZERS) == set(optimizers.OPTIMIZERS)
    assert set(params.OPTIMIZERS) == set(optimizers.OPTIMIZERS) | {"lbfgs"}
