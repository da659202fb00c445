r"""Learning-rate schedules: functions of the update count ``t``.

``t`` is the number of parameter updates already made (0 for the first update),
so with mini-batches the rate changes every batch, as in the seeds' optimizers.
"""

from __future__ import annotations

import math

from ._validation import check_nonnegative, check_positive, check_positive_int
from .errors import ConfigError


class Schedule:
    """Base class: ``schedule(t) -> learning rate``."""

    def __call__(self, t: int) -> float:
        raise NotImplementedError

    def get_config(self) -> dict:
        return dict(vars(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Constant(Schedule):
    """A fixed rate: :math:`\\eta_t = \\eta_0`."""

    def __init__(self, lr0: float):
        self.lr0 = check_positive(lr0, "lr")

    def __call__(self, t):
        return self.lr0


class InverseTimeDecay(Schedule):
    r"""The seeds' decay: :math:`\eta_t = \eta_0 / (1 + d\,t)`."""

    def __init__(self, lr0: float, decay: float):
        self.lr0 = check_positive(lr0, "lr0")
        self.decay = check_nonnegative(decay, "decay")

    def __call__(self, t):
        return self.lr0 / (1.0 + self.decay * t)


class StepDecay(Schedule):
    r"""Drop by a factor every ``every`` updates: :math:`\eta_t = \eta_0 f^{\lfloor t / e \rfloor}`."""

    def __init__(self, lr0: float, factor: float, every: int):
        self.lr0 = check_positive(lr0, "lr0")
        self.factor = check_positive(factor, "factor")
        self.every = check_positive_int(every, "every")

    def __call__(self, t):
        return self.lr0 * self.factor ** (t // self.every)


class ExponentialDecay(Schedule):
    r"""Smooth exponential decay: :math:`\eta_t = \eta_0 r^{t / e}`."""

    def __init__(self, lr0: float, rate: float, every: int = 1):
        self.lr0 = check_positive(lr0, "lr0")
        self.rate = check_positive(rate, "rate")
        self.every = check_positive_int(every, "every")

    def __call__(self, t):
        return self.lr0 * self.rate ** (t / self.every)


class CosineDecay(Schedule):
    r"""Cosine annealing over ``steps`` updates, then constant:
    :math:`\eta_t = \eta_{min} + \tfrac12(\eta_0 - \eta_{min})(1 + \cos(\pi \min(t, S)/S))`."""

    def __init__(self, lr0: float, steps: int, min_lr: float = 0.0):
        self.lr0 = check_positive(lr0, "lr0")
        self.steps = check_positive_int(steps, "steps")
        self.min_lr = check_nonnegative(min_lr, "min_lr")

    def __call__(self, t):
        frac = min(t, self.steps) / self.steps
        return self.min_lr + 0.5 * (self.lr0 - self.min_lr) * (1.0 + math.cos(math.pi * frac))


SCHEDULES = {
    cls.__name__: cls
    for cls in (Constant, InverseTimeDecay, StepDecay, ExponentialDecay, CosineDecay)
}


def get(lr) -> Schedule:
    """A schedule from a number (constant rate), a Schedule, or a config dict with "class"."""
    if isinstance(lr, Schedule):
        return lr
    if isinstance(lr, dict):
        config = dict(lr)
        name = config.pop("class", None)
        if name not in SCHEDULES:
            raise ConfigError(
                f"lr schedule {name!r} is not known; use one of {', '.join(SCHEDULES)}"
            )
        return SCHEDULES[name](**config)
    if callable(lr) and not isinstance(lr, (int, float)):
        raise ConfigError("lr must be a number or a leannet schedule (e.g. ln.InverseTimeDecay)")
    return Constant(lr)


def to_config(schedule: Schedule):
    """JSON-able form: a plain number for constants, else a dict with "class"."""
    if isinstance(schedule, Constant):
        return schedule.lr0
    return {"class": type(schedule).__name__, **schedule.get_config()}
