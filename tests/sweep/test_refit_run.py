"""sweep -> refit -> predict: the chosen setting saved as a run that predict accepts, with
the very weights the sweep's refit scored."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from leannet.cli import main
from leannet.lab.inference import load_run_model, predict_labels, scale
from leannet.sweep import sweep
from leannet.sweep.refit_run import save_refit_run
from preprocessing.tables import messy_rows, write_csv

from ._helpers import FAST

pytest.importorskip("sklearn")


def _data(regression: bool):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3)) * [1.0, 10.0, 100.0]
    y = X @ [1.0, 0.1, 0.01] * 50 + 300 if regression else (X[:, 0] > 0).astype(int)
    return X[:60], y[:60], X[60:], y[60:]


@pytest.mark.parametrize("regression", [False, True])
def test_saved_refit_scores_what_the_sweep_scored(tmp_path, regression):
    X, y, X_test, y_test = _data(regression)
    grid = {"l2": [0.0, 1e-2]}
    result = sweep(X, y, grid=grid, params=FAST, cv=2, n_jobs=1, X_test=X_test, y_test=y_test)
    run = save_refit_run(
        tmp_path / "best", result, X, y, params=FAST, standardize=True, seed=0,
        feature_names=["a", "b", "c"], class_names=None if regression else ["no", "yes"],
        target_name="t", source="arrays",
    )  # fmt: skip
    net, info = load_run_model(run)
    Z = scale(X_test, info, net.dtype)
    if regression:
        from sklearn.metrics import r2_score

        score = r2_score(y_test, np.asarray(net.predict(Z), dtype=float).ravel())
    else:
        score = np.mean(predict_labels(net, Z, info["loss"]) == y_test)
    assert score == pytest.approx(result.refits["best"]["test_score"], abs=1e-4)


def test_cli_sweep_on_a_messy_csv_then_predict(tmp_path, capsys):
    train = write_csv(tmp_path / "train.csv", messy_rows(120, 1))
    new_rows = messy_rows(8, 2)
    new_rows[0]["island"] = "Atlantis"
    new = write_csv(tmp_path / "new.csv", new_rows)
    code = main(
        ["sweep", "--data", str(train), "--target", "target", "--grid", "l2=0,1e-3", "--cv",
         "2", "--epochs", "3", "--hidden", "4", "--out", str(tmp_path / "sw"), "--quiet",
         "--no-pdf", "--jobs", "1"]
    )  # fmt: skip
    assert code == 0
    assert "best setting refitted on all training rows" in capsys.readouterr().out
    assert main(["predict", str(tmp_path / "sw" / "best-model"), "--data", str(new),
                 "--out", "-"]) == 0  # fmt: skip
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == 8 and {r["prediction"] for r in rows} <= {"common", "rare"}
    assert "1 unseen category encoded as zeros" in captured.err
