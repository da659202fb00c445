"""Sigmoid derivative and dense-layer checks: correct code in both layouts, each mistake named."""

import numpy as np
import pytest

from leannet import exercises as ex


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):  # seeds 000 and 004
    s = sigmoid(x)
    return s * (1 - s)


def test_sigmoid_derivative_from_z_and_from_output():
    assert ex.check_sigmoid_derivative(sigmoid_derivative).passed
    assert ex.check_sigmoid_derivative(lambda a: a * (1 - a), takes="output").passed


@pytest.mark.parametrize(
    "fn, phrase",
    [
        (lambda z: z * (1 - z), "applied the formula to z itself"),
        (sigmoid, "not its derivative"),
        (lambda z: -sigmoid_derivative(z), "sign error"),
        (lambda z: 2 * sigmoid_derivative(z), "factor of 2"),
        (lambda z: sigmoid_derivative(z).ravel(), "wrong shape"),
    ],
)
def test_sigmoid_derivative_mistakes(fn, phrase):
    result = ex.check_sigmoid_derivative(fn)
    assert not result.passed and phrase in result.message, result.message


def forward_rows(X, W, b):
    return np.dot(X, W) + b


def forward_columns(X, W, b):  # seed 003: Z1 = np.dot(W1, X) + b1
    return np.dot(W, X) + b


def test_dense_forward_both_layouts():
    assert ex.check_dense_forward(forward_rows).passed
    assert ex.check_dense_forward(forward_columns, layout="columns").passed


def test_dense_forward_mistakes():
    assert "bias b is missing" in ex.check_dense_forward(lambda X, W, b: X @ W).message
    relu = ex.check_dense_forward(lambda X, W, b: np.maximum(X @ W + b, 0))
    assert "applied ReLU" in relu.message
    # the rows formula given the columns layout cannot even multiply
    wrong_layout = ex.check_dense_forward(forward_rows, layout="columns")
    assert not wrong_layout.passed and "raised ValueError" in wrong_layout.message


def backward_rows(X, W, b, delta, l2):  # seed 000's formulas, penalty l2·Σw²
    m = X.shape[0]
    dW = np.dot(X.T, delta) / m + 2 * l2 * W
    db = np.sum(delta, axis=0, keepdims=True) / m
    return dW, db, np.dot(delta, W.T)


def backward_columns(X, W, b, dZ, lambd):  # seed 003's formulas, penalty λ/(2m)·Σw²
    m = X.shape[1]
    dW = (1 / m) * np.dot(dZ, X.T) + (lambd / m) * W
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    return dW, db, np.dot(W.T, dZ)


def test_dense_backward_written_the_seeds_ways_passes():
    assert ex.check_dense_backward(backward_rows).passed
    r = ex.check_dense_backward(backward_columns, layout="columns", convention="per_m")
    assert r.passed, r.message


def _variant(**change):
    def fn(X, W, b, delta, l2):
        m = X.shape[0]
        data_dW = X.T @ delta
        dW = data_dW / (1 if change.get("no_m") else m) + change.get("pen_scale", 2) * l2 * W
        db = delta.sum(axis=0, keepdims=True) / m
        if change.get("bias_penalty"):
            db = db + 2 * l2 * b
        dX = delta @ W.T / (m if change.get("dx_m") else 1)
        if change.get("transpose"):
            dW = dW.T
        if change.get("sign"):
            dW = -dW
        return dW, db, dX

    return fn


@pytest.mark.parametrize(
    "change, phrase",
    [
        ({"no_m": True}, "1/m is missing"),
        ({"bias_penalty": True}, "penalty is applied to the biases"),
        ({"pen_scale": 0}, "penalty's gradient is missing"),
        ({"pen_scale": 1}, "wrong factor"),
        ({"dx_m": True}, "dX is divided by m"),
        ({"transpose": True}, "transposed"),
        ({"sign": True}, "sign error"),
    ],
)
def test_dense_backward_mistakes(change, phrase):
    result = ex.check_dense_backward(_variant(**change))
    assert not result.passed and phrase in result.message, result.message


def test_transposed_layout_used_in_the_rows_check_is_named():
    result = ex.check_dense_backward(lambda X, W, b, d, l2: (W.T, b, X))
    assert "dW has the wrong shape" in result.message and "transposed" in result.message
