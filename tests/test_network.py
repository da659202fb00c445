"""Sequential: parameter layout, views, config, copy, save/load, predict and evaluate."""

from __future__ import annotations

import json

import numpy as np
import pytest

import leannet as ln


def _net(dtype="float32", seed=0):
    return ln.Sequential(
        [
            ln.Dense(4, 6, weight_regularizer=ln.L2(1e-3), bias_regularizer=ln.L1(1e-4)),
            ln.ReLU(),
            ln.Dropout(0.2),
            ln.Dense(6, 5, init="he_normal", max_norm=3.0),
            ln.Tanh(),
            ln.Dense(5, 3),
            ln.Softmax(),
        ],
        seed=seed,
        dtype=dtype,
    )


def test_flat_buffer_layout_weights_first_then_biases():
    net = _net()
    dense = [layer for layer in net.layers if layer.has_params]
    n_w = sum(d.W.size for d in dense)
    n_b = sum(d.b.size for d in dense)
    assert net.n_weights == n_w
    assert net.n_params == n_w + n_b == net.params.size
    assert net.params.ndim == 1 and net.grads.shape == net.params.shape
    for d in dense:
        assert np.shares_memory(d.W, net.params[:n_w])
        assert np.shares_memory(d.b, net.params[n_w:])
        assert np.shares_memory(d.dW, net.grads[:n_w])
        assert np.shares_memory(d.db, net.grads[n_w:])
    np.testing.assert_array_equal(
        np.sort(net.params[:n_w]), np.sort(np.concatenate([d.W.ravel() for d in dense]))
    )


def test_dtype():
    assert _net().dtype == np.float32 and _net().params.dtype == np.float32
    net = _net("float64")
    assert net.dtype == np.float64 and net.params.dtype == np.float64
    assert net.layers[0].W.dtype == np.float64


def test_parameters_names_and_views():
    net = _net()
    names = [name for name, _ in net.parameters()]
    assert names == [
        "layers.0.W",
        "layers.0.b",
        "layers.3.W",
        "layers.3.b",
        "layers.5.W",
        "layers.5.b",
    ]
    for name, view in net.parameters():
        assert np.shares_memory(view, net.params), name
    dict(net.parameters())["layers.5.b"][...] = 1.25
    np.testing.assert_array_equal(net.layers[5].b, 1.25)


def test_same_seed_same_weights_other_seed_other_weights():
    np.testing.assert_array_equal(_net(seed=3).params, _net(seed=3).params)
    assert not np.array_equal(_net(seed=3).params, _net(seed=4).params)
    assert _net(seed=3).seed == 3


def test_predict_shape_and_probabilities():
    net = _net("float64")
    X = np.random.default_rng(0).normal(size=(11, 4))
    P = net.predict(X)
    assert P.shape == (11, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    # inference: dropout off, so predictions are deterministic and batch-size independent
    np.testing.assert_array_equal(P, net.predict(X))
    np.testing.assert_allclose(net.predict(X, batch_size=4), P, rtol=1e-12)


def test_evaluate_classification_metrics():
    net = _net("float64")
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 4))
    y = rng.integers(0, 3, size=30)
    res = net.evaluate(X, y, loss="categorical_cross_entropy")
    P = net.predict(X)
    assert res["data_loss"] == pytest.approx(-np.mean(np.log(P[np.arange(30), y])), rel=1e-12)
    assert res["reg_loss"] == pytest.approx(net.reg_loss(), rel=1e-12)
    assert res["loss"] == pytest.approx(res["data_loss"] + res["reg_loss"], rel=1e-12)
    assert res["accuracy"] == pytest.approx(np.mean(P.argmax(axis=1) == y))


def test_evaluate_binary_accuracy_thresholds_at_half():
    net = ln.Sequential([ln.Dense(2, 1), ln.Sigmoid()], seed=0, dtype="float64")
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 2))
    y = (rng.uniform(size=(40, 1)) > 0.5).astype(float)
    res = net.evaluate(X, y, loss="binary_cross_entropy")
    assert res["accuracy"] == pytest.approx(np.mean((net.predict(X) > 0.5) == y))


def test_evaluate_r2_for_mse():
    from sklearn.metrics import r2_score

    net = ln.Sequential([ln.Dense(2, 8), ln.Tanh(), ln.Dense(8, 1)], seed=0, dtype="float64")
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    y = X[:, :1] ** 2
    res = net.evaluate(X, y, loss="mse")
    assert res["r2"] == pytest.approx(r2_score(y, net.predict(X)), rel=1e-10)
    assert "accuracy" not in res


def test_config_is_json_and_round_trips():
    net = _net("float64", seed=5)
    cfg = net.get_config()
    cfg2 = json.loads(json.dumps(cfg))
    assert cfg2["dtype"] in ("float64", np.dtype("float64").name)
    assert cfg2["seed"] == 5
    assert [lay["class"] for lay in cfg2["layers"]] == [
        "Dense",
        "ReLU",
        "Dropout",
        "Dense",
        "Tanh",
        "Dense",
        "Softmax",
    ]
    clone = ln.Sequential.from_config(cfg2)
    assert clone.get_config() == cfg
    # same config + same seed -> same initial weights
    np.testing.assert_array_equal(clone.params, net.params)
    assert clone.reg_loss() == pytest.approx(net.reg_loss())


def test_copy_is_deep_and_can_change_dtype():
    net = _net()
    net.params[...] = np.linspace(-1, 1, net.n_params)
    twin = net.copy()
    np.testing.assert_array_equal(twin.params, net.params)
    twin.params[0] += 1.0
    assert twin.params[0] != net.params[0]
    wide = net.copy(dtype="float64")
    assert wide.dtype == np.float64
    np.testing.assert_array_equal(wide.params, net.params.astype(np.float64))
    X = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_allclose(wide.predict(X), net.predict(X), rtol=1e-5, atol=1e-6)


def test_summary_mentions_layers_and_parameter_count():
    net = ln.Sequential([ln.Dense(3, 5), ln.ReLU(), ln.Dense(5, 2)], seed=0)
    text = net.summary()
    assert isinstance(text, str)
    assert "Dense" in text and "ReLU" in text
    assert str(net.n_params) in text  # 3*5+5 + 5*2+2 = 32


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_save_load_round_trip(tmp_path, dtype):
    net = _net(dtype, seed=2)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 4))
    y = rng.integers(0, 3, size=50)
    net.fit(
        X, y, loss="categorical_cross_entropy", optimizer=ln.Adam(lr=0.01), epochs=5, batch_size=16
    )
    path = tmp_path / "model.npz"
    net.save(path)
    back = ln.load(path)
    assert back.dtype == net.dtype
    np.testing.assert_array_equal(back.params, net.params)
    np.testing.assert_array_equal(back.predict(X), net.predict(X))
    assert back.get_config() == net.get_config()
    assert back.reg_loss() == net.reg_loss()
    # the file is a plain npz: readable without pickles
    with np.load(path, allow_pickle=False) as data:
        for key in data.files:
            assert data[key].dtype != object


def test_save_accepts_str_path(tmp_path):
    net = ln.Sequential([ln.Dense(2, 2)], seed=0)
    net.save(str(tmp_path / "m.npz"))
    np.testing.assert_array_equal(ln.load(str(tmp_path / "m.npz")).params, net.params)


def test_load_rejects_files_that_are_not_models(tmp_path):
    bogus = tmp_path / "bogus.npz"
    np.savez(bogus, a=np.arange(3))
    with pytest.raises(ln.errors.ModelFileError):
        ln.load(bogus)
    text = tmp_path / "text.npz"
    text.write_text("not a zip file")
    with pytest.raises(ln.errors.ModelFileError):
        ln.load(text)
    with pytest.raises((ln.errors.ModelFileError, FileNotFoundError)):
        ln.load(tmp_path / "missing.npz")


def test_loaded_network_keeps_training_identically(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    y = rng.integers(0, 3, size=30)
    net = _net("float64", seed=1)
    net.save(tmp_path / "m.npz")
    back = ln.load(tmp_path / "m.npz")
    for model in (net, back):
        model.fit(
            X,
            y,
            loss="categorical_cross_entropy",
            optimizer=ln.SGD(lr=0.1),
            epochs=3,
            batch_size=10,
            seed=4,
        )
    np.testing.assert_array_equal(back.params, net.params)
