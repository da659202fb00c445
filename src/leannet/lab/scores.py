"""Scores a practitioner needs, each next to the baseline it has to beat.

Classification: accuracy and balanced accuracy next to always predicting the
training set's most frequent class; per-class precision, recall, F1 and support;
for two classes with probabilities, ROC AUC and average precision (the area under
the precision-recall curve) with their curves, next to a constant score (AUC 0.5,
average precision = the positive share). Regression: RMSE, MAE and R² in the
target's units next to always predicting the training mean.
All scores come from `sklearn.metrics`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["classification_scores", "r2_from_mse", "regression_scores"]

_MAX_CURVE_POINTS = 200


def _thin(*curves: np.ndarray) -> list[list[float]]:
    """At most ``_MAX_CURVE_POINTS`` points of each curve (first and last kept)."""
    n = len(curves[0])
    keep = np.unique(np.linspace(0, n - 1, min(n, _MAX_CURVE_POINTS)).round().astype(int))
    return [np.asarray(c, dtype=float)[keep].tolist() for c in curves]


def _number(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def classification_scores(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    class_names: list[str],
    *,
    y_train: np.ndarray,
    positive_scores: np.ndarray | None = None,
) -> dict:
    """Accuracy, balanced accuracy, per-class scores and the majority-class baseline.

    Args:
        y_true, y_pred: class indices ``0..k-1``.
        class_names: the label of each index.
        y_train: training class indices (the baseline predicts their most frequent one).
        positive_scores: two classes only: the model's probability (or score) of class 1
            per row; adds ROC AUC, average precision and their curves.

    Returns:
        A JSON-ready dict. A precision with no predicted rows of that class is None
        (undefined), not 0.
    """
    from sklearn import metrics

    labels = np.arange(len(class_names))
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    majority = int(np.bincount(np.asarray(y_train), minlength=len(labels)).argmax())
    constant = np.full_like(y_true, majority)
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=np.nan
    )
    out = {
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": _balanced(y_true, y_pred, labels),
        "baseline": {
            "rule": f"always predict the training set's most frequent class {class_names[majority]!r}",
            "accuracy": float(metrics.accuracy_score(y_true, constant)),
            "balanced_accuracy": _balanced(y_true, constant, labels),
        },
        "per_class": [
            {
                "class": class_names[i],
                "precision": _number(precision[i]),
                "recall": _number(recall[i]),
                "f1": _number(f1[i]),
                "support": int(support[i]),
            }
            for i in labels
        ],
    }
    if positive_scores is not None and len(labels) == 2 and len(np.unique(y_true)) == 2:
        scores = np.asarray(positive_scores, dtype=float).ravel()
        fpr, tpr, _ = metrics.roc_curve(y_true, scores)
        prec, rec, _ = metrics.precision_recall_curve(y_true, scores)
        fpr, tpr = _thin(fpr, tpr)
        prec, rec = _thin(prec, rec)
        out["binary"] = {
            "positive_class": class_names[1],
            "roc_auc": float(metrics.roc_auc_score(y_true, scores)),
            "average_precision": float(metrics.average_precision_score(y_true, scores)),
            "baseline_roc_auc": 0.5,
            "baseline_average_precision": float(np.mean(y_true == 1)),
            "roc": {"fpr": fpr, "tpr": tpr},
            "pr": {"precision": prec, "recall": rec},
        }
    return out


def _balanced(y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray) -> float:
    """Mean recall over the classes present in ``y_true`` (scikit-learn's definition)."""
    from sklearn import metrics

    present = np.unique(y_true)
    recalls = metrics.recall_score(y_true, y_pred, labels=present, average=None, zero_division=0)
    return float(np.mean(recalls))


def regression_scores(y_true: np.ndarray, y_pred: np.ndarray, *, y_train: np.ndarray) -> dict:
    """RMSE, MAE and R² in the target's units, and the same for the training-mean baseline.

    ``RMSE = sqrt(mean((y - p)^2))``, ``MAE = mean(|y - p|)``,
    ``R² = 1 - Σ(y - p)² / Σ(y - ȳ)²`` (averaged over outputs).
    """
    from sklearn import metrics

    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float).reshape(y_true.shape)
    mean = np.asarray(y_train, dtype=float).mean(axis=0)
    constant = np.broadcast_to(mean, y_true.shape)

    def scores(pred):
        r2 = metrics.r2_score(y_true, pred) if len(y_true) > 1 else float("nan")
        return {
            "rmse": float(np.sqrt(metrics.mean_squared_error(y_true, pred))),
            "mae": float(metrics.mean_absolute_error(y_true, pred)),
            "r2": _number(r2),
        }

    baseline = scores(constant)
    shown = ", ".join(f"{m:.6g}" for m in np.atleast_1d(mean))
    baseline["rule"] = f"always predict the training mean {shown}"
    return {**scores(y_pred), "baseline": baseline}


def r2_from_mse(mse: np.ndarray, y: np.ndarray) -> np.ndarray:
    """R² from mean squared errors on the rows of ``y``: ``1 - MSE / Var(y)``.

    Exact for one output (``Var`` is the population variance of the same rows);
    with several outputs, ``Var`` is averaged over them.
    """
    var = float(np.var(np.asarray(y, dtype=float), axis=0).mean())
    return 1.0 - np.asarray(mse, dtype=float) / var if var > 0 else np.full(len(mse), np.nan)
