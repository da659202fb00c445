"""Text of sweep numbers and settings, shared by the result's summary, the CLI
table and the report (so they print the same thing)."""

from __future__ import annotations

import math

__all__ = ["CV_COLUMNS", "cv_table_rows", "fmt_setting", "num", "pm"]

CV_COLUMNS = ["setting", "train", "validation", "weight norm", "zero share", "epochs", ""]


def num(value, spec: str = ".4g") -> str:
    """A number in ``spec``; "–" for None or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format(value, spec)


def pm(mean, std) -> str:
    """``mean ± std`` with 4 decimals; "diverged" when the mean is missing or NaN."""
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "diverged"
    return f"{mean:.4f} ± {std:.4f}"


def fmt_setting(params: dict) -> str:
    """``name=value, ...`` in the grid's order."""
    return ", ".join(f"{k}={v}" for k, v in params.items())


def cv_table_rows(result) -> list[list[str]]:
    """One row of text per setting, in :data:`CV_COLUMNS` order (best and 1-SE marked)."""
    rows = []
    for r in result.table:
        mark = [m for m, row in (("best", result.best), ("1-SE", result.simplest)) if r is row]
        rows.append(
            [
                fmt_setting(r["params"]),
                pm(r["train_mean"], r["train_std"]),
                pm(r["val_mean"], r["val_std"]),
                num(r["weight_norm"]),
                num(r["zero_share"], ".3f"),
                num(r["n_iter"], ".0f"),
                ", ".join(mark),
            ]
        )
    return rows
