"""The playground's session logic, without a browser or a server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import leannet as ln
from leannet.cli import main as cli_main
from leannet.errors import ConfigError, DataError
from leannet.playground import data as pdata
from leannet.playground import export
from leannet.playground.session import Session
from leannet.playground.settings import Settings


def small(**changes) -> Settings:
    base = {"n_points": 120, "hidden": [6, 6], "batch_size": 10}
    return Settings().updated({**base, **changes})


# -- data --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", pdata.DATASETS)
def test_every_dataset_trains_and_draws(name):
    ratio = 1.0 if name == "xor4" else 0.5
    s = Session(small(dataset=name, train_ratio=ratio, features=["x1", "x2", "x1^2"]))
    assert s.step(30) == 30
    snap = s.snapshot()
    net = snap["nets"][0]
    expected_dims = 1 if name in ("binary1d", "curve", "noisy_quadratic") else 2
    assert snap["dims"] == expected_dims
    assert net["step"] == 30
    assert np.isfinite(net["curves"]["train_loss"][-1])
    assert snap["task"] == ("regression" if name in pdata.REGRESSION else "classification")
    # 1-D sets get the x1 features only
    assert snap["feature_names"] == (
        ["x", "x^2"]
        if name in ("binary1d", "noisy_quadratic")
        else ["x1", "x1^2"]
        if name == "curve"
        else ["x1", "x2", "x1^2"]
    )


def test_features_are_computed_from_the_raw_inputs():
    raw = pdata.generate("xor", 50, 0.1, 3)
    ds = pdata.with_features(raw, ["x1", "x1*x2", "sin(x2)"])
    np.testing.assert_array_equal(ds.X[:, 1], raw.X[:, 0] * raw.X[:, 1])
    np.testing.assert_array_equal(ds.X[:, 2], np.sin(raw.X[:, 1]))
    with pytest.raises(DataError, match="no input feature"):
        pdata.with_features(raw, [])


def test_csv_roundtrip_is_exact(tmp_path):
    ds = pdata.with_features(pdata.generate("moons", 80, 0.3, 1), ["x1", "x2", "sin(x1)"])
    path = tmp_path / "d.csv"
    path.write_text(pdata.to_csv(ds))
    back = ln.datasets.load_csv(path, "y")
    np.testing.assert_array_equal(back.X, ds.X)
    np.testing.assert_array_equal(back.y, ds.y)


# -- limits and bad input ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"hidden": [8] * 7}, "0 to 6 hidden layers"),
        ({"hidden": [33]}, "1 to 32 units"),
        ({"n_points": 5000}, "n_points must be a whole number from 4 to 2000"),
        ({"l2": -1.0}, "l2 must be in"),
        ({"dataset": "mnist"}, "dataset must be one of"),
        ({"batch_size": 7}, "batch_size must be one of"),
        ({"colour": "red"}, "unknown settings: colour"),
    ],
)
def test_settings_limits(changes, message):
    with pytest.raises(ConfigError, match=message):
        Settings().updated(changes)


def test_bad_settings_leave_the_session_as_it_was():
    s = Session(small())
    s.step(5)
    with pytest.raises(ConfigError):
        s.update({"hidden": [64]})
    assert s.main.step_count == 5 and s.settings.hidden == [6, 6]


def test_url_query_roundtrip():
    s = small(l2=0.01, features=["x1", "x1*x2"], hidden=[], max_norm=2.0, l1_proximal=True)
    back = Settings.from_query(s.to_query())
    assert back == s
    with pytest.raises(ConfigError, match="hidden"):
        Settings.from_query("hidden=a,b")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("a,b\n1,2\n3\n", "row 2 .* has 1 fields"),
        ("a\n1\n2\n", "found 1 column"),
        ("a,b\n" + "1,2\n" * 5001, "over the playground's limit of 5000"),
        ("x,y\n" + "1.0,abc\n" * 3, None),  # parses; choosing y as target gives classes
    ],
)
def test_bad_uploads_give_one_line_messages(text, message):
    if message is None:
        up = pdata.parse_upload("ok.csv", text)
        assert up.header == ["x", "y"]
        return
    with pytest.raises(DataError, match=message):
        pdata.parse_upload("/etc/../bad.csv", text)


def test_upload_too_big_and_bad_columns():
    with pytest.raises(DataError, match="over the playground's limit of 2 MB"):
        pdata.parse_upload("big.csv", "a,b\n" + "1," * 1_100_000)
    up = pdata.parse_upload("f.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n")
    with pytest.raises(DataError, match="no column named 'zz'"):
        pdata.upload_dataset(up, "zz", ["a"])
    with pytest.raises(DataError, match="distinct columns"):
        pdata.upload_dataset(up, "label", ["label"])
    up2 = pdata.parse_upload("g.csv", "a,b,t\n1,x,0\n3,4,1\n")
    with pytest.raises(DataError, match=r"g\.csv: feature column 'b'.*not numeric"):
        pdata.upload_dataset(up2, "t", ["a", "b"])


def test_upload_trains_with_named_columns():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    lines = ["u,v,w,kind"] + [
        f"{a},{b},{c},{'yes' if a + b > 0 else 'no'}" for a, b, c in X.tolist()
    ]
    up = pdata.parse_upload("mine.csv", "\n".join(lines) + "\n")
    ds = pdata.upload_dataset(up, "kind", ["u", "v"])
    s = Session(small())
    s.use_upload(ds, ["x1", "x2", "x1*x2"])
    assert s.data.ds.feature_names == ["u", "v", "u*v"]
    assert s.data.ds.class_names == ["no", "yes"]
    s.step(40)
    assert s.snapshot()["dims"] == 2
    # three feature columns train too, with no boundary
    s.use_upload(pdata.upload_dataset(up, "kind", ["u", "v", "w"]))
    s.step(5)
    snap = s.snapshot()
    assert snap["dims"] == 0 and "output" not in snap["nets"][0]


# -- live changes ------------------------------------------------------------------------------
def test_l2_change_applies_at_the_next_step():
    s = Session(small(optimizer="sgd", lr=0.1))
    s.step(7)
    t = s.main
    before = t.net.params.copy()
    s.update({"l2": 0.5})
    np.testing.assert_array_equal(t.net.params, before)  # nothing moved yet
    # the next step's gradient holds 2*l2*w on every weight
    s.step(1)
    w0, grads, _ = t.last_step
    penalty_free = Session(small(optimizer="sgd", lr=0.1))
    penalty_free.step(7)
    penalty_free.step(1)
    g_data = penalty_free.main.last_step[1]
    nw = t.net.n_weights
    np.testing.assert_allclose(grads[:nw], g_data[:nw] + 2 * 0.5 * w0[:nw], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(grads[nw:], g_data[nw:])  # biases unpenalised
    assert t.changes == ["step 7: l2 0.0 -> 0.5"]


def test_raising_l2_makes_penalty_rise_and_norm_fall():
    s = Session(small(lr=0.1))
    s.step(200)
    c0 = s.snapshot()["nets"][0]["curves"]
    norm0, pen0 = c0["norm"][-1], c0["penalty"][-1]
    s.update({"l2": 0.05})
    s.step(1)
    pen1 = s.snapshot()["nets"][0]["curves"]["penalty"][-1]
    s.step(300)
    c = s.snapshot()["nets"][0]["curves"]
    assert pen0 == 0.0 and pen1 > 0.01
    assert c["norm"][-1] < 0.8 * norm0


def test_proximal_l1_gives_exact_zeros_counted_in_the_snapshot():
    s = Session(small(l1=0.02, l1_proximal=True, lr=0.1))
    s.step(400)
    w = s.main.net.params[: s.main.net.n_weights]
    zeros = int(np.count_nonzero(w == 0))
    assert zeros > 0
    assert s.snapshot()["nets"][0]["weights"]["zeros"] == zeros


def test_dropout_and_noise_switch_on_mid_run():
    s = Session(small())
    s.step(10)
    s.update({"dropout": 0.3, "noise": 0.1, "max_norm": 1.0})
    assert any(type(la).__name__ == "Dropout" for la in s.main.net.layers)
    s.step(10)
    for layer in s.main.net.dense_layers:
        assert np.all(np.linalg.norm(layer.W, axis=0) <= 1.0 + 1e-5)


def test_structural_change_restarts_and_reset_restores_initial_weights():
    s = Session(small())
    init = s.main.net.params.copy()
    s.step(50)
    assert not np.array_equal(s.main.net.params, init)
    s.reset()
    np.testing.assert_array_equal(s.main.net.params, init)
    assert s.update({"hidden": [3]}) == "restart"
    assert s.main.step_count == 0 and s.main.net.n_params == 2 * 3 + 3 + 3 + 1


def test_inspect_splits_the_gradient():
    s = Session(small(l2=0.1, optimizer="adam", lr=0.01))
    s.step(3)
    info = s.inspect(0, 0, 1, 2)
    t = s.main
    k = 1 * 6 + 2
    before, grads, after = t.last_step
    assert info["grad_penalty"] == pytest.approx(2 * 0.1 * before[k], rel=1e-5)
    assert info["grad_data"] + info["grad_penalty"] == pytest.approx(float(grads[k]), rel=1e-6)
    assert info["update"] == pytest.approx(float(after[k] - before[k]))
    assert "m = " in info["formula"]
    with pytest.raises(IndexError):
        s.inspect(0, 0, 9, 0)


def test_early_stopping_pauses():
    s = Session(small(dataset="xor", n_points=60, hidden=[16, 16], lr=0.3, early_stopping=2))
    s.step(5000)
    assert "early stopping" in s.paused_reason
    assert s.main.step_count < 5000


def test_early_stopping_restores_the_best_weights_as_the_library_does(tmp_path):
    """Same rule as ln.EarlyStopping(monitor="val_loss", restore_best=True) on the test split."""
    settings = small(dataset="xor", n_points=60, hidden=[16, 16], lr=0.3, early_stopping=3)
    s = Session(settings)
    s.step(5000)
    t = s.main
    assert t.stopped_early and t.epoch > t.best[1]
    # the weights in the network are those of the best epoch, whose test loss the page names
    assert s.evaluate(t)["test"]["data_loss"] == t.best[0]
    assert (
        f"weights of its best epoch {t.best[1]}" in s.paused_reason
        and "restored" in s.paused_reason
    )
    # the library, fed the same per-epoch test losses, stops at the same epoch with the same best
    replay = Session(settings)
    replay.main.settings = replay.main.settings.updated({"early_stopping": 0})
    stopper = ln.EarlyStopping(monitor="val_loss", patience=3, restore_best=True)
    stopper.on_train_begin(type("T", (), {"epoch": 0})())
    trainer = type(
        "T", (), {"network": replay.main.net, "stop_training": False, "history": ln.History()}
    )()
    while not trainer.stop_training:
        replay.run_epoch()
        loss = replay.evaluate(replay.main)["test"]["data_loss"]
        stopper.on_epoch_end(trainer, replay.main.epoch, {"val_loss": loss})
    stopper.on_train_end(trainer)
    assert (replay.main.epoch, stopper.best_epoch, stopper.best) == (t.epoch, t.best[1], t.best[0])
    np.testing.assert_array_equal(replay.main.net.params, t.net.params)
    # the export says these are not the weights leannet train would reach
    saved = export.save(s, tmp_path)
    assert (
        not saved["reproducible"] and f"restored the weights of epoch {t.best[1]}" in saved["note"]
    )


def test_compare_mode_same_start_lockstep():
    s = Session(small())
    s.set_compare({"l2": 0.05})
    a, b = s.trainees
    np.testing.assert_array_equal(a.net.params, b.net.params)
    s.step(50)
    assert a.step_count == b.step_count == 50
    assert not np.array_equal(a.net.params, b.net.params)
    snap = s.snapshot()
    assert len(snap["nets"]) == 2 and "output" in snap["nets"][1]
    with pytest.raises(ConfigError, match="only in regularization"):
        s.update({"lr": 0.1}, which="b")
    s.update({"lr": 0.05})  # shared: both
    assert a.settings.lr == b.settings.lr == 0.05 and b.settings.l2 == 0.05


# -- bitwise equality with leannet train -------------------------------------------------------
@pytest.mark.parametrize(
    "changes",
    [
        {"dataset": "spiral", "l2": 0.001, "optimizer": "adam", "lr": 0.01},
        {
            "dataset": "circle",
            "l1": 0.003,
            "l1_proximal": True,
            "dropout": 0.1,
            "noise": 0.05,
            "max_norm": 2.0,
            "optimizer": "sgd",
            "momentum": 0.9,
            "lr_schedule": "inverse-time",
            "lr_decay": 0.01,
            "activation": "relu",
            "features": ["x1", "x2", "x1*x2"],
        },
        {
            "dataset": "curve",
            "optimizer": "rmsprop",
            "lr": 0.01,
            "weight_decay": 0.01,
            "batch_size": 0,
        },
        {
            "dataset": "moons",
            "optimizer": "adam",
            "lr": 0.03,
            "lr_schedule": "cosine",
            "lr_epochs": 3,
        },
    ],
)
def test_saved_run_repeats_bitwise_with_leannet_train(tmp_path, changes):
    s = Session(small(**changes))
    epochs = 3
    s.step(epochs * s.main.steps_per_epoch)
    assert s.main.epoch == epochs
    if changes.get("lr_schedule") == "cosine":  # annealed to 0 over lr_epochs, then paused
        opt = s.main.optimizer
        assert opt.t == 3 * s.main.steps_per_epoch and opt.schedule(opt.t) == 0.0
        assert s.main.history["lr"][0] > s.main.history["lr"][-1] > 0.0
        assert "the cosine schedule has ended" in s.paused_reason
        assert s.step(1) == 0
    saved = export.save(s, tmp_path / "runs")
    assert saved["reproducible"], saved["note"]
    run = Path(saved["run_dir"])
    out = tmp_path / "again"
    code = cli_main(
        [
            "train",
            "--config",
            str(run / "config.toml"),
            "--data",
            str(run / "data.csv"),
            "--out",
            str(out),
            "--quiet",
            "--no-pdf",
        ]
    )
    assert code == 0
    again = ln.load(out / "model.npz")
    np.testing.assert_array_equal(again.params, s.main.net.params)
    # and `leannet evaluate` on test.csv scores it as the page shows
    page = s.evaluate(s.main)["test"]
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "leannet",
            "evaluate",
            str(run),
            "--data",
            str(run / "test.csv"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    scored = json.loads(res.stdout)
    assert scored["data_loss"] == page["data_loss"]
    metric = "accuracy" if "accuracy" in page else "r2"
    assert scored[metric] == page[metric]
    # report and predict accept the run too
    assert cli_main(["report", str(run), "--no-pdf"]) == 0
    assert (run / "report.html").stat().st_size > 0
    preds = tmp_path / "preds.csv"
    assert (
        cli_main(["predict", str(run), "--data", str(run / "test.csv"), "--out", str(preds)]) == 0
    )
    assert len(preds.read_text().splitlines()) == len(s.data.test_rows) + 1


def test_export_says_when_a_setting_changed_mid_run(tmp_path):
    s = Session(small())
    s.step(s.main.steps_per_epoch)
    s.update({"l2": 0.01})
    s.step(s.main.steps_per_epoch)
    saved = export.save(s, tmp_path)
    assert not saved["reproducible"]
    toml = (Path(saved["run_dir"]) / "config.toml").read_text()
    step = s.main.steps_per_epoch
    assert f"settings were changed while training ran (step {step}: l2 0.0 -> 0.01)" in toml
    s2 = Session(small())
    assert export.code(s2)["note"].startswith("the network was not trained")
    s2.step(5)
    assert "inside epoch 1" in export.code(s2)["note"]
    s3 = Session(small(early_stopping=5))
    s3.step(s3.main.steps_per_epoch)
    saved = export.save(s3, tmp_path)
    toml = (Path(saved["run_dir"]) / "config.toml").read_text()
    assert "leannet train watches a validation split, so it is off here" in toml
    assert "early_stopping = 0" in toml
    s4 = Session(small(lr_schedule="cosine", lr_epochs=5))
    s4.step(s4.main.steps_per_epoch)
    note = export.code(s4)["note"]
    assert "the cosine schedule spans 5 epochs but the page stopped after 1" in note


@pytest.mark.parametrize(
    "schedule",
    [
        {"lr_schedule": "step", "lr_decay": 0.5, "lr_every": 20},
        {"lr_schedule": "cosine", "lr_epochs": 2},
    ],
)
def test_show_as_code_runs_and_gives_the_same_weights(tmp_path, monkeypatch, schedule):
    s = Session(small(l2=0.002, optimizer="adam", lr=0.01, **schedule))
    s.step(2 * s.main.steps_per_epoch)
    shown = export.code(s)
    assert shown["reproducible"]
    assert "--l2 0.002" in shown["command"] and "--epochs 2" in shown["command"]
    assert f"--lr-schedule {schedule['lr_schedule']}" in shown["command"]
    (tmp_path / "data.csv").write_text(pdata.to_csv(s.data.ds))
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(shown["python"], "train.py", "exec"), scope)
    np.testing.assert_array_equal(scope["net"].params, s.main.net.params)


def test_regression_curve_is_drawn_in_target_units():
    import base64

    s = Session(small(dataset="curve", n_points=300, features=["x1", "x1^2"], lr=0.03))
    s.step(3000)
    snap = s.snapshot()
    lo, hi = snap["target_range"]
    v = np.frombuffer(base64.b64decode(snap["nets"][0]["output"]["values"]), np.uint8) / 255
    drawn = lo + v * (hi - lo)
    x = np.linspace(*snap["domain"][0], snap["grid"])
    truth = 0.5 * x**2 - x  # the generator's curve, without its noise
    inside = (x > -2.8) & (x < 2.8)
    assert np.mean(np.abs(drawn - truth)[inside]) < 0.3


def test_optimizer_changes_keep_or_restart_its_state():
    s = Session(small(optimizer="adam", lr=0.01))
    s.step(5)
    moments = s.main.optimizer.state["exp_avg"].copy()
    s.update({"lr": 0.003})  # same kind: moments and update count kept
    np.testing.assert_array_equal(s.main.optimizer.state["exp_avg"], moments)
    assert s.main.optimizer.t == 5 and s.main.optimizer.schedule(0) == 0.003
    s.update({"optimizer": "rmsprop"})  # another kind: a fresh start for its own state
    s.step(1)
    assert s.main.optimizer.t == 1
