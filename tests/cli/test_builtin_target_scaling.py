"""A built-in regression target is standardised like a CSV one (``--no-scale-target``
turns it off): config.json says which, and evaluate/predict answer in target units."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from leannet.cli import main
from leannet.datasets import load_dataset

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """diabetes trained with and without a standardised target (same seed and epochs)."""
    base = tmp_path_factory.mktemp("diabetes")
    out = {}
    for scale in (True, False):
        run = base / ("on" if scale else "off")
        argv = ["train", "--data", "diabetes", "--epochs", "200", "--out", str(run), "-q",
                "--no-pdf", "--scale-target" if scale else "--no-scale-target"]  # fmt: skip
        assert main(argv) == 0
        out[scale] = run
    return out


def _test_r2(run):
    return json.loads((run / "metrics.json").read_text())["metrics"]["test"]["r2"]


def test_config_and_data_json_say_whether_the_target_was_standardised(runs):
    y = load_dataset("diabetes").y
    for scale, run in runs.items():
        assert json.loads((run / "config.json").read_text())["scale_target"] is scale
        scaling = json.loads((run / "data.json").read_text())["target_scaling"]
        if not scale:
            assert scaling is None
            continue
        # fitted on the training rows: a mean and std of the target's scale, not 0 and 1
        assert (
            y.min() < scaling["mean"] < y.max() and 0.5 * y.std() < scaling["scale"] < 2 * y.std()
        )
        train = np.load(run / "splits.npz")["y_train"]
        assert abs(float(np.mean(train))) < 1e-5 and abs(float(np.std(train)) - 1) < 1e-5


def test_standardising_the_target_helps_and_the_report_labels_the_loss(runs):
    on, off = _test_r2(runs[True]), _test_r2(runs[False])
    assert on > 0.3 and on > off + 0.2, (on, off)
    note = "the loss is the MSE of the standardised target (RMSE and MAE in the target's units"
    for scale, run in runs.items():
        md = (run / "report.md").read_text()
        assert (note in md) is scale
        assert ("MSE (standardised target)" in md) is scale
        assert ("## Scores" in md) is scale


@pytest.mark.parametrize("scale", [True, False])
def test_evaluate_and_predict_answer_in_target_units(runs, scale, tmp_path, capsys):
    run = runs[scale]
    assert main(["evaluate", str(run), "--data", "diabetes", "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    pred_file = tmp_path / "p.csv"
    assert main(["predict", str(run), "--data", "diabetes", "--out", str(pred_file)]) == 0
    with pred_file.open() as f:
        pred = np.array([float(r["prediction"]) for r in csv.DictReader(f)])
    y = load_dataset("diabetes").y.astype(float)
    r2 = 1 - np.sum((pred - y) ** 2) / np.sum((y - y.mean()) ** 2)
    assert r2 == pytest.approx(metrics["r2"], abs=1e-4)
    if scale:
        assert 100 < pred.mean() < 200 and pred.std() > 20  # target units (y: 25..346)
        assert metrics["rmse (target units)"] == pytest.approx(np.sqrt(np.mean((pred - y) ** 2)))
        assert metrics["r2"] > 0.3
        # the loss is the MSE of the standardised target
        scaling = json.loads((run / "data.json").read_text())["target_scaling"]
        assert metrics["loss"] == pytest.approx(
            np.mean((pred - y) ** 2) / scaling["scale"] ** 2, rel=1e-3
        )
    else:
        assert "rmse (target units)" not in metrics
        assert metrics["loss"] == pytest.approx(np.mean((pred - y) ** 2), rel=1e-3)


def test_a_bad_target_scaling_in_data_json_is_refused(runs, tmp_path, capsys):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(runs[True], run)
    info = json.loads((run / "data.json").read_text())
    info["target_scaling"] = {"mean": 1.0, "scale": -2.0}
    (run / "data.json").write_text(json.dumps(info))
    assert main(["evaluate", str(run), "--data", "diabetes"]) == 2
    err = capsys.readouterr().err.strip()
    assert "target_scaling" in err and len(err.splitlines()) == 1
