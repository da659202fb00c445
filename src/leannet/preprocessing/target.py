"""Standardising a regression target and mapping network outputs back to its units.

``t = (y - mean) / scale`` for training; ``y = t * scale + mean`` for predictions. Shared by
CSV runs (stored in the preprocessing state) and built-in/NPZ runs (stored in data.json).
"""

from __future__ import annotations

import numpy as np


def target_scaling(target: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation that standardise a regression target,
    ``t = (y - mean) / scale`` (scale 1 for a constant target). Computed on the values
    divided by their largest magnitude, so values near 1e300 do not overflow."""
    target = np.asarray(target, dtype=float).reshape(-1)
    peak = float(np.abs(target).max()) or 1.0
    mean, scale = float((target / peak).mean() * peak), float((target / peak).std() * peak)
    return mean, scale or 1.0


def scale_target_values(y: np.ndarray, scaling: dict | None) -> np.ndarray:
    """``(y - mean) / scale`` with ``scaling`` = ``{"mean", "scale"}``; ``y`` as it is
    when ``scaling`` is None or its mean is None (the target was not standardised)."""
    if not scaling or scaling.get("mean") is None:
        return np.asarray(y, dtype=float)
    return (np.asarray(y, dtype=float) - scaling["mean"]) / scaling["scale"]


def unscale_target_values(t: np.ndarray, scaling: dict | None) -> np.ndarray:
    """Network outputs back in the target's units, ``t * scale + mean`` (the inverse of
    `scale_target_values`)."""
    if not scaling or scaling.get("mean") is None:
        return np.asarray(t, dtype=float)
    return np.asarray(t, dtype=float) * scaling["scale"] + scaling["mean"]
