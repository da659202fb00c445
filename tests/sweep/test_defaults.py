"""Python and the command line sweep with the same defaults."""

from __future__ import annotations

import inspect

from leannet.cli import build_parser
from leannet.sweep import sweep


def test_standardisation_is_the_default_in_python_and_on_the_command_line():
    assert inspect.signature(sweep).parameters["standardize"].default is True
    args = build_parser().parse_args(["sweep", "--data", "iris", "--grid", "l2=0"])
    assert args.no_standardize is False  # the CLI passes standardize=not no_standardize
