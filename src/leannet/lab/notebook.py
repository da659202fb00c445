"""Run directories from Python: write the lab's report for a network trained in a notebook,
and look at a run directory (``leannet train``'s or this one's) in Jupyter. The package
root exposes ``report``, ``Run`` and ``open_run`` on first use (``ln.report``), so
``import leannet`` stays the core only.

>>> hist = net.fit(X, y, loss="binary_cross_entropy", validation_data=(Xv, yv), epochs=200)
>>> run = ln.report(net, hist, X=X, y=y, loss="binary_cross_entropy",
...                 validation_data=(Xv, yv), out="runs/my-xor")
>>> run.files["tex"]        # runs/my-xor/report.tex (and .html, .md, .pdf with pdflatex)

The run directory is the one ``leannet train`` writes (model, data.json, history.csv,
metrics.json, plots, report.html/.md/.tex/.pdf), so ``leannet evaluate``, ``predict``
and ``report`` work on it too. The arrays are recorded as given: the network was
trained on them, so the run's scaling is the identity.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import losses as losses_module
from ..errors import ConfigError, DataError

__all__ = ["Run", "open_run", "report"]


@dataclass
class Run:
    """A run directory.

    Attributes:
        path: the directory.
        metrics: what its ``metrics.json`` holds (final metrics per split, weights...).
        files: report files that exist, by format: ``{"html": Path, "md": ..., "tex": ..., "pdf": ...}``.
    """

    path: Path
    metrics: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)

    def _repr_html_(self) -> str:
        from ..display import run_html

        return run_html(self.path)

    def __repr__(self) -> str:
        formats = ", ".join(sorted(self.files)) or "no reports"
        return f"Run({str(self.path)!r}, reports: {formats})"


def _report_files(path: Path) -> dict:
    from ..display import REPORT_FILES

    return {name.split(".")[-1]: path / name for name in REPORT_FILES if (path / name).is_file()}


def open_run(path: str | os.PathLike) -> Run:
    """A [`Run`][leannet.lab.notebook.Run] for an existing run directory (its ``metrics.json`` read with a size
    bound; a missing or unreadable file gives empty metrics, never an exception)."""
    from ..display import read_json_bounded

    path = Path(path)
    if not path.is_dir():
        raise ConfigError(f"{path} is not a directory; give a run directory (e.g. runs/<name>)")
    return Run(path, read_json_bounded(path / "metrics.json") or {}, _report_files(path))


def _class_indices(y, loss, n_out: int, name: str) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1).astype(np.int64)
    y = y.reshape(-1)
    if not np.all(y == np.round(y)) or y.min() < 0:
        raise DataError(
            f"{name} must hold class labels 0, 1, ... (or one-hot rows) for {loss.name}"
        )
    return y.astype(np.int64)


def report(
    net,
    history=None,
    *,
    X,
    y,
    loss,
    validation_data=None,
    test_data=None,
    out: str | os.PathLike | None = None,
    title: str = "",
    description: str = "",
    feature_names: list[str] | None = None,
    class_names: list[str] | None = None,
    config: dict | None = None,
    force: bool = False,
    pdf: bool = True,
) -> Run:
    """Write the lab's report (HTML, Markdown, LaTeX, and PDF when ``pdflatex`` is installed)
    for a network trained in Python.

    Args:
        net: the trained [`Sequential`][leannet.network.Sequential].
        history: what ``fit`` returned (curves in the report), or None.
        X: the training inputs, as the network was trained on them.
        y: the training targets.
        loss: the loss it was trained with ("binary_cross_entropy", ...).
        validation_data: an ``(X, y)`` pair scored in the report, or None.
        test_data: another ``(X, y)`` pair scored in the report, or None.
        out: the run directory (default: a new ``runs/<time>-report``); an existing
            non-empty one is refused unless ``force``.
        title: the report's heading.
        description: the report's first paragraph.
        feature_names: names of the input columns for the tables and plots.
        class_names: names of the classes.
        config: hyperparameters to list in the report (optimizer, learning rate...).
        force: write into an existing non-empty ``out`` (files are replaced one by one).
        pdf: also compile the PDF when a TeX engine is installed.

    Returns:
        Run: the directory, its metrics and report files (shown as a summary in Jupyter).
    """
    from ..datasets import Dataset
    from .run_record import save_run
    from .runs import create_run_dir
    from .splits import Splits

    loss_fn = losses_module.get(loss)
    net.check_loss(loss_fn)
    X = net.check_input(X)
    task = "classification" if loss_fn.classification else "regression"
    n_out = net.n_outputs

    def target(values, name):
        if task == "classification":
            return _class_indices(values, loss_fn, n_out, name)
        return np.asarray(values, dtype=net.dtype).reshape(len(values), -1)

    def pair(data, name):
        if data is None:
            return None, None
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ConfigError(f"{name} must be a pair (X, y)")
        Xs = net.check_input(data[0], f"{name}[0]")
        return Xs, target(data[1], f"{name}[1]")

    y_train = target(y, "y")
    if len(y_train) != len(X):
        raise DataError(f"X has {len(X)} rows but y has {len(y_train)}")
    X_val, y_val = pair(validation_data, "validation_data")
    X_test, y_test = pair(test_data, "test_data")
    n_features = X.shape[1]
    if task == "classification":
        k = 2 if loss_fn.name == "binary_cross_entropy" else n_out
        names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    else:
        names = None
    ds = Dataset(
        X=X,
        y=y_train if task == "classification" or y_train.shape[1] > 1 else y_train[:, 0],
        task=task,
        feature_names=list(feature_names or [f"x{i + 1}" for i in range(n_features)]),
        class_names=names,
        name=title or "trained in Python",
    )
    splits = Splits(
        X,
        ds.y,
        X_val,
        _flat(y_val),
        X_test,
        _flat(y_test),
        np.zeros(n_features),
        np.ones(n_features),
    )
    settings = {"source": "Python", "loss": loss_fn.name, **(config or {})}
    run_dir = create_run_dir(out, "report", force=force)
    metrics = save_run(
        run_dir,
        net=net,
        ds=ds,
        splits=splits,
        loss=loss_fn.name,
        config=settings,
        history=history,
        title=title or "leannet: a network trained in Python",
        description=description
        or f"{len(X)} training rows, {n_features} features ({task}); trained in Python.",
        pdf=pdf,
    )
    return Run(run_dir, metrics, _report_files(run_dir))


def _flat(y):
    if y is None:
        return None
    return y if y.ndim == 1 or y.shape[1] > 1 else y[:, 0]
