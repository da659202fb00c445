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
    "reg", [ln.L1(0.3), ln.L1(0.3, proximal=True), ln.L2(1e-3), ln.L1L2(l1=0.1, l2=0.2)]
)
def test_config_round_trip_keeps_the_class(reg, tmp_path):
    back = ln.regularizers.get(reg.get_config())
    assert type(back) is type(reg) and back == reg
    assert (back.l1, back.l2, back.proximal) == (reg.l1, reg.l2, reg.proximal)
    # and through a saved model file
    net = ln.Sequential([ln.Dense(2, 3, weight_regularizer=reg, bias_regularizer=reg)])
    net.save(tmp_path / "m.npz")
    layer = ln.load(tmp_path / "m.npz").layers[0]
    assert type(layer.weight_regularizer) is type(reg) and layer.weight_regularizer == reg
    assert type(layer.bias_regularizer) is type(reg)


def test_l2_and_l1l2_with_the_same_strength_are_different_objects():
    assert ln.L2(1e-3) != ln.L1L2(l2=1e-3)


def test_a_dict_without_class_from_older_files_gives_l1l2():
    reg = ln.regularizers.get({"l1": 0.0, "l2": 0.5, "proximal": False})
    assert type(reg) is ln.L1L2 and reg.l2 == 0.5


def test_repr_shows_the_constructor_call():
    assert repr(ln.L2(1e-3)) == "L2(0.001)"
    assert repr(ln.L1(0.01)) == "L1(0.01)"
    assert repr(ln.L1(0.01, proximal=True)) == "L1(0.01, proximal=True)"
    assert repr(ln.L1L2(0.1, 0.2)) == "L1L2(l1=0.1, l2=0.2, proximal=False)"


def test_unknown_class_or_settings_in_a_config_are_refused():
    with pytest.raises(ln.ConfigError, match="'L3'"):
        ln.regularizers.get({"class": "L3", "l2": 1.0})
    with pytest.raises(ln.ConfigError, match="invalid settings for regularizer 'L2'"):
        ln.regularizers.get({"class": "L2", "l2": 1.0, "proximal": True})
    with pytest.raises(ln.ConfigError, match="proximal must be True or False"):
        ln.regularizers.get({"class": "L1", "l1": 1.0, "proximal": "no"})


def test_from_strengths_picks_the_smallest_class():
    assert ln.regularizers.from_strengths(0, 0) is None
    assert type(ln.regularizers.from_strengths(0.1, 0)) is ln.L1
    assert type(ln.regularizers.from_strengths(0, 0.1)) is ln.L2
    assert type(ln.regularizers.from_strengths(0.1, 0.1, proximal=True)) is ln.L1L2


def test_network_penalty_is_summed_in_one_place_and_proximal_steps_only_proximal_terms():
    net = ln.Sequential(
        [ln.Dense(3, 2, weight_regularizer=ln.L1(0.5, proximal=True), bias_regularizer=ln.L2(2.0))],
        dtype="float64",
    )
    net.layers[0].b[...] = [0.5, -1.0]
    W, b = net.layers[0].W.copy(), net.layers[0].b.copy()
    terms = net.penalty_terms()
    expected = 0.5 * np.abs(W).sum() + 2.0 * (b**2).sum()
    assert ln.regularizers.total_penalty(terms) == pytest.approx(expected, rel=1e-14)
    assert net.reg_loss() == pytest.approx(expected, rel=1e-14)
    net.grads[...] = 0.0
    assert ln.regularizers.add_penalty_gradients(terms) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_array_equal(net.layers[0].dW, 0.0)  # proximal L1: no subgradient
    np.testing.assert_allclose(net.layers[0].db, 4.0 * b)
    ln.regularizers.proximal_step(terms, lr=0.1)
    np.testing.assert_allclose(net.layers[0].W, np.sign(W) * np.maximum(np.abs(W) - 0.05, 0))
    np.testing.assert_array_equal(net.layers[0].b, b)  # L2 has no proximal step


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
