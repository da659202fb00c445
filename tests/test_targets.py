"""Targets checked against what each loss declares; the output layer a loss needs."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln
from leannet.losses import get
from leannet.targets import check_output_layer, check_target


def test_class_labels_become_indices_and_one_hot_rows_stay():
    cce = get("cce")
    y = check_target([0, 2, 1], cce, 3, np.float32, 3)
    assert y.dtype == np.intp and y.tolist() == [0, 2, 1]
    assert check_target([[0], [2]], cce, 3, np.float32, 2).tolist() == [0, 2]
    one_hot = check_target(np.eye(3)[[2, 0]], cce, 3, np.float32, 2)
    assert one_hot.dtype == np.float32 and one_hot.shape == (2, 3)


@pytest.mark.parametrize(
    "y, match",
    [
        ([0, 1.5], "integer class labels 0..2"),
        ([0, 3], "labels from 0 to 3 but the output layer has 3 units"),
        (np.eye(4)[[0, 1]], "one-hot with 4 columns"),
        ([[0.5, 0.2, 0.2], [1, 0, 0]], "one-hot \\(or probabilities summing to 1\\)"),
    ],
)
def test_bad_class_labels_are_named(y, match):
    with pytest.raises(ln.DataError, match=match):
        check_target(y, get("cce"), 3, np.float64, 2)


@pytest.mark.parametrize(
    "loss, y, match",
    [
        ("bce", [[0.0], [1.5]], r"in \[0, 1\] for binary_cross_entropy \(labels 0/1\)"),
        ("poisson", [[1.0], [-2.0]], r"in \[0, inf\] for poisson \(counts or rates\)"),
        ("mse", [[1.0, 2.0], [3.0, 4.0]], "2 columns but the output layer has 1 units"),
    ],
)
def test_values_outside_what_the_loss_declares_are_refused(loss, y, match):
    with pytest.raises(ln.DataError, match=match):
        check_target(y, get(loss), 1, np.float64, 2)


def test_row_counts_must_match_and_values_become_2d_floats():
    y = check_target([1.0, 2.0, 3.0], get("mse"), 1, np.float32, 3)
    assert y.shape == (3, 1) and y.dtype == np.float32
    with pytest.raises(ln.DataError, match="X has 4 samples but y has 3"):
        check_target([1.0, 2.0, 3.0], get("mse"), 1, np.float32, 4)


def test_a_fused_loss_needs_its_output_layer_and_mse_takes_any():
    check_output_layer(get("bce"), ln.Sigmoid())
    check_output_layer(get("mse"), ln.Softmax())
    check_output_layer(get("poisson"), ln.Identity())
    with pytest.raises(ln.ConfigError, match=r"needs the network to end in Softmax.*loss='mse'"):
        check_output_layer(get("cce"), ln.Identity())
    with pytest.raises(ln.ConfigError, match="for a Sigmoid output use loss='binary_cross"):
        check_output_layer(get("cce"), ln.Sigmoid())
