"""--class-weight balanced on built-in datasets; refused where it cannot apply."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leannet.cli import main
from leannet.datasets import Dataset
from leannet.lab.config import TrainConfig
from leannet.lab.splits import Splits
from leannet.lab.training import _training_weights


def _splits(y):
    X = np.zeros((len(y), 1))
    return Splits(X, np.asarray(y), None, None, None, None, np.zeros(1), np.ones(1))


def test_balanced_weights_of_the_training_rows():
    y = np.array([0, 0, 0, 1, 2, 2])
    ds = Dataset(np.zeros((6, 1)), y, "classification", ["x"], ["a", "b", "c"])
    w = _training_weights(TrainConfig(class_weight="balanced"), ds, _splits(y), None)
    np.testing.assert_allclose(w, [6 / 9, 6 / 9, 6 / 9, 2.0, 1.0, 1.0])
    assert _training_weights(TrainConfig(), ds, _splits(y), None) is None


def test_builtin_run_trains_with_class_weights_and_reports_them(tmp_path, monkeypatch, capsys):
    import leannet.lab.training as training

    seen = {}
    real = training.fit_config

    def spy(*args, sample_weight=None, **kwargs):
        seen["w"] = sample_weight
        return real(*args, sample_weight=sample_weight, **kwargs)

    monkeypatch.setattr(training, "fit_config", spy)
    out = tmp_path / "run"
    args = ["train", "--data", "breast_cancer", "--class-weight", "balanced", "--epochs", "1",
            "--out", str(out), "--quiet", "--no-pdf"]  # fmt: skip
    assert main(args) == 0
    w = seen["w"]
    assert w is not None and len(np.unique(np.round(w, 9))) == 2  # one weight per class
    assert json.loads((out / "config.json").read_text())["class_weight"] == "balanced"
    html = (out / "report.html").read_text()
    assert "class_weight" in html and "balanced" in html


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--data", "diabetes", "--class-weight", "balanced"],
         "--class-weight applies to classification; --data diabetes is a regression dataset"),
        (["--data", "iris", "--features", "a"],
         "--features applies to CSV files only; --data iris is not a CSV file"),
    ],
)  # fmt: skip
def test_options_that_cannot_apply_are_one_line(argv, message, tmp_path, capsys):
    assert main(["train", *argv, "--epochs", "1", "--out", str(tmp_path / "r"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not (tmp_path / "r").exists()


def test_class_weight_on_a_csv_regression_target_is_one_line(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("x,price\n" + "".join(f"{i % 7},{1000 * i + 7}\n" for i in range(40)))
    out = tmp_path / "r"
    argv = ["train", "--data", str(path), "--target", "price", "--class-weight", "balanced",
            "--epochs", "1", "--out", str(out), "-q"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "--class-weight applies to classification; the target 'price'" in err
    assert not out.exists()
