"""Column rules: a row number restarting per group is id-like; calendar cycles and
per-group counts are features."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.preprocessing import Preprocessor
from leannet.preprocessing.columns import uninformative_reason


def _cells(values):
    return np.array([str(v) for v in values], dtype=object)


def test_penguins_sample_number_restarting_per_species_is_id_like():
    sample = [*range(1, 153), *range(1, 69), *range(1, 125)]  # penguins' "Sample Number"
    reason = uninformative_reason(_cells(sample), "numeric")
    assert reason == (
        "id-like: a row number restarting per group (3 blocks counting up by 1 from 1: "
        "152, 68, 124 rows)"
    )
    zero_based = [*range(80), *range(70)]
    assert uninformative_reason(_cells(zero_based), "numeric").startswith("id-like")


def test_the_preprocessor_drops_it_and_keeps_it_when_listed_in_features():
    n = [*range(1, 101), *range(1, 81)]
    rng = np.random.default_rng(0)
    table = {"Sample Number": _cells(n), "x": _cells(rng.normal(size=180).round(3)),
             "y": _cells(["a", "b"] * 90)}  # fmt: skip
    pre = Preprocessor("y")
    pre.fit_transform(table)
    assert pre.input_names == ["x"]
    kept = Preprocessor("y", features=["Sample Number", "x"])
    kept.fit_transform(table)
    assert kept.input_names == ["Sample Number", "x"]


@pytest.mark.parametrize(
    "values",
    [
        [m for _ in range(20) for m in range(1, 13)],  # month of monthly data, 20 years
        [
            d
            for days in [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] * 2  # day of month
            for d in range(1, days + 1)
        ],  # fmt: skip
        [w for _ in range(6) for w in range(1, 54)],  # week of the year
        [v for k in [3, 5, 2, 4, 1] * 30 for v in range(1, k + 1)],  # visit number per patient
        list(np.random.default_rng(1).integers(0, 6, size=400)),  # a count in random order
        sorted(np.random.default_rng(2).integers(18, 80, size=400)),  # sorted ages, with ties
        [*range(5, 105), *range(1, 101)],  # first block does not start at 0 or 1
        [*range(1, 101), *range(2, 102)],  # blocks start at different values
    ],
    ids=["month", "day-of-month", "week", "visit", "count", "sorted-age", "offset", "shifted"],
)
def test_genuine_integer_features_are_kept(values):
    assert uninformative_reason(_cells(values), "numeric") is None


def test_a_missing_cell_keeps_the_column():
    values = _cells([*range(1, 101), *range(1, 101)])
    values[5] = ""
    assert uninformative_reason(values, "numeric") is None
