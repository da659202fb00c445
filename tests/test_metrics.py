"""Metrics: accuracy for every target layout, weighted accuracy, R² by formula."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.metrics import accuracy, predicted_classes, r2_score


def test_predicted_classes_thresholds_one_unit_and_takes_the_argmax_of_several():
    np.testing.assert_array_equal(predicted_classes(np.array([[0.7], [0.2], [0.5]])), [1, 0, 0])
    np.testing.assert_array_equal(predicted_classes(np.array([[0.3], [-0.1]]), logits=True), [1, 0])
    np.testing.assert_array_equal(predicted_classes(np.array([[0.1, 0.9], [0.8, 0.2]])), [1, 0])


def test_accuracy_with_class_indices_one_hot_rows_and_binary_targets():
    out = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.9, 0.05, 0.05]])
    labels = np.array([1, 0, 0, 0])  # third row wrong
    assert accuracy(out, labels) == 0.75
    assert accuracy(out, np.eye(3)[labels]) == 0.75
    binary = np.array([[0.9], [0.4], [0.6]])
    assert accuracy(binary, np.array([[1.0], [1.0], [1.0]])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[2.0], [-1.0]]), np.array([1, 0]), logits=True) == 1.0


def test_per_label_accuracy_scores_every_unit_of_a_multilabel_output():
    out = np.array([[0.9, 0.2, 0.7], [0.1, 0.8, 0.4]])
    y = np.array([[1, 0, 0], [0, 1, 1]], dtype=float)  # 4 of 6 decisions right
    assert accuracy(out, y, per_label=True) == pytest.approx(4 / 6)
    # a multilabel row with exactly one label is still scored per label when told so
    assert accuracy(out[:1], y[:1], per_label=True) == pytest.approx(2 / 3)
    assert accuracy(out[:1], y[:1], per_label=False) == 1.0  # arg-max: class 0


def test_sample_weight_weights_the_hits():
    out = np.array([[0.9], [0.1], [0.8]])
    y = np.array([1, 1, 0])  # right, wrong, wrong
    assert accuracy(out, y, sample_weight=np.array([3.0, 1.0, 0.0])) == 0.75
    assert accuracy(out, y, sample_weight=np.ones(3)) == pytest.approx(1 / 3)


def test_r2_by_formula_and_constant_targets_score_zero():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(20, 2))
    out = y + rng.normal(scale=0.3, size=y.shape)
    per_output = 1 - ((y - out) ** 2).sum(0) / ((y - y.mean(0)) ** 2).sum(0)
    assert r2_score(out, y) == pytest.approx(per_output.mean(), rel=1e-13)
    assert r2_score(np.zeros((3, 1)), np.ones((3, 1))) == 0.0
    assert r2_score(y.mean(0, keepdims=True).repeat(20, 0), y) == pytest.approx(0.0, abs=1e-15)


def test_weighted_r2_equals_r2_on_repeated_rows():
    rng = np.random.default_rng(1)
    y = rng.normal(size=(6, 1))
    out = y + rng.normal(scale=0.5, size=y.shape)
    counts = np.array([1, 2, 3, 1, 1, 2])
    repeated = r2_score(np.repeat(out, counts, 0), np.repeat(y, counts, 0))
    assert r2_score(out, y, counts.astype(float)) == pytest.approx(repeated, rel=1e-12)
