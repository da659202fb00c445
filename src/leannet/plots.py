"""Plots of a network and its training (``History.plot``, [`leannet.figures`][leannet.figures], the lab's
runs and demos), drawn with matplotlib's Agg canvas and written atomically as PNG.

matplotlib is imported inside each function (it is an optional dependency), and
figures are built with `matplotlib.figure.Figure` directly rather than
``pyplot``, so no global state or GUI backend is involved.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence

import numpy as np

from ._atomic import atomic_write_bytes
from .errors import ConfigError

__all__ = [
    "new_figure",
    "save_figure",
    "plot_training_curves",
    "plot_weight_histograms",
    "plot_decision_boundary",
    "plot_confusion_matrix",
    "plot_predicted_vs_actual",
    "plot_activations",
    "plot_mean_std_bars",
    "plot_text",
]

DPI = 100


def new_figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] = (7.0, 4.5)):
    """A matplotlib Figure with an Agg canvas and its axes (always a flat list)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise ConfigError(
            "plots need matplotlib; install it with: pip install 'leannet[cli]'"
        ) from None
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, [ax for row in axes for ax in row]


def save_figure(fig, path: str | os.PathLike | None) -> str:
    """Render ``fig`` to PNG and write it atomically; returns the file name.

    With ``path=None`` nothing is written and the Figure itself is returned, so every
    ``plot_*`` function here gives a figure to Python callers (``leannet.figures``)."""
    if path is None:
        return fig
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    atomic_write_bytes(path, buf.getvalue())
    return os.path.basename(os.fspath(path))


#: Beyond this many classes a confusion matrix shows the most frequent ones plus "other".
MAX_MATRIX_CLASSES = 25
#: Beyond this many classes a legend is left out (it would cover the plot).
MAX_LEGEND_ENTRIES = 20


def plot_text(text: object, limit: int = 40) -> str:
    """A label from the data (a class or feature name) as text matplotlib draws literally.

    ``$...$`` would be parsed as mathtext (``$\\undefinedmacro$`` raises), a lone
    surrogate cannot be encoded, a leading ``_`` hides a legend entry, control
    characters garble the layout: each is neutralised, and long names are cut.
    """
    text = str(text).encode("utf-8", "replace").decode("utf-8")
    text = "".join(c if c.isprintable() else "?" for c in text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


def _clean(values) -> np.ndarray:
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


def training_curve_panels(history: dict) -> list[tuple[str, str]]:
    """``(key, title)`` of the panels `plot_training_curves` draws for ``history``
    (the penalty panel only when there is a penalty; accuracy or R²; learning rate)."""
    panels = [("loss", "loss (data + penalty)")]
    if any(v for v in history.get("reg_loss", []) if v == v):
        panels.append(("components", "data loss vs penalty"))
    metric = "accuracy" if "accuracy" in history else ("r2" if "r2" in history else None)
    if metric:
        panels.append((metric, metric))
    if "lr" in history:
        panels.append(("lr", "learning rate"))
    return panels


def plot_training_curves(
    history: dict, path: str | os.PathLike, *, title: str = "", val_label: str = "validation"
) -> str:
    """Loss (train/validation), data loss vs penalty, accuracy or R², learning rate.

    ``val_label`` names the monitored data (a demo may watch its test set)."""
    epochs = _clean(history.get("epoch") or range(1, len(history.get("loss", [])) + 1))
    panels = training_curve_panels(history)
    ncols = 2 if len(panels) > 1 else 1
    nrows = (len(panels) + 1) // 2 if len(panels) > 1 else 1
    fig, axes = new_figure(nrows, ncols, size=(10.0, 3.4 * nrows))
    for ax, (key, label) in zip(axes, panels, strict=False):
        if key == "components":
            ax.plot(epochs, _clean(history["data_loss"]), label="data loss")
            ax.plot(epochs, _clean(history["reg_loss"]), label="penalty (reg_loss)")
        elif key == "lr":
            lr = _clean(history["lr"])
            ax.plot(epochs, lr, color="tab:gray")
            ax.set_ylim(0, 1.1 * np.nanmax(lr) if np.isfinite(np.nanmax(lr)) else 1)
        else:
            ax.plot(epochs, _clean(history[key]), label="train")
            if f"val_{key}" in history:
                ax.plot(epochs, _clean(history[f"val_{key}"]), label=val_label)
        ax.set_title(label)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        if key in ("loss", "components") and _spans_decades(history):
            ax.set_yscale("log")
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return save_figure(fig, path)


def _spans_decades(history: dict) -> bool:
    """Loss curves get a log axis only when positive and spanning at least a factor of 10
    (within one decade a log axis shows a single tick label)."""
    values = _clean(history.get("loss", [1]))
    values = values[np.isfinite(values)]
    return bool(values.size and values.min() > 0 and values.max() / values.min() >= 10)


def plot_weight_histograms(
    weights: Sequence[tuple[str, np.ndarray]], path: str | os.PathLike
) -> str:
    """One histogram of |w| values per weight matrix (biases left out)."""
    n = max(len(weights), 1)
    fig, axes = new_figure(1, n, size=(min(4.0 * n, 12.0), 3.2))
    for ax, (name, w) in zip(axes, weights, strict=False):
        w = np.asarray(w, dtype=float).ravel()
        ax.hist(w, bins=int(np.clip(w.size // 4, 8, 40)), color="tab:blue", alpha=0.8)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(f"{name}  (||W||={np.linalg.norm(w):.3g})", fontsize=9)
        ax.set_xlabel("weight value")
        ax.axvline(0, color="k", lw=0.6)
    axes[0].set_ylabel("count")
    return save_figure(fig, path)


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    path: str | os.PathLike,
    *,
    class_names: Sequence[str] | None = None,
    title: str = "decision boundary",
    resolution: int = 200,
) -> str:
    """Predicted class over a grid of a 2-D input space, with the data on top.

    ``predict`` maps an (n, 2) array of inputs to integer classes.
    """
    X = np.asarray(X, dtype=float)
    if X.shape[1] != 2:
        raise ConfigError("a decision boundary needs exactly 2 input features")
    pad = 0.1 * (X.max(0) - X.min(0) + 1e-9) + 0.1
    lo, hi = X.min(0) - pad, X.max(0) + pad
    gx, gy = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    zz = np.asarray(predict(np.c_[gx.ravel(), gy.ravel()])).reshape(gx.shape)
    k = int(max(zz.max(), np.max(y))) + 1
    fig, (ax,) = new_figure(size=(5.5, 5.0))
    ax.contourf(
        gx,
        gy,
        zz,
        levels=np.arange(-0.5, k),
        cmap="coolwarm" if k == 2 else "tab10",
        alpha=0.3,
        vmin=-0.5,
        vmax=k - 0.5 if k == 2 else 9.5,
    )
    present = np.unique(np.asarray(y, dtype=int))
    for c in present:
        m = np.asarray(y) == c
        name = class_names[c] if class_names is not None and c < len(class_names) else str(c)
        colour = ("tab:blue", "tab:red")[c] if k == 2 else f"C{c % 10}"
        size = 80 if len(X) < 50 else 18
        ax.scatter(
            X[m, 0],
            X[m, 1],
            s=size,
            edgecolor="k",
            linewidth=0.4,
            color=colour,
            label=plot_text(name),
        )
    ax.set_title(plot_text(title, 80))
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if len(present) <= MAX_LEGEND_ENTRIES:
        ax.legend(fontsize=8, loc="best")
    return save_figure(fig, path)


def plot_confusion_matrix(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    path: str | os.PathLike,
    *,
    class_names: Sequence[str] | None = None,
    title: str = "confusion matrix",
) -> str:
    """Counts of (true class, predicted class) pairs, with the numbers written in.

    With more than `MAX_MATRIX_CLASSES` classes the matrix shows the most
    frequent true classes and one "other" row and column for the rest (the title
    says so): a 10,000-class matrix would take minutes and gigabytes to draw.
    """
    y_true, y_pred = np.asarray(y_true, int), np.asarray(y_pred, int)
    k = len(class_names) if class_names is not None else int(max(y_true.max(), y_pred.max())) + 1
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    if k > MAX_MATRIX_CLASSES:
        counts = np.bincount(y_true, minlength=k)
        shown = np.argsort(-counts, kind="stable")[: MAX_MATRIX_CLASSES - 1]
        index = np.full(k, len(shown))  # every other class -> the "other" row/column
        index[shown] = np.arange(len(shown))
        title = f"{title}: {len(shown)} most frequent of {k} classes"
        names = [names[c] for c in shown] + [f"other {k - len(shown)}"]
        y_true, y_pred = index[y_true], index[y_pred]
        k = len(names)
    cm = np.zeros((k, k), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    size = min(3.0 + 0.45 * k, 9.0)
    fig, (ax,) = new_figure(size=(size + 1.0, size))
    im = ax.imshow(cm, cmap="Blues")
    from matplotlib.ticker import MaxNLocator

    bar = fig.colorbar(im, ax=ax, shrink=0.8)
    bar.locator = MaxNLocator(integer=True)  # counts of rows: whole numbers only
    bar.update_ticks()
    bar.set_label("rows")
    short = [plot_text(n, 12) for n in names]
    tilt = k > 4 and max(len(n) for n in short) > 2
    ax.set_xticks(range(k), short, rotation=45 if tilt else 0, ha="right" if tilt else "center")
    ax.set_yticks(range(k), short)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    thresh = cm.max() / 2 if cm.size else 0
    if k <= 20:
        for i in range(k):
            for j in range(k):
                ax.text(
                    j,
                    i,
                    str(cm[i, j]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if cm[i, j] > thresh else "black",
                )
    ax.set_title(plot_text(title, 80))
    return save_figure(fig, path)


def plot_predicted_vs_actual(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    path: str | os.PathLike,
    *,
    X: np.ndarray | None = None,
    title: str = "predicted vs actual",
    curve: tuple[np.ndarray, np.ndarray] | None = None,
) -> str:
    """Regression: predicted against actual values (and, for one input feature,
    the data and the model's curve against that feature: ``curve = (x_grid,
    predictions)`` on a dense grid; without it the predictions are drawn as points,
    never joined, since straight lines between a few points are not the model)."""
    y_true = np.asarray(y_true, dtype=float).reshape(len(y_true), -1)[:, 0]
    y_pred = np.asarray(y_pred, dtype=float).reshape(len(y_pred), -1)[:, 0]
    one_d = X is not None and np.asarray(X).shape[1] == 1
    fig, axes = new_figure(1, 2 if one_d else 1, size=(10.0 if one_d else 5.0, 4.5))
    ax = axes[0]
    ax.scatter(y_true, y_pred, s=14, alpha=0.7)
    lim = [min(y_true.min(), y_pred.min()), max(y_true.max(), y_pred.max())]
    ax.plot(lim, lim, "k--", lw=1, label="perfect prediction")
    ax.set_xlabel("actual")
    ax.set_ylabel("predicted")
    ax.set_title(title)
    ax.legend()
    if one_d:
        x = np.asarray(X, dtype=float)[:, 0]
        order = np.argsort(x)
        axes[1].scatter(x, y_true, s=14, color="tab:blue", label="data")
        if curve is not None:
            gx, gy = (np.asarray(c, dtype=float).reshape(len(c), -1)[:, 0] for c in curve)
            axes[1].plot(gx, gy, color="tab:red", lw=2, label="model")
        else:
            axes[1].scatter(x[order], y_pred[order], s=14, color="tab:red", label="prediction")
        axes[1].set_xlabel("feature")
        axes[1].set_ylabel("target")
        axes[1].set_title("fit over the input")
        axes[1].legend()
    return save_figure(fig, path)


def plot_activations(
    functions: dict[str, tuple[Callable, Callable]], path: str | os.PathLike
) -> str:
    """Each activation ``f`` and its derivative ``f'`` on [-5, 5]."""
    x = np.linspace(-5, 5, 401)
    fig, axes = new_figure(1, 2, size=(10.0, 4.0))
    for name, (f, df) in functions.items():
        axes[0].plot(x, f(x), label=name)
        axes[1].plot(x, df(x), label=name)
    axes[0].set_title("activation f(x)")
    axes[1].set_title("derivative f'(x)")
    for ax in axes:
        ax.axhline(0, color="k", lw=0.5)
        ax.axvline(0, color="k", lw=0.5)
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_ylim(-1.5, 3)
    return save_figure(fig, path)


def plot_mean_std_bars(
    groups: Sequence[str],
    series: dict[str, tuple[Sequence[float], Sequence[float]]],
    path: str | os.PathLike,
    *,
    ylabel: str = "",
    title: str = "",
) -> str:
    """Grouped bars of means with ±1 std error bars. ``series`` maps a label to
    ``(means per group, stds per group)``."""
    fig, (ax,) = new_figure(size=(7.0, 4.2))
    n = len(series)
    width = 0.8 / max(n, 1)
    idx = np.arange(len(groups))
    for i, (label, (mean, std)) in enumerate(series.items()):
        ax.bar(idx + (i - (n - 1) / 2) * width, mean, width, yerr=std, capsize=4, label=label)
    ax.set_xticks(idx, list(groups))
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    return save_figure(fig, path)
