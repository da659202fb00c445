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
