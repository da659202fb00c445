"""Shared data and settings for the sweep tests: small networks, few epochs."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("joblib")

# Small enough that one fit takes a few hundredths of a second.
FAST = {"hidden_layer_sizes": (8,), "max_iter": 15, "tol": 0.0, "learning_rate": 0.01}


@pytest.fixture(scope="session")
def cancer():
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    idx = np.random.default_rng(0).permutation(len(y))[:240]
    return StandardScaler().fit_transform(X[idx]), y[idx]


def comparable(result) -> list[tuple]:
    """Everything a fit produced except its wall time, sorted by task id."""
    keys = ("train_score", "val_score", "weight_norm", "zero_share", "n_iter")
    rows = []
    for rec in sorted(result.records, key=lambda r: r["task"]):
        if "steps" in rec:
            rows.append((rec["task"], tuple(tuple(s[k] for k in keys) for s in rec["steps"])))
        else:
            rows.append((rec["task"], *(rec[k] for k in keys)))
    return rows


def _src_env() -> dict:
    import os
    from pathlib import Path

    import leannet

    src = str(Path(leannet.__file__).resolve().parents[1])
    return dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))


# Environment for subprocesses that must import leannet from this checkout.
SRC_ENV = _src_env()
