"""What a report says about a network: layers, parameters, weight magnitudes."""

from __future__ import annotations

import numpy as np

from leannet.builder import build_mlp
from leannet.lab.model_summary import architecture, weight_stats


def test_architecture_lists_layers_parameters_and_penalties():
    net = build_mlp(3, [4], 2, loss="categorical_cross_entropy", l2=1e-3, dropout=0.5, seed=0)
    arch = architecture(net)
    dense = [layer for layer in arch["layers"] if layer["name"] == "Dense"]
    assert [d["shape"] for d in dense] == ["3 -> 4", "4 -> 2"]
    assert [d["params"] for d in dense] == [16, 10]
    assert arch["n_params"] == 26 == net.n_params
    assert "W: L2=0.001" in dense[0]["regularization"]
    assert any(
        layer["name"] == "Dropout" and "0.5" in layer["regularization"] for layer in arch["layers"]
    )


def test_weight_stats_are_computed_from_the_weights():
    net = build_mlp(2, [2], 1, loss="mse", seed=0)
    W = dict(net.parameters())
    name = next(k for k in W if k.endswith(".W"))
    W[name][...] = np.array([[3.0, 0.0], [0.0, -4.0]])
    stats = weight_stats(net)[name]
    assert stats == {
        "shape": "2x2",
        "l2_norm": 5.0,
        "mean_abs": 1.75,
        "max_abs": 4.0,
        "n_zero": 2,
        "size": 4,
    }
    assert all(k.endswith(".W") for k in weight_stats(net))  # biases are left out
