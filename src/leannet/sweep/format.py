"""Text of sweep numbers and settings, shared by the result's summary, its notebook
views, the CLI table and the report (so they print the same thing)."""

from __future__ import annotations

import math

from ..display import VIEW_STYLE, escape, html_table

__all__ = ["CV_COLUMNS", "cv_table_rows", "fmt_setting", "num", "pm", "sweep_html", "sweep_text"]

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
    """One row of text per setting, in `CV_COLUMNS` order (best and 1-SE marked)."""
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


def sweep_text(result) -> str:
    """``SweepResult(5 settings × 5 folds, accuracy; best l2=0.01 0.6937 ± 0.0500; 1-SE ...)``."""
    best, simple = result.best, result.simplest
    return (
        f"SweepResult({len(result.table)} settings × {result.cv} folds, {result.scoring}; "
        f"best {fmt_setting(best['params'])} {pm(best['val_mean'], best['val_std'])}; "
        f"1-SE {fmt_setting(simple['params'])} {pm(simple['val_mean'], simple['val_std'])})"
    )


def sweep_html(result) -> str:
    """The cross-validation table of a sweep (a notebook view), the best and the 1-SE
    settings highlighted."""
    rows = [[escape(c) for c in row] for row in cv_table_rows(result)]
    marked = {i for i, r in enumerate(result.table) if r is result.best or r is result.simplest}
    head = (
        f"<b>Sweep</b>: {len(result.table)} settings × {result.cv} folds, "
        f"{escape(result.scoring)} ({escape(result.task)}, {escape(result.estimator)})"
    )
    summary = "<br>".join(escape(line) for line in result.summary().splitlines())
    table = html_table([escape(c) for c in CV_COLUMNS], rows, marked=marked)
    return f'<div class="leannet-view">{VIEW_STYLE}<p>{head}</p>{table}<p>{summary}</p></div>'
