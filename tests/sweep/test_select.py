"""The best and the one-standard-error choice."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from leannet.sweep import select


def test_select_picks_best_and_simplest_within_one_standard_error():
    def row(l2, mean, se):
        return {"params": {"l2": l2}, "val_mean": mean, "val_se": se}

    table = [
        row(0.0, 0.90, 0.01),
        row(1e-3, 0.95, 0.02),
        row(1e-2, 0.94, 0.01),
        row(1e-1, 0.92, 0.01),
    ]
    best, simplest = select(table, ["l2"])
    assert best["params"]["l2"] == 1e-3
    assert simplest["params"]["l2"] == 1e-2  # 0.94 >= 0.95 - 0.02; 0.92 is not
    table.append(row(1.0, float("nan"), float("nan")))  # diverged settings are never chosen
    assert select(table, ["l2"])[0]["params"]["l2"] == 1e-3


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 0.2)), min_size=1, max_size=8, unique_by=lambda t: t
    )
)
def test_select_properties(scores):
    table = [
        {"params": {"l2": 10.0**-i}, "val_mean": mean, "val_se": se}
        for i, (mean, se) in enumerate(scores)
    ]
    best, simplest = select(table, ["l2"])
    assert best["val_mean"] == max(r["val_mean"] for r in table)
    assert simplest["val_mean"] >= best["val_mean"] - best["val_se"]
    assert simplest["params"]["l2"] >= best["params"]["l2"]  # never less regularised
    # No setting within one SE of the best is more regularised than the choice.
    within = [r for r in table if r["val_mean"] >= best["val_mean"] - best["val_se"]]
    assert simplest["params"]["l2"] == max(r["params"]["l2"] for r in within)
