"""Watch training while ``fit`` runs: a progress bar, the loss curves and, for two inputs,
the decision boundary.

>>> live = ln.LivePlot(data=(X_val, y_val))             # in a notebook cell
>>> net.fit(X, y, loss="binary_cross_entropy", epochs=300,
...         validation_data=(X_val, y_val), callbacks=[live])

In Jupyter the figure (loss train/validation, data loss vs penalty, decision boundary)
is redrawn in place in the cell's output; in a terminal or a script the progress bar
alone is shown (``path=`` also writes the figure to a PNG file at every redraw). The
progress bar is `rich <https://rich.readthedocs.io>`_'s (a live widget in Jupyter
when ipywidgets is installed: ``pip install "leannet[notebooks]"``).

Redraws are throttled: at most one every ``every`` seconds, and never more often than
keeps drawing under ``max_overhead`` of the elapsed time (a redraw costing 80 ms waits
at least 2.7 s at the default 3 %). The first redraw comes after ``every`` seconds and
the end of training is always drawn; with the figure's setup that is a fixed cost of
a few tenths of a second per run.
``benchmarks/live_overhead.py`` measures the cost against training without the view.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import time

import numpy as np

from ._validation import check_positive
from .callbacks import Callback, ProgressPrinter
from .errors import ConfigError

__all__ = [
    "LivePlot",
    "ProgressBar",
    "close_progress",
    "in_notebook",
    "interactive_output",
    "verbose_callback",
]

#: the decision-boundary panel shows at most this many data points (a fixed random subset)
MAX_POINTS = 500


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where rich output and inline images are displayed)."""
    if "IPython" not in sys.modules:  # no kernel without IPython; importing it would cost time
        return False
    shell = sys.modules["IPython"].get_ipython()
    if shell is None:
        return False
    kind = type(shell)
    return kind.__name__ == "ZMQInteractiveShell" or kind.__module__.startswith("google.colab")


def interactive_output(stream=None) -> bool:
    """True when ``stream`` (default: ``sys.stdout``) reaches a person: a terminal or a
    Jupyter notebook; False for pipes, files, CI logs and output captured by pytest."""
    if in_notebook():
        return True
    stream = sys.stdout if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


def verbose_callback(verbose: int, print_every: int | None = None, callbacks=()) -> Callback | None:
    """The callback ``fit(verbose=...)`` adds (None: none is needed).

    ``verbose=1`` gets a [`ProgressBar`][leannet.live.ProgressBar] when standard output is interactive
    ([`interactive_output`][leannet.live.interactive_output]) and rich is installed (in Jupyter, also ipywidgets,
    which rich draws its bar with), or nothing when ``callbacks`` already show a bar (a
    ``ProgressBar``, or a ``LivePlot`` with its bar); otherwise, and for ``verbose=2``, a
    [`ProgressPrinter`][leannet.callbacks.ProgressPrinter] printing the source tutorials' line every
    ``print_every`` epochs (``verbose=2``: every epoch).
    """
    if verbose == 1 and interactive_output():
        needed = ("rich", "ipywidgets") if in_notebook() else ("rich",)
        if all(importlib.util.find_spec(name) is not None for name in needed):
            shown = any(
                isinstance(cb, ProgressBar) or (isinstance(cb, LivePlot) and cb._bar is not None)
                for cb in callbacks
            )
            return None if shown else ProgressBar()
    return ProgressPrinter(print_every or (1 if verbose == 2 else None))


def close_progress(callbacks) -> None:
    """Stop the progress bars among ``callbacks`` that are still running: after an error
    in training (e.g. ``TrainingDiverged``) ``on_train_end`` is not called, and a running
    rich bar would keep redrawing and holding standard output."""
    for cb in callbacks:
        if isinstance(cb, (ProgressBar, LivePlot)):
            cb.close()


def _stats(logs: dict) -> str:
    bits = []
    for key, label, spec in (
        ("loss", "loss", ".4f"),
        ("val_loss", "val_loss", ".4f"),
        ("accuracy", "acc", ".3f"),
        ("val_accuracy", "val_acc", ".3f"),
        ("r2", "r2", ".3f"),
        ("val_r2", "val_r2", ".3f"),
    ):
        if logs.get(key) is not None:
            bits.append(f"{label} {format(logs[key], spec)}")
    return "  ".join(bits)


class ProgressBar(Callback):
    """A rich progress bar over the epochs with the latest loss, validation loss and accuracy.

    Works in a terminal (a live bar), in Jupyter (a live widget with ipywidgets) and in
    logs (rich prints the final state when the output is not a terminal).

    Args:
        epochs: the run's total; None reads it from the trainer when training starts.
        description: the text before the bar.
        console: a ``rich.console.Console`` (default: rich's, on standard output).
    """

    def __init__(self, epochs: int | None = None, *, description: str = "training", console=None):
        self.epochs = epochs
        self.description = description
        self.console = console
        self._progress = None

    def on_train_begin(self, trainer) -> None:
        try:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )
        except ImportError:
            raise ConfigError(
                "the progress bar needs rich; install it with: pip install 'leannet[notebooks]'"
            ) from None
        total = self.epochs or getattr(trainer, "epochs", None) or None
        kwargs = {"console": self.console} if self.console is not None else {}
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[stats]}"),
            TimeElapsedColumn(),
            refresh_per_second=2,  # the bar's thread wakes twice a second, not rich's 10 times
            **kwargs,
        )
        self._task = self._progress.add_task(
            self.description, total=total, completed=trainer.epoch, stats=""
        )
        self._progress.start()

    def on_epoch_end(self, trainer, epoch, logs):
        self._progress.update(self._task, completed=epoch, stats=_stats(logs or {}))

    def on_train_end(self, trainer):
        self.close()

    def close(self) -> None:
        """Stop the bar (leaving its last state on screen); nothing if it is not running."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class LivePlot(Callback):
    """Loss curves (train/validation), data loss vs penalty and, for 2-D inputs, the decision
    boundary, redrawn while training runs; with a progress bar.

    Args:
        data: ``(X, y)`` drawn under the decision boundary (only when ``X`` has 2 columns
            and the loss is a classification loss; at most 500 points, a fixed random
            subset); e.g. the validation data.
        every: seconds between redraws, at least.
        max_overhead: redraws are spaced so that drawing takes at most this share of the
            elapsed time (0.03: 3 %).
        plots: draw the figure; None: in Jupyter, or when ``path`` is given.
        path: also write the figure to this PNG file at every redraw (atomically).
        progress: show the rich progress bar.
        resolution: grid points per axis of the decision boundary.
        epochs: the run's total for the progress bar; None reads it from the trainer.

    Attributes:
        figure: the matplotlib Figure (after training starts, when plots are drawn).
        redraws: how many times the figure was drawn.
        draw_seconds: the time spent drawing, in total.
    """

    def __init__(
        self,
        *,
        data=None,
        every: float = 2.0,
        max_overhead: float = 0.03,
        plots: bool | None = None,
        path: str | os.PathLike | None = None,
        progress: bool = True,
        resolution: int = 60,
        size: tuple[float, float] = (10.0, 3.2),
        epochs: int | None = None,
    ):
        self.data = data
        self.every = float(check_positive(every, "every"))
        self.max_overhead = float(check_positive(max_overhead, "max_overhead"))
        self.path = path
        self.plots = plots
        self.resolution = int(resolution)
        self.size = size
        self._bar = ProgressBar(epochs) if progress else None
        self.figure = None
        self.redraws = 0
        self.draw_seconds = 0.0
        if data is not None and (not isinstance(data, (tuple, list)) or len(data) != 2):
            raise ConfigError("data must be a pair (X, y) for the decision boundary")

    # -- callback hooks ---------------------------------------------------------------------------
    def on_train_begin(self, trainer) -> None:
        self._notebook = in_notebook()
        draw = self.plots if self.plots is not None else (self._notebook or self.path is not None)
        self._handle = None
        # the first redraw after `every` seconds: a run shorter than that is drawn once, at the end
        self._next = time.perf_counter() + self.every
        self._drawn_epoch = None
        if draw:
            self._setup_figure(trainer)
        if self._bar is not None:
            self._bar.on_train_begin(trainer)

    def on_epoch_end(self, trainer, epoch, logs):
        if self._bar is not None:
            self._bar.on_epoch_end(trainer, epoch, logs)
        if self.figure is not None and time.perf_counter() >= self._next:
            self._draw(trainer)

    def on_train_end(self, trainer):
        if self.figure is not None and self._drawn_epoch != trainer.epoch:
            self._draw(trainer)
        self.close()

    def close(self) -> None:
        """Stop the progress bar if it is running (the figure stays)."""
        if self._bar is not None:
            self._bar.close()

    # -- drawing ----------------------------------------------------------------------------------
    def _setup_figure(self, trainer) -> None:
        try:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
        except ImportError:
            raise ConfigError(
                "live plots need matplotlib; install it with: pip install 'leannet[notebooks]'"
            ) from None
        net = trainer.network
        self._boundary = None
        if self.data is not None and trainer.loss.classification and net.n_inputs == 2:
            X = np.asarray(self.data[0], dtype=float)
            y = np.asarray(self.data[1])
            y = y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(-1)
            pad = 0.1 * (X.max(0) - X.min(0) + 1e-9) + 0.1
            lo, hi = X.min(0) - pad, X.max(0) + pad
            if len(X) > MAX_POINTS:  # drawing thousands of markers at every redraw costs time
                keep = np.random.default_rng(0).choice(len(X), MAX_POINTS, replace=False)
                X, y = X[keep], y[keep]
            gx, gy = np.meshgrid(
                np.linspace(lo[0], hi[0], self.resolution),
                np.linspace(lo[1], hi[1], self.resolution),
            )
            grid = np.c_[gx.ravel(), gy.ravel()].astype(net.dtype)
            self._boundary = (grid, gx.shape)
        n = 3 if self._boundary is not None else 2
        # a fixed layout: constrained/tight layout would be recomputed at every redraw
        self.figure = Figure(figsize=self.size, dpi=72)
        FigureCanvasAgg(self.figure)
        self._axes = self.figure.subplots(1, n)
        self.figure.subplots_adjust(left=0.06, right=0.98, bottom=0.16, top=0.84, wspace=0.28)
        titles = ["loss (data + penalty)", "data loss vs penalty", "decision boundary"]
        for ax, title in zip(self._axes, titles):
            ax.set_title(title, fontsize=10)
        self._lines = {}
        for key, label in (("loss", "train"), ("val_loss", "validation")):
            (self._lines[key],) = self._axes[0].plot([], [], label=label)
        for key, label in (("data_loss", "data loss"), ("reg_loss", "penalty")):
            (self._lines[key],) = self._axes[1].plot([], [], label=label)
        for ax in self._axes[:2]:
            ax.set_xlabel("epoch")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        if self._boundary is not None:
            # drawn once; each redraw only replaces the image's pixels (the predicted classes)
            k = max(int(y.max()) + 1, net.n_outputs if net.n_outputs > 1 else 2)
            cmap = "coolwarm" if k == 2 else "tab10"
            ax = self._axes[2]
            self._image = ax.imshow(
                np.zeros(gx.shape),
                origin="lower",
                extent=(lo[0], hi[0], lo[1], hi[1]),
                aspect="auto",
                alpha=0.35,
                cmap=cmap,
                vmin=0,
                vmax=k - 1 if k == 2 else 9,
                interpolation="nearest",
            )
            ax.scatter(
                X[:, 0],
                X[:, 1],
                c=y,
                s=8,
                cmap=cmap,
                vmin=0,
                vmax=k - 1 if k == 2 else 9,
                edgecolor="k",
                linewidth=0.2,
            )

    def _draw(self, trainer) -> None:
        start = time.perf_counter()
        hist = trainer.history
        epochs = hist.epoch
        for key, line in self._lines.items():
            values = hist.history.get(key)
            if values:
                line.set_data(epochs, values)
        for ax in self._axes[:2]:
            ax.relim()
            ax.autoscale_view()
        if self._boundary is not None:
            self._draw_boundary(trainer.network)
        self.figure.suptitle(f"epoch {trainer.epoch}", fontsize=10)
        buf = io.BytesIO()
        self.figure.canvas.print_png(buf)
        png = buf.getvalue()
        if self._notebook:
            from IPython.display import Image, display

            if self._handle is None:
                self._handle = display(Image(data=png), display_id=True)
            else:
                self._handle.update(Image(data=png))
        if self.path is not None:
            from ._atomic import atomic_write_bytes

            atomic_write_bytes(self.path, png)
        cost = time.perf_counter() - start
        self._drawn_epoch = trainer.epoch
        self.redraws += 1
        self.draw_seconds += cost
        # the next redraw waits `every` seconds and long enough to keep drawing under max_overhead
        self._next = time.perf_counter() + max(self.every, cost / self.max_overhead)

    def _draw_boundary(self, net) -> None:
        grid, shape = self._boundary
        out = net.predict(grid)
        classes = (out[:, 0] > 0.5) if out.shape[1] == 1 else out.argmax(axis=1)
        self._image.set_data(classes.reshape(shape).astype(float))
