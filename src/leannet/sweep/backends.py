"""Where the fits run: in this process, in local processes (joblib/loky), or on Dask.

Results come back one by one as fits finish (``return_as="generator_unordered"``),
so the caller can append each to the results file at once. Every worker runs
its fits with one BLAS thread (``inner_max_num_threads=1`` for loky,
``threadpool_limits(1)`` inside each task): two workers on two cores then do
twice the work of one instead of fighting over the cores.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import re
import signal
import socket
import sys
import time
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


_HANDSHAKE_MAX_BYTES = 64 * 1024


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Connect to ``address`` and check that a Dask scheduler answers, all within
    ``timeout`` seconds (one deadline for connecting and identifying).

    A Dask scheduler speaks first: right after accepting it sends its handshake,
    an 8-byte little-endian length and a small msgpack message naming its
    ``pickle-protocol``. A peer that accepts but stays silent (which hung the
    Dask client for minutes), or sends anything else (a service whose first
    bytes Dask read as a 3 EiB message), is refused here, before Dask reads a byte.
    """
    host, port = parse_scheduler(address)
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            head = _recv_exactly(conn, 8, deadline)
            size = int.from_bytes(head, "little") if head is not None else None
            body = None
            if size is not None and 0 < size <= _HANDSHAKE_MAX_BYTES:
                body = _recv_exactly(conn, size, deadline)
    except OSError as exc:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc}); "
            "start one with `dask scheduler --host HOST --port PORT` and workers with "
            "`dask worker tcp://HOST:PORT`, or drop --scheduler to run locally"
        ) from None
    if head is None or (body is None and size is not None and 0 < size <= _HANDSHAKE_MAX_BYTES):
        raise ConfigError(
            f"the service at {address} accepted the connection but did not identify itself "
            f"as a Dask scheduler within {timeout:g} s; check the address and port"
        )
    if body is None or b"pickle-protocol" not in body:
        raise ConfigError(
            f"the service at {address} is not a Dask scheduler (its first bytes are not a "
            "Dask handshake); check the address and port"
        )


def _recv_exactly(conn: socket.socket, n: int, deadline: float) -> bytes | None:
    """``n`` bytes from ``conn`` before ``deadline``, or None (timeout or closed)."""
    data = b""
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        conn.settimeout(left)
        try:
            chunk = conn.recv(n - len(data))
        except TimeoutError:
            return None
        if not chunk:
            return None
        data += chunk
    return data


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
    single-threaded worker processes, which die with this process (even by
    SIGKILL, see `die_with_parent`); it is shut down on exit.
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
        # Dask closes its own workers when the parent's pipe closes; the kernel's
        # parent-death signal is the same guarantee the loky workers have, for
        # these workers too (present and restarted ones), even after a SIGKILL.
        client.register_worker_callbacks(setup=functools.partial(die_with_parent, os.getpid()))
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
    parent = os.getpid()
    try:
        with parallel_config(backend="loky", inner_max_num_threads=1):
            yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
                delayed(in_worker)(parent, func, task, *args) for task in tasks
            )
    finally:  # done, Ctrl-C or SIGTERM: no idle worker outlives the sweep
        shutdown_local_workers()


def in_worker(parent: int, func: Callable, task: dict, *args):
    """Run ``func(task, *args)`` in a loky worker that dies with the process ``parent``."""
    die_with_parent(parent)
    return func(task, *args)


def die_with_parent(parent: int) -> None:
    """Make this worker process exit when ``parent`` dies, even by SIGKILL.

    Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; a worker whose parent is already
    gone exits at once. Idle loky workers used to live on for minutes after a
    killed sweep, holding its output pipes open (a caller waiting for EOF hung).
    Elsewhere this is a no-op (the executor's own idle timeout applies).
    """
    if os.getpid() == parent or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def shutdown_local_workers() -> None:
    """Stop loky's reusable worker processes now (they otherwise idle for 300 s)."""
    from joblib.externals.loky import reusable_executor

    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        with contextlib.suppress(Exception):
            executor.shutdown(wait=True, kill_workers=True)
