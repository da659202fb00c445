"""The checks of a training state read from a checkpoint file (untrusted input).

`leannet.checkpoint.read_checkpoint` decodes the file, then calls these before
the trainer sees anything: every field the trainer restores (position in the epoch,
parameters, optimizer moments, random generator, history, callback states) must have
its type, shape and range, and a resumed network must be the one that was saved. Each
failure is one line naming the field (``fail(message)`` makes the error to raise).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelFileError
from .history import History

__all__ = ["REQUIRED", "check_callback_state", "check_same_network", "check_state"]

#: the fields every checkpoint's state holds
REQUIRED = ("epoch", "params", "optimizer", "rng", "history", "callbacks", "config")
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")

Fail = Callable[[str], Exception]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_state(state: Any, fail: Fail) -> None:
    """Check every field of a decoded state before the trainer sees it."""
    if not isinstance(state, dict):
        raise fail("the training state is not a JSON object")
    missing = [key for key in REQUIRED if key not in state]
    if missing:
        raise fail(f"the training state lacks {missing}")
    if not _whole(state["epoch"]):
        raise fail(f"epoch must be a whole number >= 0, got {state['epoch']!r}")
    params = state["params"]
    if not isinstance(params, np.ndarray) or params.ndim != 1 or params.dtype.kind != "f":
        raise fail("params must be a 1-D float array")
    optimizer = state["optimizer"]
    if not isinstance(optimizer, dict) or not _whole(optimizer.get("t")):
        raise fail("the optimizer state must be a dict with a whole-number step count 't'")
    for key, item in optimizer.items():
        if key != "t" and (not isinstance(item, np.ndarray) or item.shape != params.shape):
            raise fail(
                f"optimizer state {key!r} must be an array shaped like params {params.shape}"
            )
    # Mid-epoch position (written by the engine's Trainer.get_state).
    if "batch" in state and not _whole(state["batch"]):
        raise fail(f"batch must be a whole number >= 0, got {state['batch']!r}")
    order = state.get("order")
    if order is not None and (
        not isinstance(order, np.ndarray) or order.ndim != 1 or order.dtype.kind not in "iu"
    ):
        raise fail("order (the epoch's shuffled sample order) must be a 1-D integer array")
    if order is not None and not np.array_equal(np.sort(order), np.arange(order.size)):
        raise fail(
            f"order must be a permutation of the sample indices 0..{order.size - 1} "
            "(it has repeated or out-of-range entries)"
        )
    batch = state.get("batch", 0)
    if order is not None and _whole(batch) and batch > order.size:
        raise fail(f"batch {batch} is past the end of the epoch")
    partial = state.get("partial")
    if partial is not None and (not isinstance(partial, np.ndarray) or partial.shape != (4,)):
        raise fail("partial (the epoch's running sums) must be an array of 4 numbers")
    if partial is not None and partial[3] < 0:
        raise fail("partial[3] (samples seen this epoch) must be >= 0")
    _check_history(state["history"], fail)
    if not isinstance(state["callbacks"], list) or not all(
        isinstance(cb, dict) for cb in state["callbacks"]
    ):
        raise fail("callbacks must be a list of callback states")
    classes = state.get("callback_classes")
    if classes is not None and (
        not isinstance(classes, list)
        or not all(isinstance(name, str) for name in classes)
        or len(classes) != len(state["callbacks"])
    ):
        raise fail("callback_classes must be a list of class names, one per callback state")
    if "optimizer_config" in state and not isinstance(state["optimizer_config"], dict):
        raise fail("optimizer_config must be a JSON object")
    _check_rng(state["rng"], fail)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite_number(value: Any) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and bool(np.isfinite(value))
    )


def _check_history(history: Any, fail: Fail) -> None:
    """Every metric list has one number per recorded epoch, and the epochs increase."""
    if not isinstance(history, dict):
        raise fail("history must be a JSON object")
    epochs = history.get("epoch", [])
    metrics = history.get("history", {})
    if not isinstance(epochs, list) or not all(_whole(e) and e >= 1 for e in epochs):
        raise fail("history epoch must be a list of whole numbers >= 1")
    if any(b <= a for a, b in zip(epochs, epochs[1:])):
        raise fail("history epochs must increase")
    if not isinstance(metrics, dict):
        raise fail("the history is malformed (history.history must be a JSON object)")
    for key, values in metrics.items():
        if not isinstance(values, list) or not all(_number(v) for v in values):
            raise fail(f"the history is malformed ({str(key)[:40]!r} must be a list of numbers)")
        if len(values) != len(epochs):
            raise fail(
                f"the history is inconsistent: {str(key)[:40]!r} has {len(values)} values "
                f"for {len(epochs)} epochs"
            )
    if not isinstance(history.get("interrupted", False), bool):
        raise fail("history interrupted must be true or false")
    stopped = history.get("stopped_epoch")
    if stopped is not None and not _whole(stopped):
        raise fail("history stopped_epoch must be a whole number or null")
    try:
        History.from_dict(history)
    except Exception as exc:  # noqa: BLE001 - any malformed value
        raise fail(f"the history is malformed ({exc})") from None


def check_callback_state(cb_state: dict, i: int, state: dict, fail: Fail) -> None:
    """The fields leannet's own callbacks store (EarlyStopping: best, best_epoch, wait,
    best_params) must have their types; best_params must fit the network."""
    where = f"callback state {i}"
    if "best" in cb_state and cb_state["best"] is not None and not _finite_number(cb_state["best"]):
        raise fail(f"{where}: best must be a finite number or null, got {cb_state['best']!r:.40}")
    best_epoch = cb_state.get("best_epoch")
    if best_epoch is not None and not (_whole(best_epoch) and best_epoch <= state["epoch"]):
        raise fail(f"{where}: best_epoch must be a whole number <= epoch {state['epoch']}")
    if "wait" in cb_state and not _whole(cb_state["wait"]):
        raise fail(f"{where}: wait must be a whole number >= 0")
    best_params = cb_state.get("best_params")
    params = state["params"]
    if best_params is not None and (
        not isinstance(best_params, np.ndarray)
        or best_params.dtype.kind != "f"
        or best_params.shape != params.shape
    ):
        raise fail(f"{where}: best_params must be a float array shaped like params {params.shape}")


def _check_rng(rng: Any, fail: Fail) -> None:
    """The RNG state must be one NumPy accepts for a known bit generator."""
    name = rng.get("bit_generator") if isinstance(rng, dict) else None
    if name not in _BIT_GENERATORS:
        raise fail(f"unknown or missing random generator state ({name!r})")
    try:
        getattr(np.random, name)().state = rng
    except Exception as exc:  # noqa: BLE001 - NumPy raises several types here
        raise fail(f"the random generator state is invalid ({exc})") from None


def check_same_network(path: Path, stored: dict, network) -> None:
    current = json.loads(json.dumps(network.get_config()))
    for key in ("dtype", "layers"):
        if stored.get(key) != current.get(key):
            raise ModelFileError(
                f"checkpoint {path} was written for a different network ({key} differs: "
                f"checkpoint {stored.get(key)!r}, this network {current.get(key)!r}); resume "
                "with the same architecture, or start a new run"
            )
