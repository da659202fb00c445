"""Issue 14 items 12 and 5 (sweep): no loky worker outlives a killed or stopped sweep.

Real processes and real signals: the sweep runs in a child with two loky workers; after
the parent is killed, its stdout/stderr pipes must reach EOF (every process holding
them is gone) within a minute. Before, idle workers and the resource tracker kept them
open for the executor's 300 s idle timeout and beyond.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ._helpers import SRC_ENV

ARGS = ["--data", "digits", "--grid", "l2=0,1e-4,1e-3,1e-2,1e-1,1", "--hidden", "32"]
ARGS += ["--epochs", "400", "--cv", "5", "--jobs", "2", "--no-pdf"]


def _descendants(pid: int) -> set[int]:
    """Every process whose parent chain leads to ``pid`` (from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        children = {p for p, pp in parents.items() if pp in frontier} - found
        found |= children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc and prctl")
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_killed_sweep_leaves_no_workers_holding_its_pipes(tmp_path, sig):
    proc = subprocess.Popen(
        [sys.executable, "-m", "leannet", "sweep", *ARGS, "--out", str(tmp_path / "run")],
        env=SRC_ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2:  # two loky workers busy with fits
            assert proc.poll() is None, proc.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "no workers appeared"
            time.sleep(0.2)
            workers = {p for p in _descendants(proc.pid) if _alive(p)}
        time.sleep(2.0)
        workers = {p for p in _descendants(proc.pid) if _alive(p)}
        proc.send_signal(getattr(signal, sig))
        _, err = proc.communicate(timeout=60)  # EOF: nobody holds the pipes any more
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [p for p in workers if _alive(p)]
        assert left == [], f"processes alive after the sweep was killed: {left}"
        if sig == "SIGTERM":
            assert proc.returncode == 128 + signal.SIGTERM, err[-2000:]
            assert b"Traceback" not in err, err[-3000:]
    finally:
        for pid in [*workers, proc.pid]:  # never leave our processes behind
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if proc.poll() is None:
            proc.wait(timeout=10)


_NO_DASK_PIPE_WATCH = """
import distributed.process

distributed.process.AsyncProcess._immediate_exit_when_closed = classmethod(lambda cls, pipe: None)
"""


def _dask_workers(pids: set[int]) -> set[int]:
    """The processes among ``pids`` that multiprocessing spawned (the Dask workers)."""
    found = set()
    for pid in pids:
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc and prctl")
@pytest.mark.parametrize("dask_pipe_watch", [True, False], ids=["as-is", "dask-watch-off"])
def test_sigkilled_dask_sweep_leaves_no_local_dask_workers(tmp_path, dask_pipe_watch):
    """SIGKILL of a ``--dask-workers 2`` sweep: its worker processes exit too.

    Dask's workers watch a pipe from their parent; with that watch switched off
    (a sitecustomize on the path), the parent-death signal leannet sets must do it alone.
    """
    pytest.importorskip("distributed")
    args = [a if a != "--jobs" else "--dask-workers" for a in ARGS]
    env = dict(SRC_ENV)
    if not dask_pipe_watch:
        (tmp_path / "sitecustomize.py").write_text(_NO_DASK_PIPE_WATCH)
        env["PYTHONPATH"] = str(tmp_path) + os.pathsep + env["PYTHONPATH"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "leannet", "sweep", *args, "--out", str(tmp_path / "run")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(_dask_workers(workers)) < 2:  # both worker processes started
            assert proc.poll() is None, proc.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "no Dask workers appeared"
            time.sleep(0.2)
            workers = {p for p in _descendants(proc.pid) if _alive(p)}
        time.sleep(3.0)  # the workers are busy with fits
        workers = {p for p in _descendants(proc.pid) if _alive(p)}
        assert len(_dask_workers(workers)) >= 2 and proc.poll() is None
        proc.kill()
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [p for p in workers if _alive(p)]
        assert left == [], f"Dask worker processes alive after the sweep was SIGKILLed: {left}"
    finally:
        for pid in [*workers, proc.pid]:  # never leave our processes behind
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if proc.poll() is None:
            proc.wait(timeout=10)
