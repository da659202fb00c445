"""Shared pieces of the subcommands: the parser class, argument types, common flags."""

from __future__ import annotations

import argparse
import math
import sys

__all__ = [
    "LeannetParser",
    "add_command",
    "add_data_flags",
    "add_global_flags",
    "add_output_flags",
    "add_training_flags",
    "number",
    "positive_int",
    "nonnegative_int",
    "nonnegative_float",
    "positive_float",
    "fraction",
    "print_table",
]


class LeannetParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr, exit code 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # noqa: D102 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _number(text: str, kind):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected {'a whole number' if kind is int else 'a number'}, got {text!r}"
        ) from None
    if kind is float and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _checked(kind, name: str, ok, requirement: str):
    """An argparse type: a ``kind`` number for which ``ok(value)`` holds."""

    def parse(text: str):
        value = _number(text, kind)
        if not ok(value):
            raise argparse.ArgumentTypeError(f"must be {requirement}, got {text}")
        return value

    parse.__name__ = name
    return parse


positive_int = _checked(int, "positive_int", lambda v: v >= 1, "a whole number >= 1")
nonnegative_int = _checked(int, "nonnegative_int", lambda v: v >= 0, "a whole number >= 0")
nonnegative_float = _checked(float, "nonnegative_float", lambda v: v >= 0, "a number >= 0")
positive_float = _checked(float, "positive_float", lambda v: v > 0, "a number > 0")
fraction = _checked(float, "fraction", lambda v: 0 <= v < 1, "in [0, 1)")
number = _checked(float, "number", lambda v: True, "a finite number")


def add_global_flags(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--debug`` on the top parser and on every subcommand (either place works)."""
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show the full traceback on errors",
    )
    if top:
        from .._version import __version__

        parser.add_argument("--version", action="version", version=f"leannet {__version__}")


def add_command(sub, name: str, run, *, help: str, description: str, epilog: str):
    """Add subcommand ``name`` (with ``--debug``) whose ``func`` is ``run``; return its parser."""
    parser = sub.add_parser(name, help=help, description=description, epilog=epilog)
    add_global_flags(parser)
    parser.set_defaults(func=run)
    return parser


def add_data_flags(parser, *, required: bool = False, data_help: str | None = None) -> None:
    """``--data``, ``--target`` and ``--task``, as every command that trains reads them."""
    parser.add_argument(
        "--data",
        required=required,
        metavar="FILE|DIR|NAME",
        help=data_help or "CSV, .npz, IDX directory, or built-in dataset name",
    )
    parser.add_argument("--target", metavar="COLUMN", help="CSV target column (default: the last)")
    parser.add_argument(
        "--task",
        choices=["classification", "regression"],
        help="override the task inferred from the target",
    )


def add_output_flags(
    parser,
    *,
    out_help: str = "run directory to write (default: a new one under ./runs/)",
    force: bool = True,
    quiet_help: str = "print only the result",
    log_every: bool = True,
) -> None:
    """``--out``, ``--force``, ``--no-pdf``, ``--quiet`` and ``--log-every`` (the last
    two and ``--force`` optional)."""
    parser.add_argument("--out", metavar="DIR", help=out_help)
    if force:
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite files in an existing, non-empty --out directory",
        )
    parser.add_argument(
        "--no-pdf", action="store_true", help="skip report.pdf even when pdflatex is installed"
    )
    parser.add_argument("--quiet", "-q", action="store_true", help=quiet_help)
    if log_every:
        parser.add_argument(
            "--log-every",
            type=positive_int,
            metavar="N",
            help="plain progress lines every N epochs instead of a live bar",
        )


class _Widths(argparse.Action):
    """``--hidden 64 32`` or ``--hidden 64,32``: a list of widths >= 1."""

    def __call__(self, parser, namespace, values, option_string=None):
        widths = [w for v in values for w in str(v).split(",") if w.strip()]
        try:
            parsed = [positive_int(w) for w in widths]
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentError(self, str(exc)) from None
        if not parsed:
            raise argparse.ArgumentError(self, "expected widths like 64 32 or 64,32")
        setattr(namespace, self.dest, parsed)


def batch_size(text: str) -> int:
    """``--batch-size N``, or ``full``/``all`` (0): every training row in one batch."""
    if text.lower() in ("full", "all"):
        return 0
    return nonnegative_int(text)


def add_training_flags(network, regularization=None, optimization=None) -> None:
    """The options ``train`` and ``sweep`` share, one definition with the defaults of
    `TrainConfig` (``ln.sweep`` uses the same ones):
    ``--hidden``, ``--activation``, ``--optimizer``, ``--lr``, ``--epochs``,
    ``--batch-size``, ``--seed``, the penalties, ``--early-stopping`` and ``--config``.
    Each group may be the same (sweep) or separate (train)."""
    from ..lab import config

    default = config.TrainConfig()
    regularization = regularization if regularization is not None else network
    optimization = optimization if optimization is not None else network
    network.add_argument(
        "--hidden",
        action=_Widths,
        nargs="+",
        metavar="N",
        help="hidden layer sizes, e.g. 64 32 or 64,32 "
        f"(default {' '.join(map(str, default.hidden))})",
    )
    network.add_argument(
        "--activation",
        choices=config.ACTIVATIONS,
        help=f"hidden activation (default {default.activation})",
    )
    for name, help_text in (
        ("l1", "L1 on weights: λ·Σ|w|"),
        ("l2", "L2 on weights: λ·Σw²"),
    ):
        regularization.add_argument(
            f"--{name}", type=nonnegative_float, metavar="λ", help=help_text + " (default 0)"
        )
    regularization.add_argument(
        "--weight-decay",
        type=nonnegative_float,
        metavar="λ",
        help="decoupled weight decay in the optimizer: w <- w - lr·λ·w (default 0)",
    )
    regularization.add_argument(
        "--dropout", type=fraction, metavar="P", help="dropout rate after hidden layers"
    )
    regularization.add_argument(
        "--noise",
        type=nonnegative_float,
        metavar="σ",
        help="Gaussian noise added to the inputs during training",
    )
    regularization.add_argument(
        "--max-norm",
        type=positive_float,
        metavar="C",
        help="max-norm constraint on each unit's incoming weights",
    )
    regularization.add_argument(
        "--early-stopping",
        type=nonnegative_int,
        metavar="PATIENCE",
        help="stop when the validation score has not improved for PATIENCE epochs; keep the "
        "best (default 0: off)",
    )
    optimization.add_argument(
        "--optimizer", choices=config.OPTIMIZERS, help=f"default {default.optimizer}"
    )
    optimization.add_argument(
        "--lr", type=positive_float, help=f"learning rate (default {default.lr:g})"
    )
    optimization.add_argument(
        "--epochs", type=positive_int, help=f"maximum epochs (default {default.epochs})"
    )
    optimization.add_argument(
        "--batch-size",
        type=batch_size,
        metavar="N|full",
        help=f"mini-batch size; 'full' or 0 for full batch (default {default.batch_size})",
    )
    optimization.add_argument(
        "--seed", type=nonnegative_int, help=f"random seed (default {default.seed})"
    )
    network.add_argument(
        "--config",
        metavar="FILE.toml",
        help="settings file (a train run's config.toml works); flags given override it",
    )


def print_table(title: str, columns: list[str], rows: list[list[str]], *, stream=None) -> None:
    """A table on the terminal: rich when writing to a terminal, plain text otherwise."""
    stream = stream if stream is not None else sys.stdout
    if hasattr(stream, "isatty") and stream.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        for i, c in enumerate(columns):
            numeric = i > 0 and all(_looks_numeric(str(r[i])) for r in rows)
            table.add_column(c, justify="right" if numeric else "left")
        for r in rows:
            table.add_row(*r)
        Console(file=stream).print(table)
        return
    widths = [
        max(len(str(c)), *(len(str(r[i])) for r in rows)) if rows else len(str(c))
        for i, c in enumerate(columns)
    ]
    numeric = [i > 0 and all(_looks_numeric(str(r[i])) for r in rows) for i in range(len(columns))]

    def line(cells):
        return "  ".join(
            str(c).rjust(w) if num else str(c).ljust(w)
            for c, w, num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    if title:
        print(title, file=stream)
    print(line(columns), file=stream)
    print("  ".join("-" * w for w in widths), file=stream)
    for r in rows:
        print(line(r), file=stream)


def _looks_numeric(text: str) -> bool:
    t = text.strip().lstrip("+-−").replace("%", "")
    return bool(t) and (t[0].isdigit() or t in ("–", "nan", "inf"))
