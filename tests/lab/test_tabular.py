"""A messy CSV through train -> predict on new rows with the same problems: predictions
equal a scikit-learn pipeline with the same preprocessing and the same weights."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leannet.lab.config import resolve_config
from leannet.lab.inference import in_target_units, load_inputs, load_run_model
from leannet.lab.tabular import class_weights, prepare_table
from leannet.lab.training import train_run
from preprocessing.tables import messy_rows, sklearn_pipeline, write_csv

pd = pytest.importorskip("pandas")

NUMERIC, TEXT, DATES = ["bill_length_mm", "body_mass_g"], ["island", "sex"], ["observed"]


def _train(tmp_path, *, regression: bool, **settings):
    train = write_csv(tmp_path / "train.csv", messy_rows(160, 1, regression=regression))
    new_rows = messy_rows(30, 2, regression=regression)
    new_rows[0]["island"] = "Atlantis"
    new = write_csv(tmp_path / "new.csv", new_rows)
    cfg = resolve_config({}, {"target": "target", "epochs": 5, "hidden": [8], **settings})
    table = prepare_table(train, cfg)
    run_dir, metrics = train_run(
        table.ds, cfg, out=tmp_path / "run", quiet=True, pdf=False, table=table
    )
    return train, new, table, run_dir, metrics


def _reference_features(train, new, table):
    """The same preprocessing with scikit-learn, fitted on the same training rows."""
    frame = pd.read_csv(train, na_values=["?"])
    rows = table.preprocessor.to_state()["summary"]["rows_fitted"]
    assert rows == len(table.splits.X_train)
    pipe = sklearn_pipeline(NUMERIC, TEXT, DATES)
    kept = frame[frame["target"].notna()].reset_index(drop=True)
    train_rows = np.sort(table.train_rows)
    pipe.fit(kept.iloc[train_rows])
    return pipe.transform(pd.read_csv(new, na_values=["?"]))


def test_classification_train_then_predict_new_messy_rows(tmp_path):
    train, new, table, run_dir, metrics = _train(tmp_path, regression=False)
    net, info = load_run_model(run_dir)
    X, y, desc = load_inputs(new, info, need_target=False)
    assert y is None and X.shape[0] == 30
    assert "1 unseen category encoded as zeros" in desc
    import re

    filled = int(re.search(r"(\d+) missing or unreadable cells? filled in", desc)[1])
    assert ("cells filled in" in desc) is (filled != 1)  # the count agrees with the noun
    ref = _reference_features(train, new, table)
    np.testing.assert_allclose(net.predict(X), net.predict(ref.astype(net.dtype)), rtol=1e-5)
    summary = metrics["data_summary"]
    assert any(c.startswith("row_id: id-like") for c in summary["columns_dropped"])
    assert summary["rows"] == {"train": 96, "validation": 32, "test": 32}
    report = (run_dir / "report.md").read_text()
    assert "Scores next to a baseline" in report and "Per class on the test rows" in report
    import hashlib

    from leannet import __version__

    digest = hashlib.sha256(train.read_bytes()).hexdigest()
    assert f"SHA-256 {digest}" in report and f"| leannet version | {__version__} |" in report
    assert metrics["provenance"]["data"][0]["sha256"] == digest


def test_regression_predictions_in_target_units(tmp_path):
    train, new, table, run_dir, metrics = _train(tmp_path, regression=True)
    net, info = load_run_model(run_dir)
    X, _, _ = load_inputs(new, info, need_target=False)
    target = table.preprocessor.to_state()["target"]
    ref = net.predict(_reference_features(train, new, table).astype(net.dtype))
    expected = ref * target["scale"] + target["mean"]
    np.testing.assert_allclose(in_target_units(net.predict(X), info), expected, rtol=1e-5)
    assert target["scale"] > 1000  # the fixture's target has a large scale
    test = metrics["scores"]["test"]
    y_test = pd.read_csv(train)["target"].to_numpy()
    assert test["baseline"]["rmse"] > 1000  # RMSE in target units, not standardised ones
    assert abs(test["baseline"]["r2"]) < 0.2 and np.isfinite(y_test).all()
    history = pd.read_csv(run_dir / "history.csv")
    expected_r2 = 1 - history["data_loss"] / np.var(table.splits.y_train)
    np.testing.assert_allclose(history["r2"], expected_r2, rtol=1e-6)


def test_balanced_class_weights_match_scikit_learn():
    from sklearn.utils.class_weight import compute_class_weight

    y = np.array([0] * 90 + [1] * 8 + [2] * 2)
    np.testing.assert_allclose(
        class_weights(y, 3), compute_class_weight("balanced", classes=np.arange(3), y=y)
    )


def test_class_weight_balanced_weights_training_rows(tmp_path):
    train = write_csv(tmp_path / "train.csv", messy_rows(160, 1))
    cfg = resolve_config({}, {"target": "target", "class_weight": "balanced"})
    table = prepare_table(train, cfg)
    y = table.splits.y_train
    w = table.sample_weight
    assert w is not None and len(w) == len(y)
    # each class carries the same total weight
    totals = [w[y == c].sum() for c in np.unique(y)]
    np.testing.assert_allclose(totals, totals[0])
    json.dumps(table.summary)  # the data summary is JSON-ready


def test_sample_weight_column_weights_rows_and_is_no_feature(tmp_path):
    rows = messy_rows(120, 1)
    for i, row in enumerate(rows):
        row["w"] = str(1 + i % 3)
    train = write_csv(tmp_path / "train.csv", rows)
    cfg = resolve_config({}, {"target": "target", "sample_weight": "w", "class_weight": "balanced"})
    table = prepare_table(train, cfg)
    assert "w" not in table.preprocessor.input_names
    kept = np.sort(table.train_rows)  # no row lacks a target, so positions are row numbers
    column = np.array([1 + i % 3 for i in kept], dtype=float)
    y = table.splits.y_train
    expected = column * class_weights(y, 2)[y]  # the column times the class weight
    np.testing.assert_allclose(table.sample_weight, expected)
