"""Training checkpoints: everything needed to resume a run bit for bit.

A checkpoint is the dict returned by ``trainer.get_state()``::

    {"epoch": int, "batch": int, "order": int array or None, "partial": array,
     "params": 1-D float array, "optimizer": {"t": int, arrays...},
     "optimizer_config": dict, "rng": bit_generator.state,
     "history": History.to_dict(), "callbacks": [callback states],
     "config": net.get_config()}

(``batch``/``order``/``partial`` are the position inside an epoch, so that a
state taken at a Ctrl-C in the middle of an epoch resumes exactly). It is
stored in one uncompressed ``.npz`` like a model file (see
`leannet.serialization`): each NumPy array anywhere in the state becomes
a member of the archive, and the rest of the state is JSON under
``"__leannet__"`` with ``{"format": "leannet-checkpoint", "format_version": 1,
"state": ...}``, where each array is replaced by ``{"__ndarray__": member}``.
Python floats survive JSON exactly (``repr`` round-trips), so a resumed
history is bitwise the uninterrupted one.

Writes are atomic (`leannet._atomic`): a crash or SIGKILL during a write
leaves the previous checkpoint complete and loadable. A file read back is untrusted:
`leannet.checkpoint_checks` checks every field before the trainer sees it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from ._atomic import atomic_open
from ._jsonsafe import to_json_safe
from ._validation import check_positive_int
from .callbacks import Callback
from .checkpoint_checks import REQUIRED, check_callback_state, check_same_network, check_state
from .errors import ConfigError
from .serialization import (
    META_KEY,
    _Archive,
    build_network,
    check_format,
    declared_parameter_count,
)

__all__ = ["Checkpoint", "read_checkpoint", "write_checkpoint"]

FORMAT = "leannet-checkpoint"
FORMAT_VERSION = 1
_ARRAY_TAG = "__ndarray__"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")


# ----------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------


def _encode(value: Any, where: str, arrays: dict[str, np.ndarray]) -> Any:
    """JSON-able copy of ``value``; arrays go to ``arrays`` and leave a reference."""

    def store(array: np.ndarray, at: str) -> dict:
        if array.dtype.hasobject:
            raise ConfigError(f"checkpoint state {at} is an object array; use numbers")
        name = at if _SAFE_NAME.match(at) and at not in arrays else f"array_{len(arrays)}"
        if name == META_KEY or name in arrays:
            name = f"array_{len(arrays)}_"
        arrays[name] = np.ascontiguousarray(array)
        return {_ARRAY_TAG: name}

    def reject(item: Any, at: str, reason: str) -> ConfigError:
        if reason == "key" and isinstance(item, str):
            return ConfigError(f"checkpoint state {at} uses the reserved key {_ARRAY_TAG!r}")
        if reason == "key":
            return ConfigError(f"checkpoint state {at} has a non-string key {item!r}")
        return ConfigError(
            f"checkpoint state {at} has a {type(item).__name__}, which cannot be stored; "
            "callback states must hold numbers, strings, lists, dicts and arrays"
        )

    return to_json_safe(
        value,
        nonfinite="keep",
        on_array=store,
        reject=reject,
        reserved_keys={_ARRAY_TAG},
        where=where,
    )


def write_checkpoint(path: str | os.PathLike, state: dict) -> Path:
    """Write a training state to ``path`` atomically.

    Args:
        path (str or PathLike): Destination file (conventionally ``.npz``; used as given). The
            previous checkpoint at this path is replaced only once the new one is on disk.
        state (dict): From ``trainer.get_state()``.

    Returns:
        pathlib.Path: The path written.

    Raises:
        ConfigError: The state holds something that cannot be stored (e.g. a Python object).
        FileWriteError: Disk full, read-only or missing directory; the previous file is intact.
    """
    if not isinstance(state, dict):
        raise ConfigError(f"state must be the dict from trainer.get_state(), got {type(state)}")
    missing = [key for key in REQUIRED if key not in state]
    if missing:
        raise ConfigError(f"checkpoint state is missing {missing}; pass trainer.get_state()")
    arrays: dict[str, np.ndarray] = {}
    encoded = _encode(state, "", arrays)
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "state": encoded}
    arrays[META_KEY] = np.array(json.dumps(meta))
    path = Path(path)
    with atomic_open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


# ----------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------


def _decode(value: Any, archive: _Archive, used: set[str]) -> Any:
    if isinstance(value, dict):
        if _ARRAY_TAG in value:
            name = value[_ARRAY_TAG]
            if len(value) != 1 or not isinstance(name, str) or name not in archive.members:
                raise archive.fail(f"the description refers to a missing array {name!r}")
            if name in used:
                raise archive.fail(f"array {name!r} is referenced twice")
            used.add(name)
            return archive.array(name)
        return {key: _decode(item, archive, used) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item, archive, used) for item in value]
    return value


def read_checkpoint(path: str | os.PathLike, *, network=None) -> dict:
    """Read a checkpoint written by `write_checkpoint`.

    Args:
        path (str or PathLike): The checkpoint file.
        network (Sequential, optional): When given, the checkpoint must describe the same
            architecture and dtype; otherwise resuming would silently train a different model.

    Returns:
        dict: The training state, ready for ``trainer.set_state``.

    Raises:
        ModelFileError: Missing, truncated, corrupted, forged or incompatible file; nothing is
            ever unpickled. The message names the file and the problem.
    """
    path = Path(path)
    with _Archive(path, what="checkpoint") as archive:
        meta = archive.meta()
        check_format(meta, FORMAT, path, what="checkpoint")
        used: set[str] = set()
        state = _decode(meta.get("state"), archive, used)
        unused = sorted(set(archive.members) - used - {META_KEY})
        if unused:
            raise archive.fail(f"unknown arrays {unused} not referenced by the training state")
        check_state(state, archive.fail)
        config = state["config"]
        size = state["params"].size
        declared = declared_parameter_count(config)
        if declared > size:  # refuse before building: a forged description may be huge
            raise archive.fail(
                f"the described network has {declared} parameters but params hold only {size}"
            )
        net = build_network(config, path, available_bytes=archive.size, what="checkpoint")
        if net.n_params != size:
            raise archive.fail(f"the network has {net.n_params} parameters, params hold {size}")
        for i, cb_state in enumerate(state["callbacks"]):
            check_callback_state(cb_state, i, state, archive.fail)
    if network is not None:
        check_same_network(path, config, network)
    return state


# ----------------------------------------------------------------------------
# The callback
# ----------------------------------------------------------------------------


class Checkpoint(Callback):
    """Callback that writes a resumable checkpoint every ``every`` epochs.

    Args:
        path (str or PathLike): The checkpoint file; each write atomically replaces the
            previous one.
        every (int or None, default 1): Write after every ``every``-th epoch. The state at the
            end of the run (last epoch, early stop, or Ctrl-C in the middle of an epoch) is
            written too; the trainer keeps its position inside an epoch, so even that one
            resumes exactly. ``None``: no periodic writes, only the state at a Ctrl-C (what
            ``leannet train`` does without ``--checkpoint-every``).

    Put ``Checkpoint`` last in ``callbacks=[...]``: it then records the state of
    the other callbacks (e.g. EarlyStopping's patience counter) after they have
    seen the epoch, which exact resumption needs. The final state is written
    in ``on_train_stop``, before EarlyStopping restores the best weights.

    Example:
        >>> ckpt = ln.Checkpoint("run.ckpt.npz", every=10)
        >>> net.fit(X, y, loss="mse", epochs=100, callbacks=[ckpt])
        >>> # after a crash or Ctrl-C, the same call with resume_from continues the run:
        >>> net.fit(X, y, loss="mse", epochs=100, resume_from="run.ckpt.npz")
    """

    def __init__(self, path: str | os.PathLike, every: int | None = 1):
        if not isinstance(path, str | os.PathLike):
            raise ConfigError(f"path must be a file path, got {path!r}")
        self.path = Path(path)
        self.every = check_positive_int(every, "every", allow_none=True)
        self._saved_at: tuple | None = None

    def save(self, trainer) -> Path:
        """Write the trainer's current state now."""
        state = trainer.get_state()
        written = write_checkpoint(self.path, state)
        self._saved_at = (state["epoch"], state.get("batch", 0))
        return written

    def on_train_begin(self, trainer) -> None:
        callbacks = list(getattr(trainer, "callbacks", [self]))
        position = next(i for i, cb in enumerate(callbacks) if cb is self)
        later = [cb for cb in callbacks[position + 1 :] if not isinstance(cb, Checkpoint)]
        if later:
            names = ", ".join(type(cb).__name__ for cb in later)
            raise ConfigError(
                f"put ln.Checkpoint after {names} in callbacks=[...], so that the checkpoint "
                "records their state after each epoch and resuming is exact"
            )
        self._saved_at = None

    def on_epoch_end(self, trainer, epoch, logs) -> None:
        if self.every is not None and trainer.epoch % self.every == 0:
            self.save(trainer)

    def on_train_stop(self, trainer) -> None:
        if self.every is None and not getattr(trainer.history, "interrupted", False):
            return
        epoch, batch = trainer.epoch, getattr(trainer, "batch", 0)
        if (epoch, batch) != self._saved_at and (epoch > 0 or batch > 0):
            self.save(trainer)

    def get_config(self) -> dict:
        """The constructor arguments."""
        return {"path": str(self.path), "every": self.every}

    def __repr__(self) -> str:
        return f"Checkpoint({str(self.path)!r}, every={self.every})"
