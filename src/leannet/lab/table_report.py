"""The report parts of a run on a table: data summary, scores next to baselines, ROC/PR.

Every number comes from the run: the preprocessing counts
(`leannet.lab.tabular.data_summary`) and `leannet.lab.scores` on each
split, in the target's units.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .scores import classification_scores, regression_scores

__all__ = ["table_metrics", "table_sections", "target_scores", "target_scores_section"]


def _g(x) -> str:
    return "n/a" if x is None else f"{x:.4g}"


def table_metrics(table, net, loss: str) -> dict:
    """``data_summary`` and ``scores`` per split (metrics.json) for a run on a table."""
    pre, splits = table.preprocessor, table.splits
    scores = {}
    for name, X, y in splits.items():
        out = np.asarray(net.predict(X), dtype=float)
        if table.ds.task == "classification":
            positive = None
            if loss == "binary_cross_entropy":
                pred, positive = (out[:, 0] > 0.5).astype(np.int64), out[:, 0]
            else:
                pred = out.argmax(axis=1)
                if loss == "categorical_cross_entropy" and out.shape[1] == 2:
                    positive = out[:, 1]
            scores[name] = classification_scores(
                y, pred, table.ds.class_names, y_train=splits.y_train, positive_scores=positive
            )
        else:
            scores[name] = regression_scores(
                pre.inverse_transform_target(y),
                pre.inverse_transform_target(out).reshape(np.shape(y)),
                y_train=pre.inverse_transform_target(splits.y_train),
            )
    return {"data_summary": table.summary, "scores": scores}


def _inputs_sentence(summary: dict) -> str:
    """What turned the used columns into network inputs; only steps that happened."""
    used = summary["columns_used"]
    steps = []
    if any(c.endswith("(text)") for c in used):
        steps.append("text one-hot encoded")
    if any(c.endswith("(date)") for c in used):
        steps.append("dates as year, month, day, weekday")
    if summary.get("standardized"):
        steps.append("numeric features standardised with the training rows' mean and std")
    if summary.get("target_scaled"):
        steps.append("the target standardised, predictions mapped back to its units")
    how = f" ({'; '.join(steps)})" if steps else ""
    return f"{len(used)} columns used, made into {summary['features_out']} network inputs{how}."


def _data_section(summary: dict) -> dict:
    dropped = [
        f"{summary[key]} rows dropped: {why}"
        for key, why in (
            ("rows_dropped_missing_target", "the target is missing"),
            ("rows_dropped_missing_weight", "the sample weight is missing"),
            ("rows_dropped_missing_features", "a feature is missing (--missing drop)"),
        )
        if summary.get(key)
    ]
    rows = ", ".join(f"{n} {name}" for name, n in summary["rows"].items())
    paragraphs = [
        f"{summary['rows_in_file']} rows in the file; rows used per split: {rows}."
        + (f" {'; '.join(dropped)}." if dropped else ""),
        _inputs_sentence(summary),
    ]
    bullets = [f"Used: {c}" for c in summary["columns_used"]]
    bullets += [f"Dropped {c}" for c in summary["columns_dropped"]]
    tables = []
    cells = sorted({c for per in summary["imputed"].values() for c, n in per.items() if n})
    if cells:
        tables.append(
            {
                "title": "Missing or unreadable cells filled in (median / most frequent value of the training rows)",
                "columns": ["column", *summary["imputed"]],
                "rows": [
                    [c, *(str(per.get(c, 0)) for per in summary["imputed"].values())] for c in cells
                ],
            }
        )
    unknown = sorted(
        {c for per in summary["unknown_categories"].values() for c, n in per.items() if n}
    )
    if unknown:
        tables.append(
            {
                "title": "Categories not seen in training (encoded as all zeros)",
                "columns": ["column", *summary["unknown_categories"]],
                "rows": [
                    [c, *(str(per.get(c, 0)) for per in summary["unknown_categories"].values())]
                    for c in unknown
                ],
            }
        )
    return {
        "heading": "Data",
        "paragraphs": [p for p in paragraphs if p],
        "bullets": bullets,
        "tables": tables,
    }


def _scores_section(scores: dict, task: str, figures: list) -> dict:
    if task == "classification":
        names = [("accuracy", "accuracy"), ("balanced_accuracy", "balanced accuracy")]
        if any("binary" in s for s in scores.values()):
            names += [("roc_auc", "ROC AUC"), ("average_precision", "average precision")]
        rows = []
        for key, label in names:
            row = [label]
            for s in scores.values():
                model = s.get(key, s.get("binary", {}).get(key))
                base = s["baseline"].get(key, s.get("binary", {}).get(f"baseline_{key}"))
                row += [_g(model), _g(base)]
            rows.append(row)
        rule = next(iter(scores.values()))["baseline"]["rule"]
        last_name, last = list(scores.items())[-1]
        per_class = {
            "title": f"Per class on the {last_name} rows",
            "columns": ["class", "precision", "recall", "F1", "rows"],
            "rows": [
                [c["class"], _g(c["precision"]), _g(c["recall"]), _g(c["f1"]), str(c["support"])]
                for c in last["per_class"]
            ],
        }
        if any(c["precision"] is None for c in last["per_class"]):
            per_class["note"] = (
                "n/a: the model predicted no row of that class, so precision is undefined."
            )
    else:
        names = [("rmse", "RMSE"), ("mae", "MAE"), ("r2", "R²")]
        rows = [
            [label, *(v for s in scores.values() for v in (_g(s[key]), _g(s["baseline"][key])))]
            for key, label in names
        ]
        rule = next(iter(scores.values()))["baseline"]["rule"]
        per_class = None
    columns = ["score"] + [f"{split} {who}" for split in scores for who in ("model", "baseline")]
    tables = [
        {
            "title": "Scores next to a baseline",
            "columns": columns,
            "rows": rows,
            "note": f"Baseline: {rule}."
            + (" RMSE and MAE are in the target's units." if task != "classification" else ""),
        }
    ]
    if per_class:
        tables.append(per_class)
    return {"heading": "Scores", "tables": tables, "figures": figures}


def _roc_pr_figure(scores: dict, run_dir: Path) -> list:
    split, s = list(scores.items())[-1]
    if "binary" not in s:
        return []
    from ..plots import new_figure, save_figure

    b = s["binary"]
    fig, (roc, pr) = new_figure(1, 2, size=(8.0, 3.6))
    roc.plot(b["roc"]["fpr"], b["roc"]["tpr"], label=f"model (AUC {b['roc_auc']:.3f})")
    roc.plot([0, 1], [0, 1], "--", color="grey", label="constant score (AUC 0.5)")
    roc.set(xlabel="false positive rate", ylabel="true positive rate", title=f"ROC ({split})")
    pr.plot(
        b["pr"]["recall"], b["pr"]["precision"], label=f"model (AP {b['average_precision']:.3f})"
    )
    share = b["baseline_average_precision"]
    pr.axhline(share, ls="--", color="grey", label=f"positive share {share:.3f}")
    pr.set(xlabel="recall", ylabel="precision", title=f"precision-recall ({split})")
    for ax in (roc, pr):
        ax.legend(fontsize=8)
    name = save_figure(fig, run_dir / "roc_pr.png")
    return [
        {
            "file": name,
            "caption": f"ROC and precision-recall curves, class {b['positive_class']!r} positive, on the {split} rows",
        }
    ]


def table_sections(metrics: dict, table, run_dir: str | Path) -> list[dict]:
    """``run.json`` sections: the data summary and the scores (with ROC/PR for binary)."""
    figures = _roc_pr_figure(metrics["scores"], Path(run_dir))
    return [
        _data_section(metrics["data_summary"]),
        _scores_section(metrics["scores"], table.ds.task, figures),
    ]


def target_scores(splits, net, scaling: dict) -> dict:
    """``scores`` per split in the target's units and ``target_scaled`` for a regression
    run on other data than a table whose target was standardised (``scaling`` =
    ``{"mean", "scale"}``, see `leannet.preprocessing.target_scaling`)."""
    from ..preprocessing.target import unscale_target_values

    scores = {}
    for name, X, y in splits.items():
        out = np.asarray(net.predict(X), dtype=float).reshape(np.shape(y))
        scores[name] = regression_scores(
            unscale_target_values(y, scaling),
            unscale_target_values(out, scaling),
            y_train=unscale_target_values(splits.y_train, scaling),
        )
    return {"data_summary": {"target_scaled": True}, "scores": scores}


def target_scores_section(scores: dict) -> dict:
    """The report's scores section for `target_scores` (regression, in target units)."""
    return _scores_section(scores, "regression", [])
