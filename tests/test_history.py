"""History: per-epoch records, access, and the dict round trip used by checkpoints."""

from __future__ import annotations

import json

import numpy as np
import pytest

import leannet as ln
from leannet.history import History


def test_append_access_last_and_len():
    h = History()
    h.append(1, {"loss": 1.0, "accuracy": 0.5})
    h.append(2, {"loss": 0.5, "accuracy": np.float32(0.75)})
    assert len(h) == 2 and h.epoch == [1, 2]
    assert h["loss"] == [1.0, 0.5] and "accuracy" in h and "val_loss" not in h
    assert h.last() == {"loss": 0.5, "accuracy": 0.75}
    assert all(type(v) is float for v in h["accuracy"])
    with pytest.raises(KeyError):
        h["val_loss"]


def test_dict_round_trip_is_exact_through_json():
    h = History()
    for epoch, loss in enumerate([0.1 + 0.2, 1 / 3, 2.5e-17], start=1):
        h.append(epoch, {"loss": loss})
    h.interrupted, h.stopped_epoch = True, 3
    back = History.from_dict(json.loads(json.dumps(h.to_dict())))
    assert back.history == h.history and back.epoch == h.epoch
    assert back.interrupted is True and back.stopped_epoch == 3


def test_fit_records_one_entry_per_epoch_with_the_documented_keys():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    net = ln.build_mlp(2, [4], 2, loss="categorical_cross_entropy", seed=0)
    hist = net.fit(X, y, loss="cce", epochs=3, validation_split=0.25)
    assert hist.epoch == [1, 2, 3]
    expected = {"loss", "data_loss", "reg_loss", "accuracy", "lr"}
    assert set(hist.history) == expected | {f"val_{k}" for k in expected - {"lr"}}
    for i in range(3):
        assert hist["loss"][i] == pytest.approx(hist["data_loss"][i] + hist["reg_loss"][i])
