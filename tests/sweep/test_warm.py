"""The warm-started regularisation path."""

from __future__ import annotations

import pytest

from leannet.errors import ConfigError
from leannet.sweep import sweep

from ._helpers import FAST


def test_warm_path_starts_like_the_strongest_cold_fit(cancer):
    X, y = cancer
    result = sweep(
        X,
        y,
        grid={"l2": [0.0, 1e-3, 1e-1]},
        params=dict(FAST, tol=1e-3),
        cv=3,
        n_jobs=1,
        warm_path=True,
    )
    warm = result.warm
    assert [row["params"]["l2"] for row in warm["rows"]] == [1e-1, 1e-3, 0.0]
    strongest = next(r for r in result.table if r["params"]["l2"] == 1e-1)
    assert warm["rows"][0]["warm_val_mean"] == strongest["val_mean"]
    assert warm["rows"][0]["warm_epochs"] == strongest["n_iter"]
    assert warm["warm_epochs"] > 0 and warm["cold_epochs"] > 0
    with pytest.raises(ConfigError, match="one penalty"):
        sweep(X, y, grid={"l2": [0.0], "l1": [0.0]}, params=FAST, cv=2, n_jobs=1, warm_path=True)
