"""Data generation and the GEMM floor of the benchmarks."""

from __future__ import annotations

import numpy as np
import pytest

data = pytest.importorskip("data")
impls = pytest.importorskip("impls")
workloads = pytest.importorskip("workloads")


def test_prototype_classes_is_float32_and_deterministic() -> None:
    X, y = data.prototype_classes(12_345, 20, 7, seed=3)  # more than one chunk
    assert X.dtype == np.float32 and X.shape == (12_345, 20)
    assert y.shape == (12_345,) and set(np.unique(y)) <= set(range(7))
    assert 0.0 <= X.min() and X.max() < 1.0
    X2, y2 = data.prototype_classes(12_345, 20, 7, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    # The classes carry signal: class means differ by more than sampling noise.
    means = np.stack([X[y == c].mean(axis=0) for c in range(7)])
    assert np.ptp(means, axis=0).max() > 0.05


def test_write_npy_dataset_matches_in_memory(tmp_path) -> None:
    x_path, y_path = data.write_npy_dataset(tmp_path, 6_001, 8, 3, seed=1)
    X, y = data.prototype_classes(6_001, 8, 3, seed=1)
    loaded = np.load(x_path, mmap_mode="r", allow_pickle=False)
    assert loaded.dtype == np.float32
    np.testing.assert_array_equal(loaded, X)
    np.testing.assert_array_equal(np.load(y_path, allow_pickle=False), y)


def test_seeds_tiny_shapes() -> None:
    X, y, X_test, y_test = data.seeds_tiny()
    assert X.shape == (200, 10) and X_test.shape == (40, 10)
    assert X.dtype == np.float32 and set(np.unique(y)) <= {0, 1, 2, 3}
    assert len(np.unique(y)) > 1


def test_spec_steps() -> None:
    assert workloads.W1.steps(60_000) == 469  # 468 full batches of 128 and one of 96
    assert workloads.W2.steps(200) == 500  # full batch: one step per epoch
    assert workloads.quick(workloads.W2).epochs == 50


def test_gemm_floor_runs_on_the_workload_shapes() -> None:
    run = impls.gemm_floor(workloads.with_width(workloads.W4, 32), n=300)
    assert run() is None
