"""Gradient checks in float64: ln.gradcheck, and an independent central-difference check.

Every layer, every loss (fused and unfused), every regularizer on weights and biases,
dropout and noise with a fixed mask, and random whole networks (hypothesis).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import leannet as ln

TOL = 1e-6
ACTS = {
    "Sigmoid": ln.Sigmoid,
    "Tanh": ln.Tanh,
    "ReLU": ln.ReLU,
    "LeakyReLU": lambda: ln.LeakyReLU(0.1),
    "Identity": ln.Identity,
    "Softmax": ln.Softmax,  # unusual as a hidden layer, but its backward must still be right
}
HEADS = {  # (output layer, loss name, n_out)
    "mse-identity": (ln.Identity, "mse", 2),
    "mse-sigmoid": (ln.Sigmoid, "mse", 2),
    "mse-tanh": (ln.Tanh, "mse", 2),
    "mse-softmax": (ln.Softmax, "mse", 3),
    "bce-sigmoid": (ln.Sigmoid, "binary_cross_entropy", 2),
    "cce-softmax": (ln.Softmax, "categorical_cross_entropy", 3),
    "poisson-identity": (ln.Identity, "poisson", 2),
}


def _data(loss, n, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    if loss == "mse":
        y = rng.normal(size=(n, n_out))
    elif loss == "binary_cross_entropy":
        y = (rng.uniform(size=(n, n_out)) > 0.5).astype(float)
    elif loss == "poisson":
        y = rng.poisson(2.0, size=(n, n_out)).astype(float)
    else:
        y = rng.integers(0, n_out, size=n)
    return X, y


def _randomize_biases(net, seed=0):
    rng = np.random.default_rng(seed)
    for layer in net.layers:
        if layer.has_params:
            layer.b[...] = rng.normal(scale=0.5, size=layer.b.shape)


def _build(hidden, act, head, *, wreg=None, breg=None, seed=0, n_in=3, extra=()):
    out_cls, loss, n_out = HEADS[head]
    layers, prev = [], n_in
    for k, width in enumerate(hidden):
        layers.append(ln.Dense(prev, width, weight_regularizer=wreg, bias_regularizer=breg))
        layers.append(ACTS[act[k] if isinstance(act, list) else act]())
        layers.extend(e() for e in extra)
        prev = width
    layers += [ln.Dense(prev, n_out, weight_regularizer=wreg, bias_regularizer=breg), out_cls()]
    net = ln.Sequential(layers, seed=seed, dtype="float64")
    _randomize_biases(net, seed)
    return net, loss, n_out


def _both_checks(grad, net, X, y, loss):
    upd, grads = grad.analytic(net, X, y, loss)
    num = grad.numeric(net, X, y, loss)
    own = grad.max_rel_error(net, upd, num)
    # the update of plain SGD(lr=1) is the gradient the engine stores
    np.testing.assert_allclose(upd, grads, rtol=1e-9, atol=1e-13)
    return own, ln.gradcheck(net, X, y, loss=loss)


# ---------------------------------------------------------------- layers x losses


@pytest.mark.parametrize("act", sorted(ACTS))
@pytest.mark.parametrize("head", sorted(HEADS))
def test_every_activation_and_loss(grad, act, head):
    net, loss, n_out = _build([4, 3], act, head, seed=1)
    X, y = _data(loss, 12, 3, n_out, seed=2)
    own, lib = _both_checks(grad, net, X, y, loss)
    assert own < TOL, f"own central differences: {own:.2e}"
    assert lib < TOL, f"ln.gradcheck: {lib:.2e}"


@pytest.mark.parametrize("reg", ["L1", "L2", "L1L2"])
@pytest.mark.parametrize("where", ["weights", "biases"])
def test_every_regularizer_on_weights_and_biases(grad, reg, where):
    make = {
        "L1": lambda: ln.L1(0.05),
        "L2": lambda: ln.L2(0.1),
        "L1L2": lambda: ln.L1L2(l1=0.02, l2=0.05),
    }[reg]
    kw = {"wreg": make()} if where == "weights" else {"breg": make()}
    net, loss, n_out = _build([5], "Tanh", "cce-softmax", seed=3, **kw)
    X, y = _data(loss, 10, 3, n_out, seed=4)
    assert net.reg_loss() > 0
    own, lib = _both_checks(grad, net, X, y, loss)
    assert own < TOL and lib < TOL, (own, lib)


def test_one_hot_labels(grad):
    net, loss, n_out = _build([4], "Tanh", "cce-softmax", seed=5)
    X, y = _data(loss, 10, 3, n_out, seed=6)
    own, lib = _both_checks(grad, net, X, np.eye(n_out)[y], loss)
    assert own < TOL and lib < TOL, (own, lib)


# ------------------------------------------------ unfused chain and stochastic layers


def _manual_value_and_grad(net, X, y, loss, mask_seed=0):
    """Objective and gradient through the public layer API, unfused, stochastic masks fixed."""
    loss = ln.losses.get(loss)
    A, closures = X, []
    for layer in net.layers:
        if isinstance(layer, (ln.Dropout, ln.GaussianNoise)):
            layer.rng = np.random.default_rng(mask_seed)
        A, back = layer.forward(A, training=True)
        closures.append(back)
    value = loss(A, y) + net.reg_loss()
    d = loss.gradient(A, y)
    for back in reversed(closures):
        d = back(d)
    return value, A


def _manual_analytic(net, X, y, loss, grad):
    _manual_value_and_grad(net, X, y, loss)
    a = np.zeros(net.params.size)
    for name, s in grad.slices(net):
        _, idx, kind = name.split(".")
        layer = net.layers[int(idx)]
        a[s] = (layer.dW if kind == "W" else layer.db).ravel()
    return a


def _manual_numeric(net, X, y, loss, eps=1e-6):
    p = net.params
    num = np.zeros(p.size)
    for i in range(p.size):
        old = p[i]
        p[i] = old + eps
        fp = _manual_value_and_grad(net, X, y, loss)[0]
        p[i] = old - eps
        fm = _manual_value_and_grad(net, X, y, loss)[0]
        p[i] = old
        num[i] = (fp - fm) / (2 * eps)
    return num


@pytest.mark.parametrize("head", ["cce-softmax", "bce-sigmoid", "mse-softmax"])
def test_unfused_chain_matches_central_differences(grad, head):
    net, loss, n_out = _build([4], "Tanh", head, seed=7)
    X, y = _data(loss, 10, 3, n_out, seed=8)
    a = _manual_analytic(net, X, y, loss, grad)
    n = _manual_numeric(net, X, y, loss)
    assert grad.max_rel_error(net, a, n) < TOL
    # and the unfused value is the value evaluate() reports (fused or not)
    assert _manual_value_and_grad(net, X, y, loss)[0] == pytest.approx(
        net.evaluate(X, y, loss=loss)["loss"], rel=1e-12
    )


@pytest.mark.parametrize("extra", ["dropout", "noise"])
def test_stochastic_layers_with_fixed_mask(grad, extra):
    make = {"dropout": lambda: ln.Dropout(0.4), "noise": lambda: ln.GaussianNoise(0.3)}[extra]
    net, loss, n_out = _build([6, 5], "Tanh", "cce-softmax", seed=9, extra=(make,))
    X, y = _data(loss, 12, 3, n_out, seed=10)
    a = _manual_analytic(net, X, y, loss, grad)
    n = _manual_numeric(net, X, y, loss)
    assert grad.max_rel_error(net, a, n) < TOL
    assert ln.gradcheck(net, X, y, loss=loss, training=True) < TOL


def test_dropout_mask_actually_matters():
    """A sanity check that training=True really drops units (else the test above proves little)."""
    net, loss, n_out = _build([6], "Tanh", "mse-identity", seed=9, extra=(lambda: ln.Dropout(0.5),))
    X, _ = _data(loss, 12, 3, n_out, seed=10)
    A = X
    for layer in net.layers:
        if isinstance(layer, ln.Dropout):
            layer.rng = np.random.default_rng(0)
        A, _ = layer.forward(A, training=True)
    assert not np.allclose(A, net.predict(X))


# ---------------------------------------------------------------- ln.gradcheck itself


class _ScaledMSE(ln.losses.Loss):
    """Mean squared error whose gradient is deliberately c times too large."""

    name = "scaled_mse"

    def __init__(self, c):
        self.c = c

    def __call__(self, y_pred, y_true):
        return float(np.mean((y_pred - y_true) ** 2))

    def gradient(self, y_pred, y_true):
        return self.c * 2.0 * (y_pred - y_true) / y_pred.size


@pytest.mark.parametrize("c", [2.0, 3.0, 0.5])
def test_gradcheck_reports_a_wrong_gradient(c):
    """With analytic = c * numeric for every array, ||a-n||/(||a||+||n||) = |c-1|/(c+1)."""
    net, _, n_out = _build([4], "Tanh", "mse-identity", seed=11)
    X, y = _data("mse", 10, 3, n_out, seed=12)
    err = ln.gradcheck(net, X, y, loss=_ScaledMSE(c))
    assert err == pytest.approx(abs(c - 1) / (c + 1), rel=1e-5)


def test_gradcheck_is_max_over_arrays(grad):
    """Own formula on the same network: per-array errors, max over arrays, agree with ln.gradcheck.

    Only the data gradient is scaled, the penalties are not, so every array has its own error.
    """
    net, _, n_out = _build([4], "Tanh", "mse-identity", seed=13, wreg=ln.L2(0.3), breg=ln.L2(0.05))
    X, y = _data("mse", 10, 3, n_out, seed=14)
    loss = _ScaledMSE(2.0)
    upd, _ = grad.analytic(net, X, y, loss)
    num = grad.numeric(net, X, y, loss)
    per_array = [grad.rel_error(upd[s], num[s]) for _, s in grad.slices(net)]
    assert max(per_array) - min(per_array) > 0.01  # the arrays really differ
    whole = grad.rel_error(upd, num)
    lib = ln.gradcheck(net, X, y, loss=loss)
    assert lib == pytest.approx(max(per_array), rel=1e-5)
    assert abs(lib - whole) > 1e-3 or abs(max(per_array) - whole) < 1e-3


def test_gradcheck_uses_a_float64_copy_and_leaves_the_network_alone():
    net = ln.Sequential([ln.Dense(3, 4), ln.Tanh(), ln.Dense(4, 2), ln.Softmax()], seed=0)
    assert net.dtype == np.float32
    before = net.params.copy()
    X, y = _data("categorical_cross_entropy", 10, 3, 2, seed=0)
    err = ln.gradcheck(net, X.astype(np.float32), y, loss="categorical_cross_entropy")
    assert err < TOL  # float32 finite differences could never get this close
    np.testing.assert_array_equal(net.params, before)
    assert net.dtype == np.float32 and net.params.dtype == np.float32


def test_gradcheck_with_all_zero_gradient_array_is_zero_not_nan():
    """A dead ReLU layer: both analytic and numeric gradients of its weights are exactly 0.

    The relative error 0/0 must be read as agreement (0), not NaN, else a correct network
    'fails' its gradient check.
    """
    net = ln.Sequential([ln.Dense(3, 4), ln.ReLU(), ln.Dense(4, 1)], seed=0, dtype="float64")
    net.layers[0].b[...] = -100.0
    X, y = _data("mse", 10, 3, 1, seed=0)
    err = ln.gradcheck(net, X, y, loss="mse")
    assert np.isfinite(err) and err < TOL


# ---------------------------------------------------------------- random whole networks


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    hidden=st.lists(st.integers(1, 6), min_size=0, max_size=3),
    acts=st.lists(st.sampled_from(sorted(ACTS)), min_size=3, max_size=3),
    head=st.sampled_from(sorted(HEADS)),
    reg=st.sampled_from([None, "L1", "L2", "L1L2"]),
    seed=st.integers(0, 2**16),
    n=st.integers(2, 12),
    n_in=st.integers(1, 4),
)
def test_random_networks(grad, hidden, acts, head, reg, seed, n, n_in):
    make = {
        None: lambda: None,
        "L1": lambda: ln.L1(0.01),
        "L2": lambda: ln.L2(0.02),
        "L1L2": lambda: ln.L1L2(l1=0.01, l2=0.01),
    }[reg]
    net, loss, n_out = _build(hidden, acts, head, wreg=make(), breg=make(), seed=seed, n_in=n_in)
    X, y = _data(loss, n, n_in, n_out, seed=seed + 1)
    upd, _ = grad.analytic(net, X, y, loss)
    # Skip vanishing gradients (dead ReLU layers, saturated units): with a gradient norm
    # below 1e-3 the relative error measures the rounding of the finite differences
    # (about 1e-16 * J / eps = 1e-10), not the backward pass. Exact zeros have their own test.
    assume(all(np.linalg.norm(upd[s]) > 1e-3 for _, s in grad.slices(net)))
    num = grad.numeric(net, X, y, loss)
    own = grad.max_rel_error(net, upd, num)
    lib = ln.gradcheck(net, X, y, loss=loss)
    assert own < TOL, f"own central differences: {own:.2e}"
    assert lib < TOL, f"ln.gradcheck: {lib:.2e}"


def test_input_dropout_and_noise_before_the_first_dense_layer(grad):
    """Layers in front of the first Dense need no input gradient, but the masks still apply."""
    layers = [
        ln.GaussianNoise(0.3),
        ln.Dropout(0.3),
        ln.Dense(3, 5),
        ln.Tanh(),
        ln.Dense(5, 3),
        ln.Softmax(),
    ]
    net = ln.Sequential(layers, seed=2, dtype="float64")
    _randomize_biases(net, 2)
    X, y = _data("categorical_cross_entropy", 12, 3, 3, seed=3)
    a = _manual_analytic(net, X, y, "categorical_cross_entropy", grad)
    n = _manual_numeric(net, X, y, "categorical_cross_entropy")
    assert grad.max_rel_error(net, a, n) < TOL
    assert ln.gradcheck(net, X, y, loss="categorical_cross_entropy", training=True) < TOL


@pytest.mark.parametrize("head", sorted(HEADS))
def test_gradcheck_with_sample_weights(head):
    net, loss, n_out = _build([4], "Tanh", head, wreg=ln.L2(1e-2), breg=ln.L1(1e-3))
    X, y = _data(loss, 9, 3, n_out, seed=2)
    weights = np.random.default_rng(3).uniform(0.0, 3.0, size=9)
    assert ln.gradcheck(net, X, y, loss=loss, sample_weight=weights) < TOL
    # the weights matter: they change the objective and its gradient
    plain = ln.objective.loss_and_grad(net, X, y, loss=loss)
    weighted = ln.objective.loss_and_grad(net, X, y, loss=loss, sample_weight=weights)
    assert plain(net.params.copy())[0] != pytest.approx(weighted(net.params.copy())[0])
