"""Issue 14 item 9: --scheduler has one hard deadline for connecting and identifying.

Real sockets on 127.0.0.1: a peer that accepts and stays silent, and one that speaks
another protocol, are refused within the deadline with one line.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest

from leannet.errors import ConfigError
from leannet.sweep.backends import check_reachable

from ._helpers import SRC_ENV


@pytest.fixture
def peer():
    """A TCP server on 127.0.0.1 that sends ``greeting`` (or nothing) and then waits."""
    servers = []

    def start(greeting: bytes = b"") -> str:
        server = socket.create_server(("127.0.0.1", 0))
        server.settimeout(0.2)
        stop = threading.Event()
        held = []

        def serve():
            while not stop.is_set():
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    continue
                held.append(conn)
                if greeting:
                    conn.sendall(greeting)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        servers.append((server, stop, thread, held))
        return f"tcp://127.0.0.1:{server.getsockname()[1]}"

    yield start
    for server, stop, thread, held in servers:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


def test_silent_peer_is_refused_within_the_deadline(peer):
    address = peer()
    start = time.monotonic()
    with pytest.raises(ConfigError, match="did not identify itself as a Dask scheduler"):
        check_reachable(address, timeout=1.0)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    "greeting",
    [b"SSH-2.0-OpenSSH_9.6\r\n", b"\xff" * 16, b"\x10\x00\x00\x00\x00\x00\x00\x00" + b"x" * 16],
)
def test_other_protocols_are_refused(peer, greeting):
    with pytest.raises(ConfigError, match="is not a Dask scheduler"):
        check_reachable(peer(greeting), timeout=2.0)


def test_cli_sweep_against_a_silent_peer_is_one_line(peer, tmp_path):
    pytest.importorskip("distributed")
    address = peer()
    args = ["--data", "iris", "--grid", "l2=0,1e-2", "--epochs", "2", "--cv", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "leannet", "sweep", *args, "--scheduler", address]
        + ["--out", str(tmp_path / "run"), "--no-pdf"],
        env=SRC_ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    last = done.stderr.strip().splitlines()[-1]
    assert "Traceback" not in done.stderr
    assert last.startswith("leannet sweep: error:") and "did not identify itself" in last


def test_a_real_scheduler_is_recognised():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=0, processes=False, host="127.0.0.1", protocol="tcp://", dashboard_address=None
    ) as cluster:
        check_reachable(cluster.scheduler_address, timeout=5.0)
