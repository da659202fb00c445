"""The shared text of sweep numbers, settings and table rows."""

from __future__ import annotations

import math

from leannet.sweep.format import CV_COLUMNS, cv_table_rows, fmt_setting, num, pm


def _row(l2, val_mean, n_iter=10.0):
    return {
        "params": {"l2": l2, "dropout": 0.5},
        "train_mean": 0.9,
        "train_std": 0.01,
        "val_mean": val_mean,
        "val_std": 0.02,
        "weight_norm": 1.23456,
        "zero_share": 0.0,
        "n_iter": n_iter,
    }


class _Result:
    def __init__(self):
        self.table = [_row(0.0, 0.8), _row(0.01, 0.85), _row(0.1, math.nan, n_iter=None)]
        self.best = self.table[1]
        self.simplest = self.table[1]


def test_numbers_and_settings():
    assert num(0.123456) == "0.1235" and num(None) == "–" and num(math.nan) == "–"
    assert num(12.0, ".0f") == "12"
    assert pm(0.5, 0.25) == "0.5000 ± 0.2500" and pm(math.nan, 0.1) == "diverged"
    assert fmt_setting({"l2": 0.01, "dropout": 0.5}) == "l2=0.01, dropout=0.5"


def test_cv_table_rows_follow_the_columns_and_mark_the_choices():
    rows = cv_table_rows(_Result())
    assert all(len(r) == len(CV_COLUMNS) for r in rows)
    assert rows[0] == [
        "l2=0.0, dropout=0.5",
        "0.9000 ± 0.0100",
        "0.8000 ± 0.0200",
        "1.235",
        "0.000",
        "10",
        "",
    ]
    assert rows[1][-1] == "best, 1-SE"
    assert rows[2][2] == "diverged" and rows[2][5] == "–"
