r"""Learning-rate schedules: functions of the update count ``t``.

``t`` is the number of parameter updates already made (0 for the first update),
so with mini-batches the rate changes every batch, as in the source tutorials' optimizers.
Each schedule has a ``name`` (``"constant"``, ``"inverse_time"``...) for `get`.
"""

from __future__ import annotations

import math

from ._registry import build
from ._validation import check_nonnegative, check_positive, check_positive_int
from .errors import ConfigError


class Schedule:
    """Base class: ``schedule(t) -> learning rate``."""

    name = ""

    def __call__(self, t: int) -> float:
        raise NotImplementedError

    def get_config(self) -> dict:
        return dict(vars(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Constant(Schedule):
    """A fixed rate: $\\eta_t = \\eta_0$."""

    name = "constant"

    def __init__(self, lr0: float):
        self.lr0 = check_positive(lr0, "lr")

    def __call__(self, t):
        return self.lr0


class InverseTimeDecay(Schedule):
    r"""The source tutorials' decay: $\eta_t = \eta_0 / (1 + d\,t)$."""

    name = "inverse_time"

    def __init__(self, lr0: float, decay: float):
        self.lr0 = check_positive(lr0, "lr0")
        self.decay = check_nonnegative(decay, "decay")

    def __call__(self, t):
        return self.lr0 / (1.0 + self.decay * t)


class StepDecay(Schedule):
    r"""Drop by a factor every ``every`` updates: $\eta_t = \eta_0 f^{\lfloor t / e \rfloor}$."""

    name = "step"

    def __init__(self, lr0: float, factor: float, every: int):
        self.lr0 = check_positive(lr0, "lr0")
        self.factor = check_positive(factor, "factor")
        self.every = check_positive_int(every, "every")

    def __call__(self, t):
        return self.lr0 * self.factor ** (t // self.every)


class ExponentialDecay(Schedule):
    r"""Smooth exponential decay: $\eta_t = \eta_0 r^{t / e}$."""

    name = "exponential"

    def __init__(self, lr0: float, rate: float, every: int = 1):
        self.lr0 = check_positive(lr0, "lr0")
        self.rate = check_positive(rate, "rate")
        self.every = check_positive_int(every, "every")

    def __call__(self, t):
        return self.lr0 * self.rate ** (t / self.every)


class CosineDecay(Schedule):
    r"""Cosine annealing over ``steps`` updates, then constant:
    $\eta_t = \eta_{min} + \tfrac12(\eta_0 - \eta_{min})(1 + \cos(\pi \min(t, S)/S))$."""

    name = "cosine"

    def __init__(self, lr0: float, steps: int, min_lr: float = 0.0):
        self.lr0 = check_positive(lr0, "lr0")
        self.steps = check_positive_int(steps, "steps")
        self.min_lr = check_nonnegative(min_lr, "min_lr")

    def __call__(self, t):
        frac = min(t, self.steps) / self.steps
        return self.min_lr + 0.5 * (self.lr0 - self.min_lr) * (1.0 + math.cos(math.pi * frac))


class InverseScaling(Schedule):
    r"""Power-law decay, scikit-learn's ``learning_rate="invscaling"``:
    $\eta_t = \eta_0 / (s \lfloor t / e \rfloor + 1)^{p}$.

    With ``every=1, scale=1`` the rate falls every update, $\eta_0/(t+1)^p$.
    scikit-learn updates it once per epoch from the number of samples seen,
    ``lr0 / (t_samples + 1) ** power_t``: that is ``every=`` the batches per epoch
    and ``scale=`` the samples per epoch.

    Args:
        lr0: initial rate.
        power_t: the exponent $p$ (scikit-learn's default 0.5).
        every: updates per step of the counter (e.g. batches per epoch).
        scale: how much the counter grows per step (e.g. samples per epoch).
    """

    name = "inverse_scaling"

    def __init__(self, lr0: float, power_t: float = 0.5, every: int = 1, scale: float = 1.0):
        self.lr0 = check_positive(lr0, "lr0")
        self.power_t = check_nonnegative(power_t, "power_t")
        self.every = check_positive_int(every, "every")
        self.scale = check_positive(scale, "scale")

    def __call__(self, t):
        return self.lr0 / (self.scale * (t // self.every) + 1.0) ** self.power_t


SCHEDULES: dict[str, type[Schedule]] = {
    cls.name: cls
    for cls in (
        Constant,
        InverseTimeDecay,
        StepDecay,
        ExponentialDecay,
        CosineDecay,
        InverseScaling,
    )
}


def _lookup(name: str) -> type[Schedule] | None:
    """The schedule class for a name (``"inverse_time"``) or class name (``"InverseTimeDecay"``)."""
    key = name.lower().replace("-", "_")
    if key in SCHEDULES:
        return SCHEDULES[key]
    return next((cls for cls in SCHEDULES.values() if cls.__name__ == name), None)


def get(lr, **options) -> Schedule:
    """A schedule from a number (constant rate), a Schedule, a config dict with "class",
    or a name with its options, e.g. ``get("inverse_scaling", lr0=0.1, power_t=0.5)``."""
    if isinstance(lr, Schedule):
        return lr
    if isinstance(lr, (dict, str)):
        return build(lr, options, _lookup, what="lr schedule", known=", ".join(SCHEDULES))
    if callable(lr) and not isinstance(lr, (int, float)):
        raise ConfigError("lr must be a number or a leannet schedule (e.g. ln.InverseTimeDecay)")
    return Constant(lr)


def to_config(schedule: Schedule):
    """JSON-able form: a plain number for constants, else a dict with "class"."""
    if isinstance(schedule, Constant):
        return schedule.lr0
    return {"class": type(schedule).__name__, **schedule.get_config()}
