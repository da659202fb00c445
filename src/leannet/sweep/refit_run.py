"""The sweep's chosen setting, refitted on all training rows and saved as a run directory
that ``leannet predict`` and ``leannet evaluate`` accept.

The refit uses the seed the sweep's own refit used, so its weights are the ones the
sweep scored. The per-fold ``StandardScaler`` becomes ``data.json``'s mean and std (as
``leannet train`` writes them); a standardised regression target is folded into the
last layer, ``W <- W * s``, ``b <- b * s + m``, so the saved network predicts in the
target's units; a CSV file's preprocessing is stored inside ``model.npz``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from . import grid as gridlib
from .plan import _estimator, derive_seed

__all__ = ["save_refit_run"]


def _parts(est):
    """(scaler or None, leannet estimator, target scaler or None) of a fitted estimator."""
    target = None
    if type(est).__name__ == "StandardizedTarget":
        target, est = est, est.regressor
    scaler = None
    if hasattr(est, "steps"):
        scaler, est = est.steps[0][1], est.steps[-1][1]
    return scaler, est, target


def save_refit_run(
    out_dir: str | Path,
    result,
    X_train: np.ndarray,
    y_train: np.ndarray,
    *,
    params: dict,
    standardize: bool,
    seed: int,
    feature_names: list[str],
    class_names: list[str] | None,
    target_name: str | None,
    source: str,
    preprocessing: dict | None = None,
) -> Path:
    """Refit ``result.best`` on ``X_train, y_train`` and write ``out_dir/model.npz``,
    ``data.json`` and ``config.json``; return ``out_dir``."""
    from threadpoolctl import threadpool_limits

    from ..lab.runs import atomic_write_json
    from ..serialization import save

    setting = dict(result.best["params"])
    est = _estimator(None, result.task, {**params, **setting}, standardize)
    if "random_state" not in setting:  # the seed of the sweep's own refit
        gridlib.set_params(
            est, {"random_state": derive_seed(seed, gridlib.setting_key(setting), "all")}
        )
    with threadpool_limits(limits=1), warnings.catch_warnings():  # as in the sweep's workers
        warnings.simplefilter("ignore")  # the epoch cap is in the sweep's report already
        est.fit(X_train, y_train)
    scaler, final, target = _parts(est)
    net = final.network_
    if target is not None:  # predictions in the target's units
        last = net.dense_layers[-1]
        scale = np.asarray(target.scale_, dtype=float).reshape(-1)
        views = dict(net.parameters())
        w, b = views[f"{_name(net, last)}.W"], views[f"{_name(net, last)}.b"]
        w[...] = w * scale
        b[...] = b * scale + np.asarray(target.mean_, dtype=float).reshape(-1)
    if result.task == "classification":
        softmax = final.out_activation_ == "softmax"
        loss = "categorical_cross_entropy" if softmax else "binary_cross_entropy"
        names = [class_names[int(c)] if class_names else str(c) for c in final.classes_]
    else:
        loss, names = "mse", None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    save(net, out / "model.npz", preprocessing=preprocessing)
    n = len(feature_names)
    atomic_write_json(
        out / "data.json",
        {
            "source": source,
            "task": result.task,
            "target_name": target_name,
            "feature_names": list(feature_names),
            "class_names": names,
            "mean": list(scaler.mean_) if scaler is not None else [0.0] * n,
            "std": list(scaler.scale_) if scaler is not None else [1.0] * n,
            "loss": loss,
            "n_outputs": int(net.dense_layers[-1].n_out),
            "preprocessing": preprocessing is not None,
        },
    )
    atomic_write_json(
        out / "config.json",
        {"data": source, "refit_of_sweep": result.sweep_id, **params, **setting},
    )
    return out


def _name(net, layer) -> str:
    """The parameter prefix (``layers.3``) of ``layer`` in ``net``."""
    return f"layers.{net.layers.index(layer)}"
