"""Sweep report: Markdown and a standalone HTML page with the figure embedded."""

from __future__ import annotations

import base64
import html
import os
import tempfile
from pathlib import Path


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory, fsync, then rename over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _sections(result) -> list[tuple[str, list[list[str]] | str]]:
    """Report content as (heading, table rows or paragraph) pairs shared by both formats."""
    from .core import _fmt_setting, _num, _pm

    out: list = []
    out.append(
        (
            "Setup",
            f"{result.estimator}, {result.task}, score = {result.scoring}, {result.cv}-fold "
            f"{'stratified ' if result.task == 'classification' else ''}cross-validation, grid "
            + "; ".join(f"{k} ∈ {v}" for k, v in result.grid.items())
            + f". {result.n_fits_run} fits run, {result.n_fits_reused} reused from the results file, "
            f"{result.elapsed_s:.1f} s. Sweep id {result.sweep_id}.",
        )
    )
    rows = [
        [
            "setting",
            "train (mean ± std)",
            "validation (mean ± std)",
            "weight norm",
            "zero share",
            "epochs",
            "",
        ]
    ]
    for r in result.table:
        mark = [m for m, row in (("best", result.best), ("1-SE", result.simplest)) if r is row]
        rows.append(
            [
                _fmt_setting(r["params"]),
                _pm(r["train_mean"], r["train_std"]),
                _pm(r["val_mean"], r["val_std"]),
                _num(r["weight_norm"]),
                _num(r["zero_share"], ".3f"),
                _num(r["n_iter"], ".0f"),
                ", ".join(mark),
            ]
        )
    out.append(("Cross-validation", rows))
    text = (
        f"Best: {_fmt_setting(result.best['params'])} (validation "
        f"{_pm(result.best['val_mean'], result.best['val_std'])}). Simplest within one standard "
        f"error of it: {_fmt_setting(result.simplest['params'])} (validation "
        f"{_pm(result.simplest['val_mean'], result.simplest['val_std'])})."
    )
    out.append(("Choice", text))
    if result.refits:
        rows = [["refit", "setting", "train", "test"]]
        for name, rec in result.refits.items():
            rows.append(
                [
                    name,
                    _fmt_setting(rec["params"]),
                    _num(rec.get("train_score")),
                    _num(rec.get("test_score")),
                ]
            )
        out.append(("Refit on all training data", rows))
    if result.warm:
        w = result.warm
        rows = [
            [
                "setting",
                "warm validation",
                "cold validation",
                "warm epochs per fold",
                "cold epochs per fold",
                "warm time, all folds (s)",
                "cold time, all folds (s)",
            ]
        ]
        for r in w["rows"]:
            rows.append(
                [
                    _fmt_setting(r["params"]),
                    _num(r["warm_val_mean"]),
                    _num(r["cold_val_mean"]),
                    _num(r["warm_epochs"], ".0f"),
                    _num(r["cold_epochs"], ".0f"),
                    f"{r['warm_fit_time']:.2f}",
                    f"{r['cold_fit_time']:.2f}",
                ]
            )
        out.append(("Warm-started path (strongest to weakest) vs cold starts", rows))
        out.append(
            (
                "",
                f"Path total {w['warm_fit_time']:.2f} s and {w['warm_epochs']} epochs; cold "
                f"{w['cold_fit_time']:.2f} s and {w['cold_epochs']} epochs; largest "
                f"difference in mean validation score {w['max_abs_val_diff']:.4f}.",
            )
        )
    return out


def _markdown(result, figure: str | None) -> str:
    lines = ["# Regularisation sweep", ""]
    for heading, body in _sections(result):
        if heading:
            lines += [f"## {heading}", ""]
        if isinstance(body, str):
            lines += [body, ""]
        else:
            lines.append("| " + " | ".join(body[0]) + " |")
            lines.append("|" + " --- |" * len(body[0]))
            lines += ["| " + " | ".join(row) + " |" for row in body[1:]]
            lines.append("")
        if heading == "Choice" and figure:
            lines += [f"![scores, weight norm and zero share against the strength]({figure})", ""]
    return "\n".join(lines)


def _html(result, figure_bytes: bytes | None) -> str:
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Regularisation sweep</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em}"
        "img{max-width:100%}</style></head><body><h1>Regularisation sweep</h1>",
    ]
    for heading, body in _sections(result):
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(body, str):
            parts.append(f"<p>{html.escape(body)}</p>")
        else:
            parts.append(
                "<table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in body[0]) + "</tr>"
            )
            for row in body[1:]:
                parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
        if heading == "Choice" and figure_bytes:
            data = base64.b64encode(figure_bytes).decode()
            parts.append(f"<img alt='sweep figure' src='data:image/png;base64,{data}'>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(result, out_dir) -> dict:
    """Write ``sweep.png``, ``report.md`` and ``report.html`` into ``out_dir``.

    Returns:
        ``{"figure": path, "markdown": path, "html": path}`` (figure None when
        matplotlib is not installed).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figure = None
    try:
        from .plots import plot_sweep

        tmp = out / ".sweep.png.tmp.png"
        plot_sweep(result, tmp)
        figure = out / "sweep.png"
        os.replace(tmp, figure)
    except ImportError:
        pass
    md = out / "report.md"
    _atomic_write(md, _markdown(result, figure.name if figure else None).encode("utf-8"))
    page = out / "report.html"
    _atomic_write(page, _html(result, figure.read_bytes() if figure else None).encode("utf-8"))
    return {"figure": figure, "markdown": md, "html": page}
