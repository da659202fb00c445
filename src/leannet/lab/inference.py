"""Using a model: predicted labels, metrics per split, and a saved run on new data
(the same columns, scaling and class labels as training)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..datasets import BUILTIN_DATASETS, load_csv, load_csv_features, load_dataset
from ..errors import DataError, ModelFileError
from .modeling import fit_targets

__all__ = [
    "evaluate_splits",
    "in_target_units",
    "load_inputs",
    "load_run_model",
    "map_labels",
    "predict_labels",
    "scale",
    "target_scaling_of",
]


def scale(X: np.ndarray, info: dict, dtype) -> np.ndarray:
    """Standardise with the training mean/std saved in ``data.json``."""
    mean = np.asarray(info.get("mean", 0.0), dtype=float)
    std = np.asarray(info.get("std", 1.0), dtype=float)
    return ((X - mean) / std).astype(dtype)


def map_labels(ds_class_names: list[str], y: np.ndarray, model_classes: list[str], source: str):
    """Re-index labels of freshly loaded data onto the model's classes (by label text)."""
    lookup = {name: i for i, name in enumerate(model_classes)}
    unknown = [n for n in ds_class_names if n not in lookup]
    if unknown:
        raise DataError(
            f"{source}: labels {', '.join(map(repr, unknown))} were not seen in "
            f"training; the model knows: {', '.join(model_classes)}"
        )
    table = np.array([lookup[n] for n in ds_class_names], dtype=np.int64)
    return table[np.asarray(y, dtype=np.int64)]


def load_inputs(
    spec: str | os.PathLike, info: dict, *, need_target: bool, target: str | None = None
):
    """Features (in the model's column order) and, when present, targets of ``spec``.

    Returns ``(X, y_or_None, description)``. For a built-in dataset or IDX directory
    with a fixed test split, the test split is used.
    """
    spec_str = os.fspath(spec)
    names = list(info["feature_names"])
    target = target or info.get("target_name")
    task = info["task"]
    path = Path(spec_str)
    is_csv = spec_str not in BUILTIN_DATASETS and path.is_file() and path.suffix.lower() != ".npz"
    if info.get("preprocessor") is not None:
        return _load_table_inputs(spec_str, info, is_csv=is_csv, need_target=need_target)
    if is_csv:
        from ..datasets import read_csv_rows

        header, rows = read_csv_rows(path)
        if not need_target:  # predict: the features only; a target column is ignored
            return load_csv_features(path, names), None, f"{path} ({len(rows)} rows)"
        if not target or target not in header:
            raise DataError(
                f"{path}: no target column {target!r} to evaluate against; the "
                f"columns are: {', '.join(header)} (pass --target COLUMN)"
            )
        ds = load_csv(path, target, task=task, min_classes=1)
        missing = [f for f in names if f not in ds.feature_names]
        if missing:
            raise DataError(
                f"{path}: the model needs columns {', '.join(map(repr, missing))}, "
                f"which the file lacks; its columns are: {', '.join(header)}"
            )
        X = ds.X[:, [ds.feature_names.index(f) for f in names]]
    else:
        if not (spec_str in BUILTIN_DATASETS or path.exists()):
            load_dataset(spec_str)  # raises the standard "not found" error
        ds = load_dataset(spec_str, task=task)
        if ds.X_test is not None:
            ds.X, ds.y = ds.X_test, ds.y_test
        X = ds.X
    if X.shape[1] != len(names):
        raise DataError(
            f"{spec_str}: has {X.shape[1]} features but the model was trained on "
            f"{len(names)}; use data with the same columns"
        )
    if not need_target:
        y = None
    elif task == "classification":
        y = map_labels(ds.class_names or [], ds.y, info["class_names"], spec_str)
    else:
        from ..preprocessing.target import scale_target_values

        y = scale_target_values(ds.y, info.get("target_scaling"))
    return X, y, f"{spec_str} ({len(X)} rows)"


def _load_table_inputs(spec: str, info: dict, *, is_csv: bool, need_target: bool):
    """A CSV file through the preprocessing saved in the model (missing cells imputed,
    unknown categories encoded as zeros; the description counts both)."""
    from ..preprocessing import read_csv_table

    if not is_csv:
        raise DataError(
            f"{spec}: this model was trained on a CSV file and applies that file's "
            "preprocessing; give a CSV file with the same columns"
        )
    pre = info["preprocessor"]
    prepared = pre.transform(
        read_csv_table(spec), source=spec, require_target=need_target, ignore_target=not need_target
    )
    y = None
    if need_target and info["task"] == "classification":
        from .tabular import class_indices

        y = class_indices(prepared.target, info["class_names"], "evaluated", spec)
    elif need_target:
        y = pre.transform_target(prepared.target)
    notes = [
        f"{sum(per.values())} {one if sum(per.values()) == 1 else many}"
        for one, many, per in (
            ("missing or unreadable cell filled in", "missing or unreadable cells filled in",
             prepared.counts.get("imputed", {})),
            ("unseen category encoded as zeros", "unseen categories encoded as zeros",
             prepared.counts.get("unknown", {})),
        )
        if sum(per.values())
    ]  # fmt: skip
    desc = f"{spec} ({len(prepared.X)} rows{'; ' + ', '.join(notes) if notes else ''})"
    return prepared.X, y, desc


def in_target_units(outputs: np.ndarray, info: dict) -> np.ndarray:
    """Regression outputs back in the target's units when the target was standardised."""
    from ..preprocessing.target import unscale_target_values

    return unscale_target_values(outputs, target_scaling_of(info))


def target_scaling_of(info: dict) -> dict | None:
    """``{"mean", "scale"}`` of a standardised regression target (from the model's
    preprocessing, or ``data.json`` for other data than a table), or None."""
    pre = info.get("preprocessor")
    if pre is not None:
        return pre.to_state().get("target")
    return info.get("target_scaling")


def predict_labels(net, X: np.ndarray, loss: str, task: str = "classification") -> np.ndarray:
    """Class indices (classification: threshold 0.5 for BCE, arg-max otherwise) or the
    raw outputs (regression) predicted for ``X``."""
    out = np.asarray(net.predict(X))
    if task != "classification":
        return out
    if loss == "binary_cross_entropy":
        return (out[:, 0] > 0.5).astype(np.int64)
    return np.argmax(out, axis=1)


def evaluate_splits(net, splits, loss: str, n_outputs: int, task: str) -> dict:
    """``net.evaluate`` on every split (plus the sample count); MSE on classes adds accuracy."""
    result = {}
    for name, X, y in splits:
        m = dict(net.evaluate(X, fit_targets(y, loss, n_outputs, net.dtype), loss=loss))
        if task == "classification" and loss == "mse":
            m["accuracy"] = float(np.mean(predict_labels(net, X, loss) == y))
        m = {k: float(v) for k, v in m.items()}
        m["n"] = int(len(X))
        result[name] = m
    return result


def load_run_model(model: str | os.PathLike):
    """Load a model and the ``data.json`` beside it from a run directory or a model file.

    ``data.json`` is validated against the model (`leannet.lab.run_files.check_data_info`).
    """
    from ..serialization import load_with_preprocessing
    from .run_files import check_data_info, read_json

    path = Path(model)
    if path.is_dir():
        path = path / "model.npz"
    if not path.exists():
        raise ModelFileError(f"model not found: {model}; give a run directory or its model.npz")
    net, state = load_with_preprocessing(path)
    info_path = path.with_name("data.json")
    if not info_path.exists():
        raise ModelFileError(
            f"{info_path} is missing; evaluate/predict need the data.json that "
            "leannet train writes beside model.npz"
        )
    info = check_data_info(
        read_json(path.parent, "data.json", required=True),
        path.parent,
        n_inputs=net.n_inputs,
        n_outputs=net.n_outputs,
    )
    if state is not None:
        from ..preprocessing import Preprocessor

        info["preprocessor"] = Preprocessor.from_state(state)
    return net, info
