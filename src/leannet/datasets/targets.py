"""Targets: which task a target column means, and labels -> class indices ``0..k-1``."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import DataError
from .types import Dataset

# A numeric target with at most this many distinct whole-number values is read as classes.
MAX_CLASSES_INFERRED = 20


def infer_task(values) -> str:
    """The task a target means when the user does not say: the one rule for
    ``load_dataset`` and ``sweep``.

    Classification for labels: text, booleans, or finite whole numbers with at most
    `MAX_CLASSES_INFERRED` distinct values in one column (shape ``(n,)`` or
    ``(n, 1)``). Regression otherwise: fractions, many distinct values, NaN or inf,
    or several target columns.

    Args:
        values: the target column(s), any array-like.

    Returns:
        ``"classification"`` or ``"regression"``.
    """
    values = np.asarray(values)
    if values.ndim == 2 and values.shape[1] > 1 or values.ndim > 2 or values.dtype.kind == "c":
        return "regression"
    if not np.issubdtype(values.dtype, np.number) or values.dtype == bool:
        return "classification"
    whole = bool(np.all(np.isfinite(values)) and np.all(np.mod(values, 1) == 0))
    if whole and len(np.unique(values)) <= MAX_CLASSES_INFERRED:
        return "classification"
    return "regression"


def encode_labels(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Map labels to 0..k-1; class names are the labels as text, sorted
    numerically for numbers and alphabetically for strings."""
    uniq, inverse = np.unique(values, return_inverse=True)
    names = []
    for u in uniq.tolist():
        if isinstance(u, float) and u == int(u):
            u = int(u)
        names.append(str(u))
    return inverse.astype(np.int64).reshape(-1), names


def make_targets(
    raw: np.ndarray, task: str | None, source: str, min_classes: int = 2
) -> tuple[np.ndarray, list[str] | None, str]:
    task = task or infer_task(raw)
    if task == "classification":
        if raw.ndim != 1:
            raise DataError(f"{source}: class labels must be one column, got shape {raw.shape}")
        y, names = encode_labels(raw)
        if len(names) < min_classes:
            raise DataError(
                f"{source}: the target has a single class ({names[0]!r}); "
                "classification needs at least two"
            )
        return y, names, task
    if raw.dtype.kind in "OUS":
        raise DataError(
            f"{source}: the target holds text, so it cannot be used for regression; "
            "use --task classification or pick a numeric target column"
        )
    return raw.astype(float), None, task


def apply_task(ds: Dataset, task: str) -> Dataset:
    if task == ds.task:
        return ds
    if task == "regression":
        if ds.class_names is None or not all(is_number(c) for c in ds.class_names):
            raise DataError(
                f"{ds.name}: the class labels are not numbers, so the target cannot "
                "be used for regression"
            )
        lut = np.array([float(c) for c in ds.class_names])
        y_test = None if ds.y_test is None else lut[ds.y_test]
        return replace(ds, y=lut[ds.y], y_test=y_test, task="regression", class_names=None)
    y, names, _ = make_targets(np.asarray(ds.y), "classification", ds.name)
    if ds.y_test is not None:
        raise DataError(
            f"{ds.name}: cannot turn a regression target with a fixed test split "
            "into classes; use the default task"
        )
    return replace(ds, y=y, class_names=names, task="classification")


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
