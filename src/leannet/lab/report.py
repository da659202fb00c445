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

The document is assembled as plain data (:class:`~leannet.lab.document.Document`)
and rendered by :mod:`leannet.lab.document`; the observations come from
:mod:`leannet.lab.observations`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .document import Document, Figure, Section, Table, fmt, tex_escape, write_document
from .observations import observations
from .runs import read_history_csv

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


def _read_json(path: Path) -> dict:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


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
    """Assemble the report of ``run_dir`` from its files."""
    run_dir = Path(run_dir)
    run = _read_json(run_dir / "run.json")
    metrics = _read_json(run_dir / "metrics.json")
    config = _read_json(run_dir / "config.json")
    history = (
        read_history_csv(run_dir / "history.csv") if (run_dir / "history.csv").exists() else {}
    )
    sections: list[Section] = []

    for s in run.get("sections", []):
        sections.append(
            Section(
                s.get("heading", ""),
                list(s.get("paragraphs", [])),
                list(s.get("bullets", [])),
                [_table_from_json(t) for t in s.get("tables", [])],
                [
                    Figure(f["file"], f["caption"])
                    for f in s.get("figures", [])
                    if (run_dir / f["file"]).exists()
                ],
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
    for f in run.get("figures", []):
        if (run_dir / f["file"]).exists():
            fig_by_kind.setdefault(f.get("kind", "other"), []).append(
                Figure(f["file"], f["caption"])
            )
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
                            else "; R² is the share of the target's variance explained."
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
