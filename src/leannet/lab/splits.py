"""Train/validation/test splits of a data set, standardised with training statistics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..datasets import Dataset
from ..errors import DataError
from .config import TrainConfig

__all__ = ["Splits", "column_mean_std", "split_data", "split_rows"]


@dataclass
class Splits:
    """Standardised train/validation/test arrays and the scaling that made them."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    X_test: np.ndarray | None
    y_test: np.ndarray | None
    mean: np.ndarray
    std: np.ndarray

    def items(self):
        """(name, X, y) for every split that exists."""
        out = [("train", self.X_train, self.y_train)]
        if self.X_val is not None:
            out.append(("validation", self.X_val, self.y_val))
        if self.X_test is not None:
            out.append(("test", self.X_test, self.y_test))
        return out


def split_data(ds: Dataset, cfg: TrainConfig) -> Splits:
    """Shuffle (seeded) and split into train/validation/test, then standardise
    features with the training mean and std (``z = (x - mean) / std``, std 0 -> 1).

    A fixed test split of the dataset (``ds.X_test``) is used as is; otherwise
    ``cfg.test_split`` of the rows are held out.
    """
    train_idx, val_idx, test_idx = split_rows(
        ds.n_samples, cfg, fixed_test=ds.X_test is not None, source=ds.name
    )
    X, y = ds.X, ds.y
    if cfg.standardize:
        mean, std = column_mean_std(X[train_idx])
    else:
        mean, std = np.zeros(ds.n_features), np.ones(ds.n_features)
    std = np.where(std > 0, std, 1.0)
    dtype = np.dtype(cfg.dtype)

    def scale(A):
        if A is None:
            return None
        with np.errstate(over="ignore"):
            scaled = ((A - mean) / std).astype(dtype)
        if not np.isfinite(scaled).all():
            r, c = np.argwhere(~np.isfinite(scaled))[0]
            raise DataError(
                f"{ds.name}: row {r}, feature {c} ({A[r, c]:.3g}) is beyond the range of "
                f"{dtype.name} after scaling; standardise the features or use --dtype float64"
            )
        return scaled

    if ds.X_test is not None:
        X_test, y_test = ds.X_test, ds.y_test
    elif len(test_idx):
        X_test, y_test = X[test_idx], y[test_idx]
    else:
        X_test = y_test = None
    return Splits(
        scale(X[train_idx]),
        y[train_idx],
        scale(X[val_idx]) if len(val_idx) else None,
        y[val_idx] if len(val_idx) else None,
        scale(X_test),
        y_test,
        mean,
        std,
    )


def split_rows(
    n: int, cfg: TrainConfig, *, fixed_val: bool = False, fixed_test: bool = False, source: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The training, validation and test row positions of ``n`` rows: one seeded
    permutation (``cfg.seed``), its first ``cfg.test_split`` as test rows, the next
    ``cfg.val_split`` as validation rows, the rest for training. A split given as its
    own data (``fixed_val``, ``fixed_test``) takes no rows. Too few rows for a split
    that was asked for is a DataError naming ``source`` and the split."""
    order = np.random.default_rng(cfg.seed).permutation(n)
    n_test = 0 if fixed_test else int(round(n * cfg.test_split))
    n_val = 0 if fixed_val else int(round(n * cfg.val_split))
    n_train = n - n_test - n_val
    problems = []
    if cfg.test_split > 0 and not fixed_test and n_test == 0:
        problems.append(f"--test-split {cfg.test_split} gives 0 test rows")
    if cfg.val_split > 0 and not fixed_val and n_val == 0:
        problems.append(f"--val-split {cfg.val_split} gives 0 validation rows")
    if n_train < 2:
        k = max(n_train, 0)
        problems.append(f"only {k} training row{' remains' if k == 1 else 's remain'}")
    if problems:
        raise DataError(
            f"{source}: {n} rows are too few for the split ({'; '.join(problems)}); "
            "add data or lower --val-split/--test-split (0 disables a split)"
        )
    return order[n_test + n_val :], order[n_test : n_test + n_val], order[:n_test]


def column_mean_std(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Mean and standard deviation of each column, without overflow for values near 1e300.

    ``X.std()`` squares the values, which overflows to inf beyond about 1e154 and
    then scaled every value to 0. Each column is divided by its largest magnitude
    first ($\sigma(x) = m\,\sigma(x / m)$), which cannot overflow.
    """
    X = np.asarray(X, dtype=float)
    m = np.abs(X).max(axis=0) if len(X) else np.ones(X.shape[1])
    m = np.where((m > 0) & np.isfinite(m), m, 1.0)
    Z = X / m
    return Z.mean(axis=0) * m, Z.std(axis=0) * m
