r"""``leannet.sweep.sweep``: a grid of regularisation settings × k-fold cross-validation.

For every setting $s$ and fold $k$ a fresh network is trained on the
other folds and scored on fold $k$; the table gives, per setting, the mean
and standard deviation over folds, and `select` picks
the best and the one-standard-error setting. Both are refitted on all training
rows and scored on the held-out test rows.

The steps, one module each: `plan` (inputs checked, test rows, folds, sweep
id), `runner` (fits run or resumed), `select` (table and choice),
`warm` (the warm-started path), `result` (what is returned).
"""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import ConfigError
from . import grid as gridlib
from .plan import make_plan
from .result import SweepResult, describe_estimator
from .runner import FitRunner
from .select import aggregate, select

__all__ = ["sweep"]


def sweep(
    X,
    y,
    *,
    grid: dict,
    estimator=None,
    params: dict | None = None,
    task: str = "auto",
    cv: int = 5,
    test_size: float = 0.2,
    X_test=None,
    y_test=None,
    scoring: str | None = None,
    seed: int = 0,
    n_jobs: int | None = None,
    scheduler: str | None = None,
    dask_workers: int | None = None,
    results: str | Path | None = None,
    warm_path: bool = False,
    refit: bool = True,
    standardize: bool = True,
    verbose: bool = False,
) -> SweepResult:
    """Cross-validate every setting of ``grid`` and pick the regularisation strength.

    Args:
        X: the inputs (a test split is held out first unless ``X_test`` is given).
        y: the targets.
        grid: ``{name: [values]}``, e.g. ``{"l2": [0, 1e-4, 1e-3, 1e-2]}``; any
            hyperparameter of the estimator; several names give their product.
        estimator: any scikit-learn estimator; default [`LeanClassifier`][leannet.sklearn.LeanClassifier]
            or [`LeanRegressor`][leannet.sklearn.LeanRegressor] from ``task`` with ``leannet train``'s
            defaults (16 hidden units, batches of 32, lr 0.001, 200 epochs), as in
            ``leannet sweep``.
        params: fixed hyperparameters for every fit, e.g. ``{"hidden_layer_sizes": (32,)}``.
        task: "classification", "regression" or "auto" (from ``y``).
        cv: number of folds (stratified for classification).
        test_size: fraction held out for the final test score (0: none).
        scoring: a scikit-learn scorer name; default the estimator's ``score``
            (accuracy or R²).
        seed: fixes the test split, the folds and every fit's seed.
        n_jobs: local worker processes (default one per core; 1: no pool).
        scheduler: ``tcp://HOST:PORT`` of a running Dask scheduler.
        dask_workers: start a local Dask cluster with this many workers.
        results: JSONL file; each finished fit is appended, and fits already in
            it are not run again (resume).
        warm_path: also run the path from the strongest to the weakest penalty,
            each fit starting from the previous weights, and compare with cold starts.
        refit: refit the best and the 1-SE settings on all training rows.
        standardize: put a ``StandardScaler`` in front of the estimator and, for
            regression, standardise the targets too (statistics of each training
            fold only; scores stay on the original scale); grid names still
            address the estimator. On by default, as in ``leannet sweep``
            (``--no-standardize`` there, ``standardize=False`` here).
        verbose: print one line per finished fit.

    Returns:
        SweepResult with the table, the chosen settings and the refits.
    """
    try:
        import joblib  # noqa: F401

        import sklearn  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(
            f"sweeps need scikit-learn and joblib ({exc}); install them with: "
            "pip install 'leannet[sklearn]' (and 'leannet[dask]' for Dask)"
        ) from None

    started = time.perf_counter()
    plan = make_plan(
        X,
        y,
        grid=grid,
        estimator=estimator,
        params=params,
        task=task,
        cv=cv,
        test_size=test_size,
        X_test=X_test,
        y_test=y_test,
        scoring=scoring,
        seed=seed,
        standardize=standardize,
    )
    runner = FitRunner(
        plan,
        results=results,
        n_jobs=n_jobs,
        scheduler=scheduler,
        dask_workers=dask_workers,
        verbose=verbose,
    )
    cv_records = runner.run(plan.cv_tasks())
    table = [
        aggregate(s, cv_records[i * cv : (i + 1) * cv], plan.names)
        for i, s in enumerate(plan.settings)
    ]
    best, simplest = select(table, plan.names)
    capped = epoch_cap_report(plan, cv_records)
    refits = _refit(plan, runner, {"best": best, "simplest": simplest}) if refit else {}
    warm = None
    if warm_path:
        from .warm import warm_path as run_warm_path

        warm = run_warm_path(plan, runner, table)

    return SweepResult(
        grid={k: [gridlib._jsonable(v) for v in vals] for k, vals in plan.grid.items()},
        names=plan.names,
        strength=gridlib.strength_param(plan.names, plan.grid),
        table=table,
        best=best,
        simplest=simplest,
        refits=refits,
        warm=warm,
        records=list(runner.done.values()),
        sweep_id=plan.sweep_id,
        cv=cv,
        task=plan.task,
        scoring=plan.scoring_name,
        results_path=runner.results_path,
        n_fits_run=runner.n_run,
        n_fits_reused=runner.n_reused,
        elapsed_s=time.perf_counter() - started,
        estimator=describe_estimator(plan.estimator),
        base_params={k: _json_or_repr(v) for k, v in plan.base.items()},
        capped=capped,
    )


def _refit(plan, runner: FitRunner, chosen: dict[str, dict]) -> dict:
    """Refit each chosen row on all training rows, scored on the test rows (or, with
    none, on the training rows, and then ``test_score`` is None)."""
    has_test = len(plan.test_rows) > 0
    tasks = {
        name: plan.new_task(
            "refit",
            row["params"],
            "all",
            plan.train_rows,
            plan.test_rows if has_test else plan.train_rows,
        )
        for name, row in chosen.items()
    }
    unique = {t["task"]: t for t in tasks.values()}  # best and 1-SE may be one setting
    recs = {r["task"]: r for r in runner.run(list(unique.values()))}
    refits = {}
    for name, t in tasks.items():
        rec = dict(recs[t["task"]])
        rec["test_score"] = rec.pop("val_score") if has_test else None
        refits[name] = rec
    return refits


def epoch_cap_report(plan, records: list[dict]) -> dict | None:
    """How many cross-validation fits ran to the epoch cap (``n_iter == max_iter``):
    those had not converged, so the chosen setting may change with more epochs.
    None when the estimator has no ``max_iter``."""
    from .grid import final_estimator

    default = final_estimator(plan.estimator)[1].get_params().get("max_iter")
    if default is None:
        return None
    capped, settings = 0, []
    for rec in records:
        cap = rec.get("params", {}).get("max_iter", default)
        if rec.get("n_iter") is not None and rec["n_iter"] >= cap:
            capped += 1
            key = gridlib.setting_key(rec["params"])
            if key not in settings:
                settings.append(key)
    return {"fits": capped, "of": len(records), "max_iter": default, "settings": len(settings)}


def _json_or_repr(value):
    """A fixed hyperparameter as written to the result: itself when JSON can hold it."""
    try:
        return gridlib._jsonable(value)
    except ConfigError:
        return repr(value)
