"""Sweep report: the lab's document model and renderers (HTML, Markdown, LaTeX, PDF).

The sweep result is turned into a :class:`leannet.lab.report.Document` (sections
of paragraphs, tables and figures) and rendered by the same functions as a
training run's report, so both look alike: a self-contained ``report.html``, a
``report.md``, a ``report.tex`` and, when ``pdflatex`` is installed, ``report.pdf``.
Every file is written atomically.
"""

from __future__ import annotations

from pathlib import Path

FIGURE = "sweep.png"


CV_COLUMNS = ["setting", "train", "validation", "weight norm", "zero share", "epochs", ""]


def cv_table_rows(result) -> list[list[str]]:
    """One row of text per setting, in :data:`CV_COLUMNS` order (best and 1-SE marked)."""
    from .core import _fmt_setting, _num, _pm

    rows = []
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
    return rows


def build_document(result, figure: str | None = FIGURE):
    """The report of ``result`` as a lab :class:`~leannet.lab.report.Document`."""
    from ..lab.report import Document, Figure, Section, Table
    from .core import _fmt_setting, _num, _pm

    setup = (
        f"{result.estimator}, {result.task}, score = {result.scoring}, {result.cv}-fold "
        f"{'stratified ' if result.task == 'classification' else ''}cross-validation; grid "
        + "; ".join(f"{k} ∈ {v}" for k, v in result.grid.items())
        + f". {result.n_fits_run} fits run, {result.n_fits_reused} reused from the results "
        f"file, {result.elapsed_s:.1f} s. Sweep id {result.sweep_id}."
    )
    sections = [Section("Setup", paragraphs=[setup])]
    if result.results_path:
        sections[0].paragraphs.append(
            f"Every fit is a line of {result.results_path}; running the same sweep again "
            "skips the fits already there."
        )

    rows = cv_table_rows(result)
    cv_table = Table(
        f"{result.scoring}, mean ± std over {result.cv} folds",
        CV_COLUMNS,
        rows,
        note="weight norm: Euclidean norm of all weights (biases excluded), mean over folds; "
        "zero share: fraction of weights exactly 0.",
    )
    choice = (
        f"Best: {_fmt_setting(result.best['params'])} (validation "
        f"{_pm(result.best['val_mean'], result.best['val_std'])}). Simplest within one "
        f"standard error of it (mean ≥ best − SE, SE = std/√k): "
        f"{_fmt_setting(result.simplest['params'])} (validation "
        f"{_pm(result.simplest['val_mean'], result.simplest['val_std'])})."
    )
    cv_section = Section("Cross-validation", paragraphs=[choice], tables=[cv_table])
    if figure:
        cv_section.figures.append(
            Figure(
                figure,
                f"Training and validation {result.scoring} (±1 std), weight norm and share "
                f"of exact zeros against {result.strength or 'the setting'}.",
            )
        )
    sections.append(cv_section)

    if result.refits:
        rows = [
            [
                name,
                _fmt_setting(rec["params"]),
                _num(rec.get("train_score")),
                _num(rec.get("test_score")),
            ]
            for name, rec in result.refits.items()
        ]
        sections.append(
            Section(
                "Refit on all training data",
                tables=[Table("", ["refit", "setting", "train", "test"], rows)],
            )
        )
    if result.warm:
        w = result.warm
        rows = [
            [
                _fmt_setting(r["params"]),
                _num(r["warm_val_mean"]),
                _num(r["cold_val_mean"]),
                _num(r["warm_epochs"], ".0f"),
                _num(r["cold_epochs"], ".0f"),
                f"{r['warm_fit_time']:.2f}",
                f"{r['cold_fit_time']:.2f}",
            ]
            for r in w["rows"]
        ]
        sections.append(
            Section(
                "Warm-started path vs cold starts",
                paragraphs=[
                    "From the strongest penalty to the weakest, each fit starting from the "
                    f"previous weights. Path: {w['warm_fit_time']:.2f} s and {w['warm_epochs']} "
                    f"epochs in all; cold starts: {w['cold_fit_time']:.2f} s and "
                    f"{w['cold_epochs']} epochs. Largest difference in mean validation score: "
                    f"{w['max_abs_val_diff']:.4f}."
                ],
                tables=[
                    Table(
                        "",
                        [
                            "setting",
                            "warm validation",
                            "cold validation",
                            "warm epochs per fold",
                            "cold epochs per fold",
                            "warm time (s)",
                            "cold time (s)",
                        ],
                        rows,
                    )
                ],
            )
        )
    return Document("Regularisation sweep", result.summary().splitlines()[0], sections)


def write_report(result, out_dir, *, pdf: bool = True) -> dict:
    """Write ``sweep.png``, ``report.html``, ``report.md``, ``report.tex`` (and
    ``report.pdf`` when a TeX engine is installed) into ``out_dir``.

    Returns:
        ``{"figure", "html", "md", "tex"[, "pdf"], "pdf_message"}``.
    """
    from ..lab.report import write_document
    from .plots import plot_sweep

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from ..errors import FileWriteError

        raise FileWriteError(
            f"cannot create the report directory {out}: {exc.strerror}", filename=str(out)
        ) from None
    figure = plot_sweep(result, out / FIGURE)
    doc = build_document(result, FIGURE)
    return {"figure": figure, **write_document(doc, out, pdf=pdf)}
