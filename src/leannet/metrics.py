"""Metrics reported next to the loss."""

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


def accuracy(output: np.ndarray, y: np.ndarray, *, logits: bool = False) -> float:
    """Share of correct predictions.

    ``y`` holds class indices, one-hot rows (with a softmax-style output), or 0/1
    targets. With several output units and 0/1 targets that are not one-hot
    (several sigmoid units), each unit is scored as an independent label.
    """
    if y.ndim == 2 and y.shape[1] > 1:
        if _is_one_hot_like(y):
            return float(np.mean(output.argmax(axis=1) == y.argmax(axis=1)))
        threshold = 0.0 if logits else 0.5
        return float(np.mean((output > threshold) == (y > 0.5)))
    truth = y.ravel()
    pred = predicted_classes(output, logits=logits)
    if output.shape[1] == 1:
        truth = truth > 0.5
    return float(np.mean(pred == truth))


def _is_one_hot_like(y: np.ndarray) -> bool:
    return bool(np.allclose(y.sum(axis=1), 1.0))


def r2_score(output: np.ndarray, y: np.ndarray) -> float:
    r"""Coefficient of determination :math:`1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2`
    (averaged over outputs)."""
    y = y.reshape(output.shape)
    ss_res = ((y - output) ** 2).sum(axis=0)
    ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(ss_tot > 0, 1.0 - ss_res / np.where(ss_tot > 0, ss_tot, 1.0), 0.0)
    return float(np.mean(r2))
