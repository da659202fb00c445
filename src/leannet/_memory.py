"""Memory estimates checked before allocating, so a too-large setting is one clear line.

``--hidden 10000000000`` or a full-batch step over 100k units used to end in a
raw ``MemoryError`` (or NumPy's "array is too big") deep inside NumPy. The
builder, [`Dense`][leannet.layers.Dense] and the training loop instead estimate
what they are about to allocate and compare it with what the process may use:
the smallest of the memory the system reports available (``MemAvailable``), the
cgroup limit (containers, cluster jobs) and the address-space limit
(``ulimit -v``).
"""

from __future__ import annotations

import os
import resource
from collections.abc import Sequence

from .errors import ConfigError

__all__ = [
    "available_memory",
    "check_fits",
    "check_network_fits",
    "check_step_fits",
    "dense_bytes",
    "format_bytes",
    "mlp_parameter_count",
    "parameter_memory",
    "training_step_bytes",
]


def format_bytes(n: float) -> str:
    """``1.5 GB``-style text (powers of 1000, as free(1) -h --si and most people read them)."""
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.3g} EB"  # pragma: no cover - the loop returns first


def _read_int(path: str, prefix: str | None = None) -> int | None:
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if prefix is None:
                    text = line.strip()
                    return None if text == "max" else int(text)
                if line.startswith(prefix):
                    return int(line.split()[1]) * 1024  # /proc/meminfo counts kB
    except (OSError, ValueError):
        return None
    return None


def available_memory() -> int | None:
    """Bytes this process may still allocate, or None when the system does not say."""
    limits = [
        _read_int("/proc/meminfo", "MemAvailable:"),
        _read_int("/sys/fs/cgroup/memory.max"),
    ]
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        limits.append(soft)
    known = [limit for limit in limits if limit is not None and limit > 0]
    if not known and hasattr(os, "sysconf"):
        try:
            known.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError):
            pass
    return min(known) if known else None


def check_fits(nbytes: int, what: str, fix: str) -> None:
    """Raise a one-line ConfigError if ``nbytes`` is more than this process may allocate.

    Args:
        nbytes: the estimate.
        what: what needs it ("a network with 10000000000 hidden units").
        fix: the advice ("use fewer hidden units").
    """
    available = available_memory()
    if available is not None and nbytes > available:
        raise ConfigError(
            f"{what} needs about {format_bytes(nbytes)} of memory, but only "
            f"{format_bytes(available)} is available; {fix}"
        )


def dense_bytes(n_in: int, n_out: int, itemsize: int = 8) -> int:
    """Bytes of one Dense layer's weights, biases and their gradients: 2 (n_in n_out + n_out)."""
    return 2 * (n_in * n_out + n_out) * itemsize


def mlp_parameter_count(n_in: int, hidden: Sequence[int], n_out: int) -> int:
    """Parameters of an MLP: $\\sum_l (w_{l-1} w_l + w_l)$ over its Dense layers."""
    widths = [n_in, *hidden, n_out]
    return sum(a * b + b for a, b in zip(widths, widths[1:]))


def training_step_bytes(rows: int, widths: Sequence[int], itemsize: int) -> int:
    """Activation memory of one training step on ``rows`` samples.

    Each Dense layer of width $w$ keeps its output, its activation's output
    and their two gradients: about $4 \\cdot rows \\cdot w$ numbers.
    """
    return 4 * rows * sum(widths) * itemsize


def parameter_memory(n_params: int, itemsize: int) -> int:
    """Bytes a network of ``n_params`` holds while training.

    The flat parameter and gradient buffers, two optimizer slots (Adam's moments)
    and the standalone float64 arrays each Dense layer makes before the network
    binds it: $n (4 \\cdot itemsize + 16)$.
    """
    return n_params * (4 * itemsize + 16)


def check_network_fits(n_params: int, itemsize: int, what: str) -> None:
    """`check_fits` for a network of ``n_params`` parameters."""
    check_fits(
        parameter_memory(n_params, itemsize),
        f"{what} ({n_params} parameters)",
        "use fewer or narrower hidden layers",
    )


def check_step_fits(rows: int, widths: Sequence[int], itemsize: int) -> None:
    """`check_fits` for one training step over ``rows`` samples."""
    check_fits(
        training_step_bytes(rows, widths, itemsize),
        f"a training step over {rows} samples with layers of widths {list(widths)[:8]}",
        "use a smaller batch_size (--batch-size) or narrower layers",
    )
