"""Writing a run directory from one `RunRecord`.

Files: ``model.npz``, ``data.json`` (what predict/evaluate need: feature names,
classes, scaling, loss), ``splits.npz`` (the exact arrays, when small),
``config.json``/``config.toml``, ``history.csv``, ``metrics.json``, ``run.json``,
the plots, and ``report.{html,md,tex,pdf}``. Every file is written atomically.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._atomic import atomic_write_bytes, atomic_write_text
from ..datasets import Dataset
from .config import applicable_settings, to_toml
from .inference import evaluate_splits, predict_labels
from .model_summary import architecture, weight_stats
from .modeling import output_size
from .runs import atomic_write_json, write_history_csv
from .splits import Splits

__all__ = ["SPLITS_MAX_BYTES", "RunRecord", "save_run", "write_run"]

SPLITS_MAX_BYTES = 20_000_000


@dataclass
class RunRecord:
    """Everything a run directory is written from.

    Attributes:
        net: the trained network (saved as ``model.npz``).
        ds: the data set it was trained on (names, classes, task).
        splits: the scaled arrays it was trained and scored on.
        loss: the loss name.
        config: the resolved configuration (``config.json``/``config.toml``).
        history: the ``History`` (or a dict of per-epoch lists), or None.
        title, description: the report's heading and first paragraph.
        sections: extra report sections (a demo's tables and figures), as dicts.
        conclusions: a demo's conclusions, each a sentence computed from its numbers.
        extra_figures: figures already drawn into the run directory (``file``,
            ``caption``, ``kind``).
        extra_metrics: merged into ``metrics.json``.
        preprocessing: the fitted preprocessing state saved inside ``model.npz``
            (`leannet.preprocessing`), or None.
        target_scaling: ``{"mean", "scale"}`` of a regression target standardised
            without a table's preprocessing (saved in ``data.json``), or None.
    """

    net: object
    ds: Dataset
    splits: Splits
    loss: str
    config: dict
    history: object = None
    title: str = ""
    description: str = ""
    sections: list = field(default_factory=list)
    conclusions: list = field(default_factory=list)
    extra_figures: list = field(default_factory=list)
    extra_metrics: dict = field(default_factory=dict)
    preprocessing: dict | None = None
    target_scaling: dict | None = None


def write_run(
    run_dir: str | Path, record: RunRecord, *, plots: bool = True, pdf: bool = True
) -> dict:
    """Write every file of the run directory and build its reports.

    Args:
        run_dir: an existing directory (see `leannet.lab.runs.create_run_dir`).
        record: what to write.
        plots: draw the standard figures (curves, weights, confusion matrix or
            predicted vs actual, decision boundary for 2-D inputs).
        pdf: also compile ``report.pdf`` when a TeX engine is installed.

    Returns:
        The dict written to ``metrics.json``, plus ``reports`` (the paths written).
    """
    from .report import write_reports

    run_dir = Path(run_dir)
    net, ds, splits, loss, config = record.net, record.ds, record.splits, record.loss, record.config
    n_out = output_size(loss, ds)
    from ..serialization import save as save_model

    # atomic: temporary file, fsync, rename
    save_model(net, run_dir / "model.npz", preprocessing=record.preprocessing)
    atomic_write_json(
        run_dir / "data.json",
        {
            "source": ds.name,
            "task": ds.task,
            "target_name": ds.target_name,
            "feature_names": ds.feature_names,
            "class_names": ds.class_names,
            "mean": splits.mean,
            "std": splits.std,
            "loss": loss,
            "n_outputs": n_out,
            "preprocessing": record.preprocessing is not None,
            "target_scaling": record.target_scaling,
        },
    )
    _save_splits(run_dir / "splits.npz", splits)
    atomic_write_json(run_dir / "config.json", config)
    atomic_write_text(run_dir / "config.toml", to_toml(config))
    history = record.history
    hist = dict(getattr(history, "history", history) or {})
    epochs = list(getattr(history, "epoch", []) or range(1, len(hist.get("loss", [])) + 1))
    if hist:
        write_history_csv(run_dir / "history.csv", hist, epochs)
    metrics = {
        "task": ds.task,
        "loss": loss,
        "metrics": evaluate_splits(net, splits.items(), loss, n_out, ds.task),
        "architecture": architecture(net),
        "weights": weight_stats(net),
        "epochs_run": len(epochs),
        "hyperparameters": applicable_settings(
            config, task=ds.task, table=record.preprocessing is not None
        ),
    }
    if history is not None and getattr(history, "interrupted", False):
        metrics["interrupted"] = True
    metrics.update(record.extra_metrics or {})
    if "provenance" not in metrics:
        from .provenance import provenance

        metrics["provenance"] = provenance([ds.name])
    figures = list(record.extra_figures or [])
    if plots:
        figures += _standard_figures(run_dir, record, hist, epochs, metrics)
    atomic_write_json(run_dir / "metrics.json", metrics)
    atomic_write_json(
        run_dir / "run.json",
        {
            "title": record.title,
            "description": record.description,
            "sections": record.sections or [],
            "conclusions": record.conclusions or [],
            "model_heading": "The saved model: architecture"
            if record.conclusions
            else "Architecture",
            "figures": figures,
        },
    )
    metrics["reports"] = write_reports(run_dir, pdf=pdf)
    return metrics


def save_run(run_dir: str | Path, *, plots: bool = True, pdf: bool = True, **fields) -> dict:
    """``write_run(run_dir, RunRecord(**fields))`` for callers that name the fields."""
    return write_run(run_dir, RunRecord(**fields), plots=plots, pdf=pdf)


def _save_splits(path: Path, splits: Splits) -> None:
    """The exact arrays the model was trained and scored on (scaled), so that the
    numbers in metrics.json can be checked; skipped for data over 20 MB."""
    arrays = {}
    for name, X, y in splits.items():
        arrays[f"X_{name}"], arrays[f"y_{name}"] = X, np.asarray(y)
    if sum(a.nbytes for a in arrays.values()) > SPLITS_MAX_BYTES:
        return
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())


def _target_units(values, record: RunRecord) -> np.ndarray:
    """Values of a standardised regression target back in its units (CSV runs)."""
    from ..preprocessing.target import unscale_target_values

    scaling = (record.preprocessing or {}).get("target") or record.target_scaling
    return unscale_target_values(values, scaling)


def _curves_caption(hist: dict, config: dict) -> str:
    """The panels drawn, by name; with loss weights, which curves carry them."""
    from ..plots import training_curve_panels

    names = {"loss": "loss", "components": "data loss vs penalty", "r2": "R²"}
    panels = [names.get(key, title) for key, title in training_curve_panels(hist)]
    caption = "Training curves: " + ", ".join(panels)
    weighted = [w for w in ("class_weight", "sample_weight") if config.get(w)]
    if weighted:
        caption += (
            f". The training curves are weighted by {' and '.join(weighted)} (the loss the "
            "network minimises); the validation curves and the tables are not"
        )
    return caption


def _standard_figures(run_dir: Path, record: RunRecord, hist: dict, epochs, metrics) -> list:
    """Draw the figures every run has; return their ``run.json`` entries."""
    from .. import plots as P

    net, ds, splits, loss = record.net, record.ds, record.splits, record.loss
    figures = []
    if hist:
        figures.append(
            {
                "file": P.plot_training_curves(
                    {"epoch": epochs, **hist},
                    run_dir / "curves.png",
                    val_label=metrics.get("monitor", "validation"),
                ),
                "caption": _curves_caption(hist, record.config),
                "kind": "curves",
            }
        )
    wts = [(k, w) for k, w in net.parameters() if k.endswith(".W")]
    figures.append(
        {
            "file": P.plot_weight_histograms(wts, run_dir / "weights.png"),
            "caption": "Histogram of weight values per layer",
            "kind": "weights",
        }
    )
    name, X_eval, y_eval = splits.items()[-1]
    if ds.task != "classification":
        raw_X = X_eval * splits.std + splits.mean
        curve = None
        if ds.n_features == 1:  # the model's curve on a dense grid, not joined test points
            grid = np.linspace(raw_X.min(), raw_X.max(), 200)[:, None]
            scaled = ((grid - splits.mean) / splits.std).astype(net.dtype)
            curve = (grid, _target_units(net.predict(scaled), record))
        figures.append(
            {
                "file": P.plot_predicted_vs_actual(
                    _target_units(y_eval, record),
                    _target_units(net.predict(X_eval), record),
                    run_dir / "predicted.png",
                    X=raw_X if ds.n_features == 1 else None,
                    title=f"predicted vs actual ({name})",
                    curve=curve,
                ),
                "caption": f"Predicted vs actual on the {name} split",
                "kind": "task",
            }
        )
        return figures
    pred = predict_labels(net, X_eval, loss)
    figures.append(
        {
            "file": P.plot_confusion_matrix(
                np.asarray(y_eval),
                pred,
                run_dir / "confusion.png",
                class_names=ds.class_names,
                title=f"confusion matrix ({name})",
            ),
            "caption": f"Confusion matrix on the {name} split",
            "kind": "task",
        }
    )
    if ds.n_features == 2:

        def classify(G):
            Z = ((G - splits.mean) / splits.std).astype(net.dtype)
            return predict_labels(net, Z, loss)

        raw_X = splits.X_train * splits.std + splits.mean
        figures.append(
            {
                "file": P.plot_decision_boundary(
                    classify,
                    raw_X,
                    splits.y_train,
                    run_dir / "boundary.png",
                    class_names=ds.class_names,
                    title="decision boundary (training data)",
                ),
                "caption": "Decision boundary with the training data",
                "kind": "task",
            }
        )
    return figures
