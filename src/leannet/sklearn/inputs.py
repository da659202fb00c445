"""Input checks of the estimators: scikit-learn's validation, then the network's dtype."""

from __future__ import annotations

import numpy as np

from .._validation import is_sparse
from ..errors import DataError

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _sk_validate_data
except ImportError:  # pragma: no cover - older scikit-learn

    def _sk_validate_data(est, X="no_validation", y="no_validation", reset=True, **kw):
        return est._validate_data(X, y, reset=reset, **kw)


SPARSE_FORMATS = ["csr", "csc"]


def validate_X(est, X, *, reset: bool, y="no_validation", **kw):
    """scikit-learn's validation of ``X`` (dense or CSR/CSC, float32 or float64) and ``y``."""
    options = {"accept_sparse": SPARSE_FORMATS, "dtype": (np.float64, np.float32)}
    if isinstance(y, str) and y == "no_validation":
        return _sk_validate_data(est, X, reset=reset, **options)
    return _sk_validate_data(est, X, y, reset=reset, multi_output=True, **options, **kw)


def as_dtype(X, dtype):
    """``X`` in ``dtype``; refuse values that the cast to float32 would turn into inf."""
    dtype = np.dtype(dtype)
    if X.dtype == dtype:
        return X
    data = X.data if is_sparse(X) else X
    limit = float(np.finfo(np.float32).max)
    if dtype == np.float32 and data.size:
        biggest = float(np.max(np.abs(data)))
        if biggest > limit:
            raise DataError(
                f"X has values up to {biggest:.3g}, beyond the float32 range (±{limit:.3g}) "
                "that this estimator trains in; scale the features (e.g. StandardScaler) "
                "or use dtype='float64'"
            )
    return X.astype(dtype)
