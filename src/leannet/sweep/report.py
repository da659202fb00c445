"""Sweep report: the lab's document model and renderers (HTML, Markdown, LaTeX, PDF).

The sweep result is turned into a `leannet.lab.document.Document` (sections
of paragraphs, tables and figures) and rendered by the same functions as a
training run's report, so both look alike: a self-contained ``report.html``, a
``report.md``, a ``report.tex`` and, when ``pdflatex`` is installed, ``report.pdf``.
Every file is written atomically.
"""

from __future__ import annotations

from pathlib import Path

from .format import CV_COLUMNS, cv_table_rows, fmt_setting, num, pm

FIGURE = "sweep.png"


def build_document(result, figure: str | None = FIGURE):
    """The report of ``result`` as a lab `Document`."""
    from ..lab.document import Document, Figure, Section, Table

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
        f"Best: {fmt_setting(result.best['params'])} (validation "
        f"{pm(result.best['val_mean'], result.best['val_std'])}). Simplest within one "
        f"standard error of it (mean ≥ best − SE, SE = std/√k): "
        f"{fmt_setting(result.simplest['params'])} (validation "
        f"{pm(result.simplest['val_mean'], result.simplest['val_std'])})."
    )
    cap = result.cap_sentence() if hasattr(result, "cap_sentence") else None
    cv_section = Section(
        "Cross-validation", paragraphs=[choice, *([cap] if cap else [])], tables=[cv_table]
    )
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
                fmt_setting(rec["params"]),
                num(rec.get("train_score")),
                num(rec.get("test_score")),
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
                fmt_setting(r["params"]),
                num(r["warm_val_mean"]),
                num(r["cold_val_mean"]),
                num(r["warm_epochs"], ".0f"),
                num(r["cold_epochs"], ".0f"),
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
    from ..lab.provenance import provenance

    prov = provenance()
    sections.append(
        Section(
            "Provenance",
            paragraphs=[
                f"leannet {prov['leannet_version']}, {prov['date']}; command line: "
                f"{prov['command_line']}"
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
    from ..lab.document import write_document
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
