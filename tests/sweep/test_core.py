"""sweep() end to end: the chosen penalty, independence from the worker count, regression."""

from __future__ import annotations

import numpy as np

from leannet.sweep import sweep

from ._helpers import FAST, comparable


def test_a_penalty_is_selected_where_one_helps():
    """Breast cancer (bundled) with 200 pure-noise features and 200 samples:
    an unpenalised 32-unit network fits the noise; cross-validation must pick l2 > 0."""
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(y))[:200]
    X = np.hstack([X, rng.normal(size=(len(y), 200))])[idx]
    y = y[idx]
    result = sweep(
        X,
        y,
        grid={"l2": [0.0, 1e-3, 1e-2, 1e-1]},
        params={"hidden_layer_sizes": (32,), "max_iter": 100, "tol": 0.0, "learning_rate": 0.01},
        standardize=True,
        cv=4,
        test_size=0.25,
        n_jobs=1,
    )
    unpenalised = result.table[0]
    assert result.best["params"]["l2"] > 0
    assert result.best["val_mean"] - unpenalised["val_mean"] > result.best["val_se"]
    # The penalty visibly shrinks the weights, monotonically in l2.
    norms = [row["weight_norm"] for row in result.table]
    assert norms == sorted(norms, reverse=True)
    assert result.refits["best"]["test_score"] > 0.8
    assert result.simplest["params"]["l2"] >= result.best["params"]["l2"]


def test_results_do_not_depend_on_worker_count(cancer):
    X, y = cancer
    kwargs = dict(grid={"l2": [0.0, 1e-2], "dropout": [0.0, 0.2]}, params=FAST, cv=3)
    one = sweep(X, y, n_jobs=1, **kwargs)
    two = sweep(X, y, n_jobs=2, **kwargs)
    assert comparable(one) == comparable(two)
    for a, b in zip(one.table, two.table):
        assert {k: v for k, v in a.items() if k != "fit_time"} == {
            k: v for k, v in b.items() if k != "fit_time"
        }


def test_regression_sweep_standardises_targets_and_scores_on_the_original_scale():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)  # targets 25..346: raw, a network barely moves
    kw = dict(
        grid={"l2": [0.0, 1e-1]},
        # 100 epochs of batches of 200: too few steps for a raw target in the hundreds
        params={
            "hidden_layer_sizes": (16,),
            "max_iter": 100,
            "learning_rate": 0.01,
            "batch_size": 200,
        },  # fmt: skip
        cv=3,
        n_jobs=1,
        warm_path=True,
    )
    scaled = sweep(X, y, standardize=True, **kw)
    assert scaled.task == "regression" and scaled.scoring == "r2"
    assert scaled.estimator == "standardised target: StandardScaler → LeanRegressor"
    assert scaled.best["val_mean"] > 0.3
    raw = sweep(X, y, standardize=False, **kw)
    assert raw.best["val_mean"] < scaled.best["val_mean"] - 0.2
    # The warm path runs through the target wrapper (its first step is the cold fit).
    strongest = next(r for r in scaled.table if r["params"]["l2"] == 1e-1)
    assert scaled.warm["rows"][0]["warm_val_mean"] == strongest["val_mean"]
    assert scaled.warm["rows"][1]["warm_val_mean"] != scaled.table[0]["val_mean"]
