"""A sweep's plan, fixed before any fit runs: the estimator, the grid, the held-out
test rows, the folds and the sweep id.

Seeds are fixed per (sweep seed, setting, fold), so results do not depend on the
backend, the number of workers or the order in which fits finish.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from ..datasets.targets import infer_task
from ..errors import ConfigError, DataError
from . import grid as gridlib

__all__ = ["SCHEMA", "SweepPlan", "derive_seed", "make_plan"]

SCHEMA = 1
# Scorers suggested when an unknown name is given.
_SUGGESTED_SCORERS = (
    "accuracy",
    "balanced_accuracy",
    "f1",
    "roc_auc",
    "r2",
    "neg_mean_squared_error",
)


def derive_seed(*parts) -> int:
    """A seed from the sweep seed, the setting and the fold: same inputs, same seed."""
    text = "|".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") % (2**31 - 1)


def fingerprint(*arrays, extra) -> str:
    """16 hex digits identifying the data, the split and the fixed settings."""
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes() if a.dtype != object else repr(a.tolist()).encode())
    h.update(json.dumps(extra, sort_keys=True, default=repr).encode())
    return h.hexdigest()[:16]


@dataclass
class SweepPlan:
    """Everything a sweep decides before fitting. Rows index ``X_all``/``y_all``."""

    estimator: object
    task: str
    grid: dict
    names: list
    settings: list
    scoring: str | None
    scoring_name: str
    X_all: np.ndarray
    y_all: np.ndarray
    train_rows: np.ndarray
    test_rows: np.ndarray
    folds: list
    base: dict
    sweep_id: str
    seed: int
    cv: int

    def seed_of(self, setting: dict, fold) -> int:
        """The fit seed of ``setting`` on ``fold`` (``"all"`` for a refit)."""
        return derive_seed(self.seed, gridlib.setting_key(setting), fold)

    def new_task(self, kind: str, setting: dict, fold, train, evaluate, extra=None) -> dict:
        """One unit of work for `leannet.sweep.tasks.run_task`."""
        key = gridlib.setting_key(setting)
        task = {
            "task": f"{self.sweep_id}:{kind}:{key}:{fold}",
            "sweep": self.sweep_id,
            "kind": kind,
            "params": setting,
            "fold": fold,
            "seed": derive_seed(self.seed, key, fold),
            "train": train,
            "evaluate": evaluate,
        }
        task.update(extra or {})
        return task

    def cv_tasks(self) -> list[dict]:
        """Every setting on every fold, setting-major (the table reads them in blocks of cv)."""
        return [
            self.new_task("cv", s, k, self.train_rows[tr], self.train_rows[va])
            for s in self.settings
            for k, (tr, va) in enumerate(self.folds)
        ]


def make_plan(
    X,
    y,
    *,
    grid: dict,
    estimator,
    params: dict | None,
    task: str,
    cv: int,
    test_size: float,
    X_test,
    y_test,
    scoring: str | None,
    seed: int,
    standardize: bool,
) -> SweepPlan:
    """Check the inputs and fix the plan (see [`leannet.sweep.sweep`][leannet.sweep.sweep] for the arguments)."""
    from sklearn.utils import check_X_y

    if task not in ("auto", "classification", "regression"):
        raise ConfigError(f"task must be 'auto', 'classification' or 'regression', got {task!r}")
    try:
        X, y = check_X_y(X, y, multi_output=True, y_numeric=False)
    except ValueError as exc:
        raise DataError(f"X, y cannot be used for a sweep: {exc}") from None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    task = infer_task(y) if task == "auto" else task
    estimator = _estimator(estimator, task, params, standardize)
    grid = gridlib.validate_grid(grid, estimator)
    _check_scoring(scoring)
    scoring_name = scoring or ("accuracy" if task == "classification" else "r2")
    X_all, y_all, train_rows, test_rows = _hold_out(X, y, X_test, y_test, test_size, task, seed)
    folds = _folds(y_all[train_rows], task, cv, seed)
    _try_scoring(scoring, task, X_all[train_rows], y_all[train_rows])
    base = {
        k: v for k, v in estimator.get_params(deep=True).items() if k.split("__")[-1] not in grid
    }
    base = {k: v for k, v in base.items() if not hasattr(v, "get_params") and k != "steps"}
    sweep_id = fingerprint(
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
    return SweepPlan(
        estimator=estimator,
        task=task,
        grid=grid,
        names=list(grid),
        settings=gridlib.settings(grid),
        scoring=scoring,
        scoring_name=scoring_name,
        X_all=X_all,
        y_all=y_all,
        train_rows=train_rows,
        test_rows=test_rows,
        folds=folds,
        base=base,
        sweep_id=sweep_id,
        seed=seed,
        cv=cv,
    )


def _estimator(estimator, task: str, params: dict | None, standardize: bool):
    """A fresh estimator: the given one cloned, or leannet's for the task (with
    ``leannet train``'s defaults, `estimator_params`); with the fixed
    ``params`` and, with ``standardize``, a scaler in front (and a standardised target)."""
    from sklearn.base import clone

    if estimator is None:  # leannet's, with leannet train's defaults (one set for all)
        from ..lab.config import estimator_params
        from ..sklearn import LeanClassifier, LeanRegressor

        kind = LeanClassifier if task == "classification" else LeanRegressor
        estimator = kind(**estimator_params())
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
    return estimator


def _check_scoring(scoring: str | None) -> None:
    if scoring is None:
        return
    from sklearn.metrics import get_scorer, get_scorer_names

    try:
        get_scorer(scoring)
    except (ValueError, TypeError):
        known = ", ".join(n for n in get_scorer_names() if n in _SUGGESTED_SCORERS)
        raise ConfigError(
            f"scoring={scoring!r} is not a scikit-learn scorer; e.g. {known}"
        ) from None


def _try_scoring(scoring: str | None, task: str, X, y) -> None:
    """Score a constant model once, so that a scorer that cannot score this task (``f1``
    or ``roc_auc`` on three classes) is one clear error before any fit runs."""
    if scoring is None:
        return
    import warnings

    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.metrics import get_scorer

    dummy = DummyClassifier(strategy="prior") if task == "classification" else DummyRegressor()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            get_scorer(scoring)(dummy.fit(X, y), X, y)
    except (ValueError, TypeError, AttributeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = ""
        if task == "classification" and len(np.unique(y)) > 2:
            hint = (
                "; for more than two classes use an averaged scorer, e.g. f1_macro, "
                "f1_weighted, roc_auc_ovr, precision_macro, recall_macro"
            )
        raise ConfigError(
            f"scoring={scoring!r} cannot score this {task} task ({first}){hint}"
        ) from None


def _hold_out(X, y, X_test, y_test, test_size, task: str, seed: int):
    """``X_all, y_all, train_rows, test_rows``: the given test set appended, or a
    (stratified) ``test_size`` fraction held out; no test rows when it is 0."""
    from sklearn.model_selection import train_test_split
    from sklearn.utils import check_X_y

    n = len(y)
    if X_test is not None:
        X_test, y_test = check_X_y(X_test, y_test, multi_output=True, dtype=None)
        X_all = np.concatenate([X, X_test])
        y_all = np.concatenate([y, y_test.ravel() if y.ndim == 1 else y_test])
        return X_all, y_all, np.arange(n), np.arange(n, n + len(y_test))
    if not (isinstance(test_size, (int, float)) and 0 <= test_size < 1):
        raise ConfigError(f"test_size must be a fraction in [0, 1), got {test_size!r}")
    if not test_size:
        return X, y, np.arange(n), np.arange(0)
    strat = y if task == "classification" else None
    try:
        train_rows, test_rows = train_test_split(
            np.arange(n), test_size=test_size, random_state=seed, stratify=strat
        )
    except ValueError as exc:
        raise ConfigError(
            f"test_size={test_size}: {exc}; lower test_size or use more data"
        ) from None
    return X, y, np.sort(train_rows), np.sort(test_rows)


def _folds(y, task: str, cv: int, seed: int) -> list:
    """``cv`` (train, validation) index pairs over the training rows; stratified for classes."""
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
