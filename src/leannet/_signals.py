"""Stop signals: SIGTERM and SIGHUP are handled like Ctrl-C (SIGINT).

Cluster schedulers send SIGTERM before SIGKILL, closing a terminal sends
SIGHUP; both used to kill ``leannet train`` on the spot and lose the run. Here:

* `stop_requests` (used by the training loop) turns the first stop signal
  into a request to stop at the next batch boundary; a second one stops at once;
* `deferred` holds stop signals while a run directory is being written,
  so a Ctrl-C there cannot leave half a run; the write finishes, then the caller
  sees which signal came;
* `interrupt_on_stop_signals` (the command line) makes SIGTERM and SIGHUP
  raise KeyboardInterrupt like SIGINT does, so cleanup code runs;
* `exit_code` is the conventional ``128 + signal number``.

A signal whose disposition is "ignore" (``nohup`` sets that for SIGHUP) stays ignored.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

__all__ = [
    "STOP_SIGNALS",
    "deferred",
    "exit_code",
    "interrupt_on_stop_signals",
    "last_stop_signal",
    "reset",
    "signal_name",
    "stop_requests",
]

STOP_SIGNALS: tuple[int, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_last: list[int] = []


def reset() -> None:
    """Forget the signals received so far (at the start of a command)."""
    _last.clear()


def last_stop_signal() -> int | None:
    """The stop signal most recently received by one of these handlers, or None."""
    return _last[-1] if _last else None


def signal_name(signum: int | None) -> str:
    """``"Ctrl-C"`` for SIGINT, else the signal's name (``"SIGTERM"``)."""
    if signum is None or signum == signal.SIGINT:
        return "Ctrl-C"
    return signal.Signals(signum).name


def exit_code(signum: int | None) -> int:
    """The shell's exit status for a process stopped by ``signum`` (130 for Ctrl-C)."""
    return 128 + (signum or signal.SIGINT)


@contextlib.contextmanager
def _handlers(handler: Callable[[int, object], None]) -> Iterator[bool]:
    """Install ``handler`` for every stop signal (main thread only); restore on exit."""
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    previous = {}
    try:
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not allowed here (some embedded interpreters)
        for signum, old in previous.items():
            signal.signal(signum, old)
        yield False
        return
    try:
        yield True
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextlib.contextmanager
def stop_requests(on_request: Callable[[int], bool]) -> Iterator[None]:
    """Call ``on_request(signum)`` for each stop signal; it returns False the first time
    (the request is noted) and True when the caller must stop at once
    (KeyboardInterrupt is then raised)."""

    def handler(signum, frame):
        _last.append(signum)
        if on_request(signum):
            raise KeyboardInterrupt

    with _handlers(handler):
        yield


@contextlib.contextmanager
def deferred() -> Iterator[list[int]]:
    """Hold stop signals for the block; yields the list of signals received meanwhile."""
    received: list[int] = []

    def handler(signum, frame):
        _last.append(signum)
        received.append(signum)

    with _handlers(handler):
        yield received


@contextlib.contextmanager
def interrupt_on_stop_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise KeyboardInterrupt, like SIGINT, for the block."""

    def handler(signum, frame):
        _last.append(signum)
        raise KeyboardInterrupt

    with _handlers(handler):
        yield
