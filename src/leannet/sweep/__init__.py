"""Regularisation sweeps: a grid of settings × k-fold cross-validation, run locally or on Dask.

``from leannet.sweep import sweep`` (also ``leannet.sweep(...)``). Only NumPy is
imported here; scikit-learn, joblib, Dask and matplotlib load when a sweep runs.

Modules: ``core`` ([`sweep`][leannet.sweep.sweep]), ``plan``, ``runner``, ``tasks`` (one fit in a
worker), ``backends`` (joblib / Dask), ``results`` (the resumable JSONL file),
``select``, ``warm``, ``result`` ([`SweepResult`][leannet.sweep.result.SweepResult]), ``format`` (shared text),
``report`` and ``plots``, ``grid`` (grid parsing and ordering), ``target``.
"""

from .core import sweep
from .result import SweepResult
from .select import select

__all__ = ["sweep", "SweepResult", "select"]
