"""Whole-network gradients: the seeds' own backpropagation accepted in both layouts;
each typical mistake named."""

import numpy as np
import pytest

from leannet import exercises as ex
from leannet.errors import ConfigError


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def seed000_gradients(X, y, weights, biases, l2=0.01, **mistake):
    """Seed 000's RegularizedNeuralNetwork.backward_propagation, returning the gradients."""
    activations, z_values, activation = [X], [], X
    for W, b in zip(weights, biases):
        z = np.dot(activation, W) + b
        z_values.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    m = X.shape[0]
    delta = activations[-1] - y
    dW, db = [], []
    for l in reversed(range(len(weights))):
        dW_l = np.dot(activations[l].T, delta) / (1 if mistake.get("no_m") else m)
        db_l = np.sum(delta, axis=0, keepdims=True) / m
        dW_l += 2 * l2 * weights[l]
        if mistake.get("bias_penalty"):
            db_l = db_l + 2 * l2 * biases[l]
        dW.insert(0, dW_l)
        db.insert(0, db_l)
        if l > 0:
            at = activations[l] if mistake.get("deriv_at_a") else z_values[l - 1]
            delta = np.dot(delta, weights[l].T) * sigmoid(at) * (1 - sigmoid(at))
    return dW, db


def seed003_backward(X, Y, W1, b1, W2, b2, lambd, **mistake):
    """Seed 003's backward_propagation (columns layout, ReLU, linear output, λ/(2m)·Σw²)."""
    m = X.shape[1]
    Z1 = np.dot(W1, X) + b1
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(W2, A1) + b2
    dZ2 = Z2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T) + (lambd / m) * W2
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (Z1 > 0)
    dW1 = (1 / m) * np.dot(dZ1, X.T) + (lambd / m) * W1
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    if mistake.get("transpose"):
        dW1 = dW1.T
    return dW1, db1, dW2, db2


SEED003 = dict(hidden="relu", output="linear", loss="half_mse", convention="per_m")


def test_seed000_network_rows_layout_passes():
    result = ex.check_network_gradients(seed000_gradients, sizes=(2, 4, 1), loss="bce")
    assert result.passed, result.message


def test_seed003_network_columns_layout_passes():
    def fn(X, Y, Ws, bs):
        return seed003_backward(X, Y, Ws[0], bs[0], Ws[1], bs[1], 0.01)

    result = ex.check_network_gradients(fn, sizes=(4, 6, 3), l2=0.01, layout="columns", **SEED003)
    assert result.passed, result.message


def test_dict_return_and_deeper_networks_pass():
    def as_dict(X, y, Ws, bs):
        dW, db = seed000_gradients(X, y, Ws, bs)
        return {
            f"d{k}{i + 1}": v for k, arrays in (("W", dW), ("b", db)) for i, v in enumerate(arrays)
        }

    assert ex.check_network_gradients(as_dict, sizes=(3, 4, 4, 1)).passed


@pytest.mark.parametrize(
    "mistake, phrase",
    [
        ({"no_m": True}, "1/m is missing"),
        ({"bias_penalty": True}, "penalty is applied to the biases"),
        ({"deriv_at_a": True}, "evaluated at the activation"),
    ],
)
def test_network_mistakes_are_named(mistake, phrase):
    def fn(X, y, Ws, bs):
        return seed000_gradients(X, y, Ws, bs, **mistake)

    result = ex.check_network_gradients(fn, sizes=(3, 5, 1))
    assert not result.passed and phrase in result.message, result.message


def test_seed000_delta_with_mse_is_explained():
    result = ex.check_network_gradients(seed000_gradients, sizes=(2, 4, 1), loss="mse")
    assert not result.passed
    assert "gradient of cross-entropy with a sigmoid output" in result.message


def test_rows_formula_in_columns_layout_is_a_shape_error():
    def fn(X, Y, Ws, bs):
        return seed003_backward(X, Y, Ws[0], bs[0], Ws[1], bs[1], 0.01, transpose=True)

    result = ex.check_network_gradients(fn, sizes=(4, 6, 3), layout="columns", **SEED003)
    assert "dW of layer 1 of 2 has the wrong shape" in result.message
    assert "transposed, the values are right" in result.message


def test_wrong_return_and_options():
    result = ex.check_network_gradients(lambda X, y, Ws, bs: 0.0)
    assert "return ([dW1" in result.message
    with pytest.raises(ConfigError):
        ex.check_network_gradients(seed000_gradients, loss="cce", output="sigmoid")
