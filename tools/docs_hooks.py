"""MkDocs hooks: the command-line reference is generated from leannet's own parser at build
time, so it cannot drift from ``leannet COMMAND --help``."""

from __future__ import annotations

import os

MARKER = "<!-- cli-reference -->"


def _help_texts() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal width: fix it
    from leannet.cli import COMMANDS, build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    parts = ["## `leannet`", "", "```text", parser.format_help().rstrip(), "```", ""]
    for name in COMMANDS:
        parts += [
            f"## `leannet {name}`",
            "",
            "```text",
            sub.choices[name].format_help().rstrip(),
            "```",
            "",
        ]
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER in markdown:
        return markdown.replace(MARKER, _help_texts())
    return markdown
