"""The data summary says only what happened to the data."""

from __future__ import annotations

from leannet.lab.table_report import _data_section, _scores_section


def _summary(**changes):
    summary = {
        "rows_in_file": 10, "rows_dropped_missing_target": 0, "rows_dropped_missing_weight": 0,
        "rows_dropped_missing_features": 0, "rows": {"train": 6, "validation": 2, "test": 2},
        "columns_used": ["a (numeric)", "b (numeric)"], "columns_dropped": [],
        "encoded": {}, "imputed": {"train": {}, "validation": {}, "test": {}},
        "unknown_categories": {"train": {}, "validation": {}, "test": {}},
        "features_out": 2, "missing": "impute", "target_scaled": False, "standardized": False,
    }  # fmt: skip
    summary.update(changes)
    return summary


def test_only_the_steps_that_happened_are_named():
    text = " ".join(_data_section(_summary())["paragraphs"])
    assert "2 columns used, made into 2 network inputs." in text
    for absent in ("one-hot", "dates", "standardised", "dropped"):
        assert absent not in text
    text = " ".join(
        _data_section(
            _summary(
                columns_used=["a (numeric)", "c (text)", "d (date)"], standardized=True,
                target_scaled=True, rows_dropped_missing_target=3,
            )
        )["paragraphs"]
    )  # fmt: skip
    assert "text one-hot encoded" in text and "dates as year" in text
    assert "numeric features standardised" in text and "the target standardised" in text
    assert "3 rows dropped: the target is missing." in text


def test_undefined_precision_note_only_when_a_precision_is_undefined():
    def scores(precision):
        per_class = [{"class": "a", "precision": precision, "recall": 0.5, "f1": 0.5,
                      "support": 2}]  # fmt: skip
        base = {"rule": "r", "accuracy": 0.5, "balanced_accuracy": 0.5}
        return {"test": {"accuracy": 0.5, "balanced_accuracy": 0.5, "baseline": base,
                         "per_class": per_class}}  # fmt: skip

    assert "note" not in _scores_section(scores(1.0), "classification", [])["tables"][1]
    assert "undefined" in _scores_section(scores(None), "classification", [])["tables"][1]["note"]
