"""Where fits run: scheduler addresses and exclusive options."""

from __future__ import annotations

import socket
import time

import pytest

from leannet.errors import ConfigError
from leannet.sweep import sweep

from ._helpers import FAST


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_fast_and_clearly(cancer):
    X, y = cancer
    port = _free_loopback_port()
    start = time.monotonic()
    with pytest.raises(
        ConfigError, match=rf"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"
    ):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, scheduler=f"tcp://127.0.0.1:{port}")
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    "address", ["127.0.0.1:8786", "tcp://127.0.0.1", "http://x:1", "tcp://h:99999"]
)
def test_malformed_scheduler_address(cancer, address):
    X, y = cancer
    with pytest.raises(ConfigError, match="tcp://HOST:PORT"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, scheduler=address)


def test_scheduler_and_local_cluster_are_exclusive(cancer):
    X, y = cancer
    with pytest.raises(ConfigError, match="not both"):
        sweep(
            X,
            y,
            grid={"l2": [0.0]},
            params=FAST,
            cv=2,
            scheduler="tcp://127.0.0.1:1",
            dask_workers=2,
        )
