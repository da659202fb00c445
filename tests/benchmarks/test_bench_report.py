"""The report's arithmetic: ratios, target verdicts and error rows, on synthetic results."""

from __future__ import annotations

import pytest
from bench_markdown import table, tables

report = pytest.importorskip("report")


def _train(t: float, acc: float | None = 0.9, steps: int = 100) -> dict:
    return {
        "times": [t],
        "median_s": t,
        "steps": steps,
        "n_train": 1000,
        "accuracy": acc,
        "rss_setup_mb": 100.0,
        "peak_rss_mb": 110.0,
        "data_mb": 5.0,
    }


def _meta() -> dict:
    return report.machine(threads=2, quick=False, repeats=5, grow_repeats=3)


def _target_rows(text: str) -> dict[str, list[str]]:
    rows = table(text, "Targets").rows
    return {row[0]: row[1:] for row in rows[1:]}


def test_w1_ratios_and_verdicts() -> None:
    results = {
        "meta": _meta(),
        "W1": {
            "leannet": _train(0.30),
            "torch": _train(0.50),  # 0.30 / 0.50 = 0.60 <= 0.67: met
            "sklearn": _train(0.40),  # 0.75 > 0.67: needs 1 - 0.67/0.75 = 11 % less time
            "gemm": _train(0.25, acc=None),  # 1.2 <= 1.5: met
        },
    }
    text, errors = report.render(results)
    assert errors == []
    w1 = table(text, "W1").rows
    assert w1[0][:4] == ["implementation", "time (s)", "µs / step", "leannet ÷ this"]
    by_impl = {row[0]: row for row in w1[1:]}
    assert by_impl["PyTorch (eager)"][3] == "0.60"
    assert by_impl["leannet"][3] == "1.00"
    assert by_impl["leannet"][2] == "3000.0"  # µs per step: 0.30 s / 100 steps
    assert by_impl["GEMM floor"][6] == "—"
    targets = _target_rows(text)
    assert targets["W1 leannet ≤ 0.67 × PyTorch"] == ["0.60×", "met"]
    assert targets["W1 leannet ≤ 0.67 × scikit-learn"][0] == "0.75×"
    assert "missed" in targets["W1 leannet ≤ 0.67 × scikit-learn"][1]
    assert "11%" in targets["W1 leannet ≤ 0.67 × scikit-learn"][1]
    assert targets["W1 leannet ≤ 1.5 × GEMM floor"] == ["1.20×", "met"]


def test_w2_speedup_and_w3_accuracy() -> None:
    results = {
        "meta": _meta(),
        "W2": {"leannet": _train(0.01), "torch": _train(0.05), "sklearn": _train(0.03)},
        "W3": {
            "leannet": _train(0.2, acc=0.950),
            "torch": _train(0.3, acc=0.955),  # within one point
            "sklearn": _train(0.1, acc=0.975),  # 2.5 points better: missed by 1.5
        },
    }
    text, _ = report.render(results)
    targets = _target_rows(text)
    assert targets["W2 leannet ≥ 4× faster than PyTorch"] == ["5.00×", "met"]
    speedup, verdict = targets["W2 leannet ≥ 4× faster than scikit-learn"]
    assert speedup == "3.00×" and "missed" in verdict and "25%" in verdict
    assert targets["W3 leannet ≤ 1 × PyTorch"][1] == "met"
    assert "missed" in targets["W3 leannet ≤ 1 × scikit-learn"][1]
    assert targets["W3 accuracy within 1 point of PyTorch (eager)"][1] == "met"
    accuracy = targets["W3 accuracy within 1 point of scikit-learn MLP"]
    assert "missed" in accuracy[1] and "1.5 points" in accuracy[1]


def test_failed_measurement_is_an_error_row() -> None:
    results = {"meta": _meta(), "W2": {"leannet": {"error": "boom"}, "torch": _train(0.05)}}
    text, errors = report.render(results)
    assert errors == ["W2 leannet: boom"]
    rows = table(text, "W2").rows
    assert len(tables(text)) == 2  # W2 and the targets
    assert rows[1][1:] == ["error"] * 6
    assert _target_rows(text)["W2 leannet ≥ 4× faster than PyTorch"] == ["n/a", "not measured"]


def test_w4_linearity_and_memory_verdicts() -> None:
    def grow(n: int, seconds: float, extra_mb: float) -> dict:
        data_mb = n * 404 / 2**20
        return {
            "n": n,
            "median_s": 2 * seconds,  # a busy machine: linearity is judged on the best run
            "min_s": seconds,
            "rss_start_mb": 50.0,
            "rss_setup_mb": 50.0 + data_mb,
            "peak_rss_mb": 50.0 + data_mb + extra_mb,
            "data_mb": data_mb,
        }

    linear = [grow(10_000, 0.1, 5.0), grow(1_000_000, 10.0, 20.0)]
    text, errors = report.render({"meta": _meta(), "W4_samples": {"leannet": linear}})
    targets = _target_rows(text)
    assert errors == []
    assert targets[next(k for k in targets if k.startswith("W4 linear"))] == ["1.00", "met"]
    assert targets[next(k for k in targets if k.startswith("W4 memory"))][1] == "met"

    # Twice the time per sample at 1M and a float64 copy of the data (808 MB) both miss.
    bad = [grow(10_000, 0.1, 5.0), grow(1_000_000, 20.0, 2 * 1_000_000 * 404 / 2**20)]
    text, _ = report.render({"meta": _meta(), "W4_samples": {"leannet": bad}})
    targets = _target_rows(text)
    assert "missed" in targets[next(k for k in targets if k.startswith("W4 linear"))][1]
    assert "missed" in targets[next(k for k in targets if k.startswith("W4 memory"))][1]
