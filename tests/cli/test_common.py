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


# --- the options train and sweep share: one definition, TrainConfig's defaults -------------

SHARED = ["--hidden", "--activation", "--optimizer", "--lr", "--epochs", "--batch-size",
          "--seed", "--l1", "--l2", "--weight-decay", "--dropout", "--noise", "--max-norm",
          "--early-stopping", "--config"]  # fmt: skip


def _subparser(name):
    from leannet.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def _option(parser, flag):
    return next(a for a in parser._actions if flag in a.option_strings)


@pytest.mark.parametrize("flag", SHARED)
def test_train_and_sweep_share_each_option_definition(flag):
    train, sweep = _option(_subparser("train"), flag), _option(_subparser("sweep"), flag)
    for attr in ("option_strings", "type", "nargs", "choices", "default", "help", "metavar"):
        assert getattr(train, attr) == getattr(sweep, attr), (flag, attr)
    assert type(train) is type(sweep)


def test_help_states_train_config_defaults():
    from leannet.lab.config import TrainConfig

    d = TrainConfig()
    for name in ("train", "sweep"):
        p = _subparser(name)
        assert _option(p, "--hidden").help.endswith(f"(default {d.hidden[0]})")
        assert _option(p, "--batch-size").help.endswith(f"(default {d.batch_size})")
        assert _option(p, "--epochs").help.endswith(f"(default {d.epochs})")
        assert _option(p, "--lr").help.endswith(f"(default {d.lr:g})")


@pytest.mark.parametrize("name", ["train", "sweep"])
def test_shared_options_parse_alike(name):
    extra = ["--grid", "l2=0"] if name == "sweep" else []
    p = _subparser(name)
    args = p.parse_args(["--data", "iris", *extra, "--hidden", "32,16", "8",
                         "--batch-size", "full", "--early-stopping", "5"])  # fmt: skip
    assert args.hidden == [32, 16, 8] and args.batch_size == 0 and args.early_stopping == 5
    with pytest.raises(SystemExit):
        p.parse_args(["--data", "iris", *extra, "--hidden", "0"])


def test_python_and_cli_sweeps_fit_train_defaults():
    """ln.sweep's default estimator and leannet sweep's carry TrainConfig's defaults."""
    import numpy as np

    from leannet.lab.config import TrainConfig
    from leannet.sweep.grid import final_estimator
    from leannet.sweep.plan import make_plan

    d = TrainConfig()
    X, y = np.random.default_rng(0).normal(size=(40, 3)), np.arange(40) % 2
    plan = make_plan(X, y, grid={"l2": [0.0, 0.1]}, estimator=None, params=None,
                     task="auto", cv=2, test_size=0.0, X_test=None, y_test=None,
                     scoring=None, seed=0, standardize=True)  # fmt: skip
    est = final_estimator(plan.estimator)[1]
    assert est.hidden_layer_sizes == tuple(d.hidden) and est.batch_size == d.batch_size
    assert est.learning_rate == d.lr and est.max_iter == d.epochs
    assert est.activation == d.activation and est.optimizer == d.optimizer
    assert est.early_stopping is False
