"""``leannet train``: from a [`Dataset`][leannet.datasets.Dataset] and a
`TrainConfig` to a run directory with a report.

The steps live in their own modules, which the demos reuse: `splits`
(split and standardise), `modeling` (loss, network, optimizer, fit),
`run_record` (write the run directory), `inference` (predict,
evaluate, load a saved run).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
from pathlib import Path

import numpy as np

from .._memory import check_network_fits, mlp_parameter_count
from .._signals import deferred, last_stop_signal
from ..callbacks import EarlyStopping
from ..checkpoint import Checkpoint
from ..datasets import Dataset
from ..errors import ConfigError, TrainingDiverged
from .config import TrainConfig
from .inference import evaluate_splits, load_run_model, predict_labels
from .model_summary import architecture, weight_stats
from .modeling import (
    build_network,
    check_interrupted,
    fit_config,
    fit_targets,
    make_optimizer,
    output_size,
    resolve_loss,
)
from .run_files import read_json
from .run_guard import RunLock, data_identity, remove_stale_staging, staging_dir, swap_in
from .run_record import RunRecord, save_run, write_run
from .runs import atomic_write_json, create_run_dir
from .splits import Splits, split_data

# The names below were all defined here once; they stay importable from here.
__all__ = [
    "RunRecord",
    "Splits",
    "architecture",
    "build_network",
    "check_interrupted",
    "describe_data",
    "evaluate_splits",
    "fit_config",
    "fit_targets",
    "load_run_model",
    "make_optimizer",
    "output_size",
    "predict_labels",
    "resolve_loss",
    "save_run",
    "split_data",
    "train_run",
    "weight_stats",
    "write_run",
]


def describe_data(ds: Dataset, splits: Splits) -> str:
    """One sentence on the data and its splits, for a report."""
    n_val = 0 if splits.X_val is None else len(splits.X_val)
    n_test = 0 if splits.X_test is None else len(splits.X_test)
    classes = f", {ds.n_classes} classes" if ds.n_classes else ""
    return (
        f"Data: {ds.name} ({ds.task}, {ds.n_features} features{classes}); "
        f"{len(splits.X_train)} training, {n_val} validation and {n_test} test rows."
    )


def add_training_r2(history, splits: Splits, loss: str, ds: Dataset, weights=None) -> None:
    """Training R² per epoch for a one-output MSE regression, ``1 - MSE / Var(y_train)``
    (the MSE being the epoch's mean batch loss, like the logged training accuracy)."""
    import numpy as np

    from .scores import r2_from_mse

    hist = getattr(history, "history", None)
    y = np.asarray(splits.y_train, dtype=float)
    if ds.task != "regression" or loss != "mse" or not hist or "data_loss" not in hist:
        return
    if y.ndim > 1 and y.shape[1] != 1:
        return
    if weights is not None:  # the weighted loss is over the weighted variance
        mean = np.average(y.ravel(), weights=weights)
        var = np.average((y.ravel() - mean) ** 2, weights=weights)
        hist["r2"] = [1.0 - m / var if var > 0 else float("nan") for m in hist["data_loss"]]
    else:
        hist["r2"] = [float(v) for v in r2_from_mse(hist["data_loss"], y)]


def train_run(
    ds: Dataset,
    cfg: TrainConfig,
    *,
    out=None,
    force: bool = False,
    quiet: bool = False,
    log_every: int | None = None,
    pdf: bool = True,
    stream=None,
    checkpoint_every: int | None = None,
    resume: bool = False,
    table=None,
    provenance: dict | None = None,
) -> tuple[Path, dict]:
    """``leannet train``: split, build, fit, save, report. Returns (run_dir, metrics).

    ``RUN_DIR/checkpoint.npz`` is written every ``checkpoint_every`` epochs and at a
    Ctrl-C ([`Checkpoint`][leannet.checkpoint.Checkpoint]); ``resume=True`` continues the run in ``out`` from it.
    ``config.json`` is written before training, so that even a killed run can be
    resumed. On divergence the last finite weights are saved to ``model.npz`` and
    `TrainingDiverged` is re-raised with ``.model_path`` set.

    ``table`` (a `TableRun`) gives the preprocessed splits
    of a CSV file, its sample weights and the preprocessing saved with the model;
    ``provenance`` (version, date, command line, data hash) goes into the report.
    """
    loss = resolve_loss(cfg.loss, ds.task, ds.n_classes)
    splits = split_data(ds, cfg) if table is None else table.splits
    target_scaling = None
    if table is None and ds.task == "regression" and cfg.scale_target:
        splits, target_scaling = _standardise_target(splits)
    # refuse a network too large for memory before a run directory is created
    n_params = mlp_parameter_count(splits.X_train.shape[1], cfg.hidden, output_size(loss, ds))
    check_network_fits(n_params, np.dtype(cfg.dtype).itemsize, "the network")
    target = None if out is None else Path(out)
    # --force over an existing run: build the new run beside it, swap it in at the end.
    replace = bool(
        force and not resume and target is not None and target.is_dir() and any(target.iterdir())
    )
    with contextlib.ExitStack() as stack:
        if replace:
            stack.enter_context(RunLock(target))
            _say_removed(remove_stale_staging(target), target)
            run_dir = staging_dir(target)
            stack.callback(shutil.rmtree, run_dir, True)  # a no-op once swapped in
        else:
            run_dir = create_run_dir(out, f"train-{Path(ds.name).stem}", force=force or resume)
        stack.enter_context(RunLock(run_dir))
        if not replace:
            _say_removed(remove_stale_staging(run_dir), run_dir)
        run_dir, metrics = _train_in(
            run_dir,
            ds,
            cfg,
            splits,
            loss,
            resume=resume,
            quiet=quiet,
            log_every=log_every,
            pdf=pdf,
            stream=stream,
            checkpoint_every=checkpoint_every,
            table=table,
            provenance=provenance,
            target_scaling=target_scaling,
            swap_to=target if replace else None,
        )
    return run_dir, metrics


def _say_removed(removed: list[Path], target: Path) -> None:
    """One line on stderr naming the stale staging directories just removed."""
    if removed:
        names = ", ".join(p.name for p in removed)
        noun = "directory" if len(removed) == 1 else "directories"
        print(
            f"removed {len(removed)} staging {noun} of {target} left by a killed "
            f"`leannet train --force`: {names}",
            file=sys.stderr,
        )


def _standardise_target(splits: Splits) -> tuple[Splits, dict]:
    """A regression target standardised with the training rows' mean and std, as a CSV
    run's preprocessing does (`leannet.preprocessing.target_scaling`); returns the new
    splits and ``{"mean", "scale"}`` (saved in ``data.json`` to map predictions back)."""
    from dataclasses import replace

    from ..preprocessing.target import scale_target_values, target_scaling

    mean, scale = target_scaling(splits.y_train)
    scaling = {"mean": mean, "scale": scale}
    dtype = np.asarray(splits.y_train).dtype  # as split_data gave it (float)
    dtype = dtype if dtype.kind == "f" else np.dtype(float)

    def std(y):
        return None if y is None else scale_target_values(y, scaling).astype(dtype)

    new = replace(splits, y_train=std(splits.y_train), y_val=std(splits.y_val))
    return replace(new, y_test=std(splits.y_test)), scaling


def _training_weights(cfg, ds, splits, table) -> np.ndarray | None:
    """Per training row loss weights: a table's (its weight column times balanced class
    weights), or for other data ``class_weight="balanced"`` on the split's training rows."""
    if table is not None:
        return table.sample_weight
    if not cfg.class_weight:
        return None
    if ds.task != "classification":
        raise ConfigError(
            f"--class-weight applies to classification; {ds.name} is a regression dataset"
        )
    from .tabular import class_weights

    y = np.asarray(splits.y_train, dtype=np.int64)
    return class_weights(y, len(ds.class_names or ()) or int(y.max()) + 1)[y]


def _check_data_identity(run_dir: Path, identity: str) -> None:
    """On --resume: the data and split must be the ones the run was trained on."""
    saved = read_json(run_dir, "config.json").get("data_sha256")
    if saved is not None and saved != identity:
        raise ConfigError(
            f"--resume {run_dir}: the data or its split differ from the run's (SHA-256 "
            f"{identity[:12]}... here, {str(saved)[:12]}... when the run started); resume "
            "with the same --data, --seed, --val-split and --test-split, or start a new run"
        )


def _train_in(
    run_dir,
    ds,
    cfg,
    splits,
    loss,
    *,
    resume,
    quiet,
    log_every,
    pdf,
    stream,
    checkpoint_every,
    table,
    provenance,
    swap_to,
    target_scaling=None,
):
    from .progress import make_progress_callback

    checkpoint = run_dir / "checkpoint.npz"
    if resume and not checkpoint.exists():
        raise ConfigError(
            f"--resume {run_dir}: no checkpoint.npz there; a run leaves one when it is "
            "interrupted (Ctrl-C, SIGTERM, SIGHUP) or trained with --checkpoint-every N"
        )
    weights = _training_weights(cfg, ds, splits, table)
    identity = data_identity(splits)
    if resume:
        _check_data_identity(run_dir, identity)
    base_config = {"data": ds.name, **cfg.to_dict(), "loss": loss}
    atomic_write_json(run_dir / "config.json", {**base_config, "data_sha256": identity})
    callbacks = []
    early = None
    if cfg.early_stopping:
        early = EarlyStopping(monitor="val_loss", patience=cfg.early_stopping, restore_best=True)
        callbacks.append(early)
    progress = make_progress_callback(cfg.epochs, quiet=quiet, log_every=log_every, stream=stream)
    if progress is not None:
        callbacks.append(progress)
    callbacks.append(Checkpoint(checkpoint, every=checkpoint_every))  # last: see its docs
    try:
        net, history, loss = fit_config(
            ds,
            cfg,
            splits,
            callbacks=callbacks,
            loss=loss,
            resume_from=checkpoint if resume else None,
            keep_interrupted=True,
            sample_weight=weights,
        )
    except TrainingDiverged as exc:
        if getattr(exc, "network", None) is not None:
            exc.network.save(run_dir / "model.npz")
            if swap_to is not None:
                swap_in(run_dir, swap_to)
                run_dir = swap_to
            exc.model_path = run_dir / "model.npz"
        raise
    add_training_r2(history, splits, loss, ds, weights)
    extra = {}
    if early is not None:
        extra["early_stopping"] = {
            "monitor": "val_loss",
            "patience": cfg.early_stopping,
            "stopped_epoch": getattr(history, "stopped_epoch", None) or None,
            "best_epoch": getattr(early, "best_epoch", None),
        }
    config = {**base_config, "data_sha256": identity}
    sections = []
    if table is not None:
        from .table_report import table_metrics, table_sections

        extra.update(table_metrics(table, net, loss))
        sections = table_sections(extra, table, run_dir)
    elif target_scaling is not None:
        from .table_report import target_scores, target_scores_section

        extra.update(target_scores(splits, net, target_scaling))
        sections = [target_scores_section(extra["scores"])]
    if provenance:
        extra["provenance"] = provenance
    record = RunRecord(
        net,
        ds,
        splits,
        loss,
        config,
        history,
        title=f"leannet train: {Path(ds.name).name}",
        description=describe_data(ds, splits),
        extra_metrics=extra,
        sections=sections,
        preprocessing=None if table is None else table.preprocessor.to_state(),
        target_scaling=target_scaling,
    )
    # A Ctrl-C/SIGTERM/SIGHUP while the run is written waits until it is whole.
    with deferred() as received:
        metrics = write_run(run_dir, record, pdf=pdf)
        if swap_to is not None:
            swap_in(run_dir, swap_to)
            metrics["reports"] = {
                key: swap_to / Path(value).name if isinstance(value, Path) else value
                for key, value in metrics["reports"].items()
            }
            run_dir = swap_to
    if received:
        metrics["stop_signal"] = received[0]
    if getattr(history, "interrupted", False):
        metrics.setdefault("stop_signal", last_stop_signal() or signal.SIGINT)
    return run_dir, metrics
