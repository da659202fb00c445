"""Reports of a run: HTML (self-contained), Markdown, LaTeX and PDF.

A report is rebuilt from the files of a run directory alone, so ``leannet report
RUN_DIR`` gives the same result as the run itself:

* ``run.json``: title, description and demo-specific sections (tables, figures,
  conclusions computed by the demo from its numbers);
* ``metrics.json``: final metrics per split, architecture, weight statistics,
  early stopping;
* ``config.json``: the resolved configuration (hyperparameters);
* ``history.csv``: the per-epoch history;
* ``*.png``: the plots, listed in ``run.json`` with their captions.

The document is assembled as plain data (`Document`)
and rendered by `leannet.lab.document`; the observations come from
`leannet.lab.observations`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .._safe_io import describe_exception
from ..errors import DataError, LeannetError
from .document import Document, Figure, Section, Table, fmt, tex_escape, write_document
from .document.files import check_figure_name
from .observations import observations, target_scaled
from .run_files import read_run_files

__all__ = [
    "Document",
    "Section",
    "Table",
    "Figure",
    "build_document",
    "write_reports",
    "observations",
    "fmt",
    "tex_escape",
]


def _two_column_table(title: str, pairs: list[tuple[str, str]]) -> Table:
    """Key/value pairs laid out as two pairs per row, to keep long lists short."""
    half = (len(pairs) + 1) // 2
    left, right = pairs[:half], pairs[half:] + [("", "")] * (half - len(pairs[half:]))
    rows = [[a, b, c, d] for (a, b), (c, d) in zip(left, right, strict=True)]
    return Table(title, ["setting", "value", "setting", "value"], rows)


def _table_from_json(t: dict) -> Table:
    return Table(
        t.get("title", ""),
        list(t["columns"]),
        [[str(c) for c in r] for r in t["rows"]],
        t.get("note", ""),
    )


def build_document(run_dir: str | os.PathLike) -> Document:
    """Assemble the report of ``run_dir`` from its files.

    The files are untrusted (`leannet.lab.run_files` validates them); a
    problem the schema checks did not foresee is still one DataError naming the
    directory, never a traceback.
    """
    run_dir = Path(run_dir)
    run, metrics, config, history = read_run_files(run_dir)
    try:
        return _build_document(run_dir, run, metrics, config, history)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        if isinstance(exc, LeannetError):
            raise
        raise DataError(
            f"run directory {run_dir}: its files are inconsistent ({describe_exception(exc)}); "
            "rerun the training to rebuild them"
        ) from None


def _figure(run_dir: Path, f: dict) -> Figure | None:
    """The figure entry if its (validated) file is there."""
    name = check_figure_name(f["file"], f"run directory {run_dir}: run.json")
    try:
        mode = os.lstat(run_dir / name).st_mode
    except FileNotFoundError:
        return None  # a figure that was not drawn (e.g. --no-plots) is left out
    if not stat.S_ISREG(mode):
        raise DataError(
            f"run directory {run_dir}: figure {name} is not a regular file (a link, FIFO "
            "or device); refused"
        )
    return Figure(name, f.get("caption") or "")


def _build_document(run_dir: Path, run: dict, metrics: dict, config: dict, history: dict):
    sections: list[Section] = []

    for s in run.get("sections", []):
        sections.append(
            Section(
                s.get("heading", ""),
                list(s.get("paragraphs", [])),
                list(s.get("bullets", [])),
                [_table_from_json(t) for t in s.get("tables", [])],
                [fig for f in s.get("figures") or [] if (fig := _figure(run_dir, f))],
            )
        )

    # a demo's conclusions come first: they are what the run was for
    if run.get("conclusions"):
        sections.append(Section("Conclusions", bullets=list(run["conclusions"])))

    arch = metrics.get("architecture")
    if arch:
        rows = [
            [
                str(i),
                layer["name"],
                layer.get("shape", ""),
                str(layer.get("params", 0)),
                layer.get("regularization", "") or "–",
            ]
            for i, layer in enumerate(arch["layers"])
        ]
        sec = Section(
            run.get("model_heading", "Architecture"),
            tables=[
                Table(
                    "Layers",
                    ["#", "layer", "shape", "parameters", "regularization"],
                    rows,
                    f"{arch.get('n_params', sum(int(r[3]) for r in rows))} trainable parameters; "
                    f"dtype {arch.get('dtype', 'float32')}.",
                )
            ],
        )
        hp = metrics.get("hyperparameters") or {
            k: v for k, v in config.items() if not isinstance(v, dict)
        }
        if hp:
            sec.tables.append(
                _two_column_table("Hyperparameters", [(k, fmt(v)) for k, v in hp.items()])
            )
        sections.append(sec)

    fig_by_kind: dict[str, list[Figure]] = {}
    for f in run.get("figures") or []:
        fig = _figure(run_dir, f)
        if fig is not None:
            fig_by_kind.setdefault(f.get("kind") or "other", []).append(fig)
    if fig_by_kind.get("curves"):
        sections.append(Section("Training curves", figures=fig_by_kind["curves"]))

    splits = metrics.get("metrics", {})
    if splits:
        keys = [
            k
            for k in ("loss", "data_loss", "reg_loss", "accuracy", "r2")
            if any(k in m for m in splits.values())
        ]
        rows = [
            [name] + [fmt(m.get(k)) for k in keys] + [str(m.get("n", "–"))]
            for name, m in splits.items()
        ]
        sections.append(
            Section(
                "Final metrics",
                tables=[
                    Table(
                        "Metrics per split",
                        ["split", *keys, "samples"],
                        rows,
                        "loss = data loss + penalty"
                        + (
                            "; accuracy is the share of correct predictions."
                            if "accuracy" in keys
                            else "; R² is the share of the target's variance explained"
                            + (
                                "; the loss is the MSE of the standardised target (RMSE and "
                                "MAE in the target's units are under Scores)."
                                if target_scaled(metrics)
                                else "."
                            )
                            if "r2" in keys
                            else "."
                        ),
                    )
                ],
                figures=fig_by_kind.get("task", []),
            )
        )

    weights = metrics.get("weights", {})
    if weights:
        rows = [
            [
                k,
                v.get("shape", ""),
                fmt(v["l2_norm"], 4),
                fmt(v["mean_abs"], 4),
                fmt(v["max_abs"], 4),
                f"{100 * v['n_zero'] / max(v['size'], 1):.1f}%",
            ]
            for k, v in weights.items()
        ]
        sections.append(
            Section(
                "Weights",
                tables=[
                    Table(
                        "Weight magnitudes per layer",
                        ["weights", "shape", "||W||_2", "mean |w|", "max |w|", "exact zeros"],
                        rows,
                    )
                ],
                figures=fig_by_kind.get("weights", []),
            )
        )

    other = fig_by_kind.get("other", [])
    if other:
        sections.append(Section("More plots", figures=other))

    obs = observations(metrics, config, history) if metrics.get("metrics") else []
    if obs:
        demo = bool(run.get("conclusions"))
        sections.append(
            Section("Observations on the saved model" if demo else "Observations", bullets=obs)
        )

    prov = metrics.get("provenance")
    if isinstance(prov, dict):
        pairs = [
            ("leannet version", str(prov.get("leannet_version", ""))),
            ("date", str(prov.get("date", ""))),
            ("command line", str(prov.get("command_line", ""))),
        ]
        for item in prov.get("data", []):
            if isinstance(item, dict):
                pairs.append(
                    (
                        "data",
                        f"{item.get('data', '')} (SHA-256 {item['sha256']})"
                        if item.get("sha256")
                        else str(item.get("data", "")),
                    )
                )
        sections.append(
            Section(
                "Provenance",
                tables=[Table("Where this run came from", ["", ""], [list(p) for p in pairs])],
            )
        )

    return Document(
        run.get("title", f"leannet run {run_dir.name}"), run.get("description", ""), sections
    )


def write_reports(run_dir: str | os.PathLike, *, pdf: bool = True) -> dict:
    """(Re)build report.html, report.md, report.tex and, when possible, report.pdf.

    Returns a dict with the paths written and ``pdf_message`` saying what happened
    to the PDF.
    """
    run_dir = Path(run_dir)
    return write_document(build_document(run_dir), run_dir, pdf=pdf)
