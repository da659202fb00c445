"""From a `TrainConfig` to a fitted network: the loss, the
network and optimizer (both made by `leannet.builder`), the targets in the
shape the loss wants, and the fit."""

from __future__ import annotations

import numpy as np

from ..builder import build_mlp, build_optimizer
from ..datasets import Dataset
from ..errors import ConfigError, TrainingDiverged
from .config import TrainConfig
from .splits import Splits

__all__ = [
    "build_network",
    "check_interrupted",
    "fit_config",
    "fit_targets",
    "make_optimizer",
    "output_size",
    "resolve_loss",
]


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
    """The MLP of ``cfg`` (see [`leannet.builder.build_mlp`][leannet.builder.build_mlp]): Dense layers of
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
    sample_weight=None,
):
    """Build the network of ``cfg`` and fit it on ``splits.X_train``.

    The validation split (or ``monitor=(X, y)`` when given, e.g. a test set to
    watch without selecting on it) is passed as ``validation_data``. Returns
    ``(net, history, loss)``. After Ctrl-C the engine returns early with
    ``history.interrupted``; unless ``keep_interrupted`` (a single training run
    that saves what it has), that is turned back into KeyboardInterrupt so that a
    demo with many fits stops instead of starting the next one. ``sample_weight``
    (one per training row) weights each row's data loss.
    """
    loss = loss or resolve_loss(cfg.loss, ds.task, ds.n_classes)
    n_out = output_size(loss, ds)
    net = build_network(cfg, ds.n_features, n_out, loss)
    batch = cfg.batch_size or len(splits.X_train)  # 0 = full batch
    opt = make_optimizer(cfg, -(-len(splits.X_train) // batch))
    if monitor is None and splits.X_val is not None:
        monitor = (splits.X_val, splits.y_val)
    val = None if monitor is None else (monitor[0], fit_targets(monitor[1], loss, n_out, net.dtype))
    weighting = {} if sample_weight is None else {"sample_weight": sample_weight}
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
            **weighting,
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
