"""Options of a CSV table's preprocessing, shared by ``train`` and ``sweep``."""

from __future__ import annotations

import argparse

__all__ = ["TABLE_ONLY_FLAGS", "add_table_flags", "check_table_flags"]

# options that mean nothing for a built-in dataset, a .npz file or an IDX directory
# (--class-weight works for every classification dataset, --scale-target for every
# regression target)
TABLE_ONLY_FLAGS = ["features", "drop", "sample_weight", "val_data", "test_data"]


def _columns(text: str) -> list[str]:
    names = [c.strip() for c in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected column names separated by commas, got {text!r}")
    return names


def add_table_flags(group, *, split_files: bool = True, weights: bool = True) -> None:
    """``--features``, ``--drop``, ``--missing``, ``--dates``, ``--scale-target``,
    ``--class-weight``, ``--sample-weight`` and (``split_files``) ``--val-data``/``--test-data``."""
    group.add_argument(
        "--features",
        type=_columns,
        metavar="A,B,...",
        help="CSV: use only these columns as features (default: all but the target)",
    )
    group.add_argument("--drop", type=_columns, metavar="A,B,...", help="CSV: columns never to use")
    group.add_argument(
        "--missing",
        choices=["impute", "drop"],
        help="CSV: fill missing cells (median / most frequent value of the training rows; "
        "the default) or drop training rows with a missing feature",
    )
    group.add_argument(
        "--dates",
        choices=["parts", "drop"],
        help="CSV: date columns as year, month, day, weekday (default) or dropped",
    )
    if not weights:  # sweep: the per-fold scaler standardises; no loss weights
        return
    group.add_argument(
        "--scale-target",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="regression: standardise the target; predictions are in its units (default on)",
    )
    group.add_argument(
        "--class-weight",
        choices=["balanced"],
        help="weight each training row by n / (classes x rows of its class) in the loss",
    )
    group.add_argument(
        "--sample-weight",
        metavar="COLUMN",
        help="CSV: a column of non-negative per-row weights for the training loss",
    )
    if split_files:
        group.add_argument(
            "--val-data", metavar="FILE.csv", help="validation rows from a separate CSV file"
        )
        group.add_argument(
            "--test-data", metavar="FILE.csv", help="test rows from a separate CSV file"
        )


def check_table_flags(args, is_table: bool) -> None:
    """Refuse table options for data that is not a CSV file (one line, naming the option)."""
    from ..errors import ConfigError

    if is_table:
        return
    given = [f for f in TABLE_ONLY_FLAGS if getattr(args, f, None) is not None]
    if given:
        flag = "--" + given[0].replace("_", "-")
        raise ConfigError(f"{flag} applies to CSV files only; --data {args.data} is not a CSV file")
