"""Sweeps on Dask: a real scheduler and two workers as separate processes on loopback.

Only 127.0.0.1 is ever used; every wait is bounded and every process is killed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from leannet.sweep import sweep

from ._helpers import FAST, SRC, comparable

pytest.importorskip("distributed")

GRID = {"l2": [0.0, 1e-2], "dropout": [0.0, 0.3]}
START_TIMEOUT_S = 90


def _env() -> dict:
    # Workers must import leannet from this checkout, and use one BLAS thread.
    return dict(
        os.environ,
        PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )


def _stop(procs) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _start_scheduler(tmp_path, procs) -> str:
    """Start `dask scheduler` on 127.0.0.1 with a free port; return its address."""
    scheduler_file = tmp_path / "scheduler.json"
    procs.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while not scheduler_file.exists() or not scheduler_file.read_text().strip():
        assert procs[0].poll() is None, "the scheduler process exited"
        assert time.monotonic() < deadline, "the scheduler did not start in time"
        time.sleep(0.1)
    address = json.loads(scheduler_file.read_text())["address"]
    assert address.startswith("tcp://127.0.0.1:")
    return address


@pytest.mark.slow
def test_a_scheduler_without_workers_is_a_clear_error(cancer, tmp_path, monkeypatch):
    from leannet.errors import ConfigError
    from leannet.sweep import backends

    monkeypatch.setattr(backends, "WORKER_TIMEOUT_S", 2.0)
    X, y = cancer
    procs = []
    try:
        address = _start_scheduler(tmp_path, procs)
        with pytest.raises(ConfigError, match=rf"{address} has no workers.*dask worker {address}"):
            sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, scheduler=address)
    finally:
        _stop(procs)


@pytest.mark.slow
def test_sweep_on_a_scheduler_with_two_worker_processes_matches_local(cancer, tmp_path):
    from distributed import Client

    X, y = cancer
    local = sweep(X, y, grid=GRID, params=FAST, cv=3, n_jobs=1)

    procs = []
    try:
        address = _start_scheduler(tmp_path, procs)
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--no-nanny",
                        "--memory-limit",
                        "0",
                    ],
                    env=_env(),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        with Client(address, timeout="10s") as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT_S)
            assert len(client.scheduler_info()["workers"]) == 2

        remote = sweep(
            X, y, grid=GRID, params=FAST, cv=3, scheduler=address, results=tmp_path / "remote.jsonl"
        )
        assert comparable(remote) == comparable(local)
        assert remote.best["params"] == local.best["params"]
        # Both worker processes took part (each record names the process that ran it).
        lines = (tmp_path / "remote.jsonl").read_text().splitlines()
        assert len(lines) == remote.n_fits_run
        workers = {json.loads(line)["worker"] for line in lines}
        assert len(workers) == 2
        assert all(not w.endswith(f":{os.getpid()}") for w in workers)
    finally:
        _stop(procs)


@pytest.mark.slow
def test_sweep_on_a_local_dask_cluster_matches_local(cancer):
    X, y = cancer
    local = sweep(X, y, grid=GRID, params=FAST, cv=3, n_jobs=1)
    dask = sweep(X, y, grid=GRID, params=FAST, cv=3, dask_workers=2)
    assert comparable(dask) == comparable(local)
