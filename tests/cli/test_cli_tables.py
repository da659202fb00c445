"""`leannet train` on a messy CSV, then `predict` / `evaluate` on new rows with the same
problems, with no hand cleaning."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from leannet.cli import main
from preprocessing.tables import messy_rows, write_csv

pytest.importorskip("sklearn")


@pytest.fixture
def files(tmp_path):
    train = write_csv(tmp_path / "train.csv", messy_rows(150, 1))
    new = messy_rows(12, 2)
    new[0]["island"] = "Atlantis"
    for row in new:
        del row["target"]  # new rows have no target
    return train, write_csv(tmp_path / "new.csv", new), tmp_path


def test_train_then_predict_to_stdout(files, capsys):
    train, new, tmp = files
    code = main(
        ["train", "--data", str(train), "--target", "target", "--epochs", "3",
         "--hidden", "4", "--out", str(tmp / "run"), "--quiet", "--no-pdf",
         "--class-weight", "balanced"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "Scores (baseline in brackets)" in out
    assert main(["predict", str(tmp / "run"), "--data", str(new), "--out", "-"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == 12 and {r["prediction"] for r in rows} <= {"common", "rare"}
    assert "1 unseen category encoded as zeros" in captured.err
    assert not (tmp / "-").exists()
    probabilities = np.array([[float(r["p_common"]), float(r["p_rare"])] for r in rows])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_regression_predictions_in_target_units(tmp_path, capsys):
    train = write_csv(tmp_path / "train.csv", messy_rows(150, 1, regression=True))
    new = write_csv(tmp_path / "new.csv", messy_rows(10, 2, regression=True))
    args = ["--data", str(train), "--target", "target", "--epochs", "3", "--hidden", "4"]
    assert main(["train", *args, "--out", str(tmp_path / "run"), "--quiet", "--no-pdf"]) == 0
    trained = capsys.readouterr().out
    assert "rmse" in trained and "Final metrics (" in trained
    assert "; loss on the standardised target)" in trained
    assert main(["predict", str(tmp_path / "run"), "--data", str(new), "--out", "-"]) == 0
    preds = [float(r["prediction"]) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    # the target is in the tens of thousands; standardised outputs would be near 0
    assert min(preds) > 1000
    assert main(["evaluate", str(tmp_path / "run"), "--data", str(new)]) == 0
    shown = capsys.readouterr().out
    assert "rmse (target units)" in shown and "loss (standardised target)" in shown


def test_table_options_refused_for_builtin_data(capsys):
    assert main(["train", "--data", "xor", "--drop", "x1", "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert "--drop applies to CSV files only" in err
    assert len(err.strip().splitlines()) == 1


def test_misspelled_column_names_the_option_and_a_suggestion(files, capsys):
    train, _, tmp = files
    code = main(
        ["train", "--data", str(train), "--target", "target", "--drop", "islnd",
         "--epochs", "1", "--out", str(tmp / "r"), "--quiet", "--no-pdf"]
    )  # fmt: skip
    assert code == 2
    assert "did you mean 'island'" in capsys.readouterr().err


def test_separate_validation_and_test_files(tmp_path, capsys):
    import json

    train = write_csv(tmp_path / "train.csv", messy_rows(100, 1))
    val = write_csv(tmp_path / "val.csv", messy_rows(30, 2))
    test = write_csv(tmp_path / "test.csv", messy_rows(25, 3))
    out = tmp_path / "run"
    code = main(
        ["train", "--data", str(train), "--target", "target", "--val-data", str(val),
         "--test-data", str(test), "--epochs", "2", "--hidden", "4", "--out", str(out),
         "--quiet", "--no-pdf"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["data_summary"]["rows"] == {"train": 100, "validation": 30, "test": 25}
    assert {k: v["n"] for k, v in metrics["metrics"].items()} == {
        "train": 100, "validation": 30, "test": 25
    }  # fmt: skip
    sources = [d["data"] for d in metrics["provenance"]["data"]]
    assert sources == [str(train), str(val), str(test)]
