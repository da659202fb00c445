"""Callbacks: hook order, stop_training, EarlyStopping (patience, min_delta, restore_best)."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln


class Recorder(ln.Callback):
    def __init__(self, stop_after=None):
        self.events = []
        self.stop_after = stop_after

    def on_train_begin(self, trainer):
        self.events.append(("begin", trainer.epoch))
        assert trainer.network is not None and trainer.optimizer is not None

    def on_epoch_end(self, trainer, epoch, logs):
        self.events.append(("epoch", epoch, dict(logs)))
        if self.stop_after is not None and len(self.events) - 1 >= self.stop_after:
            trainer.stop_training = True

    def on_train_end(self, trainer):
        self.events.append(("end", trainer.epoch))


def _net(seed=0):
    return ln.Sequential([ln.Dense(2, 6), ln.Tanh(), ln.Dense(6, 1)], seed=seed, dtype="float64")


def _data(seed=0, n=40):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (X[:, :1] - 2 * X[:, 1:]) ** 2


def test_hook_order_and_logs():
    X, y = _data()
    rec = Recorder()
    hist = _net().fit(X, y, loss="mse", epochs=4, callbacks=[rec], validation_data=_data(1))
    kinds = [e[0] for e in rec.events]
    assert kinds == ["begin", "epoch", "epoch", "epoch", "epoch", "end"]
    assert rec.events[0][1] == 0
    assert rec.events[-1][1] == 4
    for i, event in enumerate(rec.events[1:5]):
        logs = event[2]
        assert logs["loss"] == pytest.approx(hist.history["loss"][i])
        assert logs["val_loss"] == pytest.approx(hist.history["val_loss"][i])


def test_stop_training():
    X, y = _data()
    hist = _net().fit(X, y, loss="mse", epochs=50, callbacks=[Recorder(stop_after=3)])
    assert len(hist.history["loss"]) == 3
    assert list(hist.epoch) == [1, 2, 3]


def _overfitting_setup():
    """Validation targets are the negated training targets: the more the net fits, the worse."""
    X, y = _data(0)
    return X, y, (X, -y)


def test_early_stopping_restores_best_weights():
    X, y, val = _overfitting_setup()
    es = ln.EarlyStopping(monitor="val_loss", patience=3, restore_best=True)
    net = _net()
    hist = net.fit(
        X,
        y,
        loss="mse",
        optimizer=ln.Adam(lr=0.02),
        epochs=200,
        validation_data=val,
        callbacks=[es],
    )
    v = hist.history["val_loss"]
    best = int(np.argmin(v)) + 1
    assert es.best_epoch == best
    assert len(v) == best + 3  # stopped after `patience` epochs without improvement
    assert len(v) < 200
    assert net.evaluate(*val, loss="mse")["loss"] == pytest.approx(min(v), rel=1e-9)


def test_early_stopping_without_restore_keeps_last_weights():
    X, y, val = _overfitting_setup()
    es = ln.EarlyStopping(patience=2, restore_best=False)
    net = _net()
    hist = net.fit(
        X,
        y,
        loss="mse",
        optimizer=ln.Adam(lr=0.02),
        epochs=200,
        validation_data=val,
        callbacks=[es],
    )
    v = hist.history["val_loss"]
    assert net.evaluate(*val, loss="mse")["loss"] == pytest.approx(v[-1], rel=1e-9)
    assert v[-1] > min(v)


def test_early_stopping_min_delta():
    """With a min_delta no epoch can beat, training stops `patience` epochs after the first."""
    X, y = _data()
    es = ln.EarlyStopping(monitor="loss", patience=4, min_delta=1e6)
    hist = _net().fit(X, y, loss="mse", epochs=100, callbacks=[es])
    assert len(hist.history["loss"]) == 5
    assert es.best_epoch == 1


def test_early_stopping_keeps_going_while_improving():
    X, y = _data()
    es = ln.EarlyStopping(monitor="loss", patience=5)
    hist = _net().fit(X, y, loss="mse", optimizer=ln.SGD(lr=0.01), epochs=30, callbacks=[es])
    assert len(hist.history["loss"]) == 30  # plain small-step GD decreases the loss every epoch


@pytest.mark.parametrize(
    "kwargs, name",
    [({"patience": -1}, "patience"), ({"min_delta": -0.1}, "min_delta")],
)
def test_early_stopping_bad_arguments(kwargs, name):
    with pytest.raises(ln.errors.ConfigError, match=name):
        ln.EarlyStopping(**kwargs)


def test_trainer_state_round_trip_resumes_identically():
    """get_state at epoch 3, set_state in a fresh run: the rest of training is bitwise the same."""
    X, y = _data()

    class Grab(ln.Callback):
        state = None

        def on_epoch_end(self, trainer, epoch, logs):
            if trainer.epoch == 3:
                Grab.state = trainer.get_state()

    full = _net()
    h_full = full.fit(
        X, y, loss="mse", optimizer=ln.Adam(lr=0.01), epochs=6, batch_size=8, callbacks=[Grab()]
    )

    class Restore(ln.Callback):
        def on_train_begin(self, trainer):
            trainer.set_state(Grab.state)

    resumed = _net(seed=0)
    resumed.params[...] = 0.0
    h_res = resumed.fit(
        X, y, loss="mse", optimizer=ln.Adam(lr=0.01), epochs=6, batch_size=8, callbacks=[Restore()]
    )
    np.testing.assert_array_equal(resumed.params, full.params)
    assert h_res.history["loss"] == h_full.history["loss"]


def test_early_stopping_on_accuracy_maximises():
    """Accuracy-like metrics improve upwards: best_epoch is the arg-max, not the arg-min."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    net = ln.Sequential(
        [ln.Dense(2, 8), ln.Tanh(), ln.Dense(8, 2), ln.Softmax()], seed=0, dtype="float64"
    )
    es = ln.EarlyStopping(monitor="accuracy", patience=1000, restore_best=True)
    hist = net.fit(
        X,
        y,
        loss="categorical_cross_entropy",
        optimizer=ln.Adam(lr=0.05),
        epochs=60,
        callbacks=[es],
    )
    acc = hist.history["accuracy"]
    assert acc[-1] > acc[0]
    assert es.best_epoch == int(np.argmax(acc)) + 1


@pytest.mark.parametrize("monitor", ["val_loss", "val_acc"])
def test_early_stopping_on_a_metric_that_is_not_logged(monitor):
    """Silently never stopping would look like early stopping was on; it must say so."""
    X, y = _data()
    kwargs = {} if monitor == "val_loss" else {"validation_split": 0.2}
    with pytest.raises(ln.errors.ConfigError, match=monitor):
        _net().fit(
            X,
            y,
            loss="mse",
            epochs=5,
            callbacks=[ln.EarlyStopping(monitor=monitor, patience=1)],
            **kwargs,
        )


# ---------------------------------------------------------------- progress printer


def test_progress_printer_prints_every_k_epochs_and_the_last(capsys):
    import io

    X, y = _data()
    stream = io.StringIO()
    hist = _net().fit(X, y, loss="mse", epochs=7, callbacks=[ln.ProgressPrinter(3, stream=stream)])
    lines = stream.getvalue().splitlines()
    assert [int(line.split(",")[0].split()[1]) for line in lines] == [3, 6, 7]
    assert lines[0] == ln.callbacks.format_logs(3, {k: v[2] for k, v in hist.history.items()})
    assert capsys.readouterr().out == ""


def test_progress_printer_default_is_ten_lines_and_subclasses_choose_when_and_what():
    import io

    class EveryOther(ln.ProgressPrinter):
        def should_print(self, epoch):
            return epoch % 2 == 1

        def format_line(self, epoch, logs):
            return f"{epoch}:{logs['loss']:.2f}"

    X, y = _data()
    default, custom = io.StringIO(), io.StringIO()
    cbs = [ln.ProgressPrinter(stream=default), EveryOther(stream=custom)]
    _net().fit(X, y, loss="mse", epochs=20, callbacks=cbs)
    assert len(default.getvalue().splitlines()) == 10
    assert [line.split(":")[0] for line in custom.getvalue().splitlines()] == [
        str(e) for e in range(1, 20, 2)
    ]


def test_format_logs_skips_missing_metrics_and_shows_validation():
    line = ln.callbacks.format_logs(
        5, {"loss": 0.5, "lr": 0.01, "val_loss": 0.25, "val_accuracy": 0.875, "r2": None}
    )
    assert line == "epoch: 5, loss: 0.500, lr: 0.01, val_loss: 0.250, val_acc: 0.875"


def test_early_stopping_restore_best_must_be_a_bool():
    with pytest.raises(ln.ConfigError, match="restore_best must be True or False"):
        ln.EarlyStopping(restore_best="no")
