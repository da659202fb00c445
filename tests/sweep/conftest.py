"""Fixtures for the sweep tests."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("joblib")


@pytest.fixture(scope="session")
def cancer():
    """240 rows of the bundled breast-cancer data, standardised."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    idx = np.random.default_rng(0).permutation(len(y))[:240]
    return StandardScaler().fit_transform(X[idx]), y[idx]
