"""Process memory readings for the benchmark workers (Linux ``/proc``, with a fallback).

``peak_rss`` is the kernel's high-water mark of resident memory (``VmHWM``). Writing ``5``
to ``/proc/self/clear_refs`` resets it to the current resident size, which lets a worker
measure the peak of its training phase alone, after its imports and data are in memory.
"""

from __future__ import annotations

import resource
import sys
import threading
from pathlib import Path

MB = 1024.0 * 1024.0
_STATUS = Path("/proc/self/status")


def _status_kb(field: str) -> float | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return None


def rss_mb() -> float:
    """Current resident memory in MB (falls back to the peak where /proc is missing)."""
    kb = _status_kb("VmRSS")
    return kb / 1024.0 if kb is not None else peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident memory in MB since start or since the last :func:`reset_peak`."""
    kb = _status_kb("VmHWM")
    if kb is not None:
        return kb / 1024.0
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / MB if sys.platform == "darwin" else maxrss / 1024.0  # bytes on macOS


def reset_peak() -> bool:
    """Reset the peak-RSS counter to the current RSS; False where the OS can't."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class AnonPeakSampler:
    """Samples ``RssAnon`` (private, non-file memory) in a thread and keeps the maximum.

    File pages of a memory-mapped data set count in the RSS while they are cached, but
    they are page cache the kernel can drop at any time; the anonymous part is the memory
    the process really needs. The kernel keeps no peak of it, hence the sampling.
    """

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            kb = _status_kb("RssAnon")
            if kb is not None:
                self.peak_mb = max(self.peak_mb, kb / 1024.0)
            self._stop.wait(self.interval)

    def __enter__(self) -> AnonPeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
