"""benchmarks/sklearn_parity.py: one row per workload, times and scores from the run."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("sklearn")


@pytest.mark.slow
def test_quick_run_prints_a_row_per_workload(capsys):
    import sklearn_parity

    sklearn_parity.main(["--quick", "--repeats", "1"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split()[:3] == ["workload", "leannet", "s"]
    rows = lines[1:]
    assert len(rows) == len(list(sklearn_parity.workloads(quick=True)))
    for row in rows:
        lean_s, sk_s, ratio, lean_score, sk_score = (float(v) for v in row.split()[-5:])
        assert lean_s > 0 and sk_s > 0
        # the times are printed to 1 ms and the ratio to 0.01: the printed ratio must lie in
        # the interval the rounded times allow, widened by the ratio's own rounding
        lowest = (sk_s - 0.0005) / (lean_s + 0.0005)
        highest = (sk_s + 0.0005) / max(lean_s - 0.0005, 1e-9)
        assert lowest - 0.005 <= ratio <= highest + 0.005
        assert 0.0 < lean_score <= 1.0 and 0.0 < sk_score <= 1.0
        assert re.match(r"^\S", row)
