"""Smoke test: ``benchmarks/run.py --quick`` runs end to end and prints well-formed tables.

No timing assertions: speed targets are the benchmark's job, not the test suite's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench_markdown import table

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


def _check_report(stdout: str, impls: list[str]) -> None:
    for workload in ("W1", "W2", "W3"):
        rows = table(stdout, workload).rows
        assert [r[0] for r in rows[1:]] == impls
        for row in rows[1:]:
            assert "error" not in row
            assert float(row[1]) > 0  # a time in seconds
    samples = table(stdout, "W4", "samples").rows
    assert len(samples) == 3  # header + the two quick sizes
    assert all(float(row[2]) > 0 for row in samples[1:])  # leannet's time per epoch
    widths = table(stdout, "W4", "hidden width").rows
    assert [row[0] for row in widths[1:]] == ["64", "256"]
    mmap = table(stdout, "W4", "rows").rows
    assert len(mmap) == 2
    targets = table(stdout, "Targets").rows
    assert len(targets) > 10
    for _, _, status in targets[1:]:
        assert status in ("met", "n/a", "not measured") or status.startswith("**missed**")


def test_quick_run_without_torch_prints_well_formed_tables() -> None:
    pytest.importorskip("sklearn")
    proc = _run("--repeats", "1", "--impls", "leannet,sklearn,numpy,gemm")
    assert proc.returncode == 0, proc.stderr[-2000:]
    _check_report(proc.stdout, ["leannet", "scikit-learn MLP", "NumPy loop", "GEMM floor"])


@pytest.mark.slow
def test_quick_run_with_all_peers() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    proc = _run()
    assert proc.returncode == 0, proc.stderr[-2000:]
    _check_report(
        proc.stdout,
        [
            "leannet",
            "PyTorch (eager)",
            "PyTorch, fused optimizer",
            "scikit-learn MLP",
            "NumPy loop",
            "GEMM floor",
        ],
    )
