"""The objective J = D + R: shared by training and gradcheck, and usable by SciPy's L-BFGS."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import check_grad, minimize

import leannet as ln
from leannet.objective import Objective, loss_and_grad


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 3))
    y = np.sin(X[:, :1]) + 0.5 * X[:, 1:2]
    net = ln.build_mlp(3, [5], 1, loss="mse", activation="tanh", l2=1e-2, l1=1e-3,
                       bias_l2=1e-3, seed=seed, dtype="float64")  # fmt: skip
    return net, X, y


def test_loss_and_grad_matches_finite_differences_with_scipy_check_grad():
    net, X, y = _problem()
    weights = np.random.default_rng(1).uniform(0.5, 2.0, size=len(X))
    f = loss_and_grad(net, X, y, loss="mse", sample_weight=weights)
    theta = net.params.copy()
    error = check_grad(lambda t: f(t)[0], lambda t: f(t)[1], theta, epsilon=1e-7)
    assert error < 1e-6 * np.linalg.norm(f(theta)[1])


def test_loss_and_grad_value_is_evaluate_loss_and_includes_the_penalty():
    net, X, y = _problem()
    f = loss_and_grad(net, X, y, loss="mse")
    value, grad = f(net.params.copy())
    result = net.evaluate(X, y, loss="mse")
    assert value == pytest.approx(result["loss"], rel=1e-14)
    assert result["reg_loss"] > 0 and grad.dtype == np.float64 and grad.shape == net.params.shape


def test_lbfgs_on_the_flat_vector_minimises_the_objective():
    net, X, y = _problem()
    f = loss_and_grad(net, X, y, loss="mse")
    start = f(net.params.copy())[0]
    result = minimize(f, net.params.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 100})
    assert result.fun < 0.2 * start
    assert f(result.x)[0] == pytest.approx(result.fun, rel=1e-12)


def test_proximal_l1_enters_the_objective_gradient_as_its_subgradient():
    net = ln.Sequential(
        [ln.Dense(2, 1, weight_regularizer=ln.L1(0.5, proximal=True)), ln.Identity()],
        dtype="float64",
    )
    X, y = np.zeros((4, 2)), np.zeros((4, 1))  # no data gradient on W
    _, grad = loss_and_grad(net, X, y, loss="mse")(net.params.copy())
    np.testing.assert_allclose(grad[:2], 0.5 * np.sign(net.layers[0].W.ravel()))
    # the training step leaves it to the proximal step instead
    net.grads[...] = 0.0
    Objective(net, ln.losses.get("mse")).gradients(X, y, training=False)
    np.testing.assert_array_equal(net.layers[0].dW, 0.0)


def test_objective_fuses_only_with_the_matching_output_layer():
    cce = ln.losses.get("cce")
    softmax_net = ln.build_mlp(2, [3], 3, loss=cce)
    assert Objective(softmax_net, cce).fused
    mse_on_softmax = Objective(softmax_net, ln.losses.get("mse"))
    assert not mse_on_softmax.fused
