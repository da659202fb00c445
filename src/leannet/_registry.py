"""Building an object from a name or a config dict: the one routine behind each ``get()``.

Each concept keeps its own name table (``optimizers.OPTIMIZERS``,
``schedules.SCHEDULES``, ``regularizers.REGULARIZERS``...); this module only turns
``"sgd"`` plus options, or ``{"class": "SGD", "lr": 0.1}``, into an instance of the
class the table names, with one clear error for an unknown name or a wrong option.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import ConfigError


def build(spec, options: dict, lookup: Callable[[str], type | None], *, what: str, known: str):
    """``cls(**settings)`` for the class ``lookup`` finds.

    Args:
        spec: a name, or a dict with the name under ``"class"`` and settings.
        options: more settings (override the dict's).
        lookup: name -> class, or None when unknown.
        what: the argument's name in messages ("optimizer", "lr schedule"...).
        known: the accepted names, for the message.
    """
    settings = dict(spec) if isinstance(spec, dict) else {"class": spec}
    settings.update(options)
    name = settings.pop("class", None)
    cls = lookup(name) if isinstance(name, str) else None
    if cls is None:
        raise ConfigError(f"{what}={name!r} is not known; use one of {known}")
    try:
        return cls(**settings)
    except TypeError as exc:
        raise ConfigError(f"invalid settings for {what} {name!r}: {exc}") from None
