"""What a held-out loss curve did, by stated rules, in one sentence.

For a held-out loss curve $v_1..v_n$ (validation, or the watched test set),
with $b$ the first epoch of its minimum, the total decrease
$D = v_1 - v_b$ and a recent window of $w = \\max(3, \\lceil n/10 \\rceil)$
epochs, the rules are tried in this order:

1. **not improving**: $D \\le 0$: the loss never went below its first value.
2. **overfitting since epoch b**: the loss rose after its minimum by more than 2 % of
   it and more than 5 % of $D$ ($v_n - v_b > \\max(0.02 |v_b|, 0.05 D)$),
   the minimum is at least $w$ epochs before the end, and the training loss
   kept falling after epoch $b$ (when it is known).
3. **improving** / **under-trained at the cap**: the loss fell by more than 5 % of
   $D$ over the last $w$ epochs ($v_{n-w} - v_n > 0.05 D$). When
   training ran to its epoch cap this is "under-trained at the cap".
4. **plateaued since epoch k**: otherwise; $k$ is the first epoch from which
   every loss stays within 5 % of $D$ of the minimum ($v_j \\le v_b + 0.05 D$
   for all $j \\ge k$). When the last loss is above that band (a late rise that
   rule 2 does not call overfitting), the sentence names the minimum's epoch, the rise
   and which condition of rule 2 failed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Trend", "curve_trend"]

RISE_OF_MIN = 0.02
SHARE_OF_DECREASE = 0.05


@dataclass(frozen=True)
class Trend:
    """The rule that held and the sentence it makes.

    Attributes:
        kind: ``"not improving"``, ``"overfitting"``, ``"improving"``,
            ``"under-trained"`` or ``"plateaued"``.
        epoch: the epoch the kind holds since (overfitting, plateaued), else None.
        sentence: one sentence stating the numbers the rule used.
    """

    kind: str
    epoch: int | None
    sentence: str


def _g(x: float) -> str:
    return f"{x:.4g}"


def recent_window(n: int) -> int:
    """Epochs counted as "recent": ``max(3, ceil(n / 10))``, at most ``n - 1``."""
    return max(1, min(n - 1, max(3, math.ceil(n / 10))))


def curve_trend(
    held_out,
    train=None,
    *,
    epoch_cap: int | None = None,
    split: str = "validation",
) -> Trend | None:
    """Classify a held-out loss curve by the module's rules.

    Args:
        held_out: held-out loss per epoch (NaN entries are ignored).
        train: training loss per epoch (same length), used by the overfitting rule.
        epoch_cap: the configured number of epochs; when the curve reaches it, an
            improving curve is "under-trained at the cap".
        split: the name of the held-out set in the sentence.

    Returns:
        The `Trend`, or None for fewer than 3 finite epochs.
    """
    v = np.asarray(held_out, dtype=float)
    epochs = np.flatnonzero(np.isfinite(v)) + 1
    v = v[np.isfinite(v)]
    n = len(v)
    if n < 3:
        return None
    name = split.capitalize()
    b = int(np.argmin(v))
    best, last, decrease = v[b], v[-1], v[0] - v[b]
    if decrease <= 0:
        return Trend(
            "not improving",
            None,
            f"{name} loss never went below its first-epoch value {_g(v[0])} "
            f"in {int(epochs[-1])} epochs: the network did not learn; check the learning rate.",
        )
    w = recent_window(n)
    rise = last - best
    t = None if train is None else np.asarray(train, dtype=float)[epochs - 1]
    train_fell = t is None or t[-1] < t[b]
    if (
        rise > max(RISE_OF_MIN * abs(best), SHARE_OF_DECREASE * decrease)
        and b <= n - 1 - w
        and train_fell
    ):
        train_part = (
            ""
            if t is None
            else f", while the training loss kept falling ({_g(t[b])} to {_g(t[-1])})"
        )
        return Trend(
            "overfitting",
            int(epochs[b]),
            f"Overfitting since epoch {int(epochs[b])}: the {split} loss was lowest there "
            f"({_g(best)}) and rose to {_g(last)} by epoch {int(epochs[-1])}{train_part}.",
        )
    fall = v[n - 1 - w] - last
    if fall > SHARE_OF_DECREASE * decrease:
        share = 100 * fall / decrease
        start, end = int(epochs[n - 1 - w]), int(epochs[-1])
        trend = (
            f"the {split} loss fell from {_g(v[n - 1 - w])} at epoch {start} to {_g(last)} "
            f"at epoch {end}, {share:.0f}% of its whole decrease"
        )
        if epoch_cap is not None and end >= epoch_cap:
            return Trend(
                "under-trained",
                None,
                f"Under-trained at the cap of {epoch_cap} epochs: {trend}; "
                "train longer (more --epochs).",
            )
        return Trend("improving", None, f"Still improving at the end: {trend}.")
    above = np.flatnonzero(v > best + SHARE_OF_DECREASE * decrease)
    if len(above) and above[-1] == n - 1:  # ended above the band: a rise not called overfitting
        why = (
            "the rise is under 2% of the lowest value"
            if rise <= RISE_OF_MIN * abs(best)
            else f"the lowest value is within the last {w} epochs"
            if b > n - 1 - w
            else "the training loss did not keep falling"
        )
        return Trend(
            "plateaued",
            int(epochs[b]),
            f"Plateaued at epoch {int(epochs[b])} of {int(epochs[-1])}: the {split} loss was "
            f"lowest there ({_g(best)}) and ended at {_g(last)}, "
            f"{100 * rise / decrease:.0f}% of its whole decrease higher; not called "
            f"overfitting because {why}.",
        )
    k = int(above[-1]) + 1 if len(above) else 0  # every later loss within the band
    return Trend(
        "plateaued",
        int(epochs[k]),
        f"Plateaued since epoch {int(epochs[k])} of {int(epochs[-1])}: from then on the "
        f"{split} loss stayed within 5% of its whole decrease of its lowest value "
        f"({_g(best)}){'' if rise <= 0 else f' and ended at {_g(last)}'}.",
    )
