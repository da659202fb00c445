"""Shared pieces of the subcommands: the parser class, argument types, common flags."""

from __future__ import annotations

import argparse
import math
import sys

__all__ = [
    "LeannetParser",
    "add_global_flags",
    "add_output_flags",
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


def positive_int(text: str) -> int:
    value = _number(text, int)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text}")
    return value


def nonnegative_int(text: str) -> int:
    value = _number(text, int)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text}")
    return value


def nonnegative_float(text: str) -> float:
    value = _number(text, float)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a number >= 0, got {text}")
    return value


def positive_float(text: str) -> float:
    value = _number(text, float)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text}")
    return value


def fraction(text: str) -> float:
    value = _number(text, float)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def add_global_flags(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--debug`` on the top parser and on every subcommand (either place works)."""
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show the full traceback on errors",
    )
    if top:
        from .. import __version__

        parser.add_argument("--version", action="version", version=f"leannet {__version__}")


def add_output_flags(parser: argparse.ArgumentParser, *, progress: bool = True) -> None:
    """``--out``, ``--force``, ``--no-pdf`` and (optionally) ``--quiet``/``--log-every``."""
    parser.add_argument(
        "--out", metavar="DIR", help="run directory to write (default: a new one under ./runs/)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite files in an existing, non-empty --out directory",
    )
    parser.add_argument(
        "--no-pdf", action="store_true", help="skip report.pdf even when pdflatex is installed"
    )
    if progress:
        parser.add_argument("--quiet", "-q", action="store_true", help="print only the result")
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
