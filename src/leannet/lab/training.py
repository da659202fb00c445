"""Training runs of the lab: from a :class:`~leannet.datasets.Dataset` and a
:class:`~leannet.lab.config.TrainConfig` to a run directory with a report.

The pieces are small functions that the demos reuse: :func:`split_data`,
:func:`build_network`, :func:`make_optimizer`, :func:`fit_targets`,
:func:`evaluate_splits`, :func:`save_run`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..builder import build_mlp, build_optimizer
from ..datasets import Dataset
from ..errors import ConfigError, DataError, ModelFileError
from .config import TrainConfig, to_toml
from .runs import (
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_text,
    create_run_dir,
    write_history_csv,
)

__all__ = [
    "Splits",
    "split_data",
    "build_network",
    "make_optimizer",
    "resolve_loss",
    "fit_targets",
    "predict_labels",
    "evaluate_splits",
    "architecture",
    "weight_stats",
    "save_run",
    "train_run",
    "load_run_model",
]


@dataclass
class Splits:
    """Standardised train/validation/test arrays and the scaling that made them."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    X_test: np.ndarray | None
    y_test: np.ndarray | None
    mean: np.ndarray
    std: np.ndarray

    def items(self):
        """(name, X, y) for every split that exists."""
        out = [("train", self.X_train, self.y_train)]
        if self.X_val is not None:
            out.append(("validation", self.X_val, self.y_val))
        if self.X_test is not None:
            out.append(("test", self.X_test, self.y_test))
        return out


def split_data(ds: Dataset, cfg: TrainConfig) -> Splits:
    """Shuffle (seeded) and split into train/validation/test, then standardise
    features with the training mean and std (``z = (x - mean) / std``, std 0 -> 1).

    A fixed test split of the dataset (``ds.X_test``) is used as is; otherwise
    ``cfg.test_split`` of the rows are held out.
    """
    n = ds.n_samples
    rng = np.random.default_rng(cfg.seed)
    order = rng.permutation(n)
    n_test = 0 if ds.X_test is not None else int(round(n * cfg.test_split))
    n_val = int(round(n * cfg.val_split))
    n_train = n - n_test - n_val
    problems = []
    if cfg.test_split > 0 and ds.X_test is None and n_test == 0:
        problems.append(f"--test-split {cfg.test_split} gives 0 test rows")
    if cfg.val_split > 0 and n_val == 0:
        problems.append(f"--val-split {cfg.val_split} gives 0 validation rows")
    if n_train < 2:
        k = max(n_train, 0)
        problems.append(f"only {k} training row{' remains' if k == 1 else 's remain'}")
    if problems:
        raise DataError(
            f"{ds.name}: {n} rows are too few for the split ({'; '.join(problems)}); "
            "add data or lower --val-split/--test-split (0 disables a split)"
        )
    test_idx, val_idx, train_idx = (
        order[:n_test],
        order[n_test : n_test + n_val],
        order[n_test + n_val :],
    )
    X, y = ds.X, ds.y
    mean = X[train_idx].mean(axis=0) if cfg.standardize else np.zeros(ds.n_features)
    std = X[train_idx].std(axis=0) if cfg.standardize else np.ones(ds.n_features)
    std = np.where(std > 0, std, 1.0)
    dtype = np.dtype(cfg.dtype)

    def scale(A):
        return None if A is None else ((A - mean) / std).astype(dtype)

    if ds.X_test is not None:
        X_test, y_test = ds.X_test, ds.y_test
    elif n_test:
        X_test, y_test = X[test_idx], y[test_idx]
    else:
        X_test = y_test = None
    return Splits(
        scale(X[train_idx]),
        y[train_idx],
        scale(X[val_idx]) if n_val else None,
        y[val_idx] if n_val else None,
        scale(X_test),
        y_test,
        mean,
        std,
    )


def resolve_loss(cfg_loss: str, task: str, n_classes: int | None) -> str:
    """The loss name for ``--loss auto``: BCE for two classes, CCE for more, MSE for regression."""
    if cfg_loss != "auto":
        if task == "regression" and cfg_loss != "mse":
            raise ConfigError(
                f"--loss {cfg_loss} needs class labels but the task is regression; "
                "use --loss mse or --task classification"
            )
        if task == "classification" and cfg_loss == "binary_cross_entropy" and n_classes != 2:
            raise ConfigError(
                f"--loss binary_cross_entropy needs 2 classes, the data has {n_classes}; "
                "use categorical_cross_entropy"
            )
        return cfg_loss
    if task == "regression":
        return "mse"
    return "binary_cross_entropy" if n_classes == 2 else "categorical_cross_entropy"


def _output_size(loss: str, ds_outputs: int, n_classes: int | None) -> int:
    if loss == "binary_cross_entropy":
        return 1
    if loss == "categorical_cross_entropy":
        return int(n_classes)
    return ds_outputs if n_classes is None else int(n_classes)  # mse on one-hot classes


def build_network(cfg: TrainConfig, n_features: int, n_outputs: int, loss: str):
    """The MLP of ``cfg`` (see :func:`leannet.builder.build_mlp`): Dense layers of
    ``cfg.hidden`` sizes with ``cfg.activation``, optional input noise and dropout,
    and the output layer that matches the loss."""
    return build_mlp(
        n_features,
        cfg.hidden,
        n_outputs,
        loss=loss,
        activation=cfg.activation,
        init=cfg.init,
        l1=cfg.l1,
        l2=cfg.l2,
        bias_l1=cfg.bias_l1,
        bias_l2=cfg.bias_l2,
        proximal=cfg.l1_proximal,
        dropout=cfg.dropout,
        input_noise=cfg.noise,
        max_norm=cfg.max_norm,
        seed=cfg.seed,
        dtype=cfg.dtype,
    )


def make_optimizer(cfg: TrainConfig, steps_per_epoch: int):
    """The optimizer of ``cfg`` with its learning-rate schedule (in update steps)."""
    if cfg.lr_schedule in ("step", "exponential") and not 0 < cfg.lr_decay <= 1:
        what = "the factor per step" if cfg.lr_schedule == "step" else "the rate"
        raise ConfigError(f"--lr-schedule {cfg.lr_schedule} needs --lr-decay in (0, 1] ({what})")
    schedule_options = {
        "constant": None,
        "inverse-time": {"decay": cfg.lr_decay},
        "step": {"factor": cfg.lr_decay, "every": cfg.lr_every},
        "exponential": {"rate": cfg.lr_decay, "every": cfg.lr_every},
        "cosine": {"steps": max(1, cfg.epochs * steps_per_epoch)},
    }[cfg.lr_schedule]
    extra = {"momentum": cfg.momentum} if cfg.optimizer == "sgd" else {}
    return build_optimizer(
        cfg.optimizer,
        lr=cfg.lr,
        schedule=cfg.lr_schedule,
        schedule_options=schedule_options,
        weight_decay=cfg.weight_decay,
        clip_norm=cfg.clip_norm,
        **extra,
    )


def fit_targets(y: np.ndarray, loss: str, n_outputs: int, dtype) -> np.ndarray:
    """Targets in the shape the loss wants: (n, 1) floats for BCE, integer labels for
    CCE, (n, k) floats for MSE (one-hot when the labels are classes)."""
    if loss == "binary_cross_entropy":
        return np.asarray(y, dtype=dtype).reshape(-1, 1)
    if loss == "categorical_cross_entropy":
        return np.asarray(y, dtype=np.int64)
    y = np.asarray(y)
    if y.ndim == 1 and n_outputs > 1:  # MSE on class labels: one-hot
        return np.eye(n_outputs, dtype=dtype)[y.astype(int)]
    return y.astype(dtype).reshape(len(y), -1)


def predict_labels(net, X: np.ndarray, loss: str, task: str = "classification") -> np.ndarray:
    """Class indices (classification: threshold 0.5 for BCE, arg-max otherwise) or the
    raw outputs (regression) predicted for ``X``."""
    out = np.asarray(net.predict(X))
    if task != "classification":
        return out
    if loss == "binary_cross_entropy":
        return (out[:, 0] > 0.5).astype(np.int64)
    return np.argmax(out, axis=1)


def evaluate_splits(net, splits, loss: str, n_outputs: int, task: str) -> dict:
    """``net.evaluate`` on every split (plus the sample count); MSE on classes adds accuracy."""
    result = {}
    for name, X, y in splits:
        m = dict(net.evaluate(X, fit_targets(y, loss, n_outputs, net.dtype), loss=loss))
        if task == "classification" and loss == "mse":
            m["accuracy"] = float(np.mean(predict_labels(net, X, loss) == y))
        m = {k: float(v) for k, v in m.items()}
        m["n"] = int(len(X))
        result[name] = m
    return result


def architecture(net) -> dict:
    """Layers, shapes, parameter counts and regularizers, for the report."""
    layers = []
    for layer in net.layers:
        cfg = layer.get_config() if hasattr(layer, "get_config") else {}
        name = type(layer).__name__
        entry = {"name": name, "shape": "", "params": 0, "regularization": ""}
        if name == "Dense":
            entry["shape"] = f"{layer.n_in} -> {layer.n_out}"
            entry["params"] = int(layer.n_in * layer.n_out + layer.n_out)
            regs = []
            for key, label in (("weight_regularizer", "W"), ("bias_regularizer", "b")):
                r = getattr(layer, key, None)
                if r is not None:
                    bits = [f"L1={r.l1:g}"] if getattr(r, "l1", 0) else []
                    bits += [f"L2={r.l2:g}"] if getattr(r, "l2", 0) else []
                    if getattr(r, "proximal", False):
                        bits.append("proximal")
                    regs.append(f"{label}: {' '.join(bits)}")
            if getattr(layer, "max_norm", None):
                regs.append(f"max-norm {layer.max_norm:g}")
            entry["regularization"] = "; ".join(regs)
        elif name == "Dropout":
            entry["regularization"] = f"rate {cfg.get('rate', getattr(layer, 'rate', ''))}"
        elif name == "GaussianNoise":
            entry["regularization"] = f"stddev {cfg.get('stddev', getattr(layer, 'stddev', ''))}"
        elif name == "LeakyReLU":
            entry["shape"] = f"alpha {cfg.get('alpha', '')}"
        layers.append(entry)
    return {"layers": layers, "n_params": int(net.n_params), "dtype": str(net.dtype)}


def weight_stats(net) -> dict:
    """Per weight matrix: L2 (Frobenius) norm, mean and max |w|, exact zeros."""
    out = {}
    for name, w in net.parameters():
        if not name.endswith(".W"):
            continue
        a = np.abs(np.asarray(w, dtype=np.float64))
        out[name] = {
            "shape": "x".join(map(str, w.shape)),
            "l2_norm": float(np.sqrt((a * a).sum())),
            "mean_abs": float(a.mean()),
            "max_abs": float(a.max()),
            "n_zero": int((a == 0).sum()),
            "size": int(a.size),
        }
    return out


SPLITS_MAX_BYTES = 20_000_000


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


def save_run(
    run_dir: Path,
    *,
    net,
    ds: Dataset,
    splits: Splits,
    loss: str,
    config: dict,
    history=None,
    title: str,
    description: str = "",
    sections: list | None = None,
    conclusions: list | None = None,
    extra_figures: list | None = None,
    extra_metrics: dict | None = None,
    plots: bool = True,
    pdf: bool = True,
) -> dict:
    """Write everything a run directory holds and build its reports.

    Files: ``model.npz``, ``data.json`` (what predict/evaluate need: feature names,
    classes, scaling, loss), ``config.json``/``config.toml``, ``history.csv``,
    ``metrics.json``, ``run.json``, the plots, and ``report.{html,md,tex,pdf}``.
    Returns the dict written to ``metrics.json``.
    """
    from . import plots as P
    from .report import write_reports

    run_dir = Path(run_dir)
    n_out = output_size(loss, ds)
    net.save(run_dir / "model.npz")  # atomic: temporary file, fsync, rename
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
        },
    )
    _save_splits(run_dir / "splits.npz", splits)
    atomic_write_json(run_dir / "config.json", config)
    atomic_write_text(run_dir / "config.toml", to_toml(config))
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
        "hyperparameters": {k: v for k, v in config.items() if not isinstance(v, dict)},
    }
    if history is not None and getattr(history, "interrupted", False):
        metrics["interrupted"] = True
    metrics.update(extra_metrics or {})
    figures = list(extra_figures or [])
    if plots:
        if hist:
            figures.append(
                {
                    "file": P.plot_training_curves(
                        {"epoch": epochs, **hist},
                        run_dir / "curves.png",
                        val_label=metrics.get("monitor", "validation"),
                    ),
                    "caption": "Training curves: loss, data loss vs penalty, "
                    "accuracy/R², learning rate",
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
        if ds.task == "classification":
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
        else:
            raw_X = X_eval * splits.std + splits.mean
            figures.append(
                {
                    "file": P.plot_predicted_vs_actual(
                        y_eval,
                        net.predict(X_eval),
                        run_dir / "predicted.png",
                        X=raw_X if ds.n_features == 1 else None,
                        title=f"predicted vs actual ({name})",
                    ),
                    "caption": f"Predicted vs actual on the {name} split",
                    "kind": "task",
                }
            )
    atomic_write_json(run_dir / "metrics.json", metrics)
    atomic_write_json(
        run_dir / "run.json",
        {
            "title": title,
            "description": description,
            "sections": sections or [],
            "conclusions": conclusions or [],
            "model_heading": "The saved model: architecture" if sections else "Architecture",
            "figures": figures,
        },
    )
    metrics["reports"] = write_reports(run_dir, pdf=pdf)
    return metrics


def output_size(loss: str, ds: Dataset) -> int:
    """Output units of the network for ``ds`` under ``loss``."""
    return _output_size(loss, ds.n_outputs, ds.n_classes)


def fit_config(
    ds: Dataset,
    cfg: TrainConfig,
    splits: Splits,
    *,
    callbacks=None,
    monitor: tuple | None = None,
    loss: str | None = None,
    keep_interrupted: bool = False,
    resume_from=None,
):
    """Build the network of ``cfg`` and fit it on ``splits.X_train``.

    The validation split (or ``monitor=(X, y)`` when given, e.g. a test set to
    watch without selecting on it) is passed as ``validation_data``. Returns
    ``(net, history, loss)``. After Ctrl-C the engine returns early with
    ``history.interrupted``; unless ``keep_interrupted`` (a single training run
    that saves what it has), that is turned back into KeyboardInterrupt so that a
    demo with many fits stops instead of starting the next one.
    """
    loss = loss or resolve_loss(cfg.loss, ds.task, ds.n_classes)
    n_out = output_size(loss, ds)
    net = build_network(cfg, ds.n_features, n_out, loss)
    batch = cfg.batch_size or len(splits.X_train)  # 0 = full batch
    opt = make_optimizer(cfg, -(-len(splits.X_train) // batch))
    if monitor is None and splits.X_val is not None:
        monitor = (splits.X_val, splits.y_val)
    val = None if monitor is None else (monitor[0], fit_targets(monitor[1], loss, n_out, net.dtype))
    from ..errors import TrainingDiverged

    try:
        history = net.fit(
            splits.X_train,
            fit_targets(splits.y_train, loss, n_out, net.dtype),
            loss=loss,
            optimizer=opt,
            epochs=cfg.epochs,
            batch_size=cfg.batch_size or None,
            validation_data=val,
            callbacks=list(callbacks or []),
            seed=cfg.seed,
            resume_from=resume_from,
        )
    except TrainingDiverged as exc:
        exc.network = net  # holds the last finite weights; the caller saves them
        raise
    check_interrupted(history, keep_interrupted)
    return net, history, loss


def check_interrupted(history, keep: bool = False) -> None:
    """Raise KeyboardInterrupt if ``history`` was cut short by Ctrl-C (unless ``keep``)."""
    if getattr(history, "interrupted", False) and not keep:
        raise KeyboardInterrupt


def describe_data(ds: Dataset, splits: Splits) -> str:
    """One sentence on the data and its splits, for a report."""
    n_val = 0 if splits.X_val is None else len(splits.X_val)
    n_test = 0 if splits.X_test is None else len(splits.X_test)
    classes = f", {ds.n_classes} classes" if ds.n_classes else ""
    return (
        f"Data: {ds.name} ({ds.task}, {ds.n_features} features{classes}); "
        f"{len(splits.X_train)} training, {n_val} validation and {n_test} test rows."
    )


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
) -> tuple[Path, dict]:
    """``leannet train``: split, build, fit, save, report. Returns (run_dir, metrics).

    ``RUN_DIR/checkpoint.npz`` is written every ``checkpoint_every`` epochs and at a
    Ctrl-C (``ln.Checkpoint``); ``resume=True`` continues the run in ``out`` from it.
    ``config.json`` is written before training, so that even a killed run can be
    resumed. On divergence the last finite weights are saved to ``model.npz`` and
    ``ln.TrainingDiverged`` is re-raised with ``.model_path`` set.
    """
    import leannet as ln

    from .progress import make_progress_callback

    loss = resolve_loss(cfg.loss, ds.task, ds.n_classes)
    splits = split_data(ds, cfg)
    run_dir = create_run_dir(out, f"train-{Path(ds.name).stem}", force=force or resume)
    checkpoint = run_dir / "checkpoint.npz"
    if resume and not checkpoint.exists():
        raise ConfigError(
            f"--resume {run_dir}: no checkpoint.npz there; a run leaves one when it is "
            "interrupted (Ctrl-C) or trained with --checkpoint-every N"
        )
    atomic_write_json(run_dir / "config.json", {"data": ds.name, **cfg.to_dict(), "loss": loss})
    callbacks = []
    early = None
    if cfg.early_stopping:
        early = ln.EarlyStopping(monitor="val_loss", patience=cfg.early_stopping, restore_best=True)
        callbacks.append(early)
    progress = make_progress_callback(cfg.epochs, quiet=quiet, log_every=log_every, stream=stream)
    if progress is not None:
        callbacks.append(progress)
    callbacks.append(ln.Checkpoint(checkpoint, every=checkpoint_every))  # last: see its docs
    try:
        net, history, loss = fit_config(
            ds,
            cfg,
            splits,
            callbacks=callbacks,
            loss=loss,
            resume_from=checkpoint if resume else None,
            keep_interrupted=True,
        )
    except ln.TrainingDiverged as exc:
        if getattr(exc, "network", None) is not None:
            exc.network.save(run_dir / "model.npz")
            exc.model_path = run_dir / "model.npz"
        raise
    extra = {}
    if early is not None:
        extra["early_stopping"] = {
            "monitor": "val_loss",
            "patience": cfg.early_stopping,
            "stopped_epoch": getattr(history, "stopped_epoch", None) or None,
            "best_epoch": getattr(early, "best_epoch", None),
        }
    config = {"data": ds.name, **cfg.to_dict(), "loss": loss}
    metrics = save_run(
        run_dir,
        net=net,
        ds=ds,
        splits=splits,
        loss=loss,
        config=config,
        history=history,
        title=f"leannet train: {Path(ds.name).name}",
        description=describe_data(ds, splits),
        extra_metrics=extra,
        pdf=pdf,
    )
    return run_dir, metrics


def load_run_model(model: str | os.PathLike):
    """Load a model and the ``data.json`` beside it from a run directory or a model file."""
    import json

    import leannet as ln

    path = Path(model)
    if path.is_dir():
        path = path / "model.npz"
    if not path.exists():
        raise ModelFileError(f"model not found: {model}; give a run directory or its model.npz")
    net = ln.load(path)
    info_path = path.with_name("data.json")
    if not info_path.exists():
        raise ModelFileError(
            f"{info_path} is missing; evaluate/predict need the data.json that "
            "leannet train writes beside model.npz"
        )
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"{info_path} cannot be read ({exc})") from None
    return net, info
