"""From a config to a fitted network: loss choice, output size, targets, the fit."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.datasets import make_xor
from leannet.errors import ConfigError
from leannet.lab.config import TrainConfig
from leannet.lab.modeling import fit_config, fit_targets, output_size, resolve_loss
from leannet.lab.splits import split_data


@pytest.mark.parametrize(
    ("cfg_loss", "task", "k", "loss"),
    [
        ("auto", "classification", 2, "binary_cross_entropy"),
        ("auto", "classification", 3, "categorical_cross_entropy"),
        ("auto", "regression", None, "mse"),
        ("mse", "classification", 3, "mse"),
    ],
)
def test_resolve_loss(cfg_loss, task, k, loss):
    assert resolve_loss(cfg_loss, task, k) == loss


def test_resolve_loss_refuses_a_loss_that_does_not_fit_the_task():
    with pytest.raises(ConfigError, match="needs class labels but the task is regression"):
        resolve_loss("categorical_cross_entropy", "regression", None)
    with pytest.raises(ConfigError, match="needs 2 classes, the data has 3"):
        resolve_loss("binary_cross_entropy", "classification", 3)


def test_targets_and_outputs_match_the_loss():
    ds = make_xor()
    assert output_size("binary_cross_entropy", ds) == 1
    assert output_size("categorical_cross_entropy", ds) == 2
    assert output_size("mse", ds) == 2  # one-hot classes
    y = np.array([0, 1, 1])
    assert fit_targets(y, "binary_cross_entropy", 1, np.float32).shape == (3, 1)
    assert fit_targets(y, "categorical_cross_entropy", 2, np.float32).dtype == np.int64
    np.testing.assert_array_equal(fit_targets(y, "mse", 2, np.float32), [[1, 0], [0, 1], [0, 1]])
    assert fit_targets(np.array([0.5, 1.5]), "mse", 1, np.float64).shape == (2, 1)


def test_fit_config_trains_the_configured_network():
    ds = make_xor(64, seed=1)
    cfg = TrainConfig(hidden=[5], epochs=3, val_split=0.25, test_split=0.0, l2=1e-3, seed=2)
    splits = split_data(ds, cfg)
    net, history, loss = fit_config(ds, cfg, splits)
    assert loss == "binary_cross_entropy"
    assert [layer.n_out for layer in net.layers if hasattr(layer, "n_out")] == [5, 1]
    assert len(history.history["loss"]) == 3 and "val_loss" in history.history
    assert history.history["reg_loss"][-1] > 0  # the L2 of the config is in the objective
