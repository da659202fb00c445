"""Regularizers: penalty and gradient by formula, prox, and their effect inside a network."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln

RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "reg, l1, l2",
    [(ln.L1(0.3), 0.3, 0.0), (ln.L2(0.2), 0.0, 0.2), (ln.L1L2(l1=0.1, l2=0.4), 0.1, 0.4)],
)
def test_penalty_and_gradient_formulas(reg, l1, l2):
    w = RNG.normal(size=(4, 3))
    w[0, 0] = 0.0
    assert reg.penalty(w) == pytest.approx(l1 * np.abs(w).sum() + l2 * (w**2).sum(), rel=1e-13)
    g = np.ones_like(w)
    reg.add_grad(w, g)
    np.testing.assert_allclose(g, 1.0 + l1 * np.sign(w) + 2 * l2 * w, rtol=1e-13)
    # sign(0) = 0: a zero weight gets no L1 push
    assert g[0, 0] == 1.0


@pytest.mark.parametrize("reg", [ln.L1(0.3), ln.L2(0.2), ln.L1L2(l1=0.1, l2=0.4)])
def test_gradient_matches_central_differences(reg):
    w = RNG.normal(size=(5, 2))
    w[np.abs(w) < 0.01] = 0.5  # keep away from the L1 kink
    g = np.zeros_like(w)
    reg.add_grad(w, g)
    num = np.zeros_like(w)
    eps = 1e-6
    for idx in np.ndindex(w.shape):
        wp, wm = w.copy(), w.copy()
        wp[idx] += eps
        wm[idx] -= eps
        num[idx] = (reg.penalty(wp) - reg.penalty(wm)) / (2 * eps)
    assert np.linalg.norm(g - num) / (np.linalg.norm(g) + np.linalg.norm(num)) < 1e-6


def test_prox_soft_thresholds():
    reg = ln.L1(0.5, proximal=True)
    w = np.array([1.0, -1.0, 0.04, -0.05, 0.0, 0.3])
    reg.prox(w, lr=0.1)  # threshold 0.05
    np.testing.assert_allclose(w, [0.95, -0.95, 0.0, 0.0, 0.0, 0.25], rtol=1e-13, atol=0)
    assert np.count_nonzero(w == 0.0) == 3


def test_proximal_l1_leaves_the_l1_term_to_prox():
    reg = ln.L1L2(l1=0.5, l2=0.25, proximal=True)
    w = np.array([1.0, -2.0])
    g = np.zeros_like(w)
    reg.add_grad(w, g)
    np.testing.assert_allclose(g, 2 * 0.25 * w)
    # the penalty is still reported (it is part of the objective)
    assert reg.penalty(w) == pytest.approx(0.5 * 3 + 0.25 * 5)


def test_prox_is_a_no_op_for_subgradient_l1():
    reg = ln.L1(0.5)
    w = np.array([0.01, -0.02])
    reg.prox(w, lr=1.0)
    np.testing.assert_array_equal(w, [0.01, -0.02])


def test_config():
    assert ln.L1L2(l1=0.1, l2=0.2).get_config()["l1"] == 0.1
    assert ln.L1L2(l1=0.1, l2=0.2).get_config()["l2"] == 0.2
    assert ln.L1(0.3, proximal=True).get_config()["proximal"] is True


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: ln.L1(-0.1), "l1"),
        (lambda: ln.L2(-1e-3), "l2"),
        (lambda: ln.L1L2(l1=-1), "l1"),
        (lambda: ln.L1L2(l2=-1), "l2"),
        (lambda: ln.L2(float("nan")), "l2"),
    ],
)
def test_negative_strength_is_rejected_by_name(make, name):
    with pytest.raises(ln.errors.ConfigError, match=name):
        make()


# ---------------------------------------------------------------- inside a network


def _net(wreg=None, breg=None):
    net = ln.Sequential(
        [
            ln.Dense(2, 4, weight_regularizer=wreg, bias_regularizer=breg),
            ln.Tanh(),
            ln.Dense(4, 2, weight_regularizer=wreg, bias_regularizer=breg),
        ],
        seed=1,
        dtype="float64",
    )
    for layer in (net.layers[0], net.layers[2]):
        layer.b[...] = RNG.normal(size=layer.b.shape)
    return net


def test_reg_loss_sums_weight_penalties_only_by_default():
    net = _net(wreg=ln.L1L2(l1=0.01, l2=0.02))
    d0, d2 = net.layers[0], net.layers[2]
    expected = sum(0.01 * np.abs(d.W).sum() + 0.02 * (d.W**2).sum() for d in (d0, d2))
    assert net.reg_loss() == pytest.approx(expected, rel=1e-13)


def test_bias_regularizer_is_separate():
    net = _net(breg=ln.L2(0.5))
    d0, d2 = net.layers[0], net.layers[2]
    assert net.reg_loss() == pytest.approx(0.5 * ((d0.b**2).sum() + (d2.b**2).sum()), rel=1e-13)


def test_evaluate_loss_is_data_plus_reg(reg_data):
    X, y = reg_data
    net = _net(wreg=ln.L2(0.01), breg=ln.L1(0.02))
    res = net.evaluate(X, y, loss="mse")
    assert res["reg_loss"] == pytest.approx(net.reg_loss(), rel=1e-13)
    assert res["data_loss"] == pytest.approx(np.mean((net.predict(X) - y) ** 2), rel=1e-12)
    assert res["loss"] == pytest.approx(res["data_loss"] + res["reg_loss"], rel=1e-13)


@pytest.mark.parametrize("where", ["weights", "biases", "both"])
@pytest.mark.parametrize("reg", [ln.L1(0.05), ln.L2(0.1), ln.L1L2(l1=0.03, l2=0.07)])
def test_regularized_network_gradient(reg_data, grad, reg, where):
    """Own central differences and ln.gradcheck, each penalty on weights and on biases."""
    X, y = reg_data
    wreg = reg if where in ("weights", "both") else None
    breg = reg if where in ("biases", "both") else None
    net = _net(wreg=wreg, breg=breg)
    upd, _ = grad.analytic(net, X, y, "mse")
    num = grad.numeric(net, X, y, "mse")
    assert grad.max_rel_error(net, upd, num) < 1e-6
    assert ln.gradcheck(net, X, y, loss="mse") < 1e-6


def test_penalty_gradient_reaches_the_update(reg_data, grad):
    """The difference of gradients with and without the penalty is exactly the penalty gradient."""
    X, y = reg_data
    plain = _net()
    regd = _net(wreg=ln.L1L2(l1=0.05, l2=0.1), breg=ln.L2(0.2))
    regd.params[...] = plain.params
    g0, _ = grad.analytic(plain, X, y, "mse")
    g1, _ = grad.analytic(regd, X, y, "mse")
    for name, s in grad.slices(regd):
        w = regd.params[s]
        if name.endswith(".W"):
            expected = 0.05 * np.sign(w) + 0.2 * w
        else:
            expected = 0.4 * w
        np.testing.assert_allclose(g1[s] - g0[s], expected, rtol=1e-7, atol=1e-12, err_msg=name)
