"""Convergence on known problems: XOR, the seeds' noisy quadratic, scikit-learn's digits.

All marked slow (they still run in CI); each takes a few seconds.
"""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln

pytestmark = pytest.mark.slow


def test_xor_all_ten_seeds():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    failed = []
    for seed in range(10):
        net = ln.Sequential([ln.Dense(2, 4), ln.Tanh(), ln.Dense(4, 1), ln.Sigmoid()], seed=seed)
        net.fit(X, y, loss="binary_cross_entropy", optimizer=ln.Adam(lr=0.05), epochs=1000)
        acc = net.evaluate(X, y, loss="binary_cross_entropy")["accuracy"]
        if acc < 1.0:
            failed.append((seed, acc))
    assert not failed, f"XOR not solved for (seed, accuracy): {failed}"


def test_noisy_quadratic_r2():
    """The seeds' data: X ~ U(-2, 2), y = 2x^2 + N(0, 0.5), 100 points (np.random.seed(0))."""
    from sklearn.metrics import r2_score

    rs = np.random.RandomState(0)
    X = rs.uniform(-2, 2, size=(100, 1))
    y = 2 * X**2 + rs.normal(0, 0.5, size=(100, 1))
    net = ln.Sequential([ln.Dense(1, 32), ln.Tanh(), ln.Dense(32, 1)], seed=0)
    net.fit(X, y, loss="mse", optimizer=ln.Adam(lr=0.01), epochs=3000)
    r2 = net.evaluate(X, y, loss="mse")["r2"]
    assert r2 == pytest.approx(r2_score(y, net.predict(X)), rel=1e-4)
    oracle = r2_score(y, 2 * X**2)  # the noise-free function itself
    assert r2 >= 0.95, f"R^2 = {r2:.4f} (the true function scores {oracle:.4f})"


def _digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.25, stratify=y, random_state=0)


def test_digits_accuracy():
    Xtr, Xte, ytr, yte = _digits()
    net = ln.Sequential(
        [
            ln.Dense(64, 128, init="he_normal", weight_regularizer=ln.L2(1e-4)),
            ln.ReLU(),
            ln.Dense(128, 10, weight_regularizer=ln.L2(1e-4)),
            ln.Softmax(),
        ],
        seed=0,
    )
    net.fit(
        Xtr,
        ytr,
        loss="categorical_cross_entropy",
        optimizer=ln.Adam(lr=1e-3),
        epochs=40,
        batch_size=32,
    )
    acc = net.evaluate(Xte, yte, loss="categorical_cross_entropy")["accuracy"]
    assert acc >= 0.97, f"test accuracy {acc:.4f}"


L1_STRENGTH = 1e-3


def _digits_l1(proximal):
    """Plain SGD: there the soft-threshold step is exact proximal gradient descent."""
    Xtr, Xte, ytr, yte = _digits()
    net = ln.Sequential(
        [
            ln.Dense(
                64, 128, init="he_normal", weight_regularizer=ln.L1(L1_STRENGTH, proximal=proximal)
            ),
            ln.ReLU(),
            ln.Dense(128, 10),
            ln.Softmax(),
        ],
        seed=0,
    )
    net.fit(
        Xtr,
        ytr,
        loss="categorical_cross_entropy",
        optimizer=ln.SGD(lr=0.05),
        epochs=100,
        batch_size=32,
    )
    acc = net.evaluate(Xte, yte, loss="categorical_cross_entropy")["accuracy"]
    zero_share = float(np.mean(net.layers[0].W == 0.0))
    return acc, zero_share


def test_proximal_l1_gives_exact_zeros_where_subgradient_gives_none():
    acc_prox, zeros_prox = _digits_l1(proximal=True)
    acc_sub, zeros_sub = _digits_l1(proximal=False)
    report = (
        f"proximal L1: {zeros_prox:.1%} of first-layer weights exactly zero, "
        f"test accuracy {acc_prox:.4f}; subgradient L1: {zeros_sub:.1%} zero, "
        f"accuracy {acc_sub:.4f}"
    )
    assert zeros_prox >= 0.25, report
    assert zeros_sub == 0.0, report
    assert abs(acc_prox - acc_sub) <= 0.01, report
    assert min(acc_prox, acc_sub) >= 0.94, report
