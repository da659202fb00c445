"""The preprocessor: column rules, imputation counts, unknown categories, target scaling,
and agreement with the scikit-learn Pipeline it stands for."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leannet.errors import ConfigError, DataError
from leannet.preprocessing import Preprocessor, read_csv_table

from .tables import sklearn_pipeline

pd = pytest.importorskip("pandas")
pytest.importorskip("sklearn")


def test_columns_dropped_with_reasons_and_missing_counted(messy_csv):
    train, _ = messy_csv
    table = read_csv_table(train)
    pre = Preprocessor("target")
    prepared = pre.fit_transform(table)
    reasons = {d["column"]: d["reason"] for d in pre.to_state()["dropped"]}
    assert reasons["row_id"].startswith("id-like")
    assert reasons["study"].startswith("constant")
    assert pre.input_names == ["island", "bill_length_mm", "body_mass_g", "observed", "sex"]
    summary = pre.to_state()["summary"]
    blank = [v.strip().lower() in ("", "na", "?") for v in table["bill_length_mm"]]
    assert summary["imputed_in_fitted_rows"]["bill_length_mm"] == sum(blank) > 0
    assert prepared.counts["imputed"]["bill_length_mm"] == sum(blank)
    assert prepared.counts["imputed"]["island"] == sum(v == "" for v in table["island"])
    assert prepared.X.shape == (200, 1 + 1 + 4 + 3 + 2)
    assert not np.isnan(prepared.X).any()


def test_drop_rows_option_counts_dropped_rows(messy_csv):
    train, _ = messy_csv
    table = read_csv_table(train)
    pre = Preprocessor("target", missing="drop", drop=["observed"])
    prepared = pre.fit_transform(table)
    incomplete = sum(
        any(
            table[c][i].strip().lower() in ("", "na", "?")
            for c in ("island", "bill_length_mm", "sex")
        )
        for i in range(200)
    )
    assert pre.to_state()["summary"]["rows_dropped_missing_features"] == incomplete > 0
    assert len(prepared.rows) == 200 - incomplete == prepared.X.shape[0]
    assert {"column": "observed", "reason": "dropped by request"} in pre.to_state()["dropped"]


def test_fit_on_training_rows_only_keeps_held_out_rows_unseen(messy_csv):
    train, _ = messy_csv
    table = read_csv_table(train)
    pre = Preprocessor("target")
    kept = pre.select(table)
    pre.fit(table, kept[:150])
    mass = np.array([float(v) for v in table["body_mass_g"]])
    col = pre.output_names.index("body_mass_g")
    assert pre.to_state()["mean"][col] == pytest.approx(mass[kept[:150]].mean())
    held = pre.transform(table, rows=kept[150:])
    assert list(held.rows) == list(kept[150:])
    assert "row_id" not in pre.input_names  # still found id-like on the whole column


def test_id_column_found_when_a_target_cell_is_missing():
    table = {"n": [str(i) for i in range(30)], "x": [str(i % 7) for i in range(30)]}
    table["y"] = ["a", "b", ""] * 10
    pre = Preprocessor("y")
    pre.fit_transform(table)
    assert pre.input_names == ["x"]


def test_consecutive_years_are_kept_but_row_numbers_dropped():
    years = [str(2000 + i) for i in range(25)]
    table = {"index": [str(i) for i in range(25)], "year": years, "y": ["a", "b"] * 12 + ["a"]}
    pre = Preprocessor("y")
    pre.fit_transform(table)
    assert pre.input_names == ["year"]


def test_missing_target_rows_dropped_and_counted():
    table = {"x": ["3", "1", "4", "1", "5"], "y": ["a", "", "b", "a", "NA"]}
    pre = Preprocessor("y")
    prepared = pre.fit_transform(table)
    assert pre.to_state()["summary"]["rows_dropped_missing_target"] == 2
    assert list(prepared.rows) == [0, 2, 3]
    assert list(prepared.target) == ["a", "b", "a"]


def test_unknown_categories_counted_and_encoded_as_zeros(messy_csv):
    train, new = messy_csv
    pre = Preprocessor("target")
    pre.fit_transform(read_csv_table(train))
    out = pre.transform(read_csv_table(new))
    assert out.counts["unknown"]["island"] == 2
    island = [i for i, n in enumerate(pre.output_names) if n.startswith("island_")]
    assert np.all(out.X[:2, island] == 0)
    assert np.all(out.X[2:, island].sum(axis=1) == 1)


def test_misspelled_column_is_named_with_a_suggestion():
    with pytest.raises(DataError, match=r"no column named 'specie' \(did you mean 'species'\?\)"):
        Preprocessor("specie").fit_transform({"x": ["1", "2"], "species": ["a", "b"]})
    with pytest.raises(ConfigError, match="missing must be"):
        Preprocessor("y", missing="mean")


def test_regression_target_scaled_and_restored():
    y = np.array([1000.0, 3000.0, 5000.0, 7000.0])
    pre = Preprocessor("y", task="regression")
    prepared = pre.fit_transform({"x": ["1", "3", "2", "8"], "y": [str(v) for v in y]})
    t = pre.transform_target(prepared.target)
    assert t.mean() == pytest.approx(0) and t.std() == pytest.approx(1)
    np.testing.assert_allclose(pre.inverse_transform_target(t), y)
    assert (
        Preprocessor("y", task="regression", scale_target=False)
        .fit_transform({"x": ["1", "3", "2", "8"], "y": [str(v) for v in y]})
        .target.tolist()
        == y.tolist()
    )


def test_pandas_frame_and_column_mapping_give_the_same_features(messy_csv):
    train, _ = messy_csv
    table = read_csv_table(train)
    frame = pd.read_csv(train)
    a = Preprocessor("target").fit_transform(table).X
    b = Preprocessor("target").fit_transform(frame).X
    np.testing.assert_allclose(a, b)


def test_same_features_as_the_scikit_learn_pipeline(messy_csv):
    train, new = messy_csv
    pre = Preprocessor("target")
    X_train = pre.fit_transform(read_csv_table(train)).X
    rebuilt = Preprocessor.from_state(json.loads(json.dumps(pre.to_state())))
    X_new = rebuilt.transform(read_csv_table(new)).X
    pipe = sklearn_pipeline(["bill_length_mm", "body_mass_g"], ["island", "sex"], ["observed"])
    frame = pd.read_csv(train, na_values=["?"], keep_default_na=True)
    ref_train = pipe.fit_transform(frame)
    ref_new = pipe.transform(pd.read_csv(new, na_values=["?"]))
    np.testing.assert_allclose(X_train, ref_train, atol=1e-12)
    np.testing.assert_allclose(X_new, ref_new, atol=1e-12)
