""".npz data files: labels, test splits, pickles and damage."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.datasets import (
    load_dataset,
    load_npz,
)
from leannet.errors import DataError


def test_npz_with_onehot_labels_and_test_split(tmp_path):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 20)
    p = tmp_path / "d.npz"
    np.savez(
        p,
        X=rng.normal(size=(20, 4)),
        y=np.eye(3)[y],
        X_test=rng.normal(size=(5, 4)),
        y_test=np.eye(3)[[0, 1, 2, 1, 0]],
    )
    ds = load_dataset(p)
    assert ds.task == "classification"
    np.testing.assert_array_equal(ds.y, y)
    np.testing.assert_array_equal(ds.y_test, [0, 1, 2, 1, 0])


def test_npz_errors(tmp_path):
    p = tmp_path / "d.npz"
    np.savez(p, X=np.zeros((3, 2)))
    with pytest.raises(DataError, match="no array named 'y'"):
        load_dataset(p)
    np.savez(p, X=np.array([[1.0, np.nan]]), y=np.array([1.0]))
    with pytest.raises(DataError, match=r"NaN or inf \(first at row 0, column 1\)"):
        load_dataset(p)
    np.savez(p, X=np.array([[1, 2]], dtype=object), y=np.array([1]))
    with pytest.raises(DataError, match="pickles"):
        load_dataset(p)


def test_npz_data_with_pickles_is_refused(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.array([object()] * 4, dtype=object), y=np.zeros(4))
    with pytest.raises(DataError, match=r"d\.npz: array 'X' holds pickled Python objects"):
        load_npz(path)


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_npz_data_truncated_or_corrupted(tmp_path, damage):
    good = tmp_path / "good.npz"
    np.savez(good, X=np.ones((4, 2)), y=np.array([0, 1, 0, 1]))
    data = bytearray(good.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[100] ^= 0xFF  # inside X's data: the CRC check fails
    path = tmp_path / "d.npz"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"d\.npz"):
        load_npz(path)
