"""Regularisation sweeps: a grid of settings × k-fold cross-validation, run locally or on Dask.

``from leannet.sweep import sweep`` (also ``leannet.sweep(...)``). Only NumPy is
imported here; scikit-learn, joblib, Dask and matplotlib load when a sweep runs.
"""

from .core import SweepResult, select, sweep

__all__ = ["sweep", "SweepResult", "select"]
