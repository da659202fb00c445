r"""``leannet.sweep``: a grid of regularisation settings × k-fold cross-validation.

For every setting :math:`s` and fold :math:`k` a fresh network is trained on the
other folds and scored on fold :math:`k`; the table gives, per setting, the mean
and standard deviation over folds. The *best* setting has the highest mean
validation score :math:`\bar v_s`; the *one-standard-error* choice is the
simplest (most regularised) setting with

.. math:: \bar v_s \ge \bar v_{best} - \mathrm{SE}_{best}, \qquad
          \mathrm{SE} = \mathrm{std}_{ddof=1}(v_{s,1..K}) / \sqrt{K}

(Hastie, Tibshirani & Friedman, *Elements of Statistical Learning*, §7.10).
Both are refitted on all training rows and scored on the held-out test rows.

Seeds are fixed per (sweep seed, setting, fold), so results do not depend on
the backend, the number of workers or the order in which fits finish.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..datasets.targets import infer_task
from ..errors import ConfigError, DataError
from . import grid as gridlib

SCHEMA = 1


def _derive_seed(*parts) -> int:
    """A seed from the sweep seed, the setting and the fold: same inputs, same seed."""
    text = "|".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") % (2**31 - 1)


def _fingerprint(*arrays, extra) -> str:
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes() if a.dtype != object else repr(a.tolist()).encode())
    h.update(json.dumps(extra, sort_keys=True, default=repr).encode())
    return h.hexdigest()[:16]


@dataclass
class SweepResult:
    """What a sweep found. ``table`` rows are settings, in grid order.

    Attributes:
        table: one dict per setting: ``params``, ``train_mean``, ``train_std``,
            ``val_mean``, ``val_std``, ``val_se``, ``weight_norm``, ``zero_share``,
            ``n_iter``, ``fit_time``, ``n_folds``.
        best, simplest: the chosen rows (best mean validation score; simplest
            within one standard error of it).
        refits: ``{"best": record, "simplest": record}``: refit on all training
            rows, with ``test_score`` (None when there is no test split).
        warm: comparison of the warm-started path with cold starts, or None.
    """

    grid: dict
    names: list
    strength: str | None
    table: list
    best: dict
    simplest: dict
    refits: dict
    warm: dict | None
    records: list
    sweep_id: str
    cv: int
    task: str
    scoring: str
    results_path: str | None
    n_fits_run: int
    n_fits_reused: int
    elapsed_s: float
    estimator: str
    base_params: dict = field(default_factory=dict)

    def format_table(self) -> str:
        """Markdown table: mean ± std of training and validation score per setting."""
        lines = [
            "| setting | train | validation | weight norm | zero share | epochs | |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in self.table:
            mark = []
            if row is self.best:
                mark.append("best")
            if row is self.simplest:
                mark.append("1-SE")
            lines.append(
                f"| {_fmt_setting(row['params'])} | {_pm(row['train_mean'], row['train_std'])} "
                f"| {_pm(row['val_mean'], row['val_std'])} | {_num(row['weight_norm'])} "
                f"| {_num(row['zero_share'], '.3f')} | {_num(row['n_iter'], '.0f')} | {', '.join(mark)} |"
            )
        return "\n".join(lines)

    def summary(self) -> str:
        """A few lines: best, simplest within 1 SE, their test scores."""
        out = [
            f"best: {_fmt_setting(self.best['params'])}  validation {self.scoring} "
            f"{_pm(self.best['val_mean'], self.best['val_std'])}",
            f"simplest within 1 SE: {_fmt_setting(self.simplest['params'])}  validation "
            f"{_pm(self.simplest['val_mean'], self.simplest['val_std'])}",
        ]
        for name, rec in self.refits.items():
            if rec.get("test_score") is not None:
                out.append(
                    f"refit {name} on all training data: test {self.scoring} {rec['test_score']:.4f}"
                )
        if self.warm:
            w = self.warm
            out.append(
                f"warm-started path: {w['warm_fit_time']:.2f} s, {w['warm_epochs']} epochs vs cold "
                f"{w['cold_fit_time']:.2f} s, {w['cold_epochs']} epochs; largest validation difference "
                f"{w['max_abs_val_diff']:.4f}"
            )
        return "\n".join(out)

    def plot(self, path):
        """Save the figure of scores, weight norm and zero share against the strength."""
        from .plots import plot_sweep

        return plot_sweep(self, path)

    def write_report(self, out_dir, *, pdf: bool = True) -> dict:
        """Write the figure and report.html/.md/.tex (and .pdf with a TeX engine) into
        ``out_dir``; return their paths."""
        from .report import write_report

        return write_report(self, out_dir, pdf=pdf)


def _num(value, spec=".4g") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format(value, spec)


def _pm(mean, std) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "diverged"
    return f"{mean:.4f} ± {std:.4f}"


def _fmt_setting(params: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


def _folds(y, task: str, cv: int, seed: int):
    from sklearn.model_selection import KFold, StratifiedKFold

    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise ConfigError(f"cv must be a whole number of folds >= 2, got {cv!r}")
    if cv > len(y):
        raise ConfigError(f"cv={cv} folds but only {len(y)} training samples; use cv <= {len(y)}")
    if task == "classification":
        labels, counts = np.unique(y, return_counts=True)
        small = counts.argmin()
        if counts[small] < cv:
            raise ConfigError(
                f"cv={cv} folds but class {labels[small].item()!r} has only {counts[small]} training "
                f"samples, so stratified folds cannot all contain it; use cv <= {counts[small]} "
                "or more data for that class"
            )
        splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    else:
        splitter = KFold(n_splits=cv, shuffle=True, random_state=seed)
    return [(tr, va) for tr, va in splitter.split(np.zeros(len(y)), y)]


def _aggregate(setting, recs, key_order):
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
    standardize: bool = False,
    verbose: bool = False,
) -> SweepResult:
    """Cross-validate every setting of ``grid`` and pick the regularisation strength.

    Args:
        X, y: the data (a test split is held out first unless ``X_test`` is given).
        grid: ``{name: [values]}``, e.g. ``{"l2": [0, 1e-4, 1e-3, 1e-2]}``; any
            hyperparameter of the estimator; several names give their product.
        estimator: any scikit-learn estimator; default :class:`~leannet.sklearn.LeanClassifier`
            or :class:`~leannet.sklearn.LeanRegressor` from ``task``.
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
            address the estimator.
        verbose: print one line per finished fit.

    Returns:
        SweepResult with the table, the chosen settings and the refits.
    """
    try:
        from sklearn.base import clone
        from sklearn.model_selection import train_test_split
        from sklearn.utils import check_X_y
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(
            f"sweeps need scikit-learn and joblib ({exc}); install them with: "
            "pip install 'leannet[sklearn]' (and 'leannet[dask]' for Dask)"
        ) from None

    from .backends import execute
    from .results import ResultsFile
    from .tasks import run_task

    started = time.perf_counter()
    if task not in ("auto", "classification", "regression"):
        raise ConfigError(f"task must be 'auto', 'classification' or 'regression', got {task!r}")
    try:
        X, y = check_X_y(X, y, multi_output=True, y_numeric=False)
    except ValueError as exc:
        raise DataError(f"X, y cannot be used for a sweep: {exc}") from None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    task = infer_task(y) if task == "auto" else task

    if estimator is None:
        from ..sklearn import LeanClassifier, LeanRegressor

        estimator = LeanClassifier() if task == "classification" else LeanRegressor()
    else:
        estimator = clone(estimator)
    if params:
        try:
            gridlib.set_params(estimator, params)
        except ValueError as exc:
            raise ConfigError(f"params: {exc}") from None
    if standardize:
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        estimator = make_pipeline(StandardScaler(), estimator)
        if task == "regression":
            from .target import StandardizedTarget

            estimator = StandardizedTarget(estimator)
    grid = gridlib.validate_grid(grid, estimator)
    names = list(grid)
    all_settings = gridlib.settings(grid)
    scoring_name = scoring or ("accuracy" if task == "classification" else "r2")
    if scoring is not None:
        from sklearn.metrics import get_scorer, get_scorer_names

        try:
            get_scorer(scoring)
        except (ValueError, TypeError):
            raise ConfigError(
                f"scoring={scoring!r} is not a scikit-learn scorer; e.g. "
                f"{', '.join(n for n in get_scorer_names() if n in ('accuracy', 'balanced_accuracy', 'f1', 'roc_auc', 'r2', 'neg_mean_squared_error'))}"
            ) from None

    # Hold out the test rows, then fold the rest.
    n = len(y)
    if X_test is not None:
        X_test, y_test = check_X_y(X_test, y_test, multi_output=True, dtype=None)
        X_all = np.concatenate([X, X_test])
        y_all = np.concatenate([y, y_test.ravel() if y.ndim == 1 else y_test])
        train_rows, test_rows = np.arange(n), np.arange(n, n + len(y_test))
    else:
        X_all, y_all = X, y
        if not (isinstance(test_size, (int, float)) and 0 <= test_size < 1):
            raise ConfigError(f"test_size must be a fraction in [0, 1), got {test_size!r}")
        if test_size:
            strat = y if task == "classification" else None
            try:
                train_rows, test_rows = train_test_split(
                    np.arange(n), test_size=test_size, random_state=seed, stratify=strat
                )
            except ValueError as exc:
                raise ConfigError(
                    f"test_size={test_size}: {exc}; lower test_size or use more data"
                ) from None
            train_rows, test_rows = np.sort(train_rows), np.sort(test_rows)
        else:
            train_rows, test_rows = np.arange(n), np.arange(0)
    folds = _folds(y_all[train_rows], task, cv, seed)

    base = {
        k: v for k, v in estimator.get_params(deep=True).items() if k.split("__")[-1] not in grid
    }
    base = {k: v for k, v in base.items() if not hasattr(v, "get_params") and k != "steps"}
    sweep_id = _fingerprint(
        X_all,
        y_all,
        train_rows,
        extra={
            "schema": SCHEMA,
            "cv": cv,
            "seed": seed,
            "scoring": scoring_name,
            "estimator": type(estimator).__name__,
            "base": {k: repr(v) for k, v in base.items()},
        },
    )

    store = ResultsFile(results) if results is not None else None
    done: dict[str, dict] = {}
    if store is not None:
        for rec in store.load():
            if rec.get("sweep") != sweep_id:
                raise ConfigError(
                    f"{store.path} holds results of a different sweep (other data, folds, seed or "
                    "fixed hyperparameters); use another results path or delete that file"
                )
            done[rec["task"]] = rec

    def make_task(kind, setting, fold, train, evaluate, extra=None):
        key = gridlib.setting_key(setting)
        t = {
            "task": f"{sweep_id}:{kind}:{key}:{fold}",
            "sweep": sweep_id,
            "kind": kind,
            "params": setting,
            "fold": fold,
            "seed": _derive_seed(seed, key, fold),
            "train": train,
            "evaluate": evaluate,
        }
        t.update(extra or {})
        return t

    counts = {"run": 0, "reused": 0}

    def run_all(tasks):
        pending = [t for t in tasks if t["task"] not in done]
        counts["reused"] += len(tasks) - len(pending)
        for i, rec in enumerate(
            execute(
                run_task,
                pending,
                (estimator, X_all, y_all, scoring),
                n_jobs=n_jobs,
                scheduler=scheduler,
                dask_workers=dask_workers,
            ),
            1,
        ):
            rec["params"] = {k: gridlib._jsonable(v) for k, v in rec["params"].items()}
            if store is not None:
                store.append(rec)
            done[rec["task"]] = rec
            counts["run"] += 1
            if verbose:
                print(
                    f"[{i}/{len(pending)}] {rec['kind']} {_fmt_setting(rec['params'])} fold "
                    f"{rec['fold']}: val {_num(rec.get('val_score'))} ({rec['fit_time']:.2f} s)",
                    file=sys.stderr,
                    flush=True,
                )
        return [done[t["task"]] for t in tasks]

    # Cross-validation of every setting.
    cv_tasks = [
        make_task("cv", s, k, train_rows[tr], train_rows[va])
        for s in all_settings
        for k, (tr, va) in enumerate(folds)
    ]
    cv_records = run_all(cv_tasks)
    table = []
    for i, s in enumerate(all_settings):
        recs = cv_records[i * cv : (i + 1) * cv]
        table.append(_aggregate(s, recs, names))
    best, simplest = select(table, names)

    # Refit the chosen settings on all training rows, scored on the test rows.
    refits: dict = {}
    if refit:
        chosen = {"best": best["params"], "simplest": simplest["params"]}
        refit_tasks = {
            name: make_task(
                "refit", p, "all", train_rows, test_rows if len(test_rows) else train_rows
            )
            for name, p in chosen.items()
        }
        unique = {t["task"]: t for t in refit_tasks.values()}
        recs = {r["task"]: r for r in run_all(list(unique.values()))}
        for name, t in refit_tasks.items():
            rec = dict(recs[t["task"]])
            rec["test_score"] = rec.pop("val_score") if len(test_rows) else None
            refits[name] = rec

    warm = None
    if warm_path:

        def seed_of(setting, fold):
            return _derive_seed(seed, gridlib.setting_key(setting), fold)

        warm = _warm_path(grid, names, folds, train_rows, table, make_task, run_all, seed_of)

    return SweepResult(
        grid={k: [gridlib._jsonable(v) for v in vals] for k, vals in grid.items()},
        names=names,
        strength=gridlib.strength_param(names, grid),
        table=table,
        best=best,
        simplest=simplest,
        refits=refits,
        warm=warm,
        records=list(done.values()),
        sweep_id=sweep_id,
        cv=cv,
        task=task,
        scoring=scoring_name,
        results_path=str(store.path) if store is not None else None,
        n_fits_run=counts["run"],
        n_fits_reused=counts["reused"],
        elapsed_s=time.perf_counter() - started,
        estimator=_describe(estimator),
        base_params={k: gridlib._jsonable(v) if _safe(v) else repr(v) for k, v in base.items()},
    )


def _describe(estimator) -> str:
    """e.g. "StandardScaler → LeanClassifier", "standardised target: StandardScaler → LeanRegressor"."""
    if hasattr(estimator, "steps"):
        return " → ".join(_describe(step) for _, step in estimator.steps)
    if type(estimator).__name__ == "StandardizedTarget":
        return f"standardised target: {_describe(estimator.regressor)}"
    return type(estimator).__name__


def _safe(value) -> bool:
    try:
        gridlib._jsonable(value)
        return True
    except ConfigError:
        return False


def _warm_path(grid, names, folds, train_rows, table, make_task, run_all, seed_of) -> dict:
    """Run the strongest-to-weakest path per fold and compare with the cold fits.

    The path's first fit uses the same seed as the cold fit of the strongest
    setting, so the two start identically and differ only from the second step on.
    """
    if len(names) != 1:
        raise ConfigError(
            f"warm_path needs a grid over one penalty, got {names}; sweep the others separately"
        )
    name = names[0]
    values = grid[name]
    strength = gridlib.strength_param(names, grid)
    if strength is None:
        raise ConfigError(f"warm_path needs numeric values for {name!r}, got {values!r}")
    # Strongest first: larger penalty is stronger, except max_norm (smaller is stronger).
    order = sorted(values, key=lambda v: gridlib.simplicity({name: v}, names), reverse=True)
    path = [{name: v} for v in order]
    tasks = [
        make_task(
            "warm",
            {name: "path"},
            k,
            train_rows[tr],
            train_rows[va],
            {"path": path, "seed": seed_of(path[0], k)},
        )
        for k, (tr, va) in enumerate(folds)
    ]
    recs = run_all(tasks)
    rows = []
    cold = {gridlib.setting_key(r["params"]): r for r in table}
    for i, setting in enumerate(path):
        steps = [rec["steps"][i] for rec in recs]
        vals = np.array([np.nan if s["val_score"] is None else s["val_score"] for s in steps])
        c = cold[gridlib.setting_key(setting)]
        rows.append(
            {
                "params": setting,
                "warm_val_mean": float(np.mean(vals)),
                "cold_val_mean": c["val_mean"],
                "warm_fit_time": float(sum(s["fit_time"] for s in steps)),
                "cold_fit_time": c["fit_time"],
                "warm_epochs": float(np.mean([s.get("epochs") or 0 for s in steps])),
                "cold_epochs": c["n_iter"],
            }
        )
    diffs = [abs(r["warm_val_mean"] - r["cold_val_mean"]) for r in rows]
    return {
        "rows": rows,
        "warm_fit_time": float(sum(r["warm_fit_time"] for r in rows)),
        "cold_fit_time": float(sum(r["cold_fit_time"] for r in rows)),
        "warm_epochs": int(round(sum(r["warm_epochs"] for r in rows) * len(folds))),
        "cold_epochs": int(round(sum((r["cold_epochs"] or 0) for r in rows) * len(folds))),
        "max_abs_val_diff": float(np.nanmax(diffs)) if diffs else 0.0,
    }
