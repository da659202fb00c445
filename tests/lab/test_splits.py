"""Splits: seeded, disjoint, standardised with the training rows only."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.datasets import Dataset, make_teacher
from leannet.errors import DataError
from leannet.lab.config import TrainConfig
from leannet.lab.splits import split_data


def _ds(n=50):
    X = np.column_stack([np.arange(n, dtype=float), np.full(n, 7.0)])  # 2nd column constant
    return Dataset(X, np.arange(n) % 2, "classification", ["a", "b"], ["0", "1"], name="toy")


def test_rows_are_split_disjointly_and_standardised_with_training_statistics():
    ds = _ds()
    s = split_data(ds, TrainConfig(val_split=0.2, test_split=0.2, seed=3))
    assert [name for name, _, _ in s.items()] == ["train", "validation", "test"]
    assert (len(s.X_train), len(s.X_val), len(s.X_test)) == (30, 10, 10)
    raw = [np.rint(X[:, 0] * s.std[0] + s.mean[0]) for _, X, _ in s.items()]
    rows = np.concatenate(raw)
    assert sorted(rows.tolist()) == list(range(50))  # each row once
    np.testing.assert_allclose(s.X_train.mean(axis=0), [0.0, 0.0], atol=1e-6)
    assert s.std[1] == 1.0  # a constant column keeps scale 1 instead of dividing by 0
    assert s.X_train.dtype == np.float32
    again = split_data(ds, TrainConfig(val_split=0.2, test_split=0.2, seed=3))
    np.testing.assert_array_equal(again.X_test, s.X_test)


def test_a_fixed_test_split_is_kept_and_standardize_off_keeps_the_values():
    ds = make_teacher(40, n_test=7)
    s = split_data(ds, TrainConfig(val_split=0.25, test_split=0.2, standardize=False))
    assert len(s.X_test) == 7 and len(s.X_train) == 30 and len(s.X_val) == 10
    np.testing.assert_array_equal(s.mean, 0.0)
    np.testing.assert_allclose(s.X_test, ds.X_test.astype(np.float32))


def test_too_few_rows_name_the_problem():
    with pytest.raises(DataError, match=r"toy: 3 rows are too few for the split .*--val-split 0.1"):
        split_data(_ds(3), TrainConfig(val_split=0.1, test_split=0.0))


def test_split_rows_is_one_seeded_permutation_and_fixed_splits_take_no_rows():
    from leannet.lab.config import TrainConfig
    from leannet.lab.splits import split_rows

    cfg = TrainConfig(val_split=0.2, test_split=0.1, seed=3)
    train, val, test = split_rows(50, cfg, source="t")
    assert (len(train), len(val), len(test)) == (35, 10, 5)
    assert sorted(np.concatenate([train, val, test])) == list(range(50))
    order = np.random.default_rng(3).permutation(50)
    np.testing.assert_array_equal(test, order[:5])
    train2, val2, test2 = split_rows(50, cfg, fixed_val=True, fixed_test=True, source="t")
    assert (len(train2), len(val2), len(test2)) == (50, 0, 0)
