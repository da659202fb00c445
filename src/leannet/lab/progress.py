"""Progress display during training: a live rich bar on a terminal, plain lines otherwise.

The plain lines are the engine's own ([`leannet.callbacks.ProgressPrinter`][leannet.callbacks.ProgressPrinter],
`leannet.callbacks.format_logs`), e.g.::

    epoch: 100, acc: 0.950, loss: 0.123 (data_loss: 0.100, reg_loss: 0.023), lr: 0.0099

The live bar is the engine's [`leannet.live.ProgressBar`][leannet.live.ProgressBar]; rich is imported
only when it is actually shown.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..callbacks import Callback, ProgressPrinter, format_logs
from ..live import ProgressBar

__all__ = ["PlainProgress", "RichProgress", "format_epoch_line", "make_progress_callback"]

# The lab prints the engine's line; the name stays for callers that format one themselves.
format_epoch_line = format_logs


class PlainProgress(ProgressPrinter):
    """The engine's progress lines, plus the first epoch (a run shows it has started)."""

    def should_print(self, epoch: int) -> bool:
        return epoch == 1 or super().should_print(epoch)

    def on_epoch_end(self, trainer, epoch, logs):
        super().on_epoch_end(trainer, epoch, logs or {})


class RichProgress(ProgressBar):
    """The engine's live bar ([`leannet.live.ProgressBar`][leannet.live.ProgressBar]) drawn on the lab's stream."""

    def __init__(self, epochs: int, stream: TextIO, description: str):
        super().__init__(epochs, description=description)
        self.stream = stream

    def on_train_begin(self, trainer):
        from rich.console import Console

        self.console = Console(file=self.stream)
        super().on_train_begin(trainer)


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
