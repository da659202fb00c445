"""Training configuration of ``leannet train``: defaults, TOML files, flags.

One flat dataclass, `TrainConfig`, holds every setting. It is resolved in
three layers, later ones winning: the defaults below, a ``--config FILE.toml``,
then the command-line flags that were actually given. The resolved config is
saved in the run directory (``config.json`` and ``config.toml``), and that
``config.toml`` can be passed back with ``--config`` to repeat the run.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import optimizers
from .._safe_io import read_text
from ..errors import ConfigError
from ..layers.activations import HIDDEN_ACTIVATIONS

__all__ = [
    "TrainConfig",
    "load_toml",
    "resolve_config",
    "to_toml",
    "applicable_settings",
    "ESTIMATOR_NAMES",
    "estimator_params",
    "ACTIVATIONS",
    "OPTIMIZERS",
    "SCHEDULES",
    "LOSSES",
]

# the core's name tables (the lab offers what the builder builds)
ACTIVATIONS = HIDDEN_ACTIVATIONS
OPTIMIZERS = tuple(optimizers.OPTIMIZERS)
SCHEDULES = ("constant", "inverse-time", "step", "exponential", "cosine")
LOSSES = ("auto", "mse", "binary_cross_entropy", "categorical_cross_entropy")
INITS = ("auto", "glorot_uniform", "he_normal", "he_uniform", "normal")


@dataclass
class TrainConfig:
    """Every setting of a training run (see ``leannet train --help``)."""

    # data
    target: str | None = None
    task: str | None = None  # None: inferred from the target
    val_split: float = 0.2
    test_split: float = 0.2  # used only when the data has no fixed test split
    standardize: bool = True
    # tables (CSV files): the preprocessing saved with the model (leannet.preprocessing)
    features: list[str] | None = None  # None: every column but the target and `drop`
    drop: list[str] = field(default_factory=list)
    missing: str = "impute"  # or "drop": training rows with a missing feature are dropped
    dates: str = "parts"  # or "drop"
    scale_target: bool = True  # standardise a regression target
    class_weight: str | None = None  # "balanced": weight n / (k * n_class) per row
    sample_weight: str | None = None  # a column of per-row weights
    # network
    hidden: list[int] = field(default_factory=lambda: [16])
    activation: str = "relu"
    loss: str = "auto"
    init: str = "auto"
    dtype: str = "float32"
    # regularization
    l1: float = 0.0
    l2: float = 0.0
    bias_l1: float = 0.0
    bias_l2: float = 0.0
    l1_proximal: bool = False
    weight_decay: float = 0.0
    dropout: float = 0.0
    noise: float = 0.0
    max_norm: float | None = None
    early_stopping: int = 0  # patience in epochs; 0 = off
    # optimization
    optimizer: str = "adam"
    lr: float = 0.001
    momentum: float = 0.0
    lr_schedule: str = "constant"
    lr_decay: float = 0.0
    lr_every: int = 100
    clip_norm: float | None = None
    epochs: int = 200
    batch_size: int = 32  # 0 = full batch
    seed: int = 0

    def validate(self) -> TrainConfig:
        """Check every value; raise ConfigError naming the option and the fix."""

        def flag(name: str) -> str:
            return "--" + name.replace("_", "-")

        def number(
            name: str,
            *,
            low: float = 0.0,
            strict: bool = False,
            high: float | None = None,
            allow_none: bool = False,
        ):
            v = getattr(self, name)
            if v is None and allow_none:
                return
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise ConfigError(f"{flag(name)} must be a number, got {v!r}")
            if (v <= low if strict else v < low) or (high is not None and v >= high):
                rng = f"{'>' if strict else '>='} {low:g}" + (f" and < {high:g}" if high else "")
                raise ConfigError(f"{flag(name)} must be {rng}, got {v!r}")

        def integer(name: str, *, low: int, allow_none: bool = False):
            v = getattr(self, name)
            if v is None and allow_none:
                return
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise ConfigError(f"{flag(name)} must be a whole number >= {low}, got {v!r}")

        def choice(name: str, options, *, allow_none: bool = False):
            v = getattr(self, name)
            if v is None and allow_none:
                return
            if v not in options:
                raise ConfigError(f"{flag(name)} must be one of {', '.join(options)}, got {v!r}")

        for f in dataclasses.fields(self):  # every flag: true or false, never "no" or 1
            v = getattr(self, f.name)
            if str(f.type) == "bool" and not isinstance(v, bool):
                raise ConfigError(f"{flag(f.name)} must be true or false, got {v!r}")
        choice("task", ("classification", "regression"), allow_none=True)
        choice("missing", ("impute", "drop"))
        choice("dates", ("parts", "drop"))
        choice("class_weight", ("balanced",), allow_none=True)
        for name in ("features", "drop"):
            v = getattr(self, name)
            if not (v is None and name == "features") and not (
                isinstance(v, list) and all(isinstance(c, str) and c for c in v)
            ):
                raise ConfigError(f"{flag(name)} must be column names, got {v!r}")
        if self.sample_weight is not None and not isinstance(self.sample_weight, str):
            raise ConfigError(f"--sample-weight must be a column name, got {self.sample_weight!r}")
        if self.class_weight and self.task == "regression":
            raise ConfigError("--class-weight applies to classification only")
        number("val_split", high=1.0)
        number("test_split", high=1.0)
        if self.val_split + self.test_split >= 1.0:
            raise ConfigError(
                f"--val-split + --test-split must be < 1, got {self.val_split} + {self.test_split}"
            )
        if not isinstance(self.hidden, list) or not all(
            isinstance(h, int) and not isinstance(h, bool) and h >= 1 for h in self.hidden
        ):
            raise ConfigError(
                f"--hidden must be whole numbers >= 1 (e.g. --hidden 64 32), got {self.hidden!r}"
            )
        choice("activation", ACTIVATIONS)
        choice("loss", LOSSES)
        choice("init", INITS)
        choice("dtype", ("float32", "float64"))
        for name in (
            "l1",
            "l2",
            "bias_l1",
            "bias_l2",
            "weight_decay",
            "noise",
            "momentum",
            "lr_decay",
        ):
            number(name)
        number("dropout", high=1.0)
        number("max_norm", strict=True, allow_none=True)
        number("clip_norm", strict=True, allow_none=True)
        integer("early_stopping", low=0)
        choice("optimizer", OPTIMIZERS)
        number("lr", strict=True)
        choice("lr_schedule", SCHEDULES)
        integer("lr_every", low=1)
        integer("epochs", low=1)
        integer("batch_size", low=0)
        integer("seed", low=0)
        if self.early_stopping and self.val_split == 0:
            raise ConfigError("--early-stopping needs a validation set; set --val-split > 0")
        if self.momentum and self.optimizer != "sgd":
            raise ConfigError("--momentum applies to --optimizer sgd only")
        return self

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


_FIELDS = {f.name for f in dataclasses.fields(TrainConfig)}

# a TrainConfig setting -> the hyperparameter of leannet's scikit-learn estimators
ESTIMATOR_NAMES = {
    "hidden": "hidden_layer_sizes",
    "activation": "activation",
    "optimizer": "optimizer",
    "lr": "learning_rate",
    "epochs": "max_iter",
    "batch_size": "batch_size",
    "l1": "l1",
    "l2": "l2",
    "weight_decay": "weight_decay",
    "dropout": "dropout",
    "noise": "noise",
    "max_norm": "max_norm",
    "early_stopping": "n_iter_no_change",
}


def estimator_params(settings: dict | None = None, *, defaults: bool = True) -> dict:
    """``settings`` (TrainConfig names) as LeanClassifier/LeanRegressor hyperparameters.

    With ``defaults``, every unset setting takes TrainConfig's default: the one set of
    defaults that ``leannet train``, ``leannet sweep`` and ``leannet.sweep`` share
    (16 hidden units, batches of 32, lr 0.001, 200 epochs). ``early_stopping`` N > 0
    becomes ``early_stopping=True, n_iter_no_change=N``; ``batch_size`` 0 (full batch)
    stays 0 for the caller, who knows the number of rows, to replace.
    """
    given = {k: v for k, v in (settings or {}).items() if k in ESTIMATOR_NAMES}
    if defaults:
        base = TrainConfig().to_dict()
        given = {**{k: base[k] for k in ESTIMATOR_NAMES}, **given}
    params = {ESTIMATOR_NAMES[k]: v for k, v in given.items()}
    if "hidden" in given:
        params["hidden_layer_sizes"] = tuple(int(w) for w in given["hidden"])
    if "early_stopping" in given:
        patience = given["early_stopping"] or 0
        params["early_stopping"] = bool(patience)
        if patience:
            params["n_iter_no_change"] = int(patience)
        else:
            del params["n_iter_no_change"]
    return params


def load_toml(path: str | os.PathLike) -> dict:
    """Read a TOML config (keys as in `TrainConfig`; dashes allowed).

    Settings may sit at the top level or in a ``[train]`` table.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:  # pragma: no cover - depends on the environment
            raise ConfigError(
                "reading --config needs tomli on Python 3.10: pip install tomli"
            ) from None
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise ConfigError(f"--config file not found: {path}")
    # only a regular file, at most 1 MB: /dev/zero or a FIFO is refused, not read forever
    text = read_text(path, what="--config file", max_bytes=2**20, error=ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"--config {path} is not valid TOML ({exc})") from None
    if isinstance(data.get("train"), dict):
        data = {**{k: v for k, v in data.items() if k != "train"}, **data["train"]}
    out = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in _FIELDS:
            raise ConfigError(
                f"--config {path}: unknown setting {key!r}; known settings: "
                f"{', '.join(sorted(_FIELDS))}"
            )
        out[name] = value
    return out


def resolve_config(file_values: dict | None = None, flag_values: dict | None = None) -> TrainConfig:
    """Defaults, then ``file_values``, then ``flag_values`` (None values skipped)."""
    merged: dict = {}
    for layer in (file_values or {}, flag_values or {}):
        merged.update({k: v for k, v in layer.items() if v is not None})
    unknown = set(merged) - _FIELDS
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    if isinstance(merged.get("batch_size"), str) and merged["batch_size"].lower() in (
        "full",
        "all",
    ):
        merged["batch_size"] = 0  # as on the command line: full batch
    if isinstance(merged.get("hidden"), int):
        merged["hidden"] = [merged["hidden"]]
    cfg = TrainConfig(**merged)
    # TOML floats written as ints (lr = 1) are fine
    for f in dataclasses.fields(TrainConfig):
        v = getattr(cfg, f.name)
        if "float" in str(f.type) and isinstance(v, int) and not isinstance(v, bool):
            setattr(cfg, f.name, float(v))
    return cfg.validate()


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v))  # a JSON string is a valid TOML basic string


def to_toml(cfg: TrainConfig | dict) -> str:
    """The config as TOML (None values are left out: they mean "the default")."""
    d = cfg.to_dict() if isinstance(cfg, TrainConfig) else cfg
    lines = ["# leannet training config; reuse with: leannet train --config config.toml ..."]
    for k, v in d.items():
        if v is None:
            continue
        # keys that are not settings (e.g. the data source) are kept as comments
        lines.append(f"{'' if k in _FIELDS else '# '}{k} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


_TABLE_SETTINGS = ("features", "drop", "missing", "dates", "scale_target", "class_weight")


def applicable_settings(config: dict, *, task: str | None, table: bool) -> dict:
    """The settings of ``config`` that shaped this run, for the report's table.

    Left out: settings that did not apply (momentum without SGD, decay settings of a
    constant schedule, bias penalties and the proximal flag when zero or without L1,
    unset limits, CSV preprocessing options for other data, target scaling for
    classification). ``batch_size`` 0 reads "full batch"; an inferred task says so.
    """
    out = {}
    for key, value in config.items():
        if isinstance(value, dict):
            continue
        if key == "momentum" and config.get("optimizer") != "sgd":
            continue
        if key == "lr_decay" and config.get("lr_schedule", "constant") == "constant":
            continue
        if key == "lr_every" and config.get("lr_schedule") not in ("step", "exponential"):
            continue
        if key in ("bias_l1", "bias_l2") and not value:
            continue
        if key == "l1_proximal" and not config.get("l1"):
            continue
        if key in (
            "target", "max_norm", "clip_norm", "features", "class_weight", "sample_weight"
        ) and value is None:  # fmt: skip
            continue
        if key in (*_TABLE_SETTINGS, "sample_weight") and key not in (
            "class_weight", "scale_target"
        ) and not table:  # fmt: skip
            continue
        if key == "drop" and not value:
            continue
        if key == "scale_target" and task != "regression":
            continue
        if key == "batch_size" and value == 0:
            value = "full batch"
        if key == "task" and value is None and task:
            value = f"{task} (inferred)"
        out[key] = value
    return out
