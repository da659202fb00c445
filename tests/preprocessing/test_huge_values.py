"""Issue 14 item 24: CSV features and targets near 1e300 standardise like ordinary ones."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.preprocessing import Preprocessor

pytest.importorskip("sklearn")


def _table(scale: float) -> dict:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2)) * scale
    y = X[:, 0] * 2.0 + 1.0 * scale
    cells = lambda v: np.array([repr(float(x)) for x in v], dtype=object)  # noqa: E731
    return {"a": cells(X[:, 0]), "b": cells(X[:, 1]), "y": cells(y)}


def test_features_and_target_near_1e300_match_ordinary_ones():
    ordinary = Preprocessor("y", task="regression").fit_transform(_table(1.0))
    with np.errstate(all="raise"):  # no overflow anywhere
        huge = Preprocessor("y", task="regression").fit_transform(_table(1e300))
    np.testing.assert_allclose(huge.X, ordinary.X, rtol=1e-9, atol=1e-12)
    assert np.abs(huge.X).max() > 1  # not all scaled to zero


def test_constant_column_keeps_scale_one():
    table = _table(1.0)
    table["c"] = np.array(["5.0"] * 80, dtype=object)
    pre = Preprocessor("y", task="regression")
    pre.fit_transform(table)
    state = pre.to_state()
    names = state["numeric_names"]
    assert "c" not in names or state["scale"][names.index("c")] == 1.0
