"""fit(): history, validation, mini-batches, determinism, divergence and the verbose line."""

from __future__ import annotations

import re

import numpy as np
import pytest

import leannet as ln


def _clf_net(seed=0, dropout=0.0, dtype="float64", noise=0.0):
    layers = [ln.GaussianNoise(noise)] if noise else []
    layers += [ln.Dense(4, 8, weight_regularizer=ln.L2(1e-3)), ln.ReLU()]
    if dropout:
        layers.append(ln.Dropout(dropout))
    layers += [ln.Dense(8, 3), ln.Softmax()]
    return ln.Sequential(layers, seed=seed, dtype=dtype)


CCE = "categorical_cross_entropy"


# ---------------------------------------------------------------- history


def test_history_keys_and_lengths(clf_data):
    X, y = clf_data
    hist = _clf_net().fit(X, y, loss=CCE, epochs=7, batch_size=16)
    h = hist.history
    for key in ("loss", "data_loss", "reg_loss", "accuracy", "lr"):
        assert len(h[key]) == 7, key
    assert hist["loss"] == h["loss"]
    assert list(hist.epoch) == [1, 2, 3, 4, 5, 6, 7]
    assert not any(k.startswith("val_") for k in h)
    assert hist.interrupted is False
    for total, data, reg in zip(h["loss"], h["data_loss"], h["reg_loss"], strict=True):
        assert total == pytest.approx(data + reg, rel=1e-12)
        assert reg > 0
    assert all(0.0 <= a <= 1.0 for a in h["accuracy"])


def test_training_reduces_the_loss(clf_data):
    X, y = clf_data
    h = _clf_net().fit(X, y, loss=CCE, optimizer=ln.Adam(lr=0.02), epochs=60).history
    assert h["loss"][-1] < 0.7 * h["loss"][0]


def test_default_optimizer_is_adam(clf_data):
    X, y = clf_data
    a, b = _clf_net(), _clf_net()
    a.fit(X, y, loss=CCE, epochs=3, shuffle=False)
    b.fit(X, y, loss=CCE, optimizer=ln.Adam(), epochs=3, shuffle=False)
    np.testing.assert_array_equal(a.params, b.params)


def test_validation_data_metrics(clf_data):
    X, y = clf_data
    Xv, yv = X[:20] + 0.1, y[:20]
    net = _clf_net()
    h = net.fit(X, y, loss=CCE, epochs=4, validation_data=(Xv, yv)).history
    for key in ("val_loss", "val_data_loss", "val_accuracy"):
        assert len(h[key]) == 4, key
    res = net.evaluate(Xv, yv, loss=CCE)
    # the last validation numbers are those of the final weights
    assert h["val_loss"][-1] == pytest.approx(res["loss"], rel=1e-9)
    assert h["val_data_loss"][-1] == pytest.approx(res["data_loss"], rel=1e-9)
    assert h["val_accuracy"][-1] == pytest.approx(res["accuracy"])


def test_validation_r2_for_regression(reg_data):
    X, y = reg_data
    net = ln.Sequential([ln.Dense(2, 6), ln.Tanh(), ln.Dense(6, 2)], seed=0, dtype="float64")
    h = net.fit(X, y, loss="mse", epochs=3, validation_split=0.25).history
    assert len(h["val_r2"]) == 3 and len(h["val_loss"]) == 3
    assert "accuracy" not in h


def test_validation_split_holds_out_data(clf_data):
    X, y = clf_data
    seen = _spy_first_layer_inputs(net := _clf_net())
    net.fit(X, y, loss=CCE, epochs=1, validation_split=0.25, batch_size=None, shuffle=False)
    trained_on = np.concatenate([b for b, training in seen if training])
    assert len(trained_on) == 45  # 60 samples, a quarter held out


# ---------------------------------------------------------------- mini-batches


def _spy_first_layer_inputs(net):
    """Record every input batch the first Dense layer sees (and whether it was training)."""
    layer = net.layers[0]
    seen = []
    original = layer.forward

    def spy(X, training=False, **kwargs):
        seen.append((np.array(X, copy=True), bool(training)))
        return original(X, training, **kwargs)

    layer.forward = spy
    return seen


def _batches_by_epoch(seen, n):
    ids = [b[:, 0].round().astype(int) for b, training in seen if training]
    epochs, current, count = [], [], 0
    for batch in ids:
        current.append(batch)
        count += len(batch)
        if count == n:
            epochs.append(current)
            current, count = [], 0
    assert not current, "batches do not add up to whole epochs"
    return epochs


def test_mini_batches_cover_the_data_once_per_epoch_and_reshuffle():
    n = 23
    X = np.column_stack([np.arange(n, dtype=float), np.zeros(n), np.zeros(n), np.zeros(n)])
    y = np.arange(n) % 3
    net = _clf_net()
    seen = _spy_first_layer_inputs(net)
    net.fit(X, y, loss=CCE, optimizer=ln.SGD(lr=1e-9), epochs=3, batch_size=5)
    epochs = _batches_by_epoch(seen, n)
    assert len(epochs) == 3
    orders = []
    for batches in epochs:
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        order = np.concatenate(batches)
        np.testing.assert_array_equal(np.sort(order), np.arange(n))  # without replacement
        orders.append(order)
    assert not np.array_equal(orders[0], orders[1]) or not np.array_equal(orders[1], orders[2])
    assert not np.array_equal(orders[0], np.arange(n))


def test_no_shuffle_keeps_order():
    n = 12
    X = np.column_stack([np.arange(n, dtype=float), np.zeros((n, 3))])
    y = np.arange(n) % 3
    net = _clf_net()
    seen = _spy_first_layer_inputs(net)
    net.fit(X, y, loss=CCE, optimizer=ln.SGD(lr=1e-9), epochs=2, batch_size=4, shuffle=False)
    for batches in _batches_by_epoch(seen, n):
        np.testing.assert_array_equal(np.concatenate(batches), np.arange(n))


def test_full_batch_is_one_step_per_epoch(clf_data):
    X, y = clf_data
    opt = ln.SGD(lr=0.01)
    _clf_net().fit(X, y, loss=CCE, optimizer=opt, epochs=5)
    assert opt.state_dict()["t"] == 5
    opt = ln.SGD(lr=0.01)
    _clf_net().fit(X, y, loss=CCE, optimizer=opt, epochs=2, batch_size=16)  # 60 -> 4 batches
    assert opt.state_dict()["t"] == 8
    opt = ln.SGD(lr=0.01)
    _clf_net().fit(X, y, loss=CCE, optimizer=opt, epochs=3, batch_size=1000)  # larger than n
    assert opt.state_dict()["t"] == 3


# ---------------------------------------------------------------- determinism


def _train(X, y, seed=0, fit_seed=None, dtype="float64"):
    net = _clf_net(seed=seed, dropout=0.3, dtype=dtype, noise=0.2)
    hist = net.fit(
        X,
        y,
        loss=CCE,
        optimizer=ln.Adam(lr=0.01),
        epochs=5,
        batch_size=8,
        validation_split=0.2,
        seed=fit_seed,
    )
    return net, hist


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_same_seed_same_data_bitwise_identical(clf_data, dtype):
    X, y = clf_data
    a, ha = _train(X, y, dtype=dtype)
    b, hb = _train(X, y, dtype=dtype)
    assert ha.history == hb.history
    np.testing.assert_array_equal(a.params, b.params)


def test_other_fit_seed_other_result(clf_data):
    X, y = clf_data
    a, _ = _train(X, y, fit_seed=1)
    b, _ = _train(X, y, fit_seed=2)
    assert not np.array_equal(a.params, b.params)


def test_fit_seed_defaults_to_network_seed(clf_data):
    X, y = clf_data
    a, ha = _train(X, y, seed=5)
    b, hb = _train(X, y, seed=5, fit_seed=5)
    assert ha.history == hb.history
    np.testing.assert_array_equal(a.params, b.params)


def test_predict_does_not_disturb_training_randomness(clf_data):
    X, y = clf_data
    a, _ = _train(X, y)
    net = _clf_net(seed=0, dropout=0.3, noise=0.2)
    net.predict(X)
    net.evaluate(X, y, loss=CCE)
    net.fit(
        X, y, loss=CCE, optimizer=ln.Adam(lr=0.01), epochs=5, batch_size=8, validation_split=0.2
    )
    np.testing.assert_array_equal(a.params, net.params)


# ---------------------------------------------------------------- divergence


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_raises_with_epoch_and_keeps_finite_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3)) * 10
    y = rng.normal(size=(20, 1)) * 100
    net = ln.Sequential([ln.Dense(3, 8), ln.ReLU(), ln.Dense(8, 1)], seed=0)
    with pytest.raises(ln.TrainingDiverged) as info:
        net.fit(X, y, loss="mse", optimizer=ln.SGD(lr=10.0), epochs=500)
    err = info.value
    assert isinstance(err.epoch, int) and 1 <= err.epoch <= 500
    assert re.search(r"(?i)lr|learning rate", str(err))
    assert np.isfinite(net.params).all()
    assert isinstance(err, ArithmeticError) and isinstance(err, ln.errors.LeannetError)


# ---------------------------------------------------------------- verbose line

LINE = re.compile(
    r"^epoch: (\d+), acc: (\d\.\d{3}), loss: (\d+\.\d{3}) "
    r"\(data_loss: (\d+\.\d{3}), reg_loss: (\d+\.\d{3})\), lr: ([0-9.eE+-]+)$"
)


def test_verbose_line_format_and_numbers(clf_data, capsys):
    X, y = clf_data
    hist = _clf_net().fit(
        X, y, loss=CCE, optimizer=ln.SGD(lr=0.05), epochs=30, verbose=1, print_every=10
    )
    out = capsys.readouterr()
    lines = [ln_ for ln_ in (out.out + out.err).splitlines() if ln_.startswith("epoch:")]
    assert 3 <= len(lines) <= 4, lines
    h = hist.history
    printed = []
    for line in lines:
        m = LINE.match(line)
        assert m, f"line does not follow the seeds' format: {line!r}"
        epoch = int(m.group(1))
        printed.append(epoch)
        i = epoch - 1
        assert m.group(2) == f"{h['accuracy'][i]:.3f}"
        assert m.group(3) == f"{h['loss'][i]:.3f}"
        assert m.group(4) == f"{h['data_loss'][i]:.3f}"
        assert m.group(5) == f"{h['reg_loss'][i]:.3f}"
        assert float(m.group(6)) == pytest.approx(h["lr"][i], rel=1e-3)
    assert {10, 20, 30} <= set(printed)


def test_verbose_zero_prints_nothing(clf_data, capsys):
    X, y = clf_data
    _clf_net().fit(X, y, loss=CCE, epochs=3, verbose=0)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# ---------------------------------------------------------------- no side effects on user data


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fit_predict_evaluate_leave_user_arrays_alone(clf_data, dtype):
    X, y = clf_data
    X = X.astype(dtype)
    X0, y0 = X.copy(), y.copy()
    net = ln.Sequential(
        [
            ln.GaussianNoise(0.5),
            ln.Dropout(0.3),
            ln.Dense(4, 6),
            ln.ReLU(),
            ln.Dense(6, 3),
            ln.Softmax(),
        ],
        seed=0,
        dtype=dtype,
    )
    net.fit(X, y, loss=CCE, epochs=3, batch_size=None, validation_data=(X, y))
    net.fit(X, y, loss=CCE, epochs=2, batch_size=7)
    net.predict(X)
    net.evaluate(X, y, loss=CCE)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_predictions_are_not_overwritten_by_later_calls(clf_data):
    X, _ = clf_data
    net = _clf_net()
    P1 = net.predict(X)
    P1_copy = P1.copy()
    net.predict(X[::-1] * 3)
    net.evaluate(X, np.zeros(len(X), dtype=int), loss=CCE)
    np.testing.assert_array_equal(P1, P1_copy)


# ---------------------------------------------------------------- target shapes


def test_single_output_targets_1d_and_2d_train_identically(bin_data):
    """y of shape (n,) for a one-unit output must mean the same as (n, 1), never broadcast."""
    X, y = bin_data
    a = ln.Sequential(
        [ln.Dense(3, 4), ln.Tanh(), ln.Dense(4, 1), ln.Sigmoid()], seed=0, dtype="float64"
    )
    b = a.copy()
    ha = a.fit(X, y, loss="binary_cross_entropy", optimizer=ln.SGD(lr=0.5), epochs=5)
    try:
        hb = b.fit(X, y.ravel(), loss="binary_cross_entropy", optimizer=ln.SGD(lr=0.5), epochs=5)
    except ln.errors.DataError as exc:  # refusing is fine too, as long as it says why
        assert "y" in str(exc)
        return
    np.testing.assert_allclose(b.params, a.params, rtol=1e-12)
    assert hb.history["loss"] == pytest.approx(ha.history["loss"], rel=1e-12)


def test_mse_single_output_1d_target(reg_data):
    X, y2 = reg_data
    y = y2[:, :1]
    a = ln.Sequential([ln.Dense(2, 5), ln.Tanh(), ln.Dense(5, 1)], seed=0, dtype="float64")
    b = a.copy()
    a.fit(X, y, loss="mse", optimizer=ln.SGD(lr=0.1), epochs=3)
    try:
        b.fit(X, y.ravel(), loss="mse", optimizer=ln.SGD(lr=0.1), epochs=3)
    except ln.errors.DataError as exc:
        assert "y" in str(exc)
        return
    np.testing.assert_allclose(b.params, a.params, rtol=1e-12)
    assert b.evaluate(X, y.ravel(), loss="mse")["loss"] == pytest.approx(
        a.evaluate(X, y, loss="mse")["loss"], rel=1e-12
    )


def test_float_class_labels_and_lists_are_accepted(clf_data):
    X, y = clf_data
    a, b = _clf_net(), _clf_net()
    a.fit(X, y, loss=CCE, epochs=2, shuffle=False)
    b.fit(X.tolist(), y.astype(float).tolist(), loss=CCE, epochs=2, shuffle=False)
    np.testing.assert_array_equal(a.params, b.params)


def test_one_hot_and_integer_labels_train_identically(clf_data):
    X, y = clf_data
    a, b = _clf_net(), _clf_net()
    a.fit(X, y, loss=CCE, epochs=3, batch_size=16)
    b.fit(X, np.eye(3)[y], loss=CCE, epochs=3, batch_size=16)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)
    assert (
        a.evaluate(X, y, loss=CCE)["accuracy"] == b.evaluate(X, np.eye(3)[y], loss=CCE)["accuracy"]
    )


# ---------------------------------------------------------------- mini-batch parity and Ctrl-C


def test_float32_training_stays_float32(clf_data):
    X, y = clf_data
    net = _clf_net(dtype="float32")
    net.fit(X, y, loss=CCE, epochs=2, batch_size=16)
    assert net.params.dtype == np.float32
    assert net.predict(X).dtype == np.float32


def test_ctrl_c_stops_after_the_epoch_and_marks_history(clf_data):
    import os
    import signal

    X, y = clf_data

    class Interrupt(ln.Callback):
        def on_epoch_end(self, trainer, epoch, logs):
            if trainer.epoch == 2:
                os.kill(os.getpid(), signal.SIGINT)

    net = _clf_net()
    hist = net.fit(X, y, loss=CCE, epochs=50, callbacks=[Interrupt()])
    assert hist.interrupted is True
    assert 2 <= len(hist.history["loss"]) <= 3
    assert np.isfinite(net.params).all()


def test_float32_training_tracks_float64(clf_data):
    """Same start, same batches: float32 ends close to float64 (no silent precision loss)."""
    X, y = clf_data
    a = _clf_net(dtype="float64")
    b = a.copy(dtype="float32")
    for net in (a, b):
        net.fit(X, y, loss=CCE, optimizer=ln.SGD(lr=0.1, momentum=0.9), epochs=20, batch_size=16)
    np.testing.assert_allclose(b.params, a.params, rtol=1e-3, atol=1e-4)


def test_verbose_2_prints_one_line_per_epoch(clf_data, capsys):
    X, y = clf_data
    _clf_net().fit(X, y, loss=CCE, epochs=4, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert [int(LINE.match(line).group(1)) for line in lines] == [1, 2, 3, 4]


@pytest.mark.parametrize("verbose", [3, -1, True, 1.0])
def test_verbose_outside_0_1_2_is_refused(clf_data, verbose):
    X, y = clf_data
    with pytest.raises(ln.ConfigError, match="verbose must be 0"):
        _clf_net().fit(X, y, loss=CCE, epochs=1, verbose=verbose)


def test_shuffle_must_be_a_bool(clf_data):
    X, y = clf_data
    with pytest.raises(ln.ConfigError, match="shuffle must be True or False"):
        _clf_net().fit(X, y, loss=CCE, epochs=1, shuffle="no")


def test_fit_shows_its_real_signature():
    import inspect

    assert ln.Sequential.fit is ln.training.fit
    params = inspect.signature(ln.build_mlp(2, [], 1, loss="mse").fit)
    assert "kwargs" not in params.parameters
    assert list(params.parameters)[:3] == ["X", "y", "loss"]
    assert "sample_weight" in params.parameters and "Args:" in ln.Sequential.fit.__doc__


# ---------------------------------------------------------------- sample weights


def _weighted_pair(loss, y_kind, batch_size=None):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(24, 4))
    y = {"classes": rng.integers(0, 3, size=24), "regression": rng.normal(size=(24, 2))}[y_kind]
    n_out = 3 if y_kind == "classes" else 2
    weights = np.ones(24)
    weights[[1, 5, 6, 17]] = 2.0
    rows = np.concatenate([np.arange(24), [1, 5, 6, 17]])

    def make():
        return ln.build_mlp(4, [6], n_out, loss=loss, l2=1e-3, seed=0, dtype="float64")

    weighted, duplicated = make(), make()
    kw = dict(loss=loss, optimizer=ln.SGD(0.1, momentum=0.9), epochs=15, batch_size=batch_size)
    hw = weighted.fit(X, y, sample_weight=weights, **kw)
    kw["optimizer"] = ln.SGD(0.1, momentum=0.9)
    hd = duplicated.fit(X[rows], y[rows], **kw)
    return weighted, duplicated, hw, hd, (X, y, weights, rows)


@pytest.mark.parametrize("loss, kind", [(CCE, "classes"), ("mse", "regression")])
def test_sample_weight_2_equals_duplicating_the_rows(loss, kind):
    weighted, duplicated, hw, hd, (X, y, w, rows) = _weighted_pair(loss, kind)
    np.testing.assert_allclose(weighted.params, duplicated.params, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(hw["loss"], hd["loss"], rtol=1e-12)
    ew = weighted.evaluate(X, y, loss=loss, sample_weight=w)
    ed = weighted.evaluate(X[rows], y[rows], loss=loss)
    for key in ew:
        assert ew[key] == pytest.approx(ed[key], rel=1e-12), key


def test_sample_weight_is_the_weighted_mean_of_the_row_losses():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    w = rng.uniform(0, 3, size=10)
    net = ln.build_mlp(2, [3], 1, loss="mse", seed=0, dtype="float64")
    per_row = ((net.predict(X) - y) ** 2).ravel()
    result = net.evaluate(X, y, loss="mse", sample_weight=w)
    assert result["data_loss"] == pytest.approx(np.average(per_row, weights=w), rel=1e-13)
    # small evaluation batches give the same weighted mean
    again = net.evaluate(X, y, loss="mse", sample_weight=w, batch_size=3)
    assert again["data_loss"] == pytest.approx(result["data_loss"], rel=1e-13)


def test_zero_weights_ignore_rows_and_bad_weights_are_named():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
    w = np.array([1.0, 1, 1, 1, 0, 0, 0, 0])
    noisy = y.copy()
    noisy[4:] = 1e3  # rows with weight 0 cannot matter
    a = ln.build_mlp(2, [3], 1, loss="mse", seed=0, dtype="float64")
    b = ln.build_mlp(2, [3], 1, loss="mse", seed=0, dtype="float64")
    a.fit(X, y, loss="mse", epochs=5, sample_weight=w)
    b.fit(X, noisy, loss="mse", epochs=5, sample_weight=w)
    np.testing.assert_array_equal(a.params, b.params)
    for bad, match in [(np.ones(7), "7 values but X has 8"), (-w, ">= 0"), (0 * w, "sums to 0")]:
        with pytest.raises(ln.DataError, match=match):
            a.fit(X, y, loss="mse", sample_weight=bad)


# ---------------------------------------------------------------- sparse input


@pytest.mark.parametrize("batch_size", [None, 7])
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_input_trains_exactly_like_dense(fmt, batch_size):
    sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    dense_X = rng.normal(size=(40, 12)) * (rng.uniform(size=(40, 12)) < 0.2)
    X = sparse.csr_matrix(dense_X).asformat(fmt)
    y = rng.integers(0, 3, size=40)
    a = ln.build_mlp(12, [5], 3, loss=CCE, l1=1e-3, seed=0, dtype="float64")
    b = ln.build_mlp(12, [5], 3, loss=CCE, l1=1e-3, seed=0, dtype="float64")
    ha = a.fit(X, y, loss=CCE, epochs=6, batch_size=batch_size, validation_split=0.2)
    hb = b.fit(dense_X, y, loss=CCE, epochs=6, batch_size=batch_size, validation_split=0.2)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ha["val_loss"], hb["val_loss"], rtol=1e-12)
    np.testing.assert_allclose(a.predict(X, batch_size=16), b.predict(dense_X), rtol=1e-12)
    assert a.evaluate(X, y, loss=CCE)["loss"] == pytest.approx(
        b.evaluate(dense_X, y, loss=CCE)["loss"], rel=1e-12
    )


def test_sparse_input_is_never_densified_and_bad_sparse_input_is_named(monkeypatch):
    sparse = pytest.importorskip("scipy.sparse")
    X = sparse.random(50, 30, density=0.1, format="csr", random_state=0)
    monkeypatch.setattr(type(X), "toarray", lambda *a, **k: pytest.fail("densified"))
    net = ln.build_mlp(30, [4], 1, loss="mse", seed=0)
    net.fit(X, np.ones(50), loss="mse", epochs=2, batch_size=16)
    bad = X.copy()
    bad.data[3] = np.nan
    with pytest.raises(ln.DataError, match="NaN or inf"):
        net.fit(bad, np.ones(50), loss="mse")
    noisy = ln.build_mlp(30, [4], 1, loss="mse", input_noise=0.1)
    with pytest.raises(ln.DataError, match="sparse input needs ln.Dense as the first layer"):
        noisy.fit(X, np.ones(50), loss="mse")


# ---------------------------------------------------------------- multilabel and Poisson


def test_multilabel_sigmoid_outputs_learn_independent_labels():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Y = np.stack([X[:, 0] > 0, X[:, 1] > 0.5, X[:, 0] + X[:, 2] > 0], axis=1).astype(float)
    net = ln.build_mlp(3, [16], 3, loss="binary_cross_entropy", seed=0)
    hist = net.fit(X, Y, loss="bce", optimizer=ln.Adam(0.02), epochs=150)
    out = net.predict(X)
    per_label = np.mean((out > 0.5) == (Y > 0.5))
    assert hist["accuracy"][-1] == pytest.approx(per_label, abs=0.02)
    assert net.evaluate(X, Y, loss="bce")["accuracy"] == pytest.approx(per_label, rel=1e-12)
    assert per_label > 0.95
    assert ((out > 0.5) == (Y > 0.5)).all(axis=1).mean() > 0.85  # whole label sets


def test_poisson_regression_recovers_a_log_linear_rate():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(400, 2))
    y = rng.poisson(np.exp(0.5 + 1.0 * X[:, :1] - 0.5 * X[:, 1:])).astype(float)
    net = ln.build_mlp(2, [], 1, loss="poisson", seed=0, dtype="float64")
    assert type(net.layers[-1]) is ln.Identity
    net.fit(X, y, loss="poisson", optimizer=ln.Adam(0.05), epochs=300)
    np.testing.assert_allclose(net.layers[0].W.ravel(), [1.0, -0.5], atol=0.15)
    assert net.layers[0].b[0] == pytest.approx(0.5, abs=0.15)


def test_validation_split_with_all_zero_weights_on_one_side_is_refused():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    net = ln.build_mlp(2, [3], 1, loss="mse", seed=0)
    perm = np.random.default_rng([net.seed, 2]).permutation(10)
    weights = np.ones(10)
    weights[perm[:2]] = 0.0  # exactly the two rows validation_split=0.2 holds out
    with pytest.raises(ln.DataError, match="validation rows of validation_split=0.2 all have"):
        net.fit(X, y, loss="mse", validation_split=0.2, sample_weight=weights)
    weights = 1.0 - weights  # now the training rows are all zero
    with pytest.raises(ln.DataError, match="training rows"):
        net.fit(X, y, loss="mse", validation_split=0.2, sample_weight=weights)
