"""The plots of `leannet.plots` as matplotlib figures, for notebooks and scripts (no file needed).

Each function returns a `matplotlib.figure.Figure` (Agg canvas, no pyplot state):
Jupyter shows it when it is the last expression of a cell, ``fig.savefig(path)`` writes
it. They draw exactly what ``leannet train`` puts into a run's report.

>>> fig = ln.figures.plot_history(history)            # same as history.plot()
>>> fig = ln.figures.plot_decision_boundary(net, X, y)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_history",
    "plot_predicted_vs_actual",
    "plot_weights",
    "predict_classes",
]


def _plots():
    from . import plots  # imports matplotlib, an optional dependency: on first use

    return plots


def predict_classes(net, X) -> np.ndarray:
    """Class indices from the network's outputs: ``output > 0.5`` for one sigmoid unit,
    the arg-max otherwise."""
    out = np.asarray(net.predict(np.asarray(X, dtype=net.dtype)))
    if out.shape[1] == 1:
        return (out[:, 0] > 0.5).astype(np.int64)
    return np.argmax(out, axis=1)


def plot_history(history, *, title: str = "", val_label: str = "validation"):
    """Loss (train/validation), data loss vs penalty, accuracy or R², learning rate per epoch.

    Args:
        history: a [`History`][leannet.history.History] (or its ``.history`` dict).
    """
    curves = dict(getattr(history, "history", history))
    epochs = list(getattr(history, "epoch", []) or range(1, len(curves.get("loss", [])) + 1))
    return _plots().plot_training_curves(
        {"epoch": epochs, **curves}, None, title=title, val_label=val_label
    )


def plot_weights(net):
    """A histogram of the weight values of each Dense layer (biases left out)."""
    weights = [(name, w) for name, w in net.parameters() if name.endswith(".W")]
    return _plots().plot_weight_histograms(weights, None)


def plot_decision_boundary(
    net,
    X,
    y,
    *,
    class_names: Sequence[str] | None = None,
    title: str = "decision boundary",
    resolution: int = 150,
):
    """The predicted class over the plane of a network with two inputs, the data on top."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        y = y.argmax(axis=1)
    return _plots().plot_decision_boundary(
        lambda G: predict_classes(net, G),
        np.asarray(X, dtype=float),
        y.reshape(-1).astype(int),
        None,
        class_names=class_names,
        title=title,
        resolution=resolution,
    )


def plot_confusion_matrix(net, X, y, *, class_names: Sequence[str] | None = None, title: str = ""):
    """Counts of (true class, predicted class) for integer labels ``y``."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        y = y.argmax(axis=1)
    return _plots().plot_confusion_matrix(
        y.reshape(-1).astype(int),
        predict_classes(net, X),
        None,
        class_names=class_names,
        title=title or "confusion matrix",
    )


def plot_predicted_vs_actual(net, X, y, *, title: str = "predicted vs actual"):
    """Regression: predictions against the targets (and the fit over the input when it is 1-D)."""
    X = np.asarray(X, dtype=float)
    pred = net.predict(X.astype(net.dtype))
    return _plots().plot_predicted_vs_actual(
        np.asarray(y, dtype=float), pred, None, X=X if X.shape[1] == 1 else None, title=title
    )
