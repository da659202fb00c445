"""Mistyped options: name the subcommand and suggest the closest option (difflib)."""

from __future__ import annotations

import argparse
import difflib

__all__ = ["subcommand_parser", "unknown_arguments_message"]


def subcommand_parser(parser: argparse.ArgumentParser, command: str | None):
    """The parser of subcommand ``command`` (None when there is none)."""
    for action in parser._actions:  # argparse keeps subparsers only here
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return None


def unknown_arguments_message(parser: argparse.ArgumentParser, extras: list[str]) -> str:
    """``unrecognized arguments: --hiden (did you mean --hidden?)``."""
    options = sorted(s for s in parser._option_string_actions if s.startswith("--"))
    parts = []
    for arg in extras:
        flag = arg.split("=", 1)[0]
        close = (
            difflib.get_close_matches(flag, options, n=1, cutoff=0.6)
            if flag.startswith("-")
            else []
        )
        parts.append(f"{arg} (did you mean {close[0]}?)" if close else arg)
    return "unrecognized arguments: " + " ".join(parts)
