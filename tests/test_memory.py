"""Issue 14 item 14: too-large settings are one line with the estimate, before allocating.

The limits are real: each case runs in a child process whose address space is
capped with ``RLIMIT_AS`` (what ``ulimit -v`` sets on a cluster node).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import leannet as ln
from leannet._memory import (
    available_memory,
    format_bytes,
    mlp_parameter_count,
    training_step_bytes,
)
from leannet.errors import ConfigError

LIMIT = 3 * 2**30  # 3 GiB of address space: NumPy and leannet import in well under that


def _run_capped(body: str) -> subprocess.CompletedProcess:
    code = "\n".join(
        [
            "import resource",
            f"resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))",
            "import numpy as np",
            "import leannet as ln",
            "try:",
            textwrap.indent(textwrap.dedent(body).strip(), "    "),
            "except ln.ConfigError as exc:",
            "    print('ConfigError:', exc)",
        ]
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "body",
    [
        "ln.build_mlp(4, [10_000_000_000], 3, loss='mse')",  # --hidden 10000000000
        "ln.build_mlp(4, [2**63 - 1], 3, loss='mse')",  # TOML hidden=[2**63-1]
        "ln.Dense(100_000, 100_000)",  # 160 GB of standalone float64 arrays
    ],
)
def test_too_large_network_is_one_line_with_the_estimate(body):
    done = _run_capped(body)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ConfigError:"), done.stdout
    assert "needs about" in lines[0] and "is available" in lines[0]


def test_full_batch_step_over_wide_layers_is_refused_before_allocating():
    # 20,000 rows, full batch, one hidden layer of 20,000 units: ~6.4 GB of activations.
    done = _run_capped(
        """
        X = np.zeros((20_000, 2), dtype=np.float32)
        y = np.zeros(20_000)
        net = ln.build_mlp(2, [20_000], 1, loss="mse", seed=0)
        net.fit(X, y, loss="mse", epochs=1, batch_size=None)
        """
    )
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "training step over 20000 samples" in done.stdout
    assert "smaller batch_size" in done.stdout


def test_the_limit_is_read_from_rlimit():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}));"
            "from leannet._memory import available_memory; print(available_memory())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert int(done.stdout) <= LIMIT


def test_estimates():
    assert mlp_parameter_count(4, [16, 8], 3) == 4 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3
    assert training_step_bytes(10, [16, 3], 4) == 4 * 10 * 19 * 4
    assert format_bytes(1_500_000_000) == "1.5 GB"
    assert available_memory() is None or available_memory() > 0


def test_ordinary_networks_still_build():
    net = ln.build_mlp(4, [64, 64], 3, loss="categorical_cross_entropy", seed=0)
    assert net.n_params == mlp_parameter_count(4, [64, 64], 3)
    with pytest.raises(ConfigError, match="hidden"):
        ln.build_mlp(4, [0], 3, loss="mse")
