"""Progress display: the seeds' line format, plain lines off a terminal, a rich bar on one."""

from __future__ import annotations

import io

import numpy as np

import leannet as ln
from leannet.lab.progress import format_epoch_line, make_progress_callback


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _fit(callback, epochs=6):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.float32)[:, None]
    net = ln.Sequential([ln.Dense(2, 4), ln.Tanh(), ln.Dense(4, 1), ln.Sigmoid()], seed=0)
    return net.fit(
        X,
        y,
        loss="binary_cross_entropy",
        optimizer=ln.SGD(lr=0.1),
        epochs=epochs,
        validation_data=(X, y),
        callbacks=[callback],
    )


def test_line_format_matches_the_seeds():
    line = format_epoch_line(
        100, {"accuracy": 0.95, "loss": 0.123, "data_loss": 0.1, "reg_loss": 0.023, "lr": 0.0099}
    )
    assert line == (
        "epoch: 100, acc: 0.950, loss: 0.123 (data_loss: 0.100, reg_loss: 0.023), lr: 0.0099"
    )


def test_plain_lines_every_n_epochs():
    stream = io.StringIO()
    _fit(make_progress_callback(6, log_every=2, stream=stream))
    epochs = [int(s.split(",")[0].split()[1]) for s in stream.getvalue().splitlines()]
    assert epochs == [1, 2, 4, 6]
    assert "val_loss:" in stream.getvalue()


def test_quiet_shows_nothing():
    assert make_progress_callback(6, quiet=True) is None


def test_rich_bar_on_a_terminal():
    stream = FakeTerminal()
    cb = make_progress_callback(6, stream=stream, description="fitting")
    assert type(cb).__name__ == "RichProgress"
    _fit(cb)
    out = stream.getvalue()
    assert "fitting" in out and "6/6" in out and "val_loss" in out
    # --log-every forces plain lines even on a terminal
    assert type(make_progress_callback(6, log_every=1, stream=stream)).__name__ == "PlainProgress"
