"""One unit of sweep work, run in a worker process (local or on a Dask worker).

A task fits a fresh clone of the estimator on given row indices with a seed
fixed by (sweep seed, setting, fold), with BLAS limited to one thread: the
result is then the same whichever process, machine or worker count runs it.
"""

from __future__ import annotations

import os
import socket
import time
import warnings

import numpy as np

from .grid import final_estimator, set_params


def weight_stats(estimator) -> tuple[float | None, float | None]:
    """Euclidean norm of all weights (biases excluded) and their exact-zero share."""
    est = final_estimator(estimator, fitted=True)[1]
    net = getattr(est, "network_", None)
    if net is not None:
        w = np.asarray(net.params[: net.n_weights], dtype=np.float64)
    elif getattr(est, "coefs_", None) is not None:
        w = np.concatenate([np.ravel(c) for c in est.coefs_]).astype(np.float64)
    elif getattr(est, "coef_", None) is not None:
        w = np.ravel(est.coef_).astype(np.float64)
    else:
        return None, None
    if w.size == 0:
        return 0.0, None
    return float(np.sqrt(np.dot(w, w))), float(np.mean(w == 0.0))


def _score(est, X, y, scoring) -> float:
    if scoring is None:
        return float(est.score(X, y))
    from sklearn.metrics import get_scorer

    try:
        return float(get_scorer(scoring)(est, X, y))
    except ValueError as exc:  # e.g. a log error on a negative prediction: one line, not a trace
        from ..errors import ConfigError

        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConfigError(
            f"scoring={scoring!r} could not score a fitted model ({first}); choose another scorer"
        ) from None


def _fit_once(est, X, y, train, evaluate, scoring) -> dict:
    """Fit ``est`` on rows ``train``; score on them and on ``evaluate``."""
    from ..errors import TrainingDiverged

    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter from hundreds of fits
            est.fit(X[train], y[train])
    except (TrainingDiverged, FloatingPointError) as exc:
        return {
            "train_score": None,
            "val_score": None,
            "diverged": str(exc),
            "fit_time": time.perf_counter() - start,
        }
    fit_time = time.perf_counter() - start
    cpu_time = time.process_time() - cpu_start  # below fit_time when sharing the cores
    final = final_estimator(est, fitted=True)[1]
    norm, zeros = weight_stats(est)
    return {
        "train_score": _score(est, X[train], y[train], scoring),
        "val_score": _score(est, X[evaluate], y[evaluate], scoring),
        "weight_norm": norm,
        "zero_share": zeros,
        "n_iter": int(np.max(final.n_iter_)) if hasattr(final, "n_iter_") else None,
        "fit_time": fit_time,
        "cpu_time": cpu_time,
    }


def _with_seed(est, seed: int):
    final = final_estimator(est)[1]
    if "random_state" in final.get_params():
        set_params(est, {"random_state": int(seed)})
    return est


def run_task(task: dict, estimator, X, y, scoring=None) -> dict:
    """Run one task and return its record (the task dict plus the measured numbers).

    ``task["kind"]`` is ``"cv"`` (one setting on one fold), ``"refit"`` (one
    setting on all training rows, scored on the test rows) or ``"warm"`` (a
    whole regularisation path on one fold, each fit starting from the last).
    """
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    record = {k: v for k, v in task.items() if k not in ("train", "evaluate")}
    record["worker"] = f"{socket.gethostname()}:{os.getpid()}"  # which process ran it
    train = np.asarray(task["train"])
    evaluate = np.asarray(task["evaluate"])
    with threadpool_limits(limits=1):
        if task["kind"] != "warm":
            est = set_params(clone(estimator), task["params"])
            if "random_state" not in task["params"]:  # a swept seed stays as given
                est = _with_seed(est, task["seed"])
            record.update(_fit_once(est, X, y, train, evaluate, scoring))
            return record
        # Warm-started path: one estimator, penalty lowered step by step.
        est = _with_seed(clone(estimator), task["seed"])
        final = final_estimator(est)[1]
        if "warm_start" in final.get_params():
            set_params(est, {"warm_start": True})
        steps = []
        for setting in task["path"]:
            last = final_estimator(est, fitted=True)[1]
            before = int(np.max(getattr(last, "n_iter_", 0)))
            set_params(est, setting)
            step = _fit_once(est, X, y, train, evaluate, scoring)
            step["params"] = setting
            # n_iter_ counts all epochs since the first fit; this step's cost is the difference.
            n_iter = step.get("n_iter")
            step["epochs"] = (
                None if n_iter is None else (n_iter - before if n_iter >= before else n_iter)
            )
            steps.append(step)
            if step.get("diverged"):
                est = _with_seed(clone(estimator), task["seed"])
                if "warm_start" in final.get_params():
                    set_params(est, {"warm_start": True})
        record["steps"] = steps
        record["fit_time"] = float(sum(s["fit_time"] for s in steps))
        return record
