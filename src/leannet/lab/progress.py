"""Progress display during training: a live rich bar on a terminal, plain lines otherwise.

The plain lines are the engine's own (:class:`leannet.callbacks.ProgressPrinter`,
:func:`leannet.callbacks.format_logs`), e.g.::

    epoch: 100, acc: 0.950, loss: 0.123 (data_loss: 0.100, reg_loss: 0.023), lr: 0.0099

rich is imported only when a live bar is actually shown.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..callbacks import Callback, ProgressPrinter, format_logs

__all__ = ["PlainProgress", "RichProgress", "format_epoch_line", "make_progress_callback"]

# The lab prints the engine's line; the name stays for callers that format one themselves.
format_epoch_line = format_logs


class PlainProgress(ProgressPrinter):
    """The engine's progress lines, plus the first epoch (a run shows it has started)."""

    def should_print(self, epoch: int) -> bool:
        return epoch == 1 or super().should_print(epoch)

    def on_epoch_end(self, trainer, epoch, logs):
        super().on_epoch_end(trainer, epoch, logs or {})


class RichProgress(Callback):
    """A live bar with the latest loss and accuracy (train and validation)."""

    def __init__(self, epochs: int, stream: TextIO, description: str):
        self.epochs, self.stream, self.description = epochs, stream, description

    def on_train_begin(self, trainer):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[stats]}"),
            TimeElapsedColumn(),
            console=Console(file=self.stream),
            transient=False,
        )
        self._task = self._progress.add_task(self.description, total=self.epochs, stats="")
        self._progress.start()

    def on_epoch_end(self, trainer, epoch, logs):
        logs = logs or {}
        bits = [f"loss {logs['loss']:.4f}"] if logs.get("loss") is not None else []
        for key, label in (
            ("val_loss", "val_loss"),
            ("accuracy", "acc"),
            ("val_accuracy", "val_acc"),
        ):
            if logs.get(key) is not None:
                digits = 4 if key == "val_loss" else 3
                bits.append(f"{label} {logs[key]:.{digits}f}")
        self._progress.update(self._task, completed=epoch, stats="  ".join(bits))

    def on_train_end(self, trainer):
        self._progress.stop()


def make_progress_callback(
    epochs: int,
    *,
    quiet: bool = False,
    log_every: int | None = None,
    stream: TextIO | None = None,
    description: str = "training",
) -> Callback | None:
    """A callback that shows progress, or None when ``quiet``.

    A live rich bar is used when ``stream`` is a terminal and ``log_every`` is not
    given; otherwise a plain line every ``log_every`` epochs (default: 10 lines
    per run), after the first and after the last epoch.
    """
    if quiet:
        return None
    stream = stream if stream is not None else sys.stdout
    if log_every is None and hasattr(stream, "isatty") and stream.isatty():
        return RichProgress(epochs, stream, description)
    return PlainProgress(log_every, stream=stream, epochs=epochs)
