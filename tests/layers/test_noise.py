"""GaussianNoise: additive N(0, stddev^2) jitter in training only, identity gradient."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln


def _layer(stddev, seed=0):
    layer = ln.GaussianNoise(stddev)
    layer.rng = np.random.default_rng(seed)
    return layer


def test_identity_in_inference():
    X = np.random.default_rng(0).normal(size=(10, 3))
    Y, back = _layer(1.0).forward(X, training=False)
    np.testing.assert_array_equal(Y, X)
    np.testing.assert_array_equal(back(np.ones_like(X)), np.ones_like(X))


def test_training_adds_zero_mean_noise_with_the_given_stddev():
    X = np.full((400, 250), 3.0)
    Y, _ = _layer(0.7).forward(X, training=True)
    noise = Y - X
    n = noise.size
    assert abs(noise.mean()) < 5 * 0.7 / np.sqrt(n)
    assert abs(noise.std() / 0.7 - 1) < 5 / np.sqrt(2 * n)
    assert not np.array_equal(Y, X)


def test_gradient_is_identity():
    X = np.random.default_rng(1).normal(size=(5, 4))
    G = np.random.default_rng(2).normal(size=X.shape)
    _, back = _layer(0.5).forward(X, training=True)
    np.testing.assert_allclose(back(G.copy()), G, rtol=0, atol=0)


def test_same_generator_state_same_noise():
    X = np.zeros((3, 3))
    Y1, _ = _layer(1.0, seed=5).forward(X, training=True)
    Y2, _ = _layer(1.0, seed=5).forward(X, training=True)
    np.testing.assert_array_equal(Y1, Y2)


def test_config_and_no_params():
    layer = ln.GaussianNoise(0.2)
    assert layer.has_params is False
    assert layer.get_config().get("stddev") == 0.2


@pytest.mark.parametrize("stddev", [-0.1, float("inf"), float("nan")])
def test_bad_stddev(stddev):
    with pytest.raises(ln.errors.ConfigError, match="stddev"):
        ln.GaussianNoise(stddev)
