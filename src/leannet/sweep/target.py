"""Standardised regression targets for sweeps.

A network trained on raw targets in the hundreds starts with a huge loss and
needs many epochs just to learn the offset. `StandardizedTarget` fits its
regressor on ``(y - mean) / std`` (statistics of the training rows only) and
maps predictions back, so scores are on the original scale.

Unlike scikit-learn's ``TransformedTargetRegressor`` it fits the regressor in
place instead of a clone, so ``warm_start`` carries over between fits (the
sweep's warm-started path relies on that; the sweep clones per task anyway).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin


class StandardizedTarget(RegressorMixin, BaseEstimator):
    """Fit ``regressor`` on standardised targets; predict on the original scale."""

    def __init__(self, regressor=None):
        self.regressor = regressor

    def fit(self, X, y):
        y = np.asarray(y, dtype=np.float64)
        self.mean_ = y.mean(axis=0)
        std = y.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)  # a constant target keeps its scale
        self.regressor.fit(X, (y - self.mean_) / self.scale_)
        self.n_features_in_ = getattr(self.regressor, "n_features_in_", np.shape(X)[1])
        return self

    def predict(self, X):
        return np.asarray(self.regressor.predict(X)) * self.scale_ + self.mean_
