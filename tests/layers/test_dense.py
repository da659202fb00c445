"""Dense layer: forward/backward formulas, gradients by central differences, inits, max_norm."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln


def _dense_in_float64_net(n_in=4, n_out=3, **kw):
    net = ln.Sequential([ln.Dense(n_in, n_out, **kw)], seed=3, dtype="float64")
    layer = net.layers[0]
    layer.b[...] = np.random.default_rng(1).normal(size=n_out)  # non-zero biases
    return net, layer


def test_forward_is_affine():
    net, layer = _dense_in_float64_net()
    X = np.random.default_rng(0).normal(size=(5, 4))
    Y, _ = layer.forward(X, training=False)
    np.testing.assert_allclose(Y, X @ layer.W + layer.b, rtol=1e-13)


def test_backward_formulas():
    net, layer = _dense_in_float64_net()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4))
    G = rng.normal(size=(5, 3))
    _, back = layer.forward(X, training=True)
    dX = back(G.copy())
    np.testing.assert_allclose(dX, G @ layer.W.T, rtol=1e-13)
    np.testing.assert_allclose(layer.dW, X.T @ G, rtol=1e-13)
    np.testing.assert_allclose(layer.db, G.sum(axis=0), rtol=1e-13)


def test_backward_sets_rather_than_accumulates():
    """After a backward pass dW/db hold *the* gradient, not a running sum."""
    net, layer = _dense_in_float64_net()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4))
    G = rng.normal(size=(5, 3))
    for _ in range(2):
        _, back = layer.forward(X, training=True)
        back(G.copy())
    np.testing.assert_allclose(layer.dW, X.T @ G, rtol=1e-13)
    np.testing.assert_allclose(layer.db, G.sum(axis=0), rtol=1e-13)


def test_gradients_match_central_differences():
    """d/dtheta of sum(G * Dense(X)) for W, b and X, each by central differences (float64)."""
    net, layer = _dense_in_float64_net()
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, 4))
    G = rng.normal(size=(6, 3))
    _, back = layer.forward(X, training=True)
    dX = back(G.copy()).copy()
    dW, db = layer.dW.copy(), layer.db.copy()

    def objective():
        return float(np.sum(G * layer.forward(X, training=False)[0]))

    eps = 1e-6
    for arr, analytic in [(layer.W, dW), (layer.b, db), (X, dX)]:
        num = np.zeros_like(analytic)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + eps
            fp = objective()
            arr[idx] = old - eps
            fm = objective()
            arr[idx] = old
            num[idx] = (fp - fm) / (2 * eps)
        err = np.linalg.norm(analytic - num) / (np.linalg.norm(analytic) + np.linalg.norm(num))
        assert err < 1e-6, f"relative error {err:.2e}"


def test_parameters_are_live_views_into_the_network():
    net = ln.Sequential([ln.Dense(2, 3), ln.ReLU(), ln.Dense(3, 1)], seed=0, dtype="float64")
    d0 = net.layers[0]
    assert np.shares_memory(d0.W, net.params) and np.shares_memory(d0.b, net.params)
    assert np.shares_memory(d0.dW, net.grads) and np.shares_memory(d0.db, net.grads)
    d0.W[...] = 7.0
    assert np.count_nonzero(net.params == 7.0) == 6
    X = np.ones((1, 2))
    d0.b[...] = 0.0
    net.layers[2].W[...] = 1.0
    net.layers[2].b[...] = 0.5
    np.testing.assert_allclose(net.predict(X), [[3 * 14.0 + 0.5]])


def test_shapes_and_zero_biases():
    net = ln.Sequential([ln.Dense(5, 7)], seed=0)
    layer = net.layers[0]
    assert layer.W.shape == (5, 7) and layer.b.shape == (7,)
    assert layer.n_in == 5 and layer.n_out == 7
    assert layer.has_params is True
    np.testing.assert_array_equal(layer.b, 0.0)


def test_standalone_dense_owns_its_arrays():
    layer = ln.Dense(3, 2)
    layer.initialize(np.random.default_rng(0))
    assert layer.W.shape == (3, 2) and layer.b.shape == (2,)
    np.testing.assert_array_equal(layer.b, 0.0)
    assert np.abs(layer.W).max() <= np.sqrt(6 / 5) + 1e-7
    Y, back = layer.forward(np.ones((4, 3)), training=False)
    assert Y.shape == (4, 2)
    assert back(np.ones((4, 2))).shape == (4, 3)
    # same generator seed -> same weights
    other = ln.Dense(3, 2)
    other.initialize(np.random.default_rng(0))
    np.testing.assert_array_equal(layer.W, other.W)


N_IN, N_OUT = 400, 300


@pytest.mark.parametrize(
    "init, bound, std",
    [
        ("glorot_uniform", np.sqrt(6 / (N_IN + N_OUT)), np.sqrt(2 / (N_IN + N_OUT))),
        ("he_uniform", np.sqrt(6 / N_IN), np.sqrt(2 / N_IN)),
        ("he_normal", None, np.sqrt(2 / N_IN)),
        ("normal", None, 0.01),
    ],
)
def test_init_distributions(init, bound, std):
    net = ln.Sequential([ln.Dense(N_IN, N_OUT, init=init)], seed=0, dtype="float64")
    W = net.layers[0].W
    assert abs(W.mean()) < 4 * std / np.sqrt(W.size)
    assert abs(W.std() / std - 1) < 0.02, f"{init}: std {W.std():.4g} vs {std:.4g}"
    if bound is not None:
        assert np.abs(W).max() <= bound
        assert np.abs(W).max() > 0.99 * bound
    np.testing.assert_array_equal(net.layers[0].b, 0.0)


def test_max_norm_rescales_each_units_incoming_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    y = rng.normal(size=(30, 3)) * 10
    net = ln.Sequential([ln.Dense(4, 3, max_norm=0.5)], seed=0, dtype="float64")
    W = net.layers[0].W
    W[...] = 0.0
    W[:, 0] = [3.0, 0.0, 0.0, 4.0]  # norm 5: must become 0.5 after an update
    W[:, 1] = [0.01, 0.0, 0.0, 0.0]  # small: left alone up to the update itself
    before = W.copy()
    net.fit(X, y, loss="mse", optimizer=ln.SGD(lr=1e-8), epochs=1, shuffle=False)
    norms = np.linalg.norm(W, axis=0)
    assert norms[0] == pytest.approx(0.5, rel=1e-9)
    # rescaled, not clipped: same direction
    np.testing.assert_allclose(W[:, 0] / norms[0], before[:, 0] / 5.0, atol=1e-6)
    assert norms[1] == pytest.approx(0.01, rel=1e-3)
    # after many large steps no unit exceeds the bound
    net.fit(X, y, loss="mse", optimizer=ln.SGD(lr=0.5), epochs=20)
    assert np.linalg.norm(W, axis=0).max() <= 0.5 * (1 + 1e-12)


def test_config_round_trip():
    layer = ln.Dense(
        3,
        2,
        init="he_normal",
        weight_regularizer=ln.L2(0.1),
        bias_regularizer=ln.L1(0.2),
        max_norm=2.0,
    )
    cfg = layer.get_config()
    net = ln.Sequential([layer], seed=0)
    clone = ln.Sequential.from_config(net.get_config())
    assert clone.layers[0].get_config() == cfg


def test_sparse_input_gives_the_dense_products():
    sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 5)) * (rng.uniform(size=(6, 5)) < 0.4)
    net = ln.Sequential([ln.Dense(5, 3), ln.Identity()], seed=0, dtype="float64")
    layer = net.layers[0]
    for training in (False, True):
        Zs, back_s = layer.forward(sparse.csr_matrix(X), training, need_input_grad=False)
        Zs = Zs.copy()
        back_s(np.ones((6, 3)))
        dW_sparse = layer.dW.copy()
        Zd, back_d = layer.forward(X, training, need_input_grad=False)
        back_d(np.ones((6, 3)))
        np.testing.assert_allclose(Zs, Zd, rtol=1e-14)
        np.testing.assert_allclose(dW_sparse, layer.dW, rtol=1e-14)
        np.testing.assert_allclose(dW_sparse, X.T @ np.ones((6, 3)), rtol=1e-14)
