"""``leannet sweep`` on the command line (through its register/run pair)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
from conftest import SRC_ENV

from leannet.cli import sweep as sweep_cli
from leannet.errors import ConfigError


def _run(argv):
    parser = argparse.ArgumentParser(prog="leannet")
    sub = parser.add_subparsers(dest="command")
    sweep_cli.register(sub)
    args = parser.parse_args(["sweep", *argv])
    return args.func(args)


def test_cli_sweep_writes_report_and_resumes(tmp_path, capsys):
    argv = [
        "--data",
        "breast_cancer",
        "--n-samples",
        "150",
        "--grid",
        "l2=0,1e-2",
        "--hidden",
        "8",
        "--epochs",
        "10",
        "--cv",
        "2",
        "--jobs",
        "1",
        "--out",
        str(tmp_path / "run"),
    ]
    assert _run(argv) == 0
    out = capsys.readouterr().out
    assert "best: l2=" in out and "simplest within 1 SE" in out and "test accuracy" in out
    for name in ("report.md", "report.html", "sweep.png", "results.jsonl"):
        assert (tmp_path / "run" / name).exists()
    assert _run([*argv, "-q"]) == 0
    assert "0 fits run" in capsys.readouterr().out


def test_cli_rejects_a_bad_grid_argument(tmp_path):
    with pytest.raises(ConfigError, match="NAME=V1,V2"):
        _run(["--data", "iris", "--grid", "l2", "--out", str(tmp_path)])
    with pytest.raises(ConfigError, match="given twice"):
        _run(["--data", "iris", "--grid", "l2=0", "--grid", "l2=1", "--out", str(tmp_path)])


def test_importing_the_sweep_package_needs_only_numpy():
    code = (
        "import sys, leannet.sweep, leannet.cli.sweep;"
        "bad = [m for m in ('sklearn', 'joblib', 'distributed', 'matplotlib') if m in sys.modules];"
        "print(*bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=SRC_ENV, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
