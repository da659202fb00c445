"""One training thread per page: commands in, throttled snapshots out.

The WebSocket handler (on the event loop) puts the page's commands on a queue;
this thread applies them between steps, trains while "play" is on, and publishes
a snapshot at most every `SNAPSHOT_INTERVAL` seconds, and only when the
previous one has been sent (a slow page gets fewer snapshots, never a backlog).
The event loop is never blocked by training.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable

from ..errors import LeannetError
from . import data as data_module
from . import export
from .session import Session
from .settings import Settings

SNAPSHOT_INTERVAL = 0.08  # seconds: 12.5 snapshots per second while training
SLICE = 0.04  # seconds of training between looks at the command queue
SPEEDS = (0, 1, 3, 10, 30, 100, 300, 1000)  # steps per second; 0 = as fast as it goes


class Runner:
    """Drives one `Session` in its own thread.

    Args:
        session: the page's session.
        publish: called from this thread with each outgoing message (a dict);
            it must not block (the server hands it to the event loop).
        runs_dir: where "Save run" writes (chosen by the server, never by the page).
    """

    def __init__(self, session: Session, publish: Callable[[dict], None], runs_dir):
        self.session = session
        self.publish = publish
        self.runs_dir = runs_dir
        self.commands: queue.Queue = queue.Queue(maxsize=256)
        self.playing = False
        self.speed = 0
        self.selection: dict | None = None
        self.upload = None
        self._stop = threading.Event()
        self._snapshot_free = threading.Event()
        self._snapshot_free.set()
        self._dirty = True
        self._full = True
        self._rate = (time.perf_counter(), 0, 0.0)  # window start, steps in window, last rate
        self.thread = threading.Thread(target=self._loop, name="leannet-playground", daemon=True)

    # -- called from the event loop -----------------------------------------------------------
    def start(self) -> None:
        self.thread.start()

    def submit(self, message: dict) -> bool:
        """Queue a command from the page; False if the queue is full (the page floods)."""
        try:
            self.commands.put_nowait(message)
            return True
        except queue.Full:
            return False

    def snapshot_sent(self) -> None:
        self._snapshot_free.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with contextlib.suppress(queue.Full):
            self.commands.put_nowait(None)  # wakes the thread if it waits for a command
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(timeout)

    # -- the thread -----------------------------------------------------------------------------
    def _loop(self) -> None:
        last = 0.0
        while not self._stop.is_set():
            try:
                last = self._tick(last)
            except Exception as exc:  # a bug must not leave the page with a dead thread
                self.playing = False
                self._snapshot_free.set()
                self.publish(
                    {
                        "type": "error",
                        "message": f"internal error ({type(exc).__name__}: {exc}); training "
                        "paused. Please report it.",
                    }
                )
                time.sleep(0.2)

    def _tick(self, last: float) -> float:
        """Apply waiting commands, train a slice, maybe send a snapshot; returns its time."""
        try:
            message = self.commands.get(timeout=0 if self.playing else 0.2)
            while message is not None:
                self._handle(message)
                message = self.commands.get_nowait()
        except queue.Empty:
            pass
        if self._stop.is_set():
            return last
        if self.playing:  # train up to the next snapshot (or one slice, if one is pending)
            now = time.perf_counter()
            due = last + SNAPSHOT_INTERVAL
            self._train(due if due > now and self._snapshot_free.is_set() else now + SLICE)
        now = time.perf_counter()
        if (self._dirty or self.playing) and now - last >= SNAPSHOT_INTERVAL:
            if self._snapshot_free.is_set():
                self._send_snapshot()
                return now
        return last

    def _train(self, until: float) -> None:
        s = self.session
        interval = 1.0 / self.speed if self.speed else 0.0
        while time.perf_counter() < until and not self._stop.is_set():
            if self.speed:
                next_at = self._rate[0] + (self._rate[1] + 1) * interval
                wait = next_at - time.perf_counter()
                if wait > 0:
                    if wait > until - time.perf_counter():
                        break
                    time.sleep(wait)
            done = s.step(1 if self.speed else 10)
            self._count(done)
            if s.paused_reason or not done:
                self.playing = False
                break
            if not self.commands.empty():
                break
        self._dirty = True

    def _count(self, steps: int) -> None:
        start, n, rate = self._rate
        n += steps
        now = time.perf_counter()
        if now - start >= 1.0:
            rate = n / (now - start)
            start, n = now, 0
        self._rate = (start, n, rate)

    def _send_snapshot(self) -> None:
        snap = self.session.snapshot(full=self._full)
        snap["playing"] = self.playing
        snap["steps_per_sec"] = round(self._rate[2], 1) if self.playing else 0.0
        snap["speed"] = self.speed
        if self.selection is not None:
            sel = self.selection
            try:
                snap["inspect"] = self.session.inspect(sel["net"], sel["layer"], sel["i"], sel["j"])
            except (IndexError, KeyError):
                self.selection = None
        self._snapshot_free.clear()
        self._dirty = self._full = False
        self.publish(snap)

    def _handle(self, msg: dict) -> None:
        kind = msg.get("type")
        s = self.session
        try:
            if kind == "play":
                self.playing = not s.paused_reason
                self._rate = (time.perf_counter(), 0, self._rate[2])
            elif kind == "pause":
                self.playing = False
            elif kind == "step":
                self.playing = False
                s.step(1)
            elif kind == "epoch":
                self.playing = False
                s.run_epoch()
            elif kind == "reset":
                self.playing = False
                s.reset()
            elif kind == "speed":
                speed = int(msg.get("value", 0))
                if speed not in SPEEDS:
                    raise LeannetError(f"speed must be one of {', '.join(map(str, SPEEDS))}")
                self.speed = speed
            elif kind in ("set", "hello"):
                changes = msg.get("changes") or {}
                if kind == "hello":
                    changes = Settings.from_query(str(msg.get("query", ""))).to_dict()
                if not isinstance(changes, dict):
                    raise LeannetError("changes must be an object of settings")
                s.paused_reason = ""
                if s.update(changes, str(msg.get("which", "a"))) == "restart":
                    self.playing = False
                    self.selection = None
                    self._full = True
            elif kind == "regenerate":
                self.playing = False
                s.regenerate(s.settings.data_seed + 1)
                self._full = True
            elif kind == "compare":
                self.playing = False
                s.set_compare(msg.get("overrides") if msg.get("on") else None)
                self._full = True
            elif kind == "select":
                self.selection = {
                    "net": int(msg.get("net", 0)),
                    "layer": int(msg["layer"]),
                    "i": int(msg["i"]),
                    "j": None if msg.get("j") is None else int(msg["j"]),
                }
                sel = self.selection
                s.inspect(sel["net"], sel["layer"], sel["i"], sel["j"])  # refuse bad indices now
            elif kind == "upload":
                self.upload = data_module.parse_upload(str(msg.get("name", "")), str(msg["text"]))
                self.publish({"type": "columns", **self.upload.columns()})
            elif kind == "use_columns":
                if self.upload is None:
                    raise LeannetError("upload a CSV file first")
                ds = data_module.upload_dataset(
                    self.upload, str(msg.get("target")), [str(c) for c in msg.get("features", [])]
                )
                self.playing = False
                s.use_upload(ds)
                self._full = True
                self.publish({"type": "info", "message": f"training on {ds.name}"})
            elif kind == "save":
                self.publish(
                    {"type": "saved", **export.save(s, self.runs_dir, int(msg.get("net", 0)))}
                )
            elif kind == "code":
                self.publish({"type": "code", **export.code(s, int(msg.get("net", 0)))})
            else:
                raise LeannetError(f"unknown command {kind!r}")
        except (LeannetError, ValueError, TypeError, KeyError, IndexError) as exc:
            text = str(exc) if isinstance(exc, LeannetError) else f"bad {kind} message ({exc!r})"
            self.publish({"type": "error", "message": text.splitlines()[0] if text else kind})
        self._dirty = True
