"""``leannet datasets``: list the built-in datasets."""

from __future__ import annotations

import json

from ._common import add_command, print_table

EPILOG = """\
examples:
  leannet datasets
  leannet datasets --json
  leannet train --data spiral --hidden 64 --l2 5e-4
"""


def register(sub) -> None:
    p = add_command(
        sub,
        "datasets",
        run,
        help="list the built-in datasets",
        description="List the built-in datasets usable wherever --data is accepted.",
        epilog=EPILOG,
    )
    p.add_argument("--json", action="store_true", help="print the list as JSON")


def run(args) -> int:
    from ..datasets import list_datasets

    entries = list_datasets()
    if args.json:
        print(
            json.dumps(
                [
                    {"name": d.name, "kind": d.kind, "task": d.task, "description": d.description}
                    for d in entries
                ],
                indent=2,
            )
        )
        return 0
    print_table(
        "Built-in datasets (use as --data NAME)",
        ["name", "kind", "task", "description"],
        [[d.name, d.kind, d.task, d.description] for d in entries],
    )
    print(
        "Your own data: --data FILE.csv --target COLUMN, --data FILE.npz (X, y), "
        "or --data DIR with MNIST IDX files."
    )
    return 0
