"""Metrics reported next to the loss: accuracy and the coefficient of determination."""

from __future__ import annotations

import numpy as np


def predicted_classes(output: np.ndarray, *, logits: bool = False) -> np.ndarray:
    """Class predictions from network outputs.

    One output unit: 1 where the probability exceeds 0.5 (the logit exceeds 0).
    Several units: the arg-max.
    """
    if output.shape[1] == 1:
        return (output[:, 0] > (0.0 if logits else 0.5)).astype(np.intp)
    return output.argmax(axis=1)


def accuracy(
    output: np.ndarray,
    y: np.ndarray,
    *,
    logits: bool = False,
    per_label: bool | None = None,
    sample_weight: np.ndarray | None = None,
) -> float:
    """Share of correct predictions (weighted by ``sample_weight`` when given).

    Args:
        output: network outputs (probabilities, or logits with ``logits=True``).
        y: class indices, one-hot rows, or 0/1 targets.
        per_label: True when each output unit is its own label (sigmoid units,
            multilabel): every (sample, unit) decision counts, thresholded at 0.5.
            False: one class per sample (arg-max, or the threshold for one unit).
            None (default): guess from ``y``; 0/1 rows that are not one-hot are per label.
    """
    threshold = 0.0 if logits else 0.5
    if per_label is None:
        per_label = y.ndim == 2 and y.shape[1] > 1 and not _is_one_hot_like(y)
    if per_label:
        hits = ((output > threshold) == (y.reshape(output.shape) > 0.5)).mean(axis=1)
    elif y.ndim == 2 and y.shape[1] > 1:
        hits = output.argmax(axis=1) == y.argmax(axis=1)
    else:
        truth = y.ravel()
        if output.shape[1] == 1:
            truth = truth > 0.5
        hits = predicted_classes(output, logits=logits) == truth
    if sample_weight is not None:
        return float(np.average(hits, weights=sample_weight))
    # count / n is the mean of the 0/1 hits, without np.mean's per-call overhead
    if hits.dtype == bool:
        return float(np.count_nonzero(hits) / len(hits))
    return float(hits.mean())


def _is_one_hot_like(y: np.ndarray) -> bool:
    return bool(np.allclose(y.sum(axis=1), 1.0))


def r2_score(output: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    r"""Coefficient of determination $1 - \sum s (y - \hat y)^2 / \sum s (y - \bar y)^2$
    ($s$ the sample weights, 1 by default; $\bar y$ their weighted mean),
    averaged over outputs; an output whose target is constant scores 0."""
    y = y.reshape(output.shape)
    if sample_weight is None:
        ss_res = ((y - output) ** 2).sum(axis=0)
        ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    else:
        s = np.asarray(sample_weight, dtype=np.float64)[:, None]
        ss_res = (s * (y - output) ** 2).sum(axis=0)
        ss_tot = (s * (y - (s * y).sum(axis=0) / s.sum()) ** 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(ss_tot > 0, 1.0 - ss_res / np.where(ss_tot > 0, ss_tot, 1.0), 0.0)
    return float(np.mean(r2))
