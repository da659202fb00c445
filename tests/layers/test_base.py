"""The layer protocol's shared parts: reused training buffers, fresh inference outputs."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln
from leannet.layers.base import Layer, refuse_layer_seed


def test_training_outputs_reuse_one_buffer_per_shape_and_inference_outputs_are_fresh():
    layer = ln.ReLU()
    X = np.ones((4, 3))
    a, _ = layer.forward(X, training=True)
    b, _ = layer.forward(X, training=True)
    assert a is b
    c, _ = layer.forward(X, training=False)
    d, _ = layer.forward(X, training=False)
    assert c is not d and c is not a


def test_buffers_stay_bounded_with_many_batch_sizes():
    layer = Layer()
    for n in range(1, 40):
        layer._buffer("Y", (n, 2), np.float64)
    assert len(layer._buffers) <= 17


def test_default_config_and_repr():
    assert Layer().get_config() == {} and repr(ln.LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"


def test_refuse_layer_seed_accepts_none_only():
    refuse_layer_seed(ln.Dropout(0.1), None)
    with pytest.raises(ln.ConfigError, match=r"Dropout\(seed=0\) would be ignored"):
        refuse_layer_seed(ln.Dropout(0.1), 0)
