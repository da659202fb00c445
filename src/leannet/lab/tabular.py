"""Training data from a table file (CSV): the preprocessing step, the splits and the weights.

A CSV file goes through `Preprocessor` (columns chosen,
id-like and constant columns dropped, missing cells imputed or rows dropped, text
one-hot encoded, dates turned into numbers, features and a regression target
standardised). Its statistics are fitted on the training rows only; the validation
and test rows, or the separate ``--val-data`` / ``--test-data`` files, are transformed
with them. The fitted state is saved inside ``model.npz``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..datasets import BUILTIN_DATASETS, Dataset, encode_labels
from ..errors import ConfigError, DataError
from ..preprocessing import Preprocessor, read_csv_table
from .config import TrainConfig
from .splits import Splits, split_rows

__all__ = ["TableRun", "class_indices", "class_weights", "is_table_file", "prepare_table"]


def is_table_file(spec: str | os.PathLike) -> bool:
    """A CSV file (not a built-in name, an ``.npz`` file or an IDX directory)."""
    text = os.fspath(spec)
    path = Path(text)
    return text not in BUILTIN_DATASETS and path.is_file() and path.suffix.lower() != ".npz"


@dataclass
class TableRun:
    """What training on a table needs beyond a [`Dataset`][leannet.datasets.Dataset].

    Attributes:
        ds: names, task and classes (``X``/``y`` hold the training split).
        splits: network-ready splits (regression targets standardised when
            ``scale_target``); ``mean``/``std`` are 0/1 since the preprocessing scaled.
        preprocessor: the fitted preprocessing (saved with the model).
        sample_weight: per training row weights, or None.
        summary: rows and columns used, dropped, imputed, encoded (for the report).
        train_rows: positions of the training rows among the usable rows of the file.
    """

    ds: Dataset
    splits: Splits
    preprocessor: Preprocessor
    sample_weight: np.ndarray | None
    summary: dict
    train_rows: np.ndarray | None = None


def class_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    """``balanced`` class weights, ``n / (k * n_c)`` per class (scikit-learn's rule);
    0 for a class absent from ``y``."""
    counts = np.bincount(np.asarray(y, dtype=np.int64), minlength=n_classes).astype(float)
    present = counts > 0
    weights = np.zeros(n_classes)
    weights[present] = len(y) / (present.sum() * counts[present])
    return weights


def prepare_table(
    spec: str | os.PathLike,
    cfg: TrainConfig,
    *,
    val_data: str | os.PathLike | None = None,
    test_data: str | os.PathLike | None = None,
) -> TableRun:
    """Read, clean and split a CSV file for training (see the module docstring)."""
    source = os.fspath(spec)
    table = read_csv_table(spec)
    target = cfg.target or list(table)[-1]
    pre = Preprocessor(
        target,
        features=cfg.features,
        drop=cfg.drop,
        missing=cfg.missing,
        dates=cfg.dates,
        standardize=cfg.standardize,
        scale_target=cfg.scale_target,
        weight_column=cfg.sample_weight,
        task=cfg.task,
    )
    kept = pre.select(table, source=source)
    train_pos, val_pos, test_pos = split_rows(
        len(kept),
        cfg,
        fixed_val=val_data is not None,
        fixed_test=test_data is not None,
        source=source,
    )
    pre.fit(table, kept[np.sort(train_pos)], source=source)
    task = pre.to_state()["target"]["task"]
    if cfg.class_weight and task != "classification":
        raise ConfigError(
            f"--class-weight applies to classification; the target {target!r} of {source} "
            "is numeric, so this is a regression (drop --class-weight, or pass "
            "--task classification)"
        )
    parts = {"train": pre.transform(table, kept[np.sort(train_pos)], source=source)}
    if len(val_pos):
        parts["validation"] = pre.transform(table, kept[np.sort(val_pos)], source=source)
    if len(test_pos):
        parts["test"] = pre.transform(table, kept[np.sort(test_pos)], source=source)
    for name, extra in (("validation", val_data), ("test", test_data)):
        if extra is not None:
            if not is_table_file(extra):
                raise ConfigError(
                    f"--{'val' if name == 'validation' else name}-data must be a CSV file"
                )
            parts[name] = pre.transform(
                read_csv_table(extra), source=os.fspath(extra), require_target=True
            )
    from_file = {"train": train_pos, "validation": val_pos, "test": test_pos}
    class_names = None
    if task == "classification":
        own = [p.target for n, p in parts.items() if n == "train" or len(from_file[n])]
        values = np.concatenate(own) if all(t.dtype.kind == "f" for t in own) else None
        if values is None:
            values = np.array([_label_text(v) for t in own for v in t])
        _, class_names = encode_labels(values)
        ys = {n: class_indices(p.target, class_names, n, source) for n, p in parts.items()}
    else:
        ys = {n: pre.transform_target(p.target) for n, p in parts.items()}
    dtype = np.dtype(cfg.dtype)
    X = {n: p.X.astype(dtype) for n, p in parts.items()}
    width = X["train"].shape[1]
    splits = Splits(
        X["train"],
        ys["train"],
        X.get("validation"),
        ys.get("validation"),
        X.get("test"),
        ys.get("test"),
        np.zeros(width),
        np.ones(width),
    )
    weights = parts["train"].weights
    if cfg.class_weight == "balanced":
        per_row = class_weights(ys["train"], len(class_names))[ys["train"]]
        weights = per_row if weights is None else weights * per_row
    ds = Dataset(
        X["train"],
        ys["train"],
        task,
        pre.output_names,
        class_names,
        name=source,
        target_name=target,
        description=f"CSV file {Path(source).name}",
    )
    summary = data_summary(pre, parts)
    return TableRun(ds, splits, pre, weights, summary, np.sort(train_pos))


def class_indices(labels, class_names: list[str], split: str, source: str) -> np.ndarray:
    """Labels (as text) to indices of the training classes; unseen labels are an error."""
    texts = [_label_text(v) for v in labels]
    lookup = {name: i for i, name in enumerate(class_names)}
    unseen = sorted({t for t in texts if t not in lookup})
    if unseen:
        raise DataError(
            f"{source}: labels {', '.join(map(repr, unseen))} were not seen in training; "
            f"the model knows: {', '.join(class_names)}"
        )
    return np.array([lookup[t] for t in texts], dtype=np.int64)


def _label_text(value) -> str:
    """A label as `encode_labels` names it (whole floats without ``.0``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def data_summary(pre: Preprocessor, parts: dict) -> dict:
    """Rows and columns used, dropped, imputed, encoded, per split (for the report)."""
    state = pre.to_state()
    text = [i["name"] for i in state["inputs"] if i["kind"] == "text"]
    return {
        "rows_in_file": state["summary"]["rows_in"],
        "rows_dropped_missing_target": state["summary"].get("rows_dropped_missing_target", 0),
        "rows_dropped_missing_weight": state["summary"].get("rows_dropped_missing_weight", 0),
        "rows_dropped_missing_features": state["summary"].get("rows_dropped_missing_features", 0),
        "rows": {name: int(len(p.rows)) for name, p in parts.items()},
        "columns_used": [f"{i['name']} ({i['kind']})" for i in state["inputs"]],
        "columns_dropped": [f"{d['column']}: {d['reason']}" for d in state["dropped"]],
        "encoded": {name: len(c) for name, c in zip(text, state["categories"])},
        "imputed": {name: dict(p.counts.get("imputed", {})) for name, p in parts.items()},
        "unknown_categories": {
            name: dict(p.counts.get("unknown", {})) for name, p in parts.items()
        },
        "features_out": len(state["output_names"]),
        "missing": state["missing"],
        "target_scaled": bool(state["target"] and state["target"]["mean"] is not None),
        "standardized": state["mean"] is not None,
    }
