"""One converter from Python/NumPy values to what JSON can hold.

Run records, sweep grids and results, and checkpoints all write JSON; they differ
only in what they do with the values JSON cannot hold, so those are the options:

* ``nonfinite``: ``"null"`` writes NaN/inf as ``null`` (records, results),
  ``"keep"`` leaves the float (Python's JSON reads ``NaN``/``Infinity`` back:
  checkpoints, where ``best = inf`` must survive), ``"error"`` rejects it (grids).
* ``on_array(array, where)``: what an ndarray becomes; default its nested list.
* ``reject(value, where, reason)``: the exception for a value that cannot be
  written (reason ``"type"``, ``"key"`` for a non-string or reserved dict key,
  ``"nonfinite"``). Without it such values are kept as they are (types), or their
  key is turned into text (keys), and ``json.dumps`` has the last word.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Collection
from pathlib import PurePath
from typing import Any

import numpy as np

__all__ = ["to_json_safe"]


def to_json_safe(
    value: Any,
    *,
    nonfinite: str = "null",
    on_array: Callable[[np.ndarray, str], Any] | None = None,
    reject: Callable[[Any, str, str], Exception] | None = None,
    reserved_keys: Collection[str] = (),
    where: str = "",
) -> Any:
    """A copy of ``value`` made of dicts, lists, str, int, float, bool and None.

    Args:
        value: what to convert (recursively through dicts, lists and tuples).
        nonfinite: ``"null"``, ``"keep"`` or ``"error"`` for NaN and ±inf.
        on_array: converts an ndarray; default: ``array.tolist()``, converted.
        reject: builds the exception for a value that cannot be written.
        reserved_keys: dict keys that are refused (through ``reject``).
        where: dotted path of ``value`` inside the outer object, for messages.

    Returns:
        The JSON-safe copy; tuples become lists, NumPy scalars Python numbers,
        paths text.
    """

    def convert(item: Any, at: str) -> Any:
        if isinstance(item, np.ndarray):
            return on_array(item, at) if on_array is not None else convert(item.tolist(), at)
        if isinstance(item, np.generic):
            item = item.item()
        if item is None or isinstance(item, bool | str):
            return item
        if isinstance(item, numbers.Integral):
            return int(item)
        if isinstance(item, numbers.Real):
            item = float(item)
            if math.isfinite(item) or nonfinite == "keep":
                return item
            if nonfinite == "error" and reject is not None:
                raise reject(item, at, "nonfinite")
            return None
        if isinstance(item, dict):
            out = {}
            for key, sub in item.items():
                if not isinstance(key, str) or key in reserved_keys:
                    if reject is not None:
                        raise reject(key, at, "key")
                    key = str(key)
                out[key] = convert(sub, f"{at}.{key}" if at else key)
            return out
        if isinstance(item, list | tuple):
            return [convert(sub, f"{at}.{i}" if at else str(i)) for i, sub in enumerate(item)]
        if isinstance(item, PurePath):
            return str(item)
        if reject is not None:
            raise reject(item, at, "type")
        return item

    return convert(value, where)
