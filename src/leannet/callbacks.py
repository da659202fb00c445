"""Callbacks: hooks into the training loop (early stopping, progress lines)."""

from __future__ import annotations

import sys
from typing import TextIO

import numpy as np

from ._validation import check_bool, check_nonnegative, check_positive_int
from .errors import ConfigError


class Callback:
    """Base class. Override any hook; set ``trainer.stop_training = True`` to stop.

    Callbacks that carry state across epochs implement [`get_state`][leannet.callbacks.Callback.get_state] and
    `set_state` so that a resumed run behaves exactly like an uninterrupted one.
    """

    def on_train_begin(self, trainer) -> None:
        pass

    def on_epoch_end(self, trainer, epoch: int, logs: dict) -> None:
        pass

    def on_train_stop(self, trainer) -> None:
        """The loop has stopped (done, stopped by a callback, or Ctrl-C); called on every
        callback before any ``on_train_end``, so the trainer still holds the exact state of
        the run (``ln.Checkpoint`` saves it here; EarlyStopping restores weights later)."""

    def on_train_end(self, trainer) -> None:
        pass

    def get_state(self) -> dict:
        """State to store in checkpoints: JSON-able values or NumPy arrays."""
        return {}

    def set_state(self, state: dict) -> None:
        pass


class EarlyStopping(Callback):
    """Stop when a monitored metric has stopped improving.

    Args:
        monitor: metric name from the epoch logs (``"val_loss"``, ``"loss"``,
            ``"val_accuracy"``...). Losses are minimised, accuracy and r2 maximised.
        patience: epochs without improvement before stopping.
        min_delta: smallest change that counts as an improvement.
        restore_best: at the end of training (early stop, Ctrl-C or last epoch),
            put back the weights of the best epoch.

    Attributes:
        best_epoch: the 1-based epoch with the best value, or None.
        best: the best value seen.
    """

    def __init__(self, monitor="val_loss", patience=10, min_delta=0.0, restore_best=True):
        if not isinstance(monitor, str) or not monitor:
            raise ConfigError(f"monitor must be a metric name such as 'val_loss', got {monitor!r}")
        self.monitor = monitor
        self.patience = check_positive_int(patience, "patience")
        self.min_delta = check_nonnegative(min_delta, "min_delta")
        self.restore_best = check_bool(restore_best, "restore_best")
        self.maximize = monitor.endswith(("accuracy", "acc", "r2"))
        self._reset()

    def _reset(self) -> None:
        self.best = None
        self.best_epoch = None
        self.wait = 0
        self.best_params = None

    def on_train_begin(self, trainer) -> None:
        if trainer.epoch == 0:
            self._reset()
        elif self.wait >= self.patience:  # resumed from a run that had already stopped
            trainer.stop_training = True

    def on_epoch_end(self, trainer, epoch, logs):
        if self.monitor not in logs:
            raise ConfigError(
                f"EarlyStopping monitors {self.monitor!r}, which is not among the logged metrics "
                f"({', '.join(sorted(logs))}); pass validation_data or validation_split, "
                "or monitor='loss'"
            )
        value = logs[self.monitor]
        if self.best is None:
            improved = True
        elif self.maximize:
            improved = value > self.best + self.min_delta
        else:
            improved = value < self.best - self.min_delta
        if improved:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best:
                if self.best_params is None:
                    self.best_params = trainer.network.params.copy()
                else:
                    np.copyto(self.best_params, trainer.network.params)
        else:
            self.wait += 1
            if self.wait >= self.patience:
                trainer.stop_training = True
                trainer.history.stopped_epoch = epoch

    def on_train_end(self, trainer):
        if self.restore_best and self.best_params is not None:
            trainer.network.params[...] = self.best_params

    def get_state(self):
        state = {"best": self.best, "best_epoch": self.best_epoch, "wait": self.wait}
        if self.best_params is not None:
            state["best_params"] = self.best_params.copy()
        return state

    def set_state(self, state):
        self.best = state.get("best")
        self.best_epoch = state.get("best_epoch")
        self.wait = int(state.get("wait", 0))
        params = state.get("best_params")
        self.best_params = None if params is None else np.array(params)


def format_logs(epoch: int, logs: dict) -> str:
    """The source tutorials' progress line, e.g.
    ``epoch: 100, acc: 0.950, loss: 0.123 (data_loss: 0.100, reg_loss: 0.023), lr: 0.0099``.

    Metrics missing from ``logs`` (or None) are left out; ``r2`` and the ``val_``
    metrics follow when present.
    """
    parts = [f"epoch: {epoch}"]
    if logs.get("accuracy") is not None:
        parts.append(f"acc: {logs['accuracy']:.3f}")
    if logs.get("r2") is not None:
        parts.append(f"r2: {logs['r2']:.3f}")
    if logs.get("loss") is not None:
        text = f"loss: {logs['loss']:.3f}"
        if logs.get("data_loss") is not None and logs.get("reg_loss") is not None:
            text += f" (data_loss: {logs['data_loss']:.3f}, reg_loss: {logs['reg_loss']:.3f})"
        parts.append(text)
    if logs.get("lr") is not None:
        parts.append(f"lr: {logs['lr']:.4g}")
    for key, label in (("val_loss", "val_loss"), ("val_accuracy", "val_acc"), ("val_r2", "val_r2")):
        if logs.get(key) is not None:
            parts.append(f"{label}: {logs[key]:.3f}")
    return ", ".join(parts)


class ProgressPrinter(Callback):
    """Print a progress line (`format_logs`) every ``every`` epochs and after the last.

    ``fit(verbose=1)`` adds one with ``every=print_every`` (default: 10 lines per run)
    when the output is not interactive (else a [`ProgressBar`][leannet.live.ProgressBar]),
    ``verbose=2`` one with ``every=1``. Subclasses change *when* by overriding
    [`should_print`][leannet.callbacks.ProgressPrinter.should_print] and *what* by overriding [`format_line`][leannet.callbacks.ProgressPrinter.format_line].

    Args:
        every: print after epochs that are multiples of ``every``; None: ``epochs // 10``
            (at least 1), with ``epochs`` the run's total.
        stream: where to print (default: ``sys.stdout`` at the time of printing).
        epochs: the run's total epochs; None: read from the trainer when training starts.
    """

    def __init__(
        self, every: int | None = None, *, stream: TextIO | None = None, epochs: int | None = None
    ):
        self.every = check_positive_int(every, "every", allow_none=True)
        self.stream = stream
        self.epochs = check_positive_int(epochs, "epochs", allow_none=True)
        self._every = self.every or 1
        self._last = self.epochs

    def on_train_begin(self, trainer) -> None:
        self._last = self.epochs or trainer.epochs
        self._every = self.every or max(1, self._last // 10)

    def should_print(self, epoch: int) -> bool:
        """True after every ``every``-th epoch and after the last one."""
        return epoch % self._every == 0 or epoch == self._last

    def format_line(self, epoch: int, logs: dict) -> str:
        """The line printed for ``epoch``."""
        return format_logs(epoch, logs)

    def on_epoch_end(self, trainer, epoch, logs):
        if self.should_print(epoch):
            print(self.format_line(epoch, logs), file=self.stream or sys.stdout, flush=True)
