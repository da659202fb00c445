"""The demos of ``leannet demo``: each reproduces an experiment of the seed documents.

A demo is a module with ``NAME``, ``SUMMARY`` (one line for ``--list``) and
``run(ctx: DemoContext) -> DemoResult``. Register it in `DEMO_MODULES`.
"""

from __future__ import annotations

import importlib

from ._base import DemoContext, DemoResult

__all__ = ["DEMO_MODULES", "DemoContext", "DemoResult", "get_demo", "list_demos"]

# order = the order of `leannet demo --list`; the first one is the default
DEMO_MODULES = ["overfit", "xor", "regression", "binary", "spiral", "digits", "l1", "activations"]


def get_demo(name: str):
    """The demo module called ``name``."""
    from ...errors import ConfigError

    if name not in DEMO_MODULES:
        raise ConfigError(
            f"unknown demo {name!r}; the demos are: {', '.join(DEMO_MODULES)} "
            "(see leannet demo --list)"
        )
    return importlib.import_module(f".{name}", __name__)


def list_demos() -> list[tuple[str, str]]:
    """(name, summary) of every demo."""
    return [(n, get_demo(n).SUMMARY) for n in DEMO_MODULES]
