"""The checks of an untrusted training state, called directly."""

from __future__ import annotations

import json

import numpy as np
import pytest

import leannet as ln
from leannet.checkpoint_checks import check_callback_state, check_same_network, check_state
from leannet.errors import ModelFileError
from leannet.trainer import Trainer


def _fail(message: str) -> Exception:
    return ModelFileError(message)


def _state():
    net = ln.build_mlp(2, [3], 1, loss="mse", seed=0)
    trainer = Trainer(net, ln.losses.get("mse"), ln.Adam(), seed=0)
    X = np.zeros((4, 2), dtype=np.float32)
    trainer.run(X, np.zeros((4, 1), dtype=np.float32), epochs=1, batch_size=2, shuffle=True)
    state = trainer.get_state()
    state["history"] = json.loads(json.dumps(state["history"]))
    return net, state


def test_a_state_from_the_trainer_passes():
    _, state = _state()
    check_state(state, _fail)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("rng"), "lacks \\['rng'\\]"),
        (lambda s: s.update(epoch=-1), "epoch must be a whole number"),
        (lambda s: s.update(order=np.array([0, 0, 1, 2])), "permutation"),
        (lambda s: s["history"]["history"].update(loss=[1.0, 2.0]), "inconsistent"),
        (lambda s: s.update(rng={"bit_generator": "Evil"}), "random generator"),
    ],
)
def test_each_broken_field_is_named(change, message):
    _, state = _state()
    change(state)
    with pytest.raises(ModelFileError, match=message):
        check_state(state, _fail)


def test_callback_state_and_network_mismatch():
    net, state = _state()
    with pytest.raises(ModelFileError, match="best must be a finite number"):
        check_callback_state({"best": float("nan")}, 0, state, _fail)
    other = ln.build_mlp(2, [5], 1, loss="mse", seed=0)
    check_same_network("x.npz", json.loads(json.dumps(net.get_config())), net)
    with pytest.raises(ModelFileError, match="different network"):
        check_same_network("x.npz", json.loads(json.dumps(net.get_config())), other)
