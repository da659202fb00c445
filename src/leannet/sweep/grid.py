"""Grids of hyperparameter settings: parsing, validation, order and simplicity.

A grid is a mapping ``{name: [values...]}``; its settings are the Cartesian
product in the order the names were given (the first name is the x axis of the
plots). Every setting is checked on a clone of the estimator before anything is
fitted, so a typo fails at once instead of after an hour of fits.
"""

from __future__ import annotations

import ast
import difflib
import itertools
import json
import math
import numbers

import numpy as np

from .._jsonsafe import to_json_safe
from ..errors import ConfigError

# Hyperparameters whose larger values give a simpler (more regularised) model ...
SIMPLER_WHEN_LARGER = frozenset(
    {"l1", "l2", "weight_decay", "dropout", "noise", "alpha", "tol", "validation_fraction"}
)
# ... and those whose smaller values do (None = unconstrained = least simple).
SIMPLER_WHEN_SMALLER = frozenset({"max_norm", "C", "max_iter", "learning_rate_init"})


def _reject_grid_value(value, where: str, reason: str) -> ConfigError:
    if reason == "nonfinite":
        return ConfigError(f"grid value {value!r} is not finite; use finite numbers")
    return ConfigError(
        f"grid value {value!r} ({type(value).__name__}) cannot be written to the results file; "
        "use numbers, strings, booleans, None or tuples of them"
    )


def _jsonable(value):
    """Values as they are written to the results file (tuples become lists)."""
    return to_json_safe(value, nonfinite="error", reject=_reject_grid_value)


def setting_key(setting: dict) -> str:
    """Canonical text of a setting: equal settings give equal keys on any machine."""
    return json.dumps({k: _jsonable(v) for k, v in setting.items()}, sort_keys=True)


def normalize_grid(grid) -> dict[str, list]:
    """Check the grid's shape: a non-empty mapping of names to non-empty value lists."""
    if not isinstance(grid, dict) or not grid:
        raise ConfigError(
            "grid must be a non-empty dict of hyperparameter name -> list of values, "
            "e.g. {'l2': [0, 1e-4, 1e-3]}"
        )
    out: dict[str, list] = {}
    for name, values in grid.items():
        if not isinstance(name, str) or not name:
            raise ConfigError(f"grid keys must be hyperparameter names, got {name!r}")
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            values = [values]
        values = list(values.tolist() if isinstance(values, np.ndarray) else values)
        if not values:
            raise ConfigError(f"grid entry {name!r} has no values; give at least one")
        keys = [json.dumps(_jsonable(v)) for v in values]
        if len(set(keys)) != len(keys):
            raise ConfigError(f"grid entry {name!r} repeats a value: {values!r}; list each once")
        out[name] = values
    return out


def settings(grid: dict[str, list]) -> list[dict]:
    """All settings of the grid, in product order (last name varies fastest)."""
    names = list(grid)
    return [dict(zip(names, combo)) for combo in itertools.product(*(grid[n] for n in names))]


def final_estimator(estimator, *, fitted: bool = False):
    """``(prefix, model)``: the model inside Pipelines and target transformers.

    ``prefix`` is what ``set_params`` names need in front (``"leanclassifier__"``);
    with ``fitted=True`` the fitted copy of a wrapped regressor (``regressor_``) is
    returned, which is where the weights are.
    """
    prefix = ""
    while True:
        if hasattr(estimator, "steps"):
            name, estimator = estimator.steps[-1]
            prefix += f"{name}__"
        elif fitted and getattr(estimator, "regressor_", None) is not None:
            prefix += "regressor__"  # TransformedTargetRegressor fits a clone
            estimator = estimator.regressor_
        elif getattr(estimator, "regressor", None) is not None:
            prefix += "regressor__"  # TransformedTargetRegressor, StandardizedTarget
            estimator = estimator.regressor
        else:
            return prefix, estimator


def set_params(estimator, setting: dict):
    """``estimator.set_params(**setting)``; bare names address the final model."""
    prefix, _ = final_estimator(estimator)
    if prefix:
        own = estimator.get_params(deep=True)
        setting = {(k if k in own else f"{prefix}{k}"): v for k, v in setting.items()}
    return estimator.set_params(**setting)


# leannet train's option names -> the estimators' hyperparameters
TRAIN_NAMES = {
    "lr": "learning_rate",
    "epochs": "max_iter",
    "hidden": "hidden_layer_sizes",
    "seed": "random_state",
}


def validate_grid(grid, estimator) -> dict[str, list]:
    """Normalise ``grid`` and check every setting against ``estimator``.

    Raises:
        ConfigError: naming the unknown parameter (with the known ones) or the
            invalid value and what is allowed.
    """
    from sklearn.base import clone

    grid = normalize_grid(grid)
    # Bare names address the model inside a Pipeline or target transformer.
    _, final = final_estimator(estimator)
    known = set(estimator.get_params(deep=True)) | set(final.get_params(deep=True))
    for name in grid:
        if name not in known:
            choices = sorted(k for k in final.get_params(deep=False) if "__" not in k)
            hint = [TRAIN_NAMES[name]] if name in TRAIN_NAMES else []
            hint = hint or difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
            raise ConfigError(
                f"grid parameter {name!r} is not a hyperparameter of {type(final).__name__}"
                + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + f"; choose from: {', '.join(choices)}"
            )
    for setting in settings(grid):
        setting_key(setting)
        candidate = final_estimator(set_params(clone(estimator), setting))[1]
        check = getattr(candidate, "_validated_params", None)
        try:
            if check is not None:
                check()
            elif hasattr(candidate, "_validate_params"):
                candidate._validate_params()
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"grid setting {setting} is invalid: {exc}") from None
    return grid


def _parse_value(text: str):
    text = text.strip()
    low = text.lower()
    if low in ("none", "null"):
        return None
    if low in ("true", "false"):
        return low == "true"
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_grid_arg(text: str) -> tuple[str, list]:
    """Parse one CLI ``--grid`` argument.

    Forms: ``l2=0,1e-4,1e-3`` (a list), ``l2=log:1e-5:1e-1:5`` (5 values evenly
    spaced on a log scale, both ends included, optionally ``log0:...`` to add 0),
    ``hidden_layer_sizes=(64,);(64,32)`` (``;`` separates values holding commas).
    """
    if "=" not in text:
        raise ConfigError(
            f"--grid {text!r} must look like NAME=V1,V2,... (e.g. l2=0,1e-4,1e-3) "
            "or NAME=log:START:STOP:N"
        )
    name, rhs = (part.strip() for part in text.split("=", 1))
    if not name or not rhs:
        raise ConfigError(f"--grid {text!r} needs a name and at least one value, e.g. l2=0,1e-3")
    if rhs.startswith(("log:", "log0:")):
        parts = rhs.split(":")
        try:
            start, stop, num = float(parts[1]), float(parts[2]), int(parts[3])
            if len(parts) != 4 or start <= 0 or stop <= 0 or num < 1:
                raise ValueError
        except (ValueError, IndexError):
            raise ConfigError(
                f"--grid {text!r}: write log:START:STOP:N with START, STOP > 0 and N >= 1, "
                "e.g. l2=log:1e-5:1e-1:5"
            ) from None
        values = [float(f"{v:.6g}") for v in np.geomspace(start, stop, num)]
        return name, ([0.0] if parts[0] == "log0" else []) + values
    items = rhs.split(";") if ";" in rhs else rhs.split(",")
    return name, [_parse_value(item) for item in items if item.strip()]


def simplicity(setting: dict, names: list[str]) -> tuple:
    """Sort key: larger means simpler (more regularised); earlier names weigh more.

    Known penalties (``l1``, ``l2``, ``weight_decay``, ``dropout``, ``noise``,
    ``alpha``) are simpler when larger, ``max_norm`` and ``C`` when smaller,
    ``hidden_layer_sizes`` with fewer units; other parameters do not count.
    """
    key = []
    for name in names:
        value = setting.get(name)
        if name in SIMPLER_WHEN_LARGER and isinstance(value, numbers.Real):
            key.append(float(value))
        elif name in SIMPLER_WHEN_SMALLER:
            key.append(-math.inf if value is None else -float(value))
        elif name == "hidden_layer_sizes" and value is not None:
            sizes = [value] if isinstance(value, numbers.Integral) else list(value)
            key.append(-float(sum(sizes)))
        else:
            key.append(0.0)
    return tuple(key)


def strength_param(names: list[str], grid: dict[str, list]) -> str | None:
    """The parameter to put on the x axis: the first numeric penalty-like one."""
    for name in names:
        values = [v for v in grid[name] if v is not None]
        if values and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
            return name
    return None
