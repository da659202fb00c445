"""The training loop used directly: one step, divergence, and its resumable state."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln
from leannet.trainer import Trainer


def _setup(lr=0.1):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5], dtype=np.float32)).reshape(-1, 1)
    net = ln.build_mlp(3, [4], 1, loss="mse", l2=1e-3, seed=0)
    return net, Trainer(net, ln.losses.get("mse"), ln.SGD(lr=lr), seed=0), X, y


def test_train_step_is_the_objective_gradient_then_the_sgd_update():
    net, trainer, X, y = _setup()
    before = net.params.copy()
    data_loss, penalty, _ = trainer.train_step(X, y)
    grads = net.grads.copy()
    np.testing.assert_allclose(net.params, before - 0.1 * grads, rtol=1e-6, atol=1e-7)
    assert data_loss > 0 and penalty > 0


def test_a_non_finite_loss_resets_the_weights_and_names_the_epoch():
    net, trainer, X, y = _setup()
    before = net.params.copy()
    with np.errstate(invalid="ignore"), pytest.raises(ln.TrainingDiverged, match="epoch 1"):
        trainer.train_step(X, np.full_like(y, np.inf))
    np.testing.assert_array_equal(net.params, before)


def test_state_round_trip_continues_bit_for_bit():
    net, trainer, X, y = _setup()
    trainer.run(X, y, epochs=2, batch_size=8, shuffle=True)
    state = trainer.get_state()
    trainer.run(X, y, epochs=4, batch_size=8, shuffle=True)
    net2, resumed, _, _ = _setup()
    resumed.set_state(state)
    resumed.run(X, y, epochs=4, batch_size=8, shuffle=True)
    np.testing.assert_array_equal(net.params, net2.params)
    assert resumed.history.history["loss"] == trainer.history.history["loss"]
