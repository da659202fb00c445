"""Where the fits run: in this process, in local processes (joblib/loky), or on Dask.

Results come back one by one as fits finish (``return_as="generator_unordered"``),
so the caller can append each to the results file at once. Every worker runs
its fits with one BLAS thread (``inner_max_num_threads=1`` for loky,
``threadpool_limits(1)`` inside each task): two workers on two cores then do
twice the work of one instead of fighting over the cores.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
from collections.abc import Callable, Iterator

from ..errors import ConfigError

CONNECT_TIMEOUT_S = 5.0
WORKER_TIMEOUT_S = 30.0
_ADDRESS = re.compile(r"^tcp://(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.\-]+):(?P<port>\d{1,5})$")


def parse_scheduler(address: str) -> tuple[str, int]:
    """Split ``tcp://HOST:PORT``; raise a ConfigError naming the expected form."""
    match = _ADDRESS.match(address.strip()) if isinstance(address, str) else None
    if not match or not 0 < int(match["port"]) < 65536:
        raise ConfigError(
            f"scheduler address {address!r} must look like tcp://HOST:PORT, "
            "e.g. tcp://127.0.0.1:8786 (the address `dask scheduler` prints)"
        )
    return match["host"].strip("[]"), int(match["port"])


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail fast (within ``timeout`` seconds) when nothing listens at ``address``."""
    host, port = parse_scheduler(address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc}); "
            "start one with `dask scheduler --host HOST --port PORT` and workers with "
            "`dask worker tcp://HOST:PORT`, or drop --scheduler to run locally"
        ) from None


def default_n_jobs() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS/Windows
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, n_workers: int | None = None):
    """A connected ``distributed.Client``: to ``scheduler``, or to a new local cluster.

    The local cluster listens on 127.0.0.1 only and runs ``n_workers``
    single-threaded worker processes; it is shut down on exit.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError(
            "a Dask sweep needs dask.distributed: pip install 'leannet[dask]'"
        ) from None
    cluster = None
    if scheduler is not None:
        check_reachable(scheduler)
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except OSError as exc:
            raise ConfigError(
                f"cannot connect to the Dask scheduler at {scheduler}: {exc}; check that it is a "
                "Dask scheduler (not another service) and that the versions match"
            ) from None
    else:
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT_S)
        except (TimeoutError, OSError):
            raise ConfigError(
                f"the Dask scheduler at {client.scheduler.address} has no workers after "
                f"{WORKER_TIMEOUT_S:g} s; start some with `dask worker {client.scheduler.address}`"
            ) from None
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute(
    func: Callable,
    tasks: list[dict],
    args: tuple,
    *,
    n_jobs: int | None = None,
    scheduler: str | None = None,
    dask_workers: int | None = None,
) -> Iterator[dict]:
    """Yield ``func(task, *args)`` for every task, in completion order.

    Args:
        n_jobs: local worker processes (default: one per core); 1 runs in this
            process with no pool at all.
        scheduler: ``tcp://HOST:PORT`` of a running Dask scheduler.
        dask_workers: start a local Dask cluster with this many workers.
    """
    if not tasks:
        return
    if scheduler is not None and dask_workers is not None:
        raise ConfigError(
            "give either scheduler= (an existing cluster) or dask_workers= (a new local one), not both"
        )
    if dask_workers is not None and (
        isinstance(dask_workers, bool) or not isinstance(dask_workers, int) or dask_workers < 1
    ):
        raise ConfigError(f"dask_workers must be a whole number >= 1, got {dask_workers!r}")
    from joblib import Parallel, delayed, parallel_config

    if scheduler is not None or dask_workers is not None:
        with dask_client(scheduler, dask_workers):
            # -1: as many tasks at once as the cluster has worker threads (also
            # workers that join later); 1 would make joblib run everything here.
            n = -1 if n_jobs in (None, 1) else n_jobs
            arrays = [a for a in args if hasattr(a, "shape")]
            with parallel_config(backend="dask", scatter=arrays or None):
                yield from Parallel(n_jobs=n, return_as="generator_unordered")(
                    delayed(func)(task, *args) for task in tasks
                )
        return
    n_jobs = default_n_jobs() if n_jobs is None else n_jobs
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ConfigError(
            f"n_jobs must be a whole number >= 1 (or -1 for all cores), got {n_jobs!r}"
        )
    if n_jobs == 1:
        for task in tasks:
            yield func(task, *args)
        return
    with parallel_config(backend="loky", inner_max_num_threads=1):
        yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(func)(task, *args) for task in tasks
        )
