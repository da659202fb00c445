"""Issue 14 item 24: features near 1e300 are standardised, not all scaled to 0."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.datasets import Dataset
from leannet.errors import DataError
from leannet.lab.config import TrainConfig
from leannet.lab.splits import column_mean_std, split_data


def _ds(X, y):
    return Dataset(X, y, "classification", ["a", "b"], ["0", "1"], name="d")


def test_features_near_1e300_standardise_like_ordinary_ones():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(np.int64)
    cfg = TrainConfig(dtype="float64")
    ordinary = split_data(_ds(X, y), cfg)
    huge = split_data(_ds(X * 1e300, y), cfg)
    assert np.isfinite(huge.std).all() and (huge.std > 1e299).all()
    np.testing.assert_allclose(huge.X_train, ordinary.X_train, rtol=1e-9, atol=1e-12)
    assert np.abs(huge.X_train).max() > 1  # not all zeros


def test_column_mean_std_matches_numpy_where_numpy_does_not_overflow():
    X = np.random.default_rng(1).normal(3.0, 2.0, size=(50, 3))
    mean, std = column_mean_std(X)
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(std, X.std(axis=0), rtol=1e-12)


def test_unscaled_values_beyond_float32_are_a_clear_error():
    X = np.full((20, 2), 1e300)
    X[::2] *= -1
    y = np.arange(20) % 2
    with pytest.raises(DataError, match="beyond the range of float32 after scaling"):
        split_data(_ds(X, y), TrainConfig(standardize=False))
