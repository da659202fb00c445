"""Issue 14 item 15: every checkpoint field is validated like a model file."""

from __future__ import annotations

import json

import numpy as np
import pytest

import leannet as ln
from leannet.checkpoint import read_checkpoint, write_checkpoint
from leannet.errors import ConfigError, ModelFileError
from leannet.serialization import META_KEY


def _data(n=40):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] > 0).astype(int)


def _net():
    return ln.Sequential([ln.Dense(3, 6), ln.ReLU(), ln.Dense(6, 2), ln.Softmax()], seed=1)


@pytest.fixture(scope="module")
def real_state(tmp_path_factory):
    """A real mid-run state: shuffled order, EarlyStopping with best_params."""
    X, y = _data()
    box = {}

    class Grab(ln.Callback):
        def on_epoch_end(self, trainer, epoch, logs):
            box["state"] = trainer.get_state()

    _net().fit(
        X,
        y,
        loss="categorical_cross_entropy",
        epochs=3,
        batch_size=8,
        callbacks=[ln.EarlyStopping("loss", patience=5), Grab()],
    )
    state = box["state"]
    state["order"] = np.random.default_rng(0).permutation(40)
    state["batch"] = 2
    return state


def _forge(tmp_path, state, change):
    good = write_checkpoint(tmp_path / "good.npz", state)
    with np.load(good, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays.pop(META_KEY)[()]))
    change(meta["state"], arrays)
    arrays[META_KEY] = np.array(json.dumps(meta))
    path = tmp_path / "forged.npz"
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


def _early(s):
    return s["callbacks"][s["callback_classes"].index("EarlyStopping")]


def _zero_best_params(s, arrays):
    del arrays[_early(s)["best_params"]["__ndarray__"]]
    _early(s)["best_params"] = [0.0]


def _array(name, value):
    def change(s, arrays):
        arrays[s["order"]["__ndarray__"] if name == "order" else name] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_array("order", np.arange(40) + 5), "permutation"),  # out of range
        (_array("order", np.zeros(40, dtype=np.int64)), "permutation"),  # repeated
        (lambda s, a: s.update(batch=999), "past the end of the epoch"),
        (
            lambda s, a: s["history"]["history"]["loss"].append(1.0),
            "history is inconsistent",
        ),
        (lambda s, a: s["history"].update(epoch=[2, 1, 3]), "epochs must increase"),
        (lambda s, a: s["history"]["history"]["loss"].__setitem__(0, "x"), "list of numbers"),
        (lambda s, a: s["history"].update(interrupted="yes"), "true or false"),
        (lambda s, a: _early(s).update(best="abc"), "best must be a finite number"),
        (_zero_best_params, "best_params must be a float array"),
        (lambda s, a: _early(s).update(wait=-1), "wait must be a whole number"),
        (lambda s, a: _early(s).update(best_epoch=99), "best_epoch must be a whole number"),
        (lambda s, a: s.update(callback_classes=["EarlyStopping"]), "one per callback"),
        (lambda s, a: s.update(optimizer_config="sgd"), "optimizer_config"),
    ],
)
def test_forged_fields_are_refused(tmp_path, real_state, change, message):
    path = _forge(tmp_path, real_state, change)
    with pytest.raises(ModelFileError, match=message):
        read_checkpoint(path)


def test_best_params_of_another_shape_never_zeroes_the_weights(tmp_path, real_state):
    # best_params=[0.0] used to broadcast into every weight at the end of a resumed run.
    path = _forge(tmp_path, real_state, _zero_best_params)
    X, y = _data()
    net = _net()
    with pytest.raises(ModelFileError, match="best_params"):
        net.fit(
            X,
            y,
            loss="categorical_cross_entropy",
            epochs=4,
            batch_size=8,
            callbacks=[ln.EarlyStopping("loss", patience=5)],
            resume_from=path,
        )


def test_the_real_state_still_reads(tmp_path, real_state):
    path = write_checkpoint(tmp_path / "c.npz", real_state)
    back = read_checkpoint(path)
    assert np.array_equal(back["order"], real_state["order"])


def test_resume_mid_epoch_on_data_of_another_size_is_refused(tmp_path, real_state):
    path = write_checkpoint(tmp_path / "c.npz", real_state)  # inside an epoch over 40 rows
    X, y = _data(30)
    with pytest.raises(ConfigError, match="over 40 samples, but this data has 30"):
        _net().fit(
            X,
            y,
            loss="categorical_cross_entropy",
            epochs=5,
            batch_size=8,
            callbacks=[ln.EarlyStopping("loss", patience=5)],
            resume_from=path,
        )
