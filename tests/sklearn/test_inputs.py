"""Input checks: scikit-learn's validation and the cast to the network's dtype."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from scipy import sparse  # noqa: E402

from leannet.errors import DataError  # noqa: E402
from leannet.sklearn import LeanRegressor  # noqa: E402
from leannet.sklearn.inputs import as_dtype, validate_X  # noqa: E402


def test_as_dtype_keeps_arrays_of_the_right_dtype_and_casts_others():
    X = np.ones((2, 2), dtype=np.float32)
    assert as_dtype(X, np.float32) is X
    assert as_dtype(X, np.float64).dtype == np.float64


@pytest.mark.parametrize("make", [np.asarray, sparse.csr_matrix])
def test_values_beyond_float32_are_named_not_turned_into_inf(make):
    X = make(np.array([[1.0, -5e38], [0.0, 2.0]]))
    with pytest.raises(DataError, match=r"values up to 5e\+38, beyond the float32 range"):
        as_dtype(X, np.float32)
    assert as_dtype(make(np.array([[3e38]])), np.float32).dtype == np.float32


def test_validate_X_accepts_csr_and_csc_and_keeps_float32():
    est = LeanRegressor()
    for X in (sparse.csr_matrix(np.eye(3)), sparse.csc_matrix(np.eye(3))):
        assert sparse.issparse(validate_X(est, X, reset=True))
    X32 = np.eye(3, dtype=np.float32)
    X_checked, y_checked = validate_X(est, X32, reset=True, y=[1.0, 2.0, 3.0])
    assert X_checked.dtype == np.float32 and y_checked.shape == (3,)
    with pytest.raises(ValueError, match="NaN"):
        validate_X(est, np.array([[np.nan]]), reset=True)
