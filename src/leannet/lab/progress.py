"""Progress display during training: a live rich bar on a terminal, plain lines otherwise.

The plain lines use the seeds' format, e.g.::

    epoch: 100, acc: 0.950, loss: 0.123 (data_loss: 0.100, reg_loss: 0.023), lr: 0.0099

rich is imported only when a live bar is actually shown.
"""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["format_epoch_line", "make_progress_callback"]


def format_epoch_line(epoch: int, logs: dict) -> str:
    """One line of training progress in the seeds' format (keys that are absent are skipped)."""
    parts = [f"epoch: {epoch}"]
    if logs.get("accuracy") is not None:
        parts.append(f"acc: {logs['accuracy']:.3f}")
    if logs.get("r2") is not None:
        parts.append(f"r2: {logs['r2']:.3f}")
    loss = logs.get("loss")
    if loss is not None:
        text = f"loss: {loss:.3f}"
        if logs.get("data_loss") is not None and logs.get("reg_loss") is not None:
            text += f" (data_loss: {logs['data_loss']:.3f}, reg_loss: {logs['reg_loss']:.3f})"
        parts.append(text)
    if logs.get("lr") is not None:
        parts.append(f"lr: {logs['lr']:.4g}")
    if logs.get("val_loss") is not None:
        parts.append(f"val_loss: {logs['val_loss']:.3f}")
    if logs.get("val_accuracy") is not None:
        parts.append(f"val_acc: {logs['val_accuracy']:.3f}")
    if logs.get("val_r2") is not None:
        parts.append(f"val_r2: {logs['val_r2']:.3f}")
    return ", ".join(parts)


def make_progress_callback(
    epochs: int,
    *,
    quiet: bool = False,
    log_every: int | None = None,
    stream: TextIO | None = None,
    description: str = "training",
):
    """A :class:`leannet.Callback` that shows progress, or None when ``quiet``.

    A live rich bar is used when ``stream`` is a terminal and ``log_every`` is not
    given; otherwise a plain line every ``log_every`` epochs (default: 10 lines
    per run, plus the last epoch).
    """
    if quiet:
        return None
    import leannet as ln

    stream = stream if stream is not None else sys.stdout
    live = log_every is None and hasattr(stream, "isatty") and stream.isatty()
    every = log_every or max(1, epochs // 10)

    class PlainProgress(ln.Callback):
        def on_train_begin(self, trainer):
            pass

        def on_epoch_end(self, trainer, epoch, logs):
            if epoch % every == 0 or epoch == epochs or epoch == 1:
                print(format_epoch_line(epoch, logs or {}), file=stream, flush=True)

        def on_train_end(self, trainer):
            pass

    class RichProgress(ln.Callback):
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
                console=Console(file=stream),
                transient=False,
            )
            self._task = self._progress.add_task(description, total=epochs, stats="")
            self._progress.start()

        def on_epoch_end(self, trainer, epoch, logs):
            logs = logs or {}
            bits = [f"loss {logs['loss']:.4f}"] if logs.get("loss") is not None else []
            if logs.get("val_loss") is not None:
                bits.append(f"val_loss {logs['val_loss']:.4f}")
            if logs.get("accuracy") is not None:
                bits.append(f"acc {logs['accuracy']:.3f}")
            if logs.get("val_accuracy") is not None:
                bits.append(f"val_acc {logs['val_accuracy']:.3f}")
            self._progress.update(self._task, completed=epoch, stats="  ".join(bits))

        def on_train_end(self, trainer):
            self._progress.stop()

    return RichProgress() if live else PlainProgress()
