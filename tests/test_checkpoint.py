"""Checkpoints: exact resume, Ctrl-C at a batch boundary, and strict reading."""

from __future__ import annotations

import json
import os
import signal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leannet as ln
from leannet import checkpoint as ckpt_module
from leannet.checkpoint import Checkpoint, read_checkpoint, write_checkpoint
from leannet.errors import ConfigError, FileWriteError, ModelFileError
from leannet.serialization import META_KEY

EPOCHS = 6


def regression_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.sin(X @ np.array([[1.0], [-2.0], [0.5]]))
    return X, y


def classification_data(n=60, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int)
    return X, y


def full_batch_setup():
    net = ln.Sequential([ln.Dense(3, 8), ln.Tanh(), ln.Dense(8, 1)], seed=3)
    X, y = regression_data()
    kwargs = dict(loss="mse", optimizer=ln.SGD(lr=0.05, momentum=0.9), batch_size=None)
    return net, X, y, kwargs, []


def minibatch_dropout_setup():
    net = ln.Sequential(
        [
            ln.Dense(4, 16, weight_regularizer=ln.L2(1e-3)),
            ln.ReLU(),
            ln.Dropout(0.3),
            ln.Dense(16, 3),
            ln.Softmax(),
        ],
        seed=5,
    )
    X, y = classification_data()
    kwargs = dict(
        loss="categorical_cross_entropy",
        optimizer=ln.Adam(lr=0.01),
        batch_size=16,
        shuffle=True,
        validation_data=classification_data(20, seed=9),
    )
    return net, X, y, kwargs, [ln.EarlyStopping(monitor="val_loss", patience=50)]


SETUPS = {"full_batch": full_batch_setup, "minibatch_dropout": minibatch_dropout_setup}


class StopAfter(ln.Callback):
    """Stand-in for a crash right after epoch ``k``'s checkpoint."""

    def __init__(self, k):
        self.k = k

    def on_epoch_end(self, trainer, epoch, logs):
        if epoch == self.k:
            trainer.stop_training = True


def assert_same_run(a_net, a_hist, b_net, b_hist):
    assert a_net.params.dtype == b_net.params.dtype
    np.testing.assert_array_equal(a_net.params, b_net.params)
    assert a_hist.epoch == b_hist.epoch
    assert a_hist.history == b_hist.history  # floats compared exactly


def uninterrupted(setup):
    net, X, y, kwargs, extra = setup()
    hist = net.fit(X, y, epochs=EPOCHS, callbacks=extra, **kwargs)
    return net, hist


@pytest.mark.parametrize("name", SETUPS)
@pytest.mark.parametrize("k", [1, 4])
def test_resume_after_epoch_k_is_bitwise_identical(tmp_path, name, k):
    setup = SETUPS[name]
    ref_net, ref_hist = uninterrupted(setup)

    path = tmp_path / "run.ckpt.npz"
    net, X, y, kwargs, extra = setup()
    net.fit(X, y, epochs=EPOCHS, callbacks=[StopAfter(k), *extra, Checkpoint(path)], **kwargs)
    assert read_checkpoint(path)["epoch"] == k
    assert not np.array_equal(net.params, ref_net.params)  # the test can fail

    fresh, X, y, kwargs, extra = setup()  # new process: new network, optimizer, callbacks
    hist = fresh.fit(X, y, epochs=EPOCHS, callbacks=extra, resume_from=path, **kwargs)
    assert_same_run(fresh, hist, ref_net, ref_hist)
    assert kwargs["optimizer"].t == ref_hist_t(setup)


def ref_hist_t(setup):
    net, X, y, kwargs, extra = setup()
    net.fit(X, y, epochs=EPOCHS, callbacks=extra, **kwargs)
    return kwargs["optimizer"].t


class InterruptingMSE(ln.MSE):
    """MSE that sends this process a SIGINT (Ctrl-C) during its ``at``-th batch."""

    def __init__(self, at):
        self.at = at
        self.calls = 0

    def gradient(self, y_pred, y_true):
        self.calls += 1
        if self.calls == self.at:
            os.kill(os.getpid(), signal.SIGINT)
        return super().gradient(y_pred, y_true)


def test_ctrl_c_stops_at_batch_boundary_and_resumes_exactly(tmp_path):
    X, y = regression_data(50)

    def build():
        return ln.Sequential([ln.Dense(3, 6), ln.ReLU(), ln.Dropout(0.2), ln.Dense(6, 1)], seed=2)

    common = dict(epochs=4, batch_size=8, shuffle=True)  # 7 batches per epoch
    ref = build()
    ref_opt = ln.Adam(lr=0.01)
    ref_hist = ref.fit(X, y, loss="mse", optimizer=ref_opt, **common)

    path = tmp_path / "ctrl_c.npz"
    net, opt = build(), ln.Adam(lr=0.01)
    hist = net.fit(
        X, y, loss=InterruptingMSE(at=10), optimizer=opt, callbacks=[Checkpoint(path)], **common
    )
    assert hist.interrupted
    assert opt.t == 10  # the batch that saw Ctrl-C finished its update, then the loop stopped
    assert len(hist) == 1
    state = read_checkpoint(path)
    assert (state["epoch"], state["batch"], state["optimizer"]["t"]) == (1, 3, 10)

    resumed, opt2 = build(), ln.Adam(lr=0.01)
    hist2 = resumed.fit(X, y, loss="mse", optimizer=opt2, resume_from=path, **common)
    assert not hist2.interrupted
    assert opt2.t == ref_opt.t
    assert_same_run(resumed, hist2, ref, ref_hist)


def test_final_state_is_saved_before_early_stopping_restores_best(tmp_path):
    """With restore_best, the network ends at the best weights, but the checkpoint must hold
    the run's true last state, or resuming would not continue the same run."""
    net, X, y, kwargs, _ = minibatch_dropout_setup()
    stopper = ln.EarlyStopping(monitor="loss", patience=50, restore_best=True)
    path = tmp_path / "c.npz"
    seen = {}

    class Spy(ln.Callback):
        def on_train_stop(self, trainer):
            seen["params"] = trainer.network.params.copy()

    net.fit(X, y, epochs=5, callbacks=[Spy(), stopper, Checkpoint(path, every=100)], **kwargs)
    state = read_checkpoint(path)
    assert state["epoch"] == 5
    np.testing.assert_array_equal(state["params"], seen["params"])
    best = state["callbacks"][1]["best_params"]
    np.testing.assert_array_equal(net.params, best)


def test_every_n_epochs(tmp_path, monkeypatch):
    written = []
    real = ckpt_module.write_checkpoint

    def spy(path, state):
        written.append(state["epoch"])
        return real(path, state)

    monkeypatch.setattr(ckpt_module, "write_checkpoint", spy)
    net, X, y, kwargs, _ = full_batch_setup()
    net.fit(X, y, epochs=7, callbacks=[Checkpoint(tmp_path / "c.npz", every=3)], **kwargs)
    assert written == [3, 6, 7]  # every 3rd epoch, then the final state
    assert read_checkpoint(tmp_path / "c.npz")["epoch"] == 7


def test_checkpoint_must_come_after_stateful_callbacks(tmp_path):
    net, X, y, kwargs, _ = full_batch_setup()
    callbacks = [Checkpoint(tmp_path / "c.npz"), ln.EarlyStopping(monitor="loss")]
    with pytest.raises(ConfigError, match="put ln.Checkpoint after EarlyStopping"):
        net.fit(X, y, epochs=2, callbacks=callbacks, **kwargs)


def test_every_none_writes_only_on_ctrl_c(tmp_path):
    X, y = regression_data()
    net = ln.Sequential([ln.Dense(3, 4), ln.Tanh(), ln.Dense(4, 1)])
    quiet = tmp_path / "quiet.npz"
    net.fit(X, y, loss="mse", epochs=3, batch_size=8, callbacks=[Checkpoint(quiet, every=None)])
    assert not quiet.exists()
    stopped = tmp_path / "stopped.npz"
    hist = net.fit(
        X,
        y,
        loss=InterruptingMSE(at=2),
        epochs=3,
        batch_size=8,
        callbacks=[Checkpoint(stopped, every=None)],
    )
    assert hist.interrupted
    assert read_checkpoint(stopped)["batch"] == 2


@pytest.mark.parametrize("every", [0, -1, 1.5, "2"])
def test_bad_every(every):
    with pytest.raises(ConfigError, match="every"):
        Checkpoint("c.npz", every=every)


# ----------------------------------------------------------------------------
# The file itself
# ----------------------------------------------------------------------------


def captured_state(epochs=3):
    """A real trainer state, with arrays in the optimizer, order and callbacks."""
    net, X, y, kwargs, extra = minibatch_dropout_setup()
    box = {}

    class Grab(ln.Callback):
        def on_epoch_end(self, trainer, epoch, logs):
            box["state"] = trainer.get_state()

    net.fit(X, y, epochs=epochs, callbacks=[*extra, Grab()], **kwargs)
    return net, box["state"]


def assert_trees_equal(a, b, where="state"):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype, where
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), where
        for key in a:
            assert_trees_equal(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, z) in enumerate(zip(a, b, strict=True)):
            assert_trees_equal(x, z, f"{where}[{i}]")
    else:
        assert a == b and type(a) is type(b), where


def test_real_state_round_trips_exactly(tmp_path):
    net, state = captured_state()
    path = write_checkpoint(tmp_path / "c.npz", state)
    back = read_checkpoint(path, network=net)
    assert_trees_equal(state, back)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(st.floats(allow_nan=False, width=64), max_size=20))
def test_property_history_floats_are_bit_exact(tmp_path, values):
    net, state = STATE
    state = dict(state)
    state["history"] = {"history": {"loss": values}, "epoch": list(range(1, len(values) + 1))}
    back = read_checkpoint(write_checkpoint(tmp_path / "h.npz", state))
    got = back["history"]["history"]["loss"]
    assert [v.hex() for v in got] == [float(v).hex() for v in values]  # -0.0 and subnormals too


STATE = captured_state(2)


def test_read_with_another_network_is_refused(tmp_path):
    _, state = STATE
    path = write_checkpoint(tmp_path / "c.npz", state)
    other = ln.Sequential([ln.Dense(4, 8), ln.ReLU(), ln.Dense(8, 3), ln.Softmax()])
    with pytest.raises(ModelFileError, match="different network"):
        read_checkpoint(path, network=other)
    X, y = classification_data()
    with pytest.raises(ModelFileError, match="different network"):
        other.fit(X, y, loss="categorical_cross_entropy", epochs=3, resume_from=path)


def test_model_file_is_not_a_checkpoint_and_vice_versa(tmp_path):
    net, state = STATE
    model = tmp_path / "model.npz"
    net.save(model)
    with pytest.raises(ModelFileError, match="it is a saved model"):
        read_checkpoint(model)
    path = write_checkpoint(tmp_path / "c.npz", state)
    with pytest.raises(ModelFileError, match="resume_from"):
        ln.load(path)


def forge(tmp_path, state_change=None, extra_arrays=None, drop=None, name="forged.npz"):
    """Rewrite a valid checkpoint with a modified JSON description / arrays."""
    _, state = STATE
    good = write_checkpoint(tmp_path / "good.npz", state)
    with np.load(good, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays.pop(META_KEY)[()]))
    if state_change:
        state_change(meta["state"])
    arrays.update(extra_arrays or {})
    for key in drop or ():
        del arrays[key]
    arrays[META_KEY] = np.array(json.dumps(meta))
    path = tmp_path / name
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


def _set(key, value):
    def change(state):
        state[key] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("rng"), r"lacks \['rng'\]"),
        (_set("epoch", -1), "epoch must be a whole number"),
        (_set("epoch", 1.5), "epoch must be a whole number"),
        (_set("batch", "x"), "batch must be a whole number"),
        (_set("rng", {"bit_generator": "os.system"}), "unknown or missing random generator"),
        (_set("rng", {"bit_generator": "PCG64", "state": {"state": "x"}}), "random generator"),
        (lambda s: s["optimizer"].pop("t"), "whole-number step count"),
        (_set("history", {"history": {"loss": ["a"]}}), "history is malformed"),
        (lambda s: s.update(callbacks={"x": s["callbacks"]}), "callbacks must be a list"),
        (_set("config", {"layers": [{"class": "Conv2D", "config": {}}]}), "Conv2D"),
        (lambda s: s.update(params={"__ndarray__": "nope"}), "missing array 'nope'"),
    ],
)
def test_forged_states_are_refused(tmp_path, change, message):
    with pytest.raises(ModelFileError, match=message):
        read_checkpoint(forge(tmp_path, change))


def test_mismatched_arrays_are_refused(tmp_path):
    with pytest.raises(ModelFileError, match="unknown arrays"):
        read_checkpoint(forge(tmp_path, extra_arrays={"spare": np.zeros(3)}))
    with pytest.raises(ModelFileError, match="must be an array shaped like params"):
        read_checkpoint(
            forge(tmp_path, extra_arrays={"optimizer.exp_avg": np.zeros(3, np.float32)})
        )
    with pytest.raises(ModelFileError, match="has 131 parameters but params hold only 7"):
        seven = np.zeros(7, np.float32)
        names = ["params", "optimizer.exp_avg", "optimizer.exp_avg_sq"]
        read_checkpoint(forge(tmp_path, extra_arrays=dict.fromkeys(names, seven)))
    with pytest.raises(ModelFileError, match="missing array"):
        read_checkpoint(forge(tmp_path, drop=["params"]))


class Payload:
    """Unpickling this calls open(marker, "w"): the file appears if a loader unpickles."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickle_payload_in_checkpoint_is_never_run(tmp_path):
    marker = tmp_path / "pwned"
    evil = np.empty(3, dtype=object)
    evil[0] = Payload(marker)
    path = forge(tmp_path, extra_arrays={"params": evil})
    with pytest.raises(ModelFileError, match="pickled Python objects"):
        read_checkpoint(path)
    assert not marker.exists()
    with np.load(path, allow_pickle=True) as data:  # control: the payload is live
        data["params"]
    assert marker.exists()


def test_write_failure_keeps_previous_checkpoint(tmp_path, monkeypatch):
    _, state = STATE
    path = write_checkpoint(tmp_path / "c.npz", state)
    before = path.read_bytes()

    def half_write(handle, **arrays):
        handle.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ckpt_module.np, "savez", half_write)
    later = dict(state, epoch=state["epoch"] + 1)
    with pytest.raises(FileWriteError, match="disk is full"):
        write_checkpoint(path, later)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert read_checkpoint(path)["epoch"] == state["epoch"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.npz"]


def test_unstorable_state_is_a_config_error(tmp_path):
    _, state = STATE
    with pytest.raises(ConfigError, match=r"callbacks.0.*function"):
        write_checkpoint(tmp_path / "c.npz", dict(state, callbacks=[{"fn": print}]))
    with pytest.raises(ConfigError, match="missing"):
        write_checkpoint(tmp_path / "c.npz", {"epoch": 1})
    with pytest.raises(ConfigError, match="non-string key"):
        write_checkpoint(tmp_path / "c.npz", dict(state, callbacks=[{1: 2}]))


@settings(max_examples=60, deadline=2000)
@given(blob=st.binary(max_size=2000))
def test_property_garbage_checkpoint_raises_model_file_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("garbage") / "c.npz"
    path.write_bytes(blob)
    with pytest.raises(ModelFileError):
        read_checkpoint(path)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid:RuntimeWarning")
def test_divergence_raises_keeps_finite_weights_and_last_checkpoint(tmp_path):
    X, y = regression_data()
    y = y * 1e3
    net = ln.Sequential([ln.Dense(3, 8), ln.ReLU(), ln.Dense(8, 1)], seed=0)
    path = tmp_path / "c.npz"
    with pytest.raises(ln.TrainingDiverged, match="learning rate.*clip_norm") as info:
        net.fit(
            X, y, loss="mse", optimizer=ln.SGD(lr=0.5), epochs=200, callbacks=[Checkpoint(path)]
        )
    assert info.value.epoch >= 2
    assert np.isfinite(net.params).all()
    state = read_checkpoint(path)  # the last complete epoch before the divergence
    assert state["epoch"] == info.value.epoch - 1
    assert np.isfinite(state["params"]).all()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    hidden=st.integers(1, 8),
    dropout=st.sampled_from([None, 0.1, 0.5]),
    batch_size=st.sampled_from([None, 1, 5, 16]),
    optimizer=st.sampled_from(["sgd", "momentum", "adam", "rmsprop", "adagrad"]),
    shuffle=st.booleans(),
    stop_at=st.integers(1, 60),
    seed=st.integers(0, 2**16),
)
def test_property_ctrl_c_anywhere_then_resume_is_bitwise_identical(
    tmp_path, hidden, dropout, batch_size, optimizer, shuffle, stop_at, seed
):
    X, y = regression_data(30, seed=seed)

    def build():
        layers = [ln.Dense(3, hidden), ln.Tanh()]
        if dropout:
            layers.append(ln.Dropout(dropout))
        net = ln.Sequential([*layers, ln.Dense(hidden, 1)], seed=seed, dtype="float64")
        opt = {
            "sgd": lambda: ln.SGD(lr=0.05),
            "momentum": lambda: ln.SGD(lr=0.05, momentum=0.9, nesterov=True),
            "adam": lambda: ln.Adam(lr=0.01),
            "rmsprop": lambda: ln.RMSprop(lr=0.01),
            "adagrad": lambda: ln.Adagrad(lr=0.05),
        }[optimizer]()
        return net, opt

    common = dict(epochs=4, batch_size=batch_size, shuffle=shuffle)
    ref, ref_opt = build()
    ref_hist = ref.fit(X, y, loss="mse", optimizer=ref_opt, **common)

    path = tmp_path / "p.npz"
    path.unlink(missing_ok=True)
    net, opt = build()
    hist = net.fit(
        X, y, loss=InterruptingMSE(stop_at), optimizer=opt, callbacks=[Checkpoint(path)], **common
    )
    fresh, fresh_opt = build()
    resumed = fresh.fit(X, y, loss="mse", optimizer=fresh_opt, resume_from=path, **common)
    if hist.interrupted:
        assert opt.t == stop_at
    np.testing.assert_array_equal(fresh.params, ref.params)
    assert resumed.history == ref_hist.history
    assert fresh_opt.t == ref_opt.t


def test_resuming_an_early_stopped_run_trains_no_further(tmp_path):
    X, y = regression_data()
    val = regression_data(10, seed=4)

    def run(resume_from=None):
        net = ln.Sequential([ln.Dense(3, 4), ln.Tanh(), ln.Dense(4, 1)], seed=1)
        stopper = ln.EarlyStopping(patience=2, restore_best=False)
        callbacks = [stopper, Checkpoint(tmp_path / "es.npz")]
        hist = net.fit(
            X,
            y,
            loss="mse",
            optimizer=ln.SGD(lr=0.5),
            epochs=300,
            validation_data=val,
            callbacks=callbacks,
            resume_from=resume_from,
        )
        return net, hist

    net, hist = run()
    assert hist.stopped_epoch is not None and len(hist) < 300
    again, hist2 = run(resume_from=tmp_path / "es.npz")
    assert len(hist2) == len(hist)
    np.testing.assert_array_equal(again.params, net.params)


def test_callback_states_follow_their_class_not_their_position(tmp_path):
    # a reordered or shorter callbacks list must not hand a state to the wrong callback
    X, y = regression_data()
    path = tmp_path / "cb.npz"

    def build():
        return ln.Sequential([ln.Dense(3, 4), ln.Tanh(), ln.Dense(4, 1)], seed=0)

    early = ln.EarlyStopping(patience=50)
    build().fit(
        X, y, loss="mse", epochs=3, validation_split=0.25, callbacks=[early, Checkpoint(path)]
    )
    saved_best = early.best
    assert saved_best is not None

    resumed = ln.EarlyStopping(patience=50)
    probe = []

    class Probe(ln.Callback):  # sees EarlyStopping's state right after the resume
        def on_train_begin(self, trainer):
            probe.append((resumed.best, resumed.best_epoch))

    build().fit(
        X,
        y,
        loss="mse",
        epochs=4,
        validation_split=0.25,
        callbacks=[Probe(), resumed, Checkpoint(tmp_path / "cb2.npz")],
        resume_from=path,
    )
    assert probe == [(saved_best, early.best_epoch)]
