"""The warm-started regularisation path, compared with the cold fits of the grid.

Per fold, one estimator is fitted from the strongest penalty to the weakest, each
fit starting from the previous weights. The path's first fit uses the same seed as
the cold fit of the strongest setting, so the two start identically and differ
only from the second step on.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError
from . import grid as gridlib
from .plan import SweepPlan
from .runner import FitRunner

__all__ = ["warm_path"]


def warm_path(plan: SweepPlan, runner: FitRunner, table: list[dict]) -> dict:
    """Run the strongest-to-weakest path per fold and compare with the cold fits.

    Returns:
        ``rows`` (per setting: warm and cold mean validation score, epochs and time),
        the totals ``warm_fit_time``, ``cold_fit_time``, ``warm_epochs``,
        ``cold_epochs`` and ``max_abs_val_diff``.
    """
    names, grid = plan.names, plan.grid
    if len(names) != 1:
        raise ConfigError(
            f"warm_path needs a grid over one penalty, got {names}; sweep the others separately"
        )
    name = names[0]
    values = grid[name]
    if gridlib.strength_param(names, grid) is None:
        raise ConfigError(f"warm_path needs numeric values for {name!r}, got {values!r}")
    # Strongest first: larger penalty is stronger, except max_norm (smaller is stronger).
    order = sorted(values, key=lambda v: gridlib.simplicity({name: v}, names), reverse=True)
    path = [{name: v} for v in order]
    tasks = [
        plan.new_task(
            "warm",
            {name: "path"},
            k,
            plan.train_rows[tr],
            plan.train_rows[va],
            {"path": path, "seed": plan.seed_of(path[0], k)},
        )
        for k, (tr, va) in enumerate(plan.folds)
    ]
    recs = runner.run(tasks)
    cold = {gridlib.setting_key(r["params"]): r for r in table}
    rows = [_compare(i, setting, recs, cold) for i, setting in enumerate(path)]
    diffs = [abs(r["warm_val_mean"] - r["cold_val_mean"]) for r in rows]
    n_folds = len(plan.folds)
    return {
        "rows": rows,
        "warm_fit_time": float(sum(r["warm_fit_time"] for r in rows)),
        "cold_fit_time": float(sum(r["cold_fit_time"] for r in rows)),
        "warm_epochs": int(round(sum(r["warm_epochs"] for r in rows) * n_folds)),
        "cold_epochs": int(round(sum((r["cold_epochs"] or 0) for r in rows) * n_folds)),
        "max_abs_val_diff": float(np.nanmax(diffs)) if diffs else 0.0,
    }


def _compare(i: int, setting: dict, recs: list[dict], cold: dict) -> dict:
    """Step ``i`` of the path over all folds next to the cold row of the same setting."""
    steps = [rec["steps"][i] for rec in recs]
    vals = np.array([np.nan if s["val_score"] is None else s["val_score"] for s in steps])
    c = cold[gridlib.setting_key(setting)]
    return {
        "params": setting,
        "warm_val_mean": float(np.mean(vals)),
        "cold_val_mean": c["val_mean"],
        "warm_fit_time": float(sum(s["fit_time"] for s in steps)),
        "cold_fit_time": c["fit_time"],
        "warm_epochs": float(np.mean([s.get("epochs") or 0 for s in steps])),
        "cold_epochs": c["n_iter"],
    }
