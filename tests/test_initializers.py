"""Initialisers: each fills weights or biases in place from the fans, with the stated law."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln
from leannet import initializers


@pytest.mark.parametrize(
    "name, bound",
    [("glorot_uniform", np.sqrt(6 / (300 + 200))), ("he_uniform", np.sqrt(6 / 300))],
)
def test_uniform_schemes_fill_their_range(name, bound):
    W = np.empty((300, 200))
    initializers.get(name)(W, 300, 200, np.random.default_rng(0))
    assert np.abs(W).max() <= bound and np.abs(W).max() > 0.99 * bound
    assert W.std() == pytest.approx(bound / np.sqrt(3), rel=0.01)  # std of U(-a, a)


@pytest.mark.parametrize("name, std", [("he_normal", np.sqrt(2 / 300)), ("normal", 0.01)])
def test_normal_schemes_have_the_stated_spread(name, std):
    W = np.empty((300, 200))
    initializers.get(name)(W, 300, 200, np.random.default_rng(0))
    assert W.mean() == pytest.approx(0.0, abs=std / 50)
    assert W.std() == pytest.approx(std, rel=0.01)


def test_bias_vectors_use_the_layer_fans_and_zeros_draws_nothing():
    b = np.empty(200)
    initializers.glorot_uniform(b, 300, 200, np.random.default_rng(0))
    assert np.abs(b).max() <= np.sqrt(6 / 500)
    rng = np.random.default_rng(1)
    state = rng.bit_generator.state
    initializers.zeros(b, 300, 200, rng)
    assert not b.any() and rng.bit_generator.state == state


def test_dense_draws_weights_then_biases_from_the_network_generator():
    net = ln.Sequential([ln.Dense(4, 3, bias_init="glorot_uniform")], seed=5, dtype="float64")
    rng = np.random.default_rng(5)
    W, b = np.empty((4, 3)), np.empty(3)
    initializers.glorot_uniform(W, 4, 3, rng)
    initializers.glorot_uniform(b, 4, 3, rng)
    np.testing.assert_array_equal(net.layers[0].W, W)
    np.testing.assert_array_equal(net.layers[0].b, b)
    assert ln.Sequential([ln.Dense(4, 3)]).layers[0].b.tolist() == [0.0, 0.0, 0.0]


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ln.ConfigError, match="init='xavier' is not known; choose one of glorot"):
        initializers.get("xavier")
    with pytest.raises(ln.ConfigError, match="init='ones'"):
        ln.Dense(2, 2, bias_init="ones")
