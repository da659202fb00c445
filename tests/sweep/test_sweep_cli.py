"""``leannet sweep`` on the command line (through its register/run pair)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time

import pytest

from leannet.cli import sweep as sweep_cli
from leannet.errors import ConfigError

from ._helpers import SRC_ENV


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


def _free_loopback_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_leannet_sweep_is_a_registered_command(tmp_path, capsys):
    from leannet.cli import main

    base = ["sweep", "--data", "iris", "--hidden", "4", "--epochs", "5", "--cv", "2"]
    base += ["--jobs", "1", "--no-pdf", "-q", "--out", str(tmp_path / "run")]
    assert main([*base, "--grid", "l2=0,1e-3"]) == 0
    assert "best: l2=" in capsys.readouterr().out

    assert main([*base, "--grid", "l3=1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("leannet sweep: error: grid parameter 'l3'") and err.count("\n") == 1

    port = _free_loopback_port()
    start = time.monotonic()
    # a fresh results file: with every fit already done no scheduler would be needed
    fresh = [*base[:-1], str(tmp_path / "fresh")]
    assert main([*fresh, "--grid", "l2=0", "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    assert time.monotonic() - start < 10

    assert main([*base, "--grid", "l2=0", "--cv", "60"]) == 2
    assert "cv=60 folds but class" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_the_sweep_and_the_rerun_resumes(tmp_path, jobs):
    import signal

    out = tmp_path / "run"
    argv = [sys.executable, "-m", "leannet", "sweep", "--data", "digits", "--n-samples", "600",
            "--grid", "l2=log0:1e-5:1e-1:5", "--hidden", "32", "--epochs", "80", "--cv", "3",
            "--jobs", jobs, "--no-pdf", "-q", "--out", str(out)]  # fmt: skip
    results = out / "results.jsonl"
    proc = subprocess.Popen(
        argv, env=SRC_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not (results.exists() and results.read_text().count("\n") >= 2):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "no results within 120 s"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 130
    assert "run the same command again to resume" in err
    saved = len(results.read_text().splitlines())
    assert 2 <= saved < 18  # 6 settings x 3 folds, then 1 or 2 refits
    done = subprocess.run(argv, env=SRC_ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    run, reused = map(int, re.search(r"(\d+) fits run, (\d+) reused", done.stdout).groups())
    assert reused == saved
    assert run + reused == len(results.read_text().splitlines()) in (19, 20)


def test_batch_size_full_is_every_training_row(tmp_path, monkeypatch, capsys):
    """--batch-size full (train's 0) reaches the estimator as the number of rows."""
    import importlib

    sweep_pkg = importlib.import_module("leannet.sweep")  # the package, not ln.sweep
    seen = {}

    def fake_sweep(X, y, *, params, **kwargs):
        seen["rows"], seen["params"] = len(X), params
        raise KeyboardInterrupt  # stop before any fit

    monkeypatch.setattr(sweep_pkg, "sweep", fake_sweep)
    argv = ["--data", "iris", "--grid", "l2=0", "--batch-size", "full", "--cv", "2",
            "--test-split", "0.2", "--out", str(tmp_path / "s"), "-q"]  # fmt: skip
    with pytest.raises(KeyboardInterrupt):
        _run(argv)
    # every row given to the sweep: no fit (fold, refit) has more, so each is one batch
    assert seen["rows"] == 150 and seen["params"]["batch_size"] == 150
