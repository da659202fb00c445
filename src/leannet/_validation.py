"""Input checks shared by the engine, the CLI and the estimators.

Each check raises an error that names the argument and says how to fix it, so
users never see a traceback from deep inside NumPy.
"""

from __future__ import annotations

import numbers

import numpy as np

from .errors import ConfigError, DataError


def check_nonnegative(value, name: str) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{name} must be a number >= 0, got {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ConfigError(
            f"{name} must be a finite number >= 0, got {value!r}; use 0 to disable it"
        )
    return float(value)


def check_positive(value, name: str) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{name} must be a number > 0, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ConfigError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def check_positive_int(value, name: str, *, allow_none: bool = False):
    """Return ``value`` as an int >= 1 (or None when allowed), else raise."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ConfigError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(value)


def check_seed(value, name: str = "seed"):
    """Return ``value`` as an int >= 0, or None; else raise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ConfigError(f"{name} must be a whole number >= 0 or None, got {value!r}")
    return int(value)


def check_bool(value, name: str) -> bool:
    """Return ``value`` if it is a bool (or NumPy bool); else raise (``bool("no")`` is True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_fraction(value, name: str, *, inclusive_zero: bool = True) -> float:
    """Return ``value`` as a float in [0, 1) (or (0, 1) without zero), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{name} must be a number in [0, 1), got {value!r}")
    low_ok = value >= 0 if inclusive_zero else value > 0
    if not (np.isfinite(value) and low_ok and value < 1):
        bound = "[0, 1)" if inclusive_zero else "(0, 1)"
        raise ConfigError(f"{name} must be in {bound}, got {value!r}")
    return float(value)


def as_float_array(data, name: str, dtype, *, ndim=(1, 2), finite: bool = True) -> np.ndarray:
    """Convert ``data`` to a float array of ``dtype`` without copying when possible.

    A memory-mapped or already-typed array is returned as is (no copy), so that
    large float32 datasets are never duplicated. ``finite`` checks for NaN/inf.
    """
    if data is None:
        raise DataError(f"{name} is None; pass an array of numbers")
    if not isinstance(data, np.ndarray):
        try:
            data = np.asarray(data)
        except (ValueError, TypeError) as exc:
            raise DataError(
                f"{name} could not be read as an array ({exc}); pass a rectangular array of numbers"
            ) from None
    if data.dtype == object or not (
        np.issubdtype(data.dtype, np.number) or np.issubdtype(data.dtype, np.bool_)
    ):
        raise DataError(
            f"{name} must hold numbers, got dtype {data.dtype}; encode text or categorical "
            "columns as numbers first (e.g. one-hot)"
        )
    if np.issubdtype(data.dtype, np.complexfloating):
        raise DataError(f"{name} must hold real numbers, got complex dtype {data.dtype}")
    if data.ndim not in ndim:
        raise DataError(
            f"{name} must have {' or '.join(map(str, ndim))} dimensions, got shape {data.shape}"
        )
    if data.shape[0] == 0:
        raise DataError(f"{name} is empty (shape {data.shape}); pass at least one sample")
    if data.dtype != dtype:
        if isinstance(data, np.memmap):
            raise DataError(
                f"{name} is a memory-mapped array of dtype {data.dtype}; save it as {np.dtype(dtype)} "
                "so it can be trained on without loading a converted copy into memory"
            )
        source = data
        with np.errstate(over="ignore", invalid="ignore"):
            data = data.astype(dtype)
        if finite and first_non_finite(data) is not None and first_non_finite(source) is None:
            where = first_non_finite(data)
            raise DataError(
                f"{name} has values too large for {np.dtype(dtype).name} (first at index {where}, "
                f"{source[where]!r}); scale the features or use dtype='float64'"
            )
    if finite:
        where = first_non_finite(data)
        if where is not None:
            raise DataError(
                f"{name} contains NaN or inf (first at index {where}); remove or impute those values"
            )
    return data


def first_non_finite(data: np.ndarray, block_bytes: int = 4 * 2**20):
    """Index of the first NaN/inf in ``data``, or None.

    Works in blocks of rows of about ``block_bytes`` (4 MiB), so that a
    memory-mapped array larger than memory is checked without loading it whole,
    and the temporary mask of ``np.isfinite`` stays small (and in cache): a
    mask for a whole large array would cost more memory and time than the check.
    """
    row_bytes = max(1, data.itemsize * int(np.prod(data.shape[1:])))
    block_rows = max(1, block_bytes // row_bytes)
    for start in range(0, data.shape[0], block_rows):
        block = np.asarray(data[start : start + block_rows])
        if not np.isfinite(block).all():
            idx = np.argwhere(~np.isfinite(block))[0]
            idx[0] += start
            return tuple(int(i) for i in idx)
    return None


def is_sparse(data) -> bool:
    """True for a SciPy sparse matrix or array (checked without importing SciPy)."""
    return type(data).__module__.startswith("scipy.sparse") and hasattr(data, "tocsr")


def as_sparse_rows(data, name: str, dtype):
    """A SciPy sparse ``data`` as CSR of ``dtype`` (cheap row slicing for mini-batches).

    Only the stored values are converted and checked for NaN/inf: the matrix is
    never densified.
    """
    if data.ndim != 2:
        raise DataError(f"{name} must be a 2-D sparse matrix, got shape {data.shape}")
    if data.shape[0] == 0:
        raise DataError(f"{name} is empty (shape {data.shape}); pass at least one sample")
    if data.dtype.kind not in "fiub":
        raise DataError(f"{name} must hold real numbers, got dtype {data.dtype}")
    csr = data.tocsr()
    if csr.dtype != dtype:
        csr = csr.astype(dtype)
    if not np.isfinite(csr.data).all():
        raise DataError(f"{name} contains NaN or inf; remove or impute those values")
    return csr


def check_sample_weight(sample_weight, n_samples: int, name: str = "sample_weight"):
    """``sample_weight`` as a float64 vector of ``n_samples`` finite values >= 0 with a
    positive sum, or None."""
    if sample_weight is None:
        return None
    weights = as_float_array(sample_weight, name, np.float64, ndim=(1,))
    if len(weights) != n_samples:
        raise DataError(
            f"{name} has {len(weights)} values but X has {n_samples} samples; give one per row"
        )
    if weights.min() < 0:
        raise DataError(f"{name} must be >= 0, got {weights.min():g}")
    if not weights.sum() > 0:
        raise DataError(f"{name} sums to 0; give at least one sample a positive weight")
    return weights
