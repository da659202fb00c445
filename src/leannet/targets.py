"""Targets shaped for a loss, and the output layer a loss needs, checked with clear errors.

What a loss accepts is declared on the loss class ([`leannet.losses`][leannet.losses]):
``class_labels`` (categorical cross-entropy takes class indices or one-hot rows),
``target_bounds`` (binary cross-entropy: [0, 1]; Poisson: >= 0) and ``fuses_with``
(the output layer a cross-entropy needs).
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array
from .errors import ConfigError, DataError
from .losses import Loss

_OUTPUT_HINTS = {
    "Identity": " or use loss='mse'",
    "Dense": " or use loss='mse'",
    "Sigmoid": "; for a Sigmoid output use loss='binary_cross_entropy'",
    "Softmax": "; for a Softmax output use loss='categorical_cross_entropy'",
}


def check_output_layer(loss: Loss, last_layer) -> None:
    """Raise if ``loss`` needs another output layer (e.g. cross-entropy without softmax)."""
    want = loss.fuses_with
    if want is not None and not isinstance(last_layer, want):
        last = type(last_layer).__name__
        raise ConfigError(
            f"loss={loss.name!r} needs the network to end in {want.__name__}, but its last "
            f"layer is {last}; add ln.{want.__name__}() at the end{_OUTPUT_HINTS.get(last, '')}"
        )


def check_target(y, loss: Loss, n_outputs: int, dtype, n_samples: int, name: str = "y"):
    """``y`` as ``loss`` takes it: class indices (or one-hot rows) for a loss on class
    labels, else a 2-D float array of ``dtype`` with ``n_outputs`` columns."""
    if loss.class_labels:
        y = _class_labels(y, loss, n_outputs, dtype, name)
    else:
        y = as_float_array(y, name, dtype, ndim=(1, 2))
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape[1] != n_outputs:
            raise DataError(
                f"{name} has {y.shape[1]} columns but the output layer has {n_outputs} units"
            )
        if loss.target_bounds is not None:
            low, high = loss.target_bounds
            if y.min() < low or y.max() > high:
                raise DataError(
                    f"{name} must be in [{low:g}, {high:g}] for {loss.name} ({loss.target_meaning}); "
                    f"got values from {y.min():g} to {y.max():g}"
                )
    if len(y) != n_samples:
        raise DataError(
            f"X has {n_samples} samples but {name} has {len(y)}; they must match row for row"
        )
    return y


def _class_labels(y, loss: Loss, k: int, dtype, name: str) -> np.ndarray:
    y = np.asarray(y) if not isinstance(y, np.ndarray) else y
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim == 2:
        y = as_float_array(y, name, dtype, ndim=(2,))
        if y.shape[1] != k:
            raise DataError(
                f"{name} is one-hot with {y.shape[1]} columns but the output layer has {k} units"
            )
        if y.min() < 0 or not np.allclose(y.sum(axis=1), 1.0, atol=1e-4):
            raise DataError(
                f"{name} rows must be one-hot (or probabilities summing to 1) for "
                f"{loss.name}; pass integer class labels or one-hot rows"
            )
        return y
    y = as_float_array(y, name, np.float64, ndim=(1,))
    if not np.all(y == np.round(y)):
        raise DataError(
            f"{name} must hold integer class labels 0..{k - 1} for {loss.name} (or one-hot rows)"
        )
    if y.min() < 0 or y.max() >= k:
        raise DataError(
            f"{name} has labels from {int(y.min())} to {int(y.max())} but the output layer "
            f"has {k} units (labels 0..{k - 1}); widen the last Dense layer or re-encode labels"
        )
    return y.astype(np.intp)
