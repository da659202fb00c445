"""Inverted dropout: identity in inference, scaled mask in training, gradient through the mask."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln


def _layer(rate, seed=0):
    layer = ln.Dropout(rate)
    layer.rng = np.random.default_rng(seed)
    return layer


def test_identity_in_inference():
    X = np.random.default_rng(0).normal(size=(20, 10))
    Y, back = _layer(0.5).forward(X, training=False)
    np.testing.assert_array_equal(Y, X)
    G = np.ones_like(X)
    np.testing.assert_array_equal(back(G.copy()), G)


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_training_output_is_zero_or_scaled_and_keeps_the_mean(rate):
    X = np.ones((200, 500))
    Y, _ = _layer(rate).forward(X, training=True)
    kept = Y != 0
    np.testing.assert_allclose(Y[kept], 1.0 / (1.0 - rate), rtol=1e-12)
    frac_dropped = 1 - kept.mean()
    sigma = np.sqrt(rate * (1 - rate) / X.size)
    assert abs(frac_dropped - rate) < 5 * sigma
    assert abs(Y.mean() - 1.0) < 5 * sigma / (1 - rate)


def test_backward_uses_the_same_mask():
    X = np.random.default_rng(1).normal(size=(10, 8))
    Y, back = _layer(0.4).forward(X, training=True)
    G = np.random.default_rng(2).normal(size=X.shape)
    dX = back(G.copy())
    mask = (Y != 0) / (1 - 0.4)
    np.testing.assert_allclose(dX, G * mask, rtol=1e-12)


def test_gradient_with_fixed_mask_matches_central_differences():
    """Fix the mask by restoring the generator before every forward pass."""
    rate = 0.3
    layer = ln.Dropout(rate)
    X = np.random.default_rng(3).normal(size=(5, 6))
    G = np.random.default_rng(4).normal(size=X.shape)

    def run(Z):
        layer.rng = np.random.default_rng(99)
        return layer.forward(Z, training=True)

    _, back = run(X)
    dX = back(G.copy())
    num = np.zeros_like(X)
    eps = 1e-6
    for idx in np.ndindex(X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[idx] += eps
        Xm[idx] -= eps
        num[idx] = (np.sum(G * run(Xp)[0]) - np.sum(G * run(Xm)[0])) / (2 * eps)
    err = np.linalg.norm(dX - num) / (np.linalg.norm(dX) + np.linalg.norm(num))
    assert err < 1e-6


def test_rate_zero_is_identity_in_training():
    X = np.random.default_rng(0).normal(size=(4, 4))
    Y, _ = _layer(0.0).forward(X, training=True)
    np.testing.assert_array_equal(Y, X)


def test_masks_differ_between_calls():
    layer = _layer(0.5)
    X = np.ones((10, 50))
    Y1 = layer.forward(X, training=True)[0].copy()  # training outputs live in reused buffers
    Y2 = layer.forward(X, training=True)[0]
    assert not np.array_equal(Y1, Y2)


def test_config_and_no_params():
    layer = ln.Dropout(0.25)
    assert layer.has_params is False
    assert layer.get_config().get("rate") == 0.25


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_rate(rate):
    with pytest.raises(ln.errors.ConfigError, match="rate"):
        ln.Dropout(rate)


@pytest.mark.parametrize(
    "make", [lambda: ln.Dropout(0.5, seed=3), lambda: ln.GaussianNoise(0.1, seed=3)]
)
def test_a_layer_seed_that_fit_would_replace_is_refused(make):
    with pytest.raises(ln.ConfigError, match=r"seed=3\) would be ignored.*fit\(seed=\.\.\.\)"):
        make()
