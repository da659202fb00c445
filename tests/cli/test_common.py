"""Shared CLI pieces: number types, option definitions, one-line usage errors."""

from __future__ import annotations

import argparse

import pytest

from leannet.cli._common import (
    LeannetParser,
    add_command,
    add_data_flags,
    add_output_flags,
    fraction,
    nonnegative_float,
    nonnegative_int,
    number,
    positive_float,
    positive_int,
)


@pytest.mark.parametrize(
    ("parse", "good", "bad", "message"),
    [
        (positive_int, "3", "0", "must be a whole number >= 1, got 0"),
        (nonnegative_int, "0", "-1", "must be a whole number >= 0, got -1"),
        (positive_float, "0.5", "0", "must be a number > 0, got 0"),
        (nonnegative_float, "0", "-0.5", "must be a number >= 0, got -0.5"),
        (fraction, "0.25", "1", "must be in [0, 1), got 1"),
        (number, "-2.5", "inf", "expected a finite number, got 'inf'"),
        (positive_int, "7", "1.5", "expected a whole number, got '1.5'"),
    ],
)
def test_number_types(parse, good, bad, message):
    assert parse(good) == type(parse(good))(good)
    with pytest.raises(argparse.ArgumentTypeError) as info:
        parse(bad)
    assert str(info.value) == message


def test_add_command_registers_run_and_debug_and_the_shared_options(capsys):
    parser = LeannetParser(prog="leannet")
    sub = parser.add_subparsers(dest="command", parser_class=LeannetParser)

    def run(args):
        return 0

    p = add_command(sub, "x", run, help="h", description="d", epilog="e")
    add_data_flags(p, required=True)
    add_output_flags(p, force=False, log_every=False)
    args = parser.parse_args(["x", "--data", "iris", "--debug", "--task", "regression", "-q"])
    assert args.func is run and args.debug and args.data == "iris" and args.quiet
    assert args.task == "regression" and args.target is None and args.out is None
    assert not hasattr(args, "force") and not hasattr(args, "log_every")
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["x"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--data" in err and "(see 'leannet x --help')" in err
