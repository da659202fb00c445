"""The playground's settings: one flat, validated record, its URL form and its TrainConfig.

Settings fall in two groups. *Live* settings (regularization, optimizer, learning
rate, batch size) may change while training runs and apply at the next step.
*Structural* settings (data, features, layers, activation, seed) define the
experiment: changing one starts it again from fresh initial weights.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from ..errors import ConfigError
from ..lab.config import TrainConfig
from .data import DATASETS, FEATURES

MAX_LAYERS = 6
MAX_UNITS = 32
MAX_POINTS = 2000
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu")
OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop")
SCHEDULES = ("constant", "inverse-time", "step", "exponential", "cosine")
BATCH_SIZES = (0, 1, 5, 10, 16, 32, 64, 128)  # 0 = full batch

LIVE = (
    "l1",
    "l2",
    "bias_l1",
    "bias_l2",
    "l1_proximal",
    "weight_decay",
    "dropout",
    "noise",
    "max_norm",
    "early_stopping",
    "optimizer",
    "lr",
    "momentum",
    "lr_schedule",
    "lr_decay",
    "lr_every",
    "lr_epochs",
    "batch_size",
)
# What compare mode's second network may set differently: regularization only.
REGULARIZATION = LIVE[:10]


@dataclass
class Settings:
    """Everything the page can set; defaults give a small ReLU net on the circle."""

    dataset: str = "circle"
    n_points: int = 400
    data_noise: float = 0.1
    train_ratio: float = 0.5
    data_seed: int = 0
    features: list[str] = field(default_factory=lambda: ["x1", "x2"])
    hidden: list[int] = field(default_factory=lambda: [8, 8])
    activation: str = "tanh"
    seed: int = 0
    l1: float = 0.0
    l2: float = 0.0
    bias_l1: float = 0.0
    bias_l2: float = 0.0
    l1_proximal: bool = False
    weight_decay: float = 0.0
    dropout: float = 0.0
    noise: float = 0.0
    max_norm: float | None = None
    early_stopping: int = 0
    optimizer: str = "sgd"
    lr: float = 0.03
    momentum: float = 0.0
    lr_schedule: str = "constant"
    lr_decay: float = 0.0
    lr_every: int = 100
    lr_epochs: int = 100  # the cosine schedule anneals over this many epochs
    batch_size: int = 10

    def validate(self) -> Settings:
        """Check every value; raise ConfigError naming the setting and its range."""

        def number(name, low=0.0, high=math.inf, strict=False, none=False):
            v = getattr(self, name)
            if v is None and none:
                return
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise ConfigError(f"{name} must be a number, got {v!r}")
            if v < low or v > high or (strict and v == low):
                raise ConfigError(f"{name} must be in [{low:g}, {high:g}], got {v!r}")
            if isinstance(v, int):
                setattr(self, name, float(v))

        def integer(name, low, high):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
                raise ConfigError(f"{name} must be a whole number from {low} to {high}, got {v!r}")

        def choice(name, options):
            if getattr(self, name) not in options:
                raise ConfigError(f"{name} must be one of {', '.join(map(str, options))}")

        choice("dataset", (*DATASETS, "upload"))
        integer("n_points", 4, MAX_POINTS)
        number("data_noise", high=1.0)
        number("train_ratio", low=0.1, high=1.0)
        integer("data_seed", 0, 2**31 - 1)
        if not isinstance(self.features, list) or not all(f in FEATURES for f in self.features):
            raise ConfigError(f"features must be a list drawn from {', '.join(FEATURES)}")
        self.features = [f for f in FEATURES if f in self.features]
        if not isinstance(self.hidden, list) or len(self.hidden) > MAX_LAYERS:
            raise ConfigError(f"the playground allows 0 to {MAX_LAYERS} hidden layers")
        for h in self.hidden:
            if isinstance(h, bool) or not isinstance(h, int) or not 1 <= h <= MAX_UNITS:
                raise ConfigError(f"each hidden layer has 1 to {MAX_UNITS} units, got {h!r}")
        choice("activation", ACTIVATIONS)
        integer("seed", 0, 2**31 - 1)
        for name in ("l1", "l2", "bias_l1", "bias_l2", "weight_decay"):
            number(name, high=10.0)
        if not isinstance(self.l1_proximal, bool):
            raise ConfigError("l1_proximal must be true or false")
        number("dropout", high=0.9)
        number("noise", high=5.0)
        number("max_norm", strict=True, high=100.0, none=True)
        integer("early_stopping", 0, 10_000)
        choice("optimizer", OPTIMIZERS)
        number("lr", strict=True, high=10.0)
        number("momentum", high=0.99)
        choice("lr_schedule", SCHEDULES)
        number("lr_decay", high=1.0)
        integer("lr_every", 1, 1_000_000)
        integer("lr_epochs", 1, 100_000)
        choice("batch_size", BATCH_SIZES)
        if self.momentum and self.optimizer != "sgd":
            self.momentum = 0.0  # the control is only shown for SGD
        if self.lr_schedule in ("step", "exponential") and not 0 < self.lr_decay <= 1:
            raise ConfigError(f"the {self.lr_schedule} schedule needs a decay factor in (0, 1]")
        return self

    # -- conversions ------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def updated(self, changes: dict) -> Settings:
        """A validated copy with ``changes`` applied; unknown keys are an error."""
        unknown = set(changes) - _FIELDS
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        return Settings(**{**self.to_dict(), **changes}).validate()

    def train_config(self, epochs: int = 1) -> TrainConfig:
        """The ``leannet train`` configuration of these settings.

        The page's test points are ``leannet train``'s test split (no validation
        split), features are standardised with the training statistics as there.
        Early stopping is left out: ``leannet train`` watches a validation split,
        the page watches its test points (the export says so).
        """
        return TrainConfig(
            val_split=0.0,
            test_split=1.0 - self.train_ratio,
            standardize=True,
            hidden=list(self.hidden),
            activation=self.activation,
            l1=self.l1,
            l2=self.l2,
            bias_l1=self.bias_l1,
            bias_l2=self.bias_l2,
            l1_proximal=self.l1_proximal,
            weight_decay=self.weight_decay,
            dropout=self.dropout,
            noise=self.noise,
            max_norm=self.max_norm,
            early_stopping=0,
            optimizer=self.optimizer,
            lr=self.lr,
            momentum=self.momentum,
            lr_schedule=self.lr_schedule,
            lr_decay=self.lr_decay,
            lr_every=self.lr_every,
            epochs=max(1, epochs),
            batch_size=self.batch_size,
            seed=self.seed,
        )

    def to_query(self) -> str:
        """The settings that differ from the defaults, as a URL query string."""
        default = Settings().to_dict()
        pairs = []
        for k, v in self.to_dict().items():
            if v == default[k]:
                continue
            if isinstance(v, list):
                v = ",".join(map(str, v)) if v else "none"
            elif isinstance(v, bool):
                v = "1" if v else "0"
            elif v is None:
                v = "none"
            pairs.append((k, str(v)))
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query: str) -> Settings:
        """Parse `to_query` output (unknown keys are ignored, bad values refused)."""
        changes = {}
        types = {f.name: f.type for f in dataclasses.fields(cls)}
        for k, text in parse_qsl(query, keep_blank_values=True):
            if k not in types:
                continue
            kind = str(types[k])
            try:
                if "list[int]" in kind:
                    changes[k] = [] if text in ("", "none") else [int(x) for x in text.split(",")]
                elif "list[str]" in kind:
                    changes[k] = [] if text in ("", "none") else text.split(",")
                elif kind == "bool":
                    changes[k] = text in ("1", "true")
                elif kind == "int":
                    changes[k] = int(text)
                elif "float" in kind:
                    changes[k] = None if text == "none" else float(text)
                else:
                    changes[k] = text
            except ValueError:
                raise ConfigError(f"the link's setting {k}={text!r} is not valid") from None
        return cls().updated(changes)


_FIELDS = {f.name for f in dataclasses.fields(Settings)}
