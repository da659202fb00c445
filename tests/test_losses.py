"""Losses: values by formula, gradients by central differences, fused == unfused, stability."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import expit, logsumexp

import leannet as ln

RNG = np.random.default_rng(0)


def _numeric_grad(f, P, eps=1e-6):
    num = np.zeros_like(P)
    for idx in np.ndindex(P.shape):
        Pp, Pm = P.copy(), P.copy()
        Pp[idx] += eps
        Pm[idx] -= eps
        num[idx] = (f(Pp) - f(Pm)) / (2 * eps)
    return num


def _rel(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


def _probs(n, k, rng=RNG):
    z = rng.normal(size=(n, k))
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- values


def test_mse_value_is_mean_over_samples_and_outputs():
    P = RNG.normal(size=(7, 3))
    Y = RNG.normal(size=(7, 3))
    assert ln.MSE()(P, Y) == pytest.approx(np.mean((P - Y) ** 2), rel=1e-13)


def test_bce_value():
    P = RNG.uniform(0.05, 0.95, size=(9, 2))
    Y = (RNG.uniform(size=(9, 2)) > 0.5).astype(float)
    expected = -np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P))
    assert ln.BinaryCrossEntropy()(P, Y) == pytest.approx(expected, rel=1e-12)


def test_cce_value_integer_labels_and_one_hot_agree():
    P = _probs(8, 4)
    labels = RNG.integers(0, 4, size=8)
    expected = -np.mean(np.log(P[np.arange(8), labels]))
    assert ln.CategoricalCrossEntropy()(P, labels) == pytest.approx(expected, rel=1e-12)
    onehot = np.eye(4)[labels]
    assert ln.CategoricalCrossEntropy()(P, onehot) == pytest.approx(expected, rel=1e-12)


def test_losses_get_by_name_or_object():
    assert isinstance(ln.losses.get("mse"), ln.MSE)
    assert isinstance(ln.losses.get("binary_cross_entropy"), ln.BinaryCrossEntropy)
    assert isinstance(ln.losses.get("categorical_cross_entropy"), ln.CategoricalCrossEntropy)
    obj = ln.MSE()
    assert ln.losses.get(obj) is obj
    with pytest.raises(ln.errors.ConfigError, match="(?i)loss|hinge"):
        ln.losses.get("hinge")


# ---------------------------------------------------------------- unfused gradients


def test_mse_gradient():
    P = RNG.normal(size=(5, 3))
    Y = RNG.normal(size=(5, 3))
    g = ln.MSE().gradient(P, Y)
    np.testing.assert_allclose(g, 2 * (P - Y) / P.size, rtol=1e-12)
    assert _rel(g, _numeric_grad(lambda Q: ln.MSE()(Q, Y), P)) < 1e-6


def test_bce_gradient():
    P = RNG.uniform(0.1, 0.9, size=(6, 2))
    Y = (RNG.uniform(size=(6, 2)) > 0.5).astype(float)
    g = ln.BinaryCrossEntropy().gradient(P, Y)
    np.testing.assert_allclose(g, -(Y / P - (1 - Y) / (1 - P)) / P.size, rtol=1e-10)
    assert _rel(g, _numeric_grad(lambda Q: ln.BinaryCrossEntropy()(Q, Y), P)) < 1e-6


@pytest.mark.parametrize("one_hot", [False, True])
def test_cce_gradient(one_hot):
    P = _probs(6, 4)
    labels = RNG.integers(0, 4, size=6)
    Y = np.eye(4)[labels] if one_hot else labels
    g = ln.CategoricalCrossEntropy().gradient(P, Y)
    np.testing.assert_allclose(g, -np.eye(4)[labels] / P / 6, rtol=1e-10)
    assert _rel(g, _numeric_grad(lambda Q: ln.CategoricalCrossEntropy()(Q, Y), P)) < 1e-6


# ---------------------------------------------------------------- fused == unfused


def _net(out_layer, n_out, seed=0, scale=1.0):
    net = ln.Sequential(
        [ln.Dense(3, 5), ln.Tanh(), ln.Dense(5, n_out), out_layer], seed=seed, dtype="float64"
    )
    net.layers[2].W[...] *= scale
    net.layers[2].b[...] = np.linspace(-0.3, 0.3, n_out) * scale
    return net


def _logits(net, X):
    A = X
    for layer in net.layers[:-1]:
        A, _ = layer.forward(A, training=False)
    return A


def test_fused_softmax_cce_equals_unfused_math():
    X = RNG.normal(size=(20, 3))
    y = RNG.integers(0, 4, size=20)
    net = _net(ln.Softmax(), 4)
    P = net.predict(X)
    unfused = -np.mean(np.log(P[np.arange(20), y]))
    res = net.evaluate(X, y, loss="categorical_cross_entropy")
    assert res["data_loss"] == pytest.approx(unfused, rel=1e-12)
    assert ln.CategoricalCrossEntropy()(P, y) == pytest.approx(unfused, rel=1e-12)


def test_fused_sigmoid_bce_equals_unfused_math():
    X = RNG.normal(size=(20, 3))
    y = (RNG.uniform(size=(20, 2)) > 0.5).astype(float)
    net = _net(ln.Sigmoid(), 2)
    P = net.predict(X)
    unfused = -np.mean(y * np.log(P) + (1 - y) * np.log(1 - P))
    res = net.evaluate(X, y, loss="binary_cross_entropy")
    assert res["data_loss"] == pytest.approx(unfused, rel=1e-12)


@pytest.mark.parametrize("kind", ["cce", "bce"])
def test_fused_gradient_equals_unfused_chain(kind, grad):
    """The gradient fit trains with (fused) equals loss.gradient -> output layer backward -> ..."""
    X = RNG.normal(size=(15, 3))
    if kind == "cce":
        net, y, loss = (
            _net(ln.Softmax(), 4),
            RNG.integers(0, 4, size=15),
            ln.CategoricalCrossEntropy(),
        )
    else:
        net, y, loss = (
            _net(ln.Sigmoid(), 2),
            (RNG.uniform(size=(15, 2)) > 0.5) * 1.0,
            ln.BinaryCrossEntropy(),
        )
    upd, _ = grad.analytic(net, X, y, loss)
    # unfused chain through the public layer API
    A, closures = X, []
    for layer in net.layers:
        A, back = layer.forward(A, training=True)
        closures.append(back)
    d = loss.gradient(A, y)
    for back in reversed(closures):
        d = back(d)
    unfused = np.concatenate([net.layers[0].dW.ravel(), net.layers[2].dW.ravel()])
    unfused_b = np.concatenate([net.layers[0].db.ravel(), net.layers[2].db.ravel()])
    fused_w = np.concatenate([upd[s] for name, s in grad.slices(net) if name.endswith(".W")])
    fused_b = np.concatenate([upd[s] for name, s in grad.slices(net) if name.endswith(".b")])
    np.testing.assert_allclose(fused_w, unfused, rtol=1e-8, atol=1e-13)
    np.testing.assert_allclose(fused_b, unfused_b, rtol=1e-8, atol=1e-13)


def test_fused_cce_is_finite_where_unfused_overflows():
    X = RNG.normal(size=(10, 3))
    y = RNG.integers(0, 4, size=10)
    net = _net(ln.Softmax(), 4, scale=2000.0)
    Z = _logits(net, X)
    expected = np.mean(logsumexp(Z, axis=1) - Z[np.arange(10), y])
    with np.errstate(all="ignore"):
        res = net.evaluate(X, y, loss="categorical_cross_entropy")
    assert np.isfinite(res["data_loss"])
    assert res["data_loss"] == pytest.approx(expected, rel=1e-10)
    assert expected > 100  # the regime where log(softmax) underflows to -inf


def test_fused_bce_is_finite_where_unfused_overflows():
    X = RNG.normal(size=(10, 3))
    y = (RNG.uniform(size=(10, 2)) > 0.5).astype(float)
    net = _net(ln.Sigmoid(), 2, scale=2000.0)
    Z = _logits(net, X)
    expected = np.mean(np.maximum(Z, 0) - Z * y + np.log1p(np.exp(-np.abs(Z))))
    with np.errstate(all="ignore"):
        res = net.evaluate(X, y, loss="binary_cross_entropy")
    assert np.isfinite(res["data_loss"])
    assert res["data_loss"] == pytest.approx(expected, rel=1e-10)
    assert np.allclose(expit(Z), net.predict(X))


def test_fused_gradient_is_finite_for_saturated_logits(grad):
    X = RNG.normal(size=(10, 3))
    y = RNG.integers(0, 4, size=10)
    net = _net(ln.Softmax(), 4, scale=2000.0)
    with np.errstate(all="ignore"):
        upd, g = grad.analytic(net, X, y, "categorical_cross_entropy")
    assert np.isfinite(upd).all() and np.isfinite(g).all()


# ---------------------------------------------------------------- property: fused == unfused


def _identity_head(k, out_layer):
    net = ln.Sequential([ln.Dense(k, k), out_layer], seed=0, dtype="float64")
    net.layers[0].W[...] = np.eye(k)
    net.layers[0].b[...] = 0.0
    return net  # logits == inputs


@settings(deadline=None, max_examples=40)
@given(
    z=arrays(
        np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)), elements=st.floats(-12, 12)
    ),
    data=st.data(),
)
def test_fused_equals_unfused_math_property(z, data):
    n, k = z.shape
    labels = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    unfused = -np.mean(np.log(p[np.arange(n), labels]))
    fused = _identity_head(k, ln.Softmax()).evaluate(z, labels, loss="categorical_cross_entropy")
    assert fused["data_loss"] == pytest.approx(unfused, rel=1e-9, abs=1e-12)

    yb = np.array(
        data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n * k, max_size=n * k))
    ).reshape(n, k)
    s = 1.0 / (1.0 + np.exp(-z))
    unfused_b = -np.mean(yb * np.log(s) + (1 - yb) * np.log(1 - s))
    fused_b = _identity_head(k, ln.Sigmoid()).evaluate(z, yb, loss="binary_cross_entropy")
    assert fused_b["data_loss"] == pytest.approx(unfused_b, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [0.0, 1.0]])
def test_fused_categorical_refuses_labels_outside_the_classes(labels):
    # out-of-range labels would index a neighbouring row of the flattened logits
    z = np.zeros((2, 3))
    with pytest.raises(ln.DataError, match="class indices"):
        ln.CategoricalCrossEntropy().from_logits(z, np.asarray(labels))


# ---------------------------------------------------------------- Poisson and sample weights


def test_poisson_value_is_the_half_deviance_and_zero_at_a_perfect_fit():
    z = RNG.normal(size=(6, 2))
    y = RNG.poisson(2.0, size=(6, 2)).astype(float)
    y[0, 0] = 0.0
    mu = np.exp(z)
    ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1)), 0.0)
    expected = np.mean(mu - y * z + ylogy - y)
    assert ln.Poisson()(z, y) == pytest.approx(expected, rel=1e-13)
    positive = y + 1.0
    assert ln.Poisson()(np.log(positive), positive) == pytest.approx(0.0, abs=1e-14)
    num = _numeric_grad(lambda Z: ln.Poisson()(Z, y), z)
    assert _rel(ln.Poisson().gradient(z.copy(), y), num) < 1e-8
    assert ln.losses.get("poisson").output_layer is ln.Identity


WEIGHTED_CASES = [
    (ln.MSE(), lambda: (RNG.normal(size=(7, 2)), RNG.normal(size=(7, 2)))),
    (ln.BinaryCrossEntropy(), lambda: (RNG.uniform(0.05, 0.95, (7, 2)), RNG.integers(0, 2, (7, 2)) * 1.0)),
    (ln.CategoricalCrossEntropy(), lambda: (_probs(7, 3), RNG.integers(0, 3, size=7))),
    (ln.Poisson(), lambda: (RNG.normal(size=(7, 2)), RNG.poisson(2.0, (7, 2)) * 1.0)),
]  # fmt: skip


@pytest.mark.parametrize("loss, make", WEIGHTED_CASES, ids=lambda x: type(x).__name__)
def test_weighted_loss_is_the_weighted_mean_of_row_losses_with_its_gradient(loss, make):
    P, y = make()
    s = RNG.uniform(0.1, 3.0, size=len(P))
    w = ln.losses.normalized_weights(s)
    rows = [loss(P[i : i + 1], y[i : i + 1]) for i in range(len(P))]
    assert loss(P, y, w) == pytest.approx(np.average(rows, weights=s), rel=1e-12)
    num = _numeric_grad(lambda Q: loss(Q, y, w), P)
    assert _rel(loss.gradient(P.copy(), y, w), num) < 1e-7
    if loss.fuses_with is not None:
        z = np.log(P) if loss.name != "binary_cross_entropy" else np.log(P / (1 - P))
        value, grad = loss.from_logits(z, y, w)
        assert value == pytest.approx(loss(P, y, w), rel=1e-9)
        num_z = _numeric_grad(lambda Z: loss.from_logits(Z, y, w)[0], z)
        assert _rel(grad, num_z) < 1e-7
    # equal weights give the unweighted mean
    assert loss(P, y, np.full(len(P), 1 / len(P))) == pytest.approx(loss(P, y), rel=1e-12)
