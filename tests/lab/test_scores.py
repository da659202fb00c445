"""Practitioner scores and their baselines, checked against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.lab.scores import classification_scores, r2_from_mse, regression_scores

pytest.importorskip("sklearn")


def test_imbalanced_classes_majority_baseline_and_per_class_recall():
    y_train = np.array([0] * 90 + [1] * 10)
    y_true = np.array([0] * 9 + [1] * 3)
    y_pred = np.array([0] * 9 + [1, 0, 0])  # one of three rare rows found
    s = classification_scores(y_true, y_pred, ["sun", "snow"], y_train=y_train)
    assert s["accuracy"] == pytest.approx(10 / 12)
    assert s["baseline"]["accuracy"] == pytest.approx(9 / 12)
    assert "'sun'" in s["baseline"]["rule"]
    assert s["baseline"]["balanced_accuracy"] == pytest.approx(0.5)
    assert s["balanced_accuracy"] == pytest.approx((1 + 1 / 3) / 2)
    snow = s["per_class"][1]
    assert (snow["recall"], snow["precision"], snow["support"]) == (pytest.approx(1 / 3), 1.0, 3)
    assert snow["f1"] == pytest.approx(2 * (1 / 3) / (1 + 1 / 3))


def test_precision_of_a_never_predicted_class_is_undefined_not_zero():
    s = classification_scores(
        np.array([0, 1, 1]), np.array([0, 0, 0]), ["a", "b"], y_train=np.array([0, 1])
    )
    assert s["per_class"][1]["precision"] is None
    assert s["per_class"][1]["recall"] == 0.0


def test_binary_roc_and_pr_with_constant_baselines():
    y_true = np.array([0, 0, 1, 1, 0, 1])
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    s = classification_scores(
        y_true, (scores > 0.5).astype(int), ["no", "yes"], y_train=y_true, positive_scores=scores
    )
    b = s["binary"]
    # 9 positive/negative pairs, one misordered (0.4 > 0.35): AUC 8/9
    assert b["roc_auc"] == pytest.approx(8 / 9)
    assert b["baseline_average_precision"] == pytest.approx(0.5)
    assert b["roc"]["fpr"][0] == 0.0 and b["roc"]["tpr"][-1] == 1.0
    assert len(b["pr"]["precision"]) == len(b["pr"]["recall"])


def test_no_binary_block_for_three_classes():
    y = np.array([0, 1, 2, 0])
    assert "binary" not in classification_scores(y, y, ["a", "b", "c"], y_train=y)


def test_regression_scores_in_target_units_with_mean_baseline():
    y_train = np.array([1000.0, 2000.0, 3000.0])
    y_true = np.array([1000.0, 3000.0])
    y_pred = np.array([1100.0, 2800.0])
    s = regression_scores(y_true, y_pred, y_train=y_train)
    assert s["rmse"] == pytest.approx(np.sqrt((100**2 + 200**2) / 2))
    assert s["mae"] == pytest.approx(150.0)
    assert s["r2"] == pytest.approx(1 - (100**2 + 200**2) / (2 * 1000**2))
    assert s["baseline"]["mae"] == pytest.approx(1000.0)
    assert s["baseline"]["r2"] == pytest.approx(0.0)
    assert "2000" in s["baseline"]["rule"]


def test_r2_from_mse_matches_r2_of_the_predictions():
    from sklearn.metrics import r2_score

    rng = np.random.default_rng(0)
    y = rng.normal(size=50)
    preds = [y + rng.normal(scale=s, size=50) for s in (1.0, 0.5, 0.1)]
    mse = [np.mean((p - y) ** 2) for p in preds]
    np.testing.assert_allclose(r2_from_mse(mse, y), [r2_score(y, p) for p in preds])
