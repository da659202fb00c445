r"""From fold records to the table of settings, and the choice among them.

The *best* setting has the highest mean validation score $\bar v_s$; the
*one-standard-error* choice is the simplest (most regularised) setting with

$$
\bar v_s \ge \bar v_{best} - \mathrm{SE}_{best}, \qquad
\mathrm{SE} = \mathrm{std}_{ddof=1}(v_{s,1..K}) / \sqrt{K}
$$

(Hastie, Tibshirani & Friedman, *Elements of Statistical Learning*, §7.10).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ConfigError
from . import grid as gridlib

__all__ = ["aggregate", "select"]


def aggregate(setting: dict, recs: list[dict], key_order: list[str]) -> dict:
    """One table row: mean and spread over the folds of one setting.

    Args:
        setting: the grid setting.
        recs: its fold records (``train_score``, ``val_score``, ``weight_norm``, ...).
        key_order: grid names, the order of ``params`` in the row.

    Returns:
        ``params``, ``train_mean``, ``train_std``, ``val_mean``, ``val_std``,
        ``val_se``, ``weight_norm``, ``zero_share``, ``n_iter``, ``fit_time``, ``n_folds``.
    """

    def arr(name):
        vals = [r.get(name) for r in recs]
        return np.array([np.nan if v is None else v for v in vals], dtype=np.float64)

    train, val = arr("train_score"), arr("val_score")
    k = len(recs)
    with np.errstate(all="ignore"):
        row = {
            "params": {n: setting[n] for n in key_order},
            "train_mean": float(np.mean(train)),
            "train_std": float(np.std(train)),
            "val_mean": float(np.mean(val)),
            "val_std": float(np.std(val)),
            "val_se": float(np.std(val, ddof=1) / np.sqrt(k)) if k > 1 else 0.0,
            "weight_norm": float(np.mean(arr("weight_norm"))),
            "zero_share": float(np.mean(arr("zero_share"))),
            "n_iter": float(np.mean(arr("n_iter"))),
            "fit_time": float(np.sum(arr("fit_time"))),
            "n_folds": k,
        }
    return row


def select(table: list[dict], names: list[str]) -> tuple[dict, dict]:
    """Best row (highest mean validation score, ties to the simpler) and the
    simplest row within one standard error of it."""
    finite = [r for r in table if math.isfinite(r["val_mean"])]
    if not finite:
        raise ConfigError(
            "every setting diverged (NaN scores); lower learning_rate or the penalty strengths"
        )
    best = max(finite, key=lambda r: (r["val_mean"], gridlib.simplicity(r["params"], names)))
    threshold = best["val_mean"] - best["val_se"]
    within = [r for r in finite if r["val_mean"] >= threshold]
    simplest = max(within, key=lambda r: (gridlib.simplicity(r["params"], names), r["val_mean"]))
    return best, simplest
