"""`leannet train`: checkpoints, --resume, Ctrl-C (exit 130), SIGKILL, divergence (exit 3)."""

from __future__ import annotations

import json
import os
import shutil
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

SRC = str(Path(__file__).resolve().parents[1] / "src")
QUICK = ["--quiet", "--no-pdf"]


def train(*args: str) -> int:
    return main(["train", *args, *QUICK])


def test_divergence_exits_3_with_one_line_and_saves_finite_weights(tmp_path, capsys):
    out = tmp_path / "run"
    diverging = ["--data", "quadratic", "--optimizer", "sgd", "--lr", "1e4", "--epochs", "50"]
    code = train(*diverging, "--out", str(out))
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1, err  # one line, no NumPy warnings or traceback
    assert "diverged in epoch" in err and "--clip-norm" in err and "--lr" in err
    assert str(out / "model.npz") in err
    net = ln.load(out / "model.npz")
    assert np.isfinite(net.params).all()


def test_resume_needs_a_checkpoint_and_train_needs_data(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "config.json").write_text(json.dumps({"data": "xor", "epochs": 5}))
    assert train("--resume", str(out)) == 2
    assert "no checkpoint.npz" in capsys.readouterr().err
    assert train("--resume", str(tmp_path / "nowhere")) == 2
    assert "cannot read" in capsys.readouterr().err
    assert train("--epochs", "3") == 2
    assert "--data is required" in capsys.readouterr().err


def start_cli(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-m", "leannet", "train", *args, *QUICK],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("sig", ["SIGINT", "SIGKILL"])
def test_signal_then_resume_matches_an_uninterrupted_run(tmp_path, sig):
    """Ctrl-C: exit 130, model + checkpoint + report marked interrupted. SIGKILL: the
    periodic checkpoint. Either way `--resume` finishes bitwise like a run never stopped."""
    data = ["--data", "spiral", "--hidden", "16", "--dropout", "0.1", "--batch-size", "16"]
    run = tmp_path / "run"
    proc = start_cli(*data, "--epochs", "100000", "--checkpoint-every", "2", "--out", str(run))
    try:
        deadline = time.monotonic() + 120
        while not (run / "checkpoint.npz").exists():
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "no checkpoint appeared"
            time.sleep(0.02)
        time.sleep(0.3)
        proc.send_signal(getattr(signal, sig))
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if sig == "SIGINT":
        assert proc.returncode == 130, err
        assert f"leannet train --resume {run}" in err
        assert json.loads((run / "metrics.json").read_text())["interrupted"] is True
        assert (run / "report.html").exists()
        ln.load(run / "model.npz")
    else:
        assert proc.returncode == -signal.SIGKILL
    epochs = read_checkpoint(run / "checkpoint.npz")["epoch"] + 3

    assert train("--resume", str(run), "--epochs", str(epochs)) == 0
    ref = tmp_path / "ref"
    assert train(*data, "--epochs", str(epochs), "--out", str(ref)) == 0
    np.testing.assert_array_equal(
        ln.load(run / "model.npz").params, ln.load(ref / "model.npz").params
    )
    assert (run / "history.csv").read_text() == (ref / "history.csv").read_text()


class Payload:
    """Unpickling this calls open(marker, "w"): the file appears if a loader unpickles."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("xor") / "run"
    assert train("--data", "xor", "--epochs", "2", "--out", str(run)) == 0
    return run


@pytest.mark.parametrize("damage", ["pickle", "truncate"])
@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_commands_that_read_a_model_refuse_bad_files(tmp_path, capsys, xor_run, command, damage):
    run = tmp_path / "run"
    shutil.copytree(xor_run, run)
    model = run / "model.npz"
    marker = tmp_path / "pwned"
    if damage == "pickle":
        with np.load(model, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        evil = np.empty(arrays["layers.0.W"].shape, dtype=object)
        evil[0, 0] = Payload(marker)
        arrays["layers.0.W"] = evil
        with open(model, "wb") as handle:
            np.savez(handle, **arrays)
    else:
        model.write_bytes(model.read_bytes()[:-100])
    capsys.readouterr()
    extra = ["--out", str(tmp_path / "p.csv")] if command == "predict" else []
    code = main([command, str(run), "--data", "xor", *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"leannet {command}: error: model file {model}")
    assert err.count("\n") == 1
    assert not marker.exists()


def test_full_disk_is_one_line_and_keeps_the_previous_run(tmp_path, capsys, monkeypatch, xor_run):
    import errno

    from leannet import _atomic

    run = tmp_path / "run"
    shutil.copytree(xor_run, run)
    before = {p.name: p.read_bytes() for p in run.iterdir()}

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_atomic.os, "fsync", full_disk)
    capsys.readouterr()
    code = train("--data", "xor", "--epochs", "3", "--out", str(run), "--force")
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("leannet train: error: could not write ") and "disk is full" in err
    assert err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in run.iterdir()} == before  # no temp files either
