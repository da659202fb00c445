"""The table of built-in data sets and the scikit-learn bundled ones."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.datasets import (
    BUILTIN_DATASETS,
    load_dataset,
)


@pytest.mark.parametrize("name", sorted(BUILTIN_DATASETS))
def test_builtin_datasets_are_consistent(name):
    ds = load_dataset(name)
    entry = BUILTIN_DATASETS[name]
    assert ds.task == entry.task
    assert ds.X.ndim == 2 and ds.X.shape[0] == ds.y.shape[0] > 0
    assert np.all(np.isfinite(ds.X))
    assert len(ds.feature_names) == ds.n_features
    if ds.task == "classification":
        assert ds.y.dtype.kind == "i"
        assert set(np.unique(ds.y)) == set(range(ds.n_classes))
    else:
        assert ds.class_names is None and ds.y.dtype.kind == "f"


def test_n_samples_subsets_real_data():
    ds = load_dataset("iris", n_samples=30, seed=0)
    assert ds.n_samples == 30
