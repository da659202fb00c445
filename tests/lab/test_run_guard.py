"""Issue 14 items 3-8: `leannet train` never mixes or loses a run.

Real signals to real child processes, a real small file system (tmpfs), real locks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import leannet as ln
from leannet.checkpoint import read_checkpoint
from leannet.cli import main

SRC = str(Path(__file__).resolve().parents[2] / "src")
QUICK = ["--quiet", "--no-pdf"]
SPIRAL = ["--data", "spiral", "--hidden", "16", "--batch-size", "16"]


def train(*args: str) -> int:
    return main(["train", *args, *QUICK])


def start_cli(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-m", "leannet", "train", *args, *QUICK],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_training(proc: subprocess.Popen, run: Path, timeout: float = 120) -> None:
    """Until the child has started its epochs (config.json is written before them)."""
    deadline = time.monotonic() + timeout
    while not (run / "config.json").exists():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "training did not start"
        time.sleep(0.02)
    time.sleep(1.0)


def _files(run: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(run.iterdir())}


# -- item 5: SIGTERM / SIGHUP like Ctrl-C ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_save_the_run_like_ctrl_c(tmp_path, sig):
    run = tmp_path / "run"
    proc = start_cli(*SPIRAL, "--epochs", "100000", "--out", str(run))  # no --checkpoint-every
    try:
        _wait_for_training(proc, run)
        proc.send_signal(getattr(signal, sig))
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + getattr(signal, sig), err
    assert f"interrupted ({sig})" in err and f"leannet train --resume {run}" in err
    assert json.loads((run / "metrics.json").read_text())["interrupted"] is True
    assert (run / "report.html").exists()
    ln.load(run / "model.npz")
    epochs = read_checkpoint(run / "checkpoint.npz")["epoch"] + 2
    assert train("--resume", str(run), "--epochs", str(epochs)) == 0
    ref = tmp_path / "ref"
    assert train(*SPIRAL, "--epochs", str(epochs), "--out", str(ref)) == 0
    np.testing.assert_array_equal(
        ln.load(run / "model.npz").params, ln.load(ref / "model.npz").params
    )


# -- item 6: a signal while the report is written -------------------------------------------------


def test_ctrl_c_while_the_report_is_written_finishes_the_run(tmp_path, capsys, monkeypatch):
    from leannet.lab import report

    original = report.write_reports

    def interrupted_write(run_dir, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, delivered mid-write
        return original(run_dir, **kwargs)

    monkeypatch.setattr(report, "write_reports", interrupted_write)
    run = tmp_path / "run"
    code = train("--data", "xor", "--epochs", "5", "--out", str(run))
    err = capsys.readouterr().err
    assert code == 130, err
    assert "Ctrl-C received while writing the run" in err
    for name in ("model.npz", "metrics.json", "run.json", "report.html", "report.md"):
        assert (run / name).exists(), name
    monkeypatch.undo()
    assert main(["report", str(run), "--no-pdf"]) == 0


# -- items 3 and 4: --force builds beside the old run and swaps it in ------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB tmpfs (root only; elsewhere this test cannot run)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_real_disk_full_during_force_keeps_the_previous_run(small_disk, capsys):
    run = small_disk / "run"
    assert train("--data", "iris", "--hidden", "8", "--epochs", "3", "--out", str(run)) == 0
    before = _files(run)
    size = sum(len(b) for b in before.values())
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * max(free - (2 * size) // 3, 0))
    capsys.readouterr()
    code = train("--data", "iris", "--hidden", "8", "--epochs", "4", "--out", str(run), "--force")
    err = capsys.readouterr().err
    assert code == 2, err
    assert "disk is full" in err and err.count("\n") == 1, err
    assert _files(run) == before  # byte-identical, nothing added
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "run"]  # no leftovers


def test_force_replaces_the_whole_run_including_its_checkpoint(tmp_path, capsys):
    run = tmp_path / "run"
    assert train(*SPIRAL, "--epochs", "4", "--checkpoint-every", "1", "--out", str(run)) == 0
    assert (run / "checkpoint.npz").exists()
    (run / "notes.txt").write_text("the old run's file")
    assert train("--data", "xor", "--epochs", "3", "--out", str(run), "--force") == 0
    assert not (run / "checkpoint.npz").exists() and not (run / "notes.txt").exists()
    assert json.loads((run / "config.json").read_text())["data"] == "xor"
    capsys.readouterr()
    assert train("--resume", str(run), "--epochs", "50") == 2  # never the old run's state
    assert "no checkpoint.npz" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no staging directory left


# -- item 7: one process at a time -----------------------------------------------------------------


@pytest.mark.slow
def test_second_resume_of_a_running_run_is_refused(tmp_path, capsys):
    run = tmp_path / "run"
    assert train(*SPIRAL, "--epochs", "2", "--checkpoint-every", "1", "--out", str(run)) == 0
    first = start_cli("--resume", str(run), "--epochs", "100000", "--checkpoint-every", "1")
    try:
        deadline = time.monotonic() + 120
        while read_checkpoint(run / "checkpoint.npz")["epoch"] < 3:
            assert first.poll() is None, first.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        model_before = (run / "model.npz").read_bytes()
        capsys.readouterr()
        assert train("--resume", str(run), "--epochs", "5") == 2
        err = capsys.readouterr().err
        assert "is in use by another leannet process" in err
        assert (run / "model.npz").read_bytes() == model_before
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 128 + signal.SIGTERM


# -- item 8: the data and split are checked on --resume --------------------------------------------


@pytest.fixture
def checkpointed_csv_run(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    lines = ["a,b,c,y"] + [f"{a},{b},{c},{int(a + b > 0)}" for a, b, c in X]
    data = tmp_path / "d.csv"
    data.write_text("\n".join(lines) + "\n")
    run = tmp_path / "run"
    args = ["--data", str(data), "--target", "y", "--hidden", "4", "--epochs", "2"]
    assert train(*args, "--checkpoint-every", "1", "--out", str(run)) == 0
    return run, data


@pytest.mark.parametrize(
    "change",
    [["--seed", "7"], ["--val-split", "0.05"], ["--test-split", "0.3"], "other rows", "more rows"],
)
def test_resume_with_other_data_or_split_is_refused(checkpointed_csv_run, change, capsys):
    run, data = checkpointed_csv_run
    before = _files(run)
    args = list(change) if isinstance(change, list) else []
    if change == "other rows":  # same row count, other values
        lines = data.read_text().splitlines()
        other = data.with_name("other.csv")
        other.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
        args = ["--data", str(other)]
    elif change == "more rows":
        bigger = data.with_name("bigger.csv")
        bigger.write_text(data.read_text() + "\n".join(data.read_text().splitlines()[1:40]) + "\n")
        args = ["--data", str(bigger)]
    capsys.readouterr()
    assert train("--resume", str(run), "--epochs", "4", *args) == 2
    err = capsys.readouterr().err
    assert "the data or its split differ from the run's" in err and err.count("\n") == 1, err
    assert _files(run) == before


def test_resume_with_the_same_data_continues(checkpointed_csv_run):
    run, _ = checkpointed_csv_run
    assert train("--resume", str(run), "--epochs", "4") == 0
    assert json.loads((run / "metrics.json").read_text())["epochs_run"] == 4


# -- item 14: a setting too large for memory leaves no half run ------------------------------------


def test_too_large_network_is_refused_before_the_run_directory_exists(tmp_path, capsys):
    run = tmp_path / "run"
    assert train("--data", "iris", "--hidden", "10000000000", "--out", str(run)) == 2
    err = capsys.readouterr().err
    assert "needs about" in err and "TB of memory" in err and err.count("\n") == 1, err
    assert not run.exists()


def test_report_waits_for_no_one_and_refuses_a_run_being_written(tmp_path, capsys):
    from leannet.lab.run_guard import RunLock

    run = tmp_path / "run"
    assert train("--data", "xor", "--epochs", "2", "--out", str(run)) == 0
    with RunLock(run):  # another process (here: another open file description) writes it
        capsys.readouterr()
        assert main(["report", str(run), "--no-pdf"]) == 2
        assert "in use by another leannet process" in capsys.readouterr().err
    assert main(["report", str(run), "--no-pdf"]) == 0


# -- a SIGKILLed --force leaves its staging directory; the next run of that directory removes it --


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="flock and SIGKILL")
def test_next_train_removes_the_staging_dir_of_a_sigkilled_force(tmp_path, capsys):
    from leannet.lab.run_guard import RunLock

    run = tmp_path / "run"
    assert train(*SPIRAL, "--epochs", "2", "--out", str(run)) == 0
    old = _files(run)
    proc = start_cli(*SPIRAL, "--epochs", "100000", "--out", str(run), "--force")
    try:
        deadline = time.monotonic() + 120
        while not [p for p in tmp_path.glob(".run.new-*") if (p / "config.json").exists()]:
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the staged run did not start"
            time.sleep(0.02)
        proc.kill()
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    (stale,) = tmp_path.glob(".run.new-*")
    assert _files(run) == old  # the previous run is intact
    # things that are not a stale staging directory of this run stay untouched
    keep = [
        tmp_path / ".run.new-notadir",
        tmp_path / ".run.new-short",
        tmp_path / ".runx.new-abcdefgh",
    ]
    keep[0].write_text("a file, not a directory")
    keep[1].mkdir()
    keep[2].mkdir()
    link = tmp_path / ".run.new-symlink1"
    link.symlink_to(keep[2], target_is_directory=True)
    live = tmp_path / ".run.new-livelive"
    live.mkdir()
    capsys.readouterr()
    with RunLock(live):  # a staging directory a living run still owns
        assert train("--data", "xor", "--epochs", "2", "--out", str(run), "--force") == 0
    err = capsys.readouterr().err
    assert not stale.exists()
    assert f"removed 1 staging directory of {run} left by a killed" in err
    assert stale.name in err and err.count("\n") == 1
    assert all(p.exists() for p in [*keep, link, live]) and link.is_symlink()
    assert json.loads((run / "config.json").read_text())["data"] == "xor"
