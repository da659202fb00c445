"""SweepResult: its table is the shared table rows; its summary states the choices."""

from __future__ import annotations

from leannet.sweep.format import cv_table_rows
from leannet.sweep.result import SweepResult, describe_estimator


def _result(**changes):
    rows = [
        {
            "params": {"l2": l2},
            "train_mean": 0.95,
            "train_std": 0.01,
            "val_mean": v,
            "val_std": 0.02,
            "weight_norm": 2.0,
            "zero_share": 0.0,
            "n_iter": 20.0,
        }
        for l2, v in ((0.0, 0.9), (0.01, 0.91), (0.1, 0.905))
    ]
    fields = dict(
        grid={"l2": [0.0, 0.01, 0.1]},
        names=["l2"],
        strength="l2",
        table=rows,
        best=rows[1],
        simplest=rows[2],
        refits={"best": {"params": {"l2": 0.01}, "test_score": 0.875}},
        warm=None,
        records=[],
        sweep_id="abc",
        cv=3,
        task="classification",
        scoring="accuracy",
        results_path=None,
        n_fits_run=9,
        n_fits_reused=0,
        elapsed_s=1.0,
        estimator="LeanClassifier",
    )
    fields.update(changes)
    return SweepResult(**fields)


def test_format_table_renders_the_shared_rows():
    result = _result()
    lines = result.format_table().splitlines()
    assert lines[0] == "| setting | train | validation | weight norm | zero share | epochs |  |"
    assert len(lines) == 2 + len(result.table)
    for line, row in zip(lines[2:], cv_table_rows(result), strict=True):
        assert line == "| " + " | ".join(row) + " |"
    assert lines[3].endswith("| best |") and lines[4].endswith("| 1-SE |")


def test_summary_names_the_choices_and_the_test_score():
    text = _result().summary()
    assert text.splitlines() == [
        "best: l2=0.01  validation accuracy 0.9100 ± 0.0200",
        "simplest within 1 SE: l2=0.1  validation 0.9050 ± 0.0200",
        "refit best on all training data: test accuracy 0.8750",
    ]


def test_describe_estimator_names_pipeline_steps():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from leannet.sklearn import LeanRegressor
    from leannet.sweep.target import StandardizedTarget

    est = StandardizedTarget(make_pipeline(StandardScaler(), LeanRegressor()))
    assert describe_estimator(est) == "standardised target: StandardScaler → LeanRegressor"
