"""Running a plan's fits: skip those already in the results file, send the rest to
the backend, record each as it finishes."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ConfigError
from . import grid as gridlib
from .format import fmt_setting, num
from .plan import SweepPlan

__all__ = ["FitRunner"]


class FitRunner:
    """Runs tasks of one sweep, resuming from and appending to a results file.

    Attributes:
        done: every record known so far, by task id (from the file and from this run).
        n_run, n_reused: fits run now, and fits taken from the results file.
    """

    def __init__(
        self,
        plan: SweepPlan,
        *,
        results: str | Path | None = None,
        n_jobs: int | None = None,
        scheduler: str | None = None,
        dask_workers: int | None = None,
        verbose: bool = False,
    ):
        from .results import ResultsFile

        self.plan = plan
        self.n_jobs, self.scheduler, self.dask_workers = n_jobs, scheduler, dask_workers
        self.verbose = verbose
        self.store = ResultsFile(results) if results is not None else None
        self.done: dict[str, dict] = {}
        self.n_run = 0
        self.n_reused = 0
        if self.store is not None:
            for rec in self.store.load():
                if rec.get("sweep") != plan.sweep_id:
                    raise ConfigError(
                        f"{self.store.path} holds results of a different sweep (other data, "
                        "folds, seed or fixed hyperparameters); use another results path or "
                        "delete that file"
                    )
                self.done[rec["task"]] = rec

    @property
    def results_path(self) -> str | None:
        return str(self.store.path) if self.store is not None else None

    def run(self, tasks: list[dict]) -> list[dict]:
        """The records of ``tasks``, in their order; runs only those not done yet."""
        from .backends import execute
        from .tasks import run_task

        plan = self.plan
        pending = [t for t in tasks if t["task"] not in self.done]
        self.n_reused += len(tasks) - len(pending)
        records = execute(
            run_task,
            pending,
            (plan.estimator, plan.X_all, plan.y_all, plan.scoring),
            n_jobs=self.n_jobs,
            scheduler=self.scheduler,
            dask_workers=self.dask_workers,
        )
        for i, rec in enumerate(records, 1):
            rec["params"] = {k: gridlib._jsonable(v) for k, v in rec["params"].items()}
            if self.store is not None:
                self.store.append(rec)
            self.done[rec["task"]] = rec
            self.n_run += 1
            if self.verbose:
                print(
                    f"[{i}/{len(pending)}] {rec['kind']} {fmt_setting(rec['params'])} fold "
                    f"{rec['fold']}: val {num(rec.get('val_score'))} ({rec['fit_time']:.2f} s)",
                    file=sys.stderr,
                    flush=True,
                )
        return [self.done[t["task"]] for t in tasks]
