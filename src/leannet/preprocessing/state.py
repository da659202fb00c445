"""The fitted preprocessing as plain JSON data, and its validation (NumPy only).

A fitted `Preprocessor` is stored inside ``model.npz``
as this JSON object (no pickle). Every field is checked before use, since a model file
may come from anyone: `validate_state` accepts exactly the shape below and
raises ``ValueError`` naming the first bad field otherwise.

Fields (``version`` 1)::

    format          "leannet-preprocessing"
    version         1
    missing         "impute" | "drop"   (drop: incomplete training rows were dropped)
    dates           "parts" | "drop"
    inputs          [{"name": str, "kind": "numeric" | "date" | "text"}, ...]
    numeric_names   [str]     one per numeric feature (a date gives 4: year, month, day, weekday)
    numeric_fill    [float]   SimpleImputer(strategy="median").statistics_
    mean, scale     [float] or null   StandardScaler.mean_ / .scale_ (scale > 0)
    text_fill       [str]     SimpleImputer(strategy="most_frequent").statistics_
    categories      [[str]]   OneHotEncoder.categories_, one sorted list per text input
    output_names    [str]     the network's input columns, in order
    target          null | {"name": str, "task": "classification" | "regression",
                            "mean": float | null, "scale": float | null}
    weight_column   null | str
    dropped         [{"column": str, "reason": str}]
    summary         {str: int | float | str | bool | null | {str: int}}
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["FORMAT", "VERSION", "validate_state"]

FORMAT = "leannet-preprocessing"
VERSION = 1
_MAX_ITEMS = 100_000
_MAX_TEXT = 1_000
_KEYS = {
    "format",
    "version",
    "missing",
    "dates",
    "inputs",
    "numeric_names",
    "numeric_fill",
    "mean",
    "scale",
    "text_fill",
    "categories",
    "output_names",
    "target",
    "weight_column",
    "dropped",
    "summary",
}


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise ValueError(f"{field} must be text of at most {_MAX_TEXT} characters")
    return value


def _texts(value: Any, field: str, *, unique: bool = False) -> list[str]:
    if not isinstance(value, list) or len(value) > _MAX_ITEMS:
        raise ValueError(f"{field} must be a list of at most {_MAX_ITEMS} items")
    out = [_text(v, f"{field}[{i}]") for i, v in enumerate(value)]
    if unique and len(set(out)) != len(out):
        raise ValueError(f"{field} holds duplicate names")
    return out


def _number(value: Any, field: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{field} must be a finite number")
    if positive and value <= 0:
        raise ValueError(f"{field} must be positive")
    return float(value)


def _numbers(value: Any, field: str, length: int, *, positive: bool = False) -> list[float]:
    if not isinstance(value, list) or len(value) != length:
        raise ValueError(f"{field} must be a list of {length} numbers")
    return [_number(v, f"{field}[{i}]", positive=positive) for i, v in enumerate(value)]


def _choice(value: Any, field: str, choices: tuple) -> str:
    if value not in choices:
        raise ValueError(f"{field} must be one of {', '.join(map(repr, choices))}")
    return value


def validate_state(state: Any) -> dict:
    """Check a preprocessing description read from a file; return it unchanged.

    Raises:
        ValueError: naming the first field that is missing, unknown, of the wrong
            type, inconsistent with another, or out of range.
    """
    if not isinstance(state, dict):
        raise ValueError("the preprocessing block must be a JSON object")
    unknown = sorted(set(state) - _KEYS)
    missing = sorted(_KEYS - set(state))
    if unknown:
        raise ValueError(f"unknown preprocessing fields {unknown}")
    if missing:
        raise ValueError(f"missing preprocessing fields {missing}")
    if state["format"] != FORMAT:
        raise ValueError(f"preprocessing format must be {FORMAT!r}")
    if isinstance(state["version"], bool) or state["version"] != VERSION:
        raise ValueError(f"preprocessing version must be {VERSION}")
    _choice(state["missing"], "missing", ("impute", "drop"))
    _choice(state["dates"], "dates", ("parts", "drop"))
    inputs = state["inputs"]
    if not isinstance(inputs, list) or len(inputs) > _MAX_ITEMS:
        raise ValueError("inputs must be a list")
    names, kinds = [], []
    for i, item in enumerate(inputs):
        if not isinstance(item, dict) or set(item) != {"name", "kind"}:
            raise ValueError(f"inputs[{i}] must be an object with name and kind")
        names.append(_text(item["name"], f"inputs[{i}].name"))
        kinds.append(_choice(item["kind"], f"inputs[{i}].kind", ("numeric", "date", "text")))
    if len(set(names)) != len(names):
        raise ValueError("inputs name a column twice")
    n_numeric = sum(1 for k in kinds if k == "numeric") + 4 * sum(1 for k in kinds if k == "date")
    n_text = sum(1 for k in kinds if k == "text")
    _texts(state["numeric_names"], "numeric_names", unique=True)
    if len(state["numeric_names"]) != n_numeric:
        raise ValueError(f"numeric_names must have {n_numeric} entries")
    _numbers(state["numeric_fill"], "numeric_fill", n_numeric)
    if (state["mean"] is None) != (state["scale"] is None):
        raise ValueError("mean and scale must both be given or both be null")
    if state["mean"] is not None:
        _numbers(state["mean"], "mean", n_numeric)
        _numbers(state["scale"], "scale", n_numeric, positive=True)
    if len(_texts(state["text_fill"], "text_fill")) != n_text:
        raise ValueError(f"text_fill must have {n_text} entries")
    categories = state["categories"]
    if not isinstance(categories, list) or len(categories) != n_text:
        raise ValueError(f"categories must be a list of {n_text} lists")
    n_onehot = 0
    for j, cats in enumerate(categories):
        cats = _texts(cats, f"categories[{j}]", unique=True)
        if not cats or cats != sorted(cats):
            raise ValueError(f"categories[{j}] must be a non-empty sorted list")
        if state["text_fill"][j] not in cats:
            raise ValueError(f"text_fill[{j}] is not one of categories[{j}]")
        n_onehot += len(cats)
    if n_onehot > _MAX_ITEMS:
        raise ValueError("too many one-hot columns")
    outputs = _texts(state["output_names"], "output_names")
    if len(outputs) != n_numeric + n_onehot:
        raise ValueError(f"output_names must have {n_numeric + n_onehot} entries")
    _validate_target(state["target"])
    if state["weight_column"] is not None:
        _text(state["weight_column"], "weight_column")
    dropped = state["dropped"]
    if not isinstance(dropped, list) or len(dropped) > _MAX_ITEMS:
        raise ValueError("dropped must be a list")
    for i, item in enumerate(dropped):
        if not isinstance(item, dict) or set(item) != {"column", "reason"}:
            raise ValueError(f"dropped[{i}] must be an object with column and reason")
        _text(item["column"], f"dropped[{i}].column")
        _text(item["reason"], f"dropped[{i}].reason")
    _validate_summary(state["summary"])
    return state


def _validate_target(target: Any) -> None:
    if target is None:
        return
    if not isinstance(target, dict) or set(target) != {"name", "task", "mean", "scale"}:
        raise ValueError("target must be null or an object with name, task, mean and scale")
    _text(target["name"], "target.name")
    task = _choice(target["task"], "target.task", ("classification", "regression"))
    if (target["mean"] is None) != (target["scale"] is None):
        raise ValueError("target mean and scale must both be given or both be null")
    if target["mean"] is not None:
        if task != "regression":
            raise ValueError("only a regression target can be scaled")
        _number(target["mean"], "target.mean")
        _number(target["scale"], "target.scale", positive=True)


def _validate_summary(summary: Any) -> None:
    if not isinstance(summary, dict) or len(summary) > 100:
        raise ValueError("summary must be an object of at most 100 fields")
    for key, value in summary.items():
        _text(key, "summary key")
        if isinstance(value, dict):
            if len(value) > _MAX_ITEMS:
                raise ValueError(f"summary.{key} is too large")
            for k, v in value.items():
                _text(k, f"summary.{key} key")
                if isinstance(v, bool) or not isinstance(v, int):
                    raise ValueError(f"summary.{key}.{k} must be a whole number")
        elif value is not None and not isinstance(value, str | int | float | bool):
            raise ValueError(f"summary.{key} must be a number, text, true/false or null")
        elif isinstance(value, str):
            _text(value, f"summary.{key}")
        elif isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"summary.{key} must be finite")
