"""leannet train / evaluate / predict / report on a user's CSV, end to end."""

from __future__ import annotations

import csv
import json
import os
import re
import signal

import numpy as np
import pytest

import leannet as ln
from leannet.cli import main
from leannet.datasets import load_dataset
from leannet.lab.config import load_toml, resolve_config

from .test_demos import check_metrics_match_model


@pytest.fixture
def iris_csv(tmp_path):
    """Iris as a user would have it: a header and string class labels."""
    ds = load_dataset("iris")
    path = tmp_path / "iris.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"])
        for x, y in zip(ds.X, ds.y, strict=True):
            w.writerow([*(f"{v:g}" for v in x), ds.class_names[y]])
    return path


def train(tmp_path, capsys, *extra):
    out = tmp_path / "run"
    code = main(
        [
            "train",
            "--data",
            str(tmp_path / "iris.csv"),
            "--target",
            "species",
            "--hidden",
            "8",
            "--lr",
            "0.02",
            "--epochs",
            "40",
            "--out",
            str(out),
            *extra,
        ]
    )
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    return out, stdout


def test_train_writes_a_complete_run(iris_csv, tmp_path, capsys, reports_ok, pdf_ok):
    out, stdout = train(tmp_path, capsys, "--l2", "1e-3", "--log-every", "10")
    # plain progress lines in the seeds' format, every 10 epochs (not a terminal)
    lines = [ln_ for ln_ in stdout.splitlines() if ln_.startswith("epoch: ")]
    assert [int(re.match(r"epoch: (\d+)", s).group(1)) for s in lines] == [1, 10, 20, 30, 40]
    assert re.fullmatch(
        r"epoch: 40, acc: \d\.\d{3}, loss: \d+\.\d{3} \(data_loss: \d+\.\d{3}, "
        r"reg_loss: \d+\.\d{3}\), lr: 0\.02, val_loss: \d+\.\d{3}, "
        r"val_acc: \d\.\d{3}",
        lines[-1],
    )
    found = reports_ok(out, expect_figures=3)
    assert {"curves.png", "weights.png", "confusion.png"} <= set(found["figures"])
    text = found["html_text"]
    for expected in (
        "Architecture",
        "Hyperparameters",
        "Training curves",
        "Final metrics",
        "Weights",
        "Observations",
        "Generalization gap",
        "W: L2=0.001",
    ):
        assert expected in text, expected
    check_metrics_match_model(out)
    data = json.loads((out / "data.json").read_text())
    assert data["class_names"] == ["setosa", "versicolor", "virginica"]
    assert data["feature_names"][0] == "sepal_length"
    history = (out / "history.csv").read_text().splitlines()
    assert history[0].startswith("epoch,loss,") and len(history) == 41
    pdf_ok(out, tmp_path)


def test_saved_config_reproduces_the_run(iris_csv, tmp_path, capsys):
    out, _ = train(tmp_path, capsys, "--l2", "1e-3", "--quiet", "--no-pdf")
    cfg = resolve_config(load_toml(out / "config.toml"))
    assert cfg.l2 == 1e-3 and cfg.hidden == [8] and cfg.lr == 0.02 and cfg.target == "species"
    again = tmp_path / "again"
    assert (
        main(
            [
                "train",
                "--data",
                str(iris_csv),
                "--config",
                str(out / "config.toml"),
                "--out",
                str(again),
                "--quiet",
                "--no-pdf",
            ]
        )
        == 0
    )
    capsys.readouterr()
    m1 = json.loads((out / "metrics.json").read_text())["metrics"]
    m2 = json.loads((again / "metrics.json").read_text())["metrics"]
    assert m1 == m2  # same seed, same settings, same numbers


def test_flags_override_the_config_file(iris_csv, tmp_path, capsys):
    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text('target = "species"\nepochs = 3\nhidden = [5]\n')
    out = tmp_path / "r"
    assert (
        main(
            [
                "train",
                "--data",
                str(iris_csv),
                "--config",
                str(cfg_file),
                "--epochs",
                "4",
                "--out",
                str(out),
                "--quiet",
                "--no-pdf",
            ]
        )
        == 0
    )
    capsys.readouterr()
    saved = json.loads((out / "config.json").read_text())
    assert saved["epochs"] == 4 and saved["hidden"] == [5]
    assert json.loads((out / "metrics.json").read_text())["epochs_run"] == 4


def test_evaluate_and_predict_use_the_training_labels(iris_csv, tmp_path, capsys):
    out, _ = train(tmp_path, capsys, "--quiet", "--no-pdf", "--val-split", "0", "--test-split", "0")
    # with no held-out rows the training split is the whole file: evaluate must agree
    assert main(["evaluate", str(out), "--data", str(iris_csv), "--json"]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    recorded = json.loads((out / "metrics.json").read_text())["metrics"]["train"]
    for key in ("loss", "data_loss", "accuracy"):
        assert evaluated[key] == pytest.approx(recorded[key], rel=1e-5)
    # predict: features only (target column removed), original string labels back
    rows = list(csv.reader(open(iris_csv)))
    features_only = tmp_path / "new.csv"
    with open(features_only, "w", newline="") as fh:
        csv.writer(fh).writerows([r[:4] for r in rows])
    preds = tmp_path / "preds.csv"
    assert (
        main(["predict", str(out / "model.npz"), "--data", str(features_only), "--out", str(preds)])
        == 0
    )
    capsys.readouterr()
    got = list(csv.DictReader(open(preds)))
    assert len(got) == 150
    assert set(got[0]) == {"row", "prediction", "p_setosa", "p_versicolor", "p_virginica"}
    probs = np.array(
        [[float(r[f"p_{c}"]) for c in ("setosa", "versicolor", "virginica")] for r in got]
    )
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-4)
    truth = [r[4] for r in rows[1:]]
    acc = np.mean([g["prediction"] == t for g, t in zip(got, truth, strict=True)])
    assert acc == pytest.approx(recorded["accuracy"])
    # and the model's own predictions on the scaled data agree with the CSV
    net = ln.load(out / "model.npz")
    with np.load(out / "splits.npz") as npz:
        P = net.predict(npz["X_train"])
        y = npz["y_train"]
    assert np.mean(P.argmax(1) == y) == pytest.approx(acc)
    # an existing output file is not overwritten without --force
    assert main(["predict", str(out), "--data", str(features_only), "--out", str(preds)]) == 2
    assert "already exists; choose another --out or pass --force" in capsys.readouterr().err


def test_evaluate_rejects_labels_unseen_in_training(iris_csv, tmp_path, capsys):
    out, _ = train(tmp_path, capsys, "--quiet", "--no-pdf")
    other = tmp_path / "other.csv"
    other.write_text(
        "sepal_length,sepal_width,petal_length,petal_width,species\n"
        "5,3,1,0.2,setosa\n6,3,4,1,daisy\n"
    )
    assert main(["evaluate", str(out), "--data", str(other)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"leannet evaluate: error: {other}: labels 'daisy' were not seen in "
        "training; the model knows: setosa, versicolor, virginica"
    )


def test_predict_missing_feature_column(iris_csv, tmp_path, capsys):
    out, _ = train(tmp_path, capsys, "--quiet", "--no-pdf")
    bad = tmp_path / "bad.csv"
    bad.write_text("sepal_length,sepal_width\n1,2\n")
    assert main(["predict", str(out), "--data", str(bad), "--out", str(tmp_path / "p.csv")]) == 2
    err = capsys.readouterr().err
    assert "the model needs columns 'petal_length', 'petal_width', which the file lacks" in err


def test_report_rebuild_gives_the_same_reports(iris_csv, tmp_path, capsys):
    out, _ = train(tmp_path, capsys, "--quiet", "--no-pdf")
    before = {f: (out / f).read_text() for f in ("report.html", "report.md", "report.tex")}
    (out / "report.html").unlink()
    assert main(["report", str(out), "--no-pdf"]) == 0
    capsys.readouterr()
    assert {f: (out / f).read_text() for f in before} == before


def test_regression_run_and_predict(tmp_path, capsys):
    out = tmp_path / "reg"
    assert (
        main(
            [
                "train",
                "--data",
                "quadratic",
                "--hidden",
                "16",
                "--activation",
                "tanh",
                "--lr",
                "0.05",
                "--epochs",
                "300",
                "--batch-size",
                "full",
                "--out",
                str(out),
                "--quiet",
                "--no-pdf",
            ]
        )
        == 0
    )
    capsys.readouterr()
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["task"] == "regression" and metrics["loss"] == "mse"
    assert metrics["metrics"]["test"]["r2"] > 0.8  # y = 2x² is easy for 16 tanh units
    assert (out / "predicted.png").exists()
    check_metrics_match_model(out)


def test_early_stopping_is_reported(tmp_path, capsys):
    out = tmp_path / "es"
    assert (
        main(
            [
                "train",
                "--data",
                "breast_cancer",
                "--hidden",
                "64",
                "--lr",
                "0.05",
                "--epochs",
                "300",
                "--early-stopping",
                "3",
                "--out",
                str(out),
                "--quiet",
                "--no-pdf",
            ]
        )
        == 0
    )
    capsys.readouterr()
    metrics = json.loads((out / "metrics.json").read_text())
    es = metrics["early_stopping"]
    assert es["stopped_epoch"] is not None and es["stopped_epoch"] < 300
    assert metrics["epochs_run"] == es["stopped_epoch"]
    assert (
        f"Early stopping ended training at epoch {es['stopped_epoch']}"
        in (out / "report.md").read_text()
    )


def _ctrl_c_at(epoch_to_stop):
    class CtrlC(ln.Callback):
        def on_epoch_end(self, trainer, epoch, logs):
            if epoch == epoch_to_stop:
                os.kill(os.getpid(), signal.SIGINT)

    return CtrlC()


def test_ctrl_c_in_train_saves_the_run_so_far(tmp_path, capsys, monkeypatch):
    from leannet.lab import progress

    monkeypatch.setattr(progress, "make_progress_callback", lambda *a, **k: _ctrl_c_at(3))
    out = tmp_path / "int"
    code = main(["train", "--data", "iris", "--epochs", "50", "--out", str(out), "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 130
    assert err.startswith("leannet train: interrupted (Ctrl-C) after epoch 3;")
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["interrupted"] is True and metrics["epochs_run"] == 3
    assert "Training was interrupted (Ctrl-C)" in (out / "report.md").read_text()
    assert (out / "model.npz").exists() and (out / "checkpoint.npz").exists()


def test_ctrl_c_stops_a_demo(tmp_path, capsys, monkeypatch):
    from leannet.lab import training

    real = training.fit_config

    def fit_with_ctrl_c(*args, **kwargs):
        kwargs["callbacks"] = [*kwargs.get("callbacks", []), _ctrl_c_at(2)]
        return real(*args, **kwargs)

    monkeypatch.setattr("leannet.lab.demos.overfit.fit_config", fit_with_ctrl_c)
    assert main(["demo", "--quick", "--out", str(tmp_path / "d")]) == 130
    _, err = capsys.readouterr()
    assert err.strip() == "leannet demo: interrupted"


def test_evaluate_on_one_class_and_predict_ignores_unknown_targets(iris_csv, tmp_path, capsys):
    out, _ = train(tmp_path, capsys, "--quiet", "--no-pdf")
    rows = list(csv.reader(open(iris_csv)))
    only_setosa = tmp_path / "setosa.csv"
    with open(only_setosa, "w", newline="") as fh:
        csv.writer(fh).writerows([rows[0]] + [r for r in rows[1:] if r[4] == "setosa"])
    assert main(["evaluate", str(out), "--data", str(only_setosa), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 50
    # predict reads the features only: an unseen label in the target column is no error
    odd = tmp_path / "odd.csv"
    odd.write_text(",".join(rows[0]) + "\n5,3,1,0.2,daisy\n")
    assert main(["predict", str(out), "--data", str(odd), "--out", str(tmp_path / "p.csv")]) == 0
    capsys.readouterr()
    assert list(csv.DictReader(open(tmp_path / "p.csv")))[0]["prediction"] in (
        "setosa",
        "versicolor",
        "virginica",
    )
