"""Real processes, real signals: SIGKILL during checkpoint writes and training, SIGINT in fit.

Each test starts a child Python process running leannet, signals it at random moments
(seeded, so a failure can be replayed), and always kills and reaps it at the end.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import leannet as ln
from leannet.checkpoint import read_checkpoint

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="POSIX signals"),
]

SRC = str(Path(__file__).resolve().parents[1] / "src")


def start(script: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child exited early ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear within {timeout} s")
        time.sleep(0.01)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


# ----------------------------------------------------------------------------
# 1. SIGKILL in the middle of checkpoint writes
# ----------------------------------------------------------------------------

WRITER = """
import sys
import numpy as np
import leannet as ln
from leannet.checkpoint import write_checkpoint

path = sys.argv[1]
net = ln.Sequential([ln.Dense(700, 700)])  # 490,700 parameters: each write is ~6 MB
i = 0
while True:
    i += 1
    value = np.full(net.n_params, i, dtype=np.float32)
    state = {
        "epoch": i, "params": value,
        "optimizer": {"t": i, "exp_avg": value, "exp_avg_sq": value},
        "rng": np.random.default_rng(i).bit_generator.state,
        "history": {"history": {"loss": [float(i)] * i}, "epoch": list(range(1, i + 1))},
        "callbacks": [], "config": net.get_config(),
    }
    write_checkpoint(path, state)
"""


def test_sigkill_during_checkpoint_writes_leaves_previous_checkpoint(tmp_path):
    rnd = random.Random(20261121)
    path = tmp_path / "run.ckpt.npz"
    caught_mid_write = 0
    last_epoch = 0
    for _ in range(6):
        path.unlink(missing_ok=True)  # each round waits for its own child's first write
        proc = start(WRITER, str(path))
        try:
            wait_for(path, proc)
            time.sleep(rnd.uniform(0.0, 0.4))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            stop(proc)
        temps = list(tmp_path.glob(".run.ckpt.npz.*.tmp"))
        caught_mid_write += bool(temps)
        for temp in temps:  # a killed writer cannot clean up; the next run must not care
            temp.unlink()
        state = read_checkpoint(path)  # loadable, and internally consistent:
        epoch = state["epoch"]
        assert epoch >= 1
        assert state["optimizer"]["t"] == epoch
        assert np.all(state["params"] == epoch)
        assert np.all(state["optimizer"]["exp_avg_sq"] == epoch)
        assert state["history"]["history"]["loss"] == [float(epoch)] * epoch
        last_epoch = epoch
    assert last_epoch >= 1
    # Writes take most of the child's time, so most kills land inside one; if none did,
    # this test would prove nothing.
    assert caught_mid_write >= 1


# ----------------------------------------------------------------------------
# 2. SIGKILL during training with ln.Checkpoint, then resume
# ----------------------------------------------------------------------------

TRAINING = """
import sys
import numpy as np
import leannet as ln

def setup():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 5))
    y = (X[:, 0] - X[:, 1] > 0).astype(int)
    net = ln.Sequential(
        [ln.Dense(5, 32), ln.ReLU(), ln.Dropout(0.25), ln.Dense(32, 2), ln.Softmax()], seed=7
    )
    kwargs = dict(loss="categorical_cross_entropy", batch_size=16, shuffle=True)
    return net, X, y, kwargs

if __name__ == "__main__":
    path, epochs = sys.argv[1], int(sys.argv[2])
    net, X, y, kwargs = setup()
    net.fit(X, y, epochs=epochs, optimizer=ln.Adam(lr=0.01),
            callbacks=[ln.Checkpoint(path, every=1)], **kwargs)
    print("finished")
"""


def training_setup():
    namespace: dict = {"__name__": "setup_only"}
    exec(textwrap.dedent(TRAINING), namespace)
    return namespace["setup"]()


def test_sigkill_during_training_leaves_a_resumable_checkpoint(tmp_path):
    epochs = 300
    net, X, y, kwargs = training_setup()
    ref_opt = ln.Adam(lr=0.01)
    ref_hist = net.fit(X, y, epochs=epochs, optimizer=ref_opt, **kwargs)
    reference = net.params.copy()

    rnd = random.Random(7)
    path = tmp_path / "train.ckpt.npz"
    killed_before_end = 0
    for _ in range(3):
        if path.exists():
            path.unlink()
        proc = start(TRAINING, str(path), str(epochs))
        try:
            wait_for(path, proc)
            time.sleep(rnd.uniform(0.0, 0.5))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            stop(proc)
        state = read_checkpoint(path)
        killed_before_end += state["epoch"] < epochs

        fresh, X, y, kwargs = training_setup()
        opt = ln.Adam(lr=0.01)
        hist = fresh.fit(X, y, epochs=epochs, optimizer=opt, resume_from=path, **kwargs)
        np.testing.assert_array_equal(fresh.params, reference)
        assert hist.history == ref_hist.history
        assert hist.epoch == ref_hist.epoch
        assert opt.t == ref_opt.t
    assert killed_before_end >= 1  # otherwise nothing was resumed


# ----------------------------------------------------------------------------
# 3. SIGINT (Ctrl-C) during fit
# ----------------------------------------------------------------------------

CTRL_C = """
import json, sys
import numpy as np
import leannet as ln

path, ready = sys.argv[1], sys.argv[2]

class Ready(ln.Callback):
    def on_epoch_end(self, trainer, epoch, logs):
        if epoch == 3:
            open(ready, "w").close()

rng = np.random.default_rng(1)
X = rng.normal(size=(200, 4))
y = X @ np.ones((4, 1))
net = ln.Sequential([ln.Dense(4, 64), ln.Tanh(), ln.Dropout(0.1), ln.Dense(64, 1)], seed=4)
opt = ln.SGD(lr=0.01, momentum=0.9)
hist = net.fit(X, y, loss="mse", optimizer=opt, epochs=10**6, batch_size=7,
               callbacks=[Ready(), ln.Checkpoint(path, every=10**6)])
print(json.dumps({"interrupted": hist.interrupted, "epochs": len(hist), "t": opt.t,
                  "finite": bool(np.isfinite(net.params).all())}))
"""


def ctrl_c_setup():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 4))
    y = X @ np.ones((4, 1))
    net = ln.Sequential([ln.Dense(4, 64), ln.Tanh(), ln.Dropout(0.1), ln.Dense(64, 1)], seed=4)
    return net, X, y


def test_sigint_stops_fit_at_a_batch_boundary_and_resumes_exactly(tmp_path):
    path, ready = tmp_path / "c.npz", tmp_path / "ready"
    proc = start(CTRL_C, str(path), str(ready))
    try:
        wait_for(ready, proc)
        time.sleep(random.Random(3).uniform(0.0, 0.2))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        stop(proc)
    assert proc.returncode == 0, err  # fit returned normally: no KeyboardInterrupt traceback
    report = json.loads(out.strip().splitlines()[-1])
    assert report["interrupted"] and report["finite"]

    state = read_checkpoint(path)
    batches_per_epoch = -(-200 // 7)
    # The saved position is a batch boundary and agrees with the optimizer's update count.
    assert state["optimizer"]["t"] == report["t"]
    assert state["optimizer"]["t"] == state["epoch"] * batches_per_epoch + (
        state["batch"] if state["order"] is not None else 0
    )
    assert state["epoch"] == report["epochs"] >= 3

    # Resuming from that mid-epoch state and training to a later epoch equals a run
    # that was never interrupted.
    target = state["epoch"] + 2
    ref, X, y = ctrl_c_setup()
    ref_hist = ref.fit(
        X, y, loss="mse", optimizer=ln.SGD(lr=0.01, momentum=0.9), epochs=target, batch_size=7
    )
    net, X, y = ctrl_c_setup()
    hist = net.fit(
        X,
        y,
        loss="mse",
        optimizer=ln.SGD(lr=0.01, momentum=0.9),
        epochs=target,
        batch_size=7,
        resume_from=path,
    )
    np.testing.assert_array_equal(net.params, ref.params)
    assert hist.history == ref_hist.history
