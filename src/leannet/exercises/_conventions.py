"""Penalty conventions and array layouts of the seed documents, mapped onto leannet.

Penalty conventions (``convention=``), for weights ``w`` and ``m`` training examples:

=========  ===========================================  ===============================
name       penalty added to the loss                    gradient added to dL/dw
=========  ===========================================  ===============================
"sum"      l1·Σ|w| + l2·Σw²  (leannet, Keras, seeds     l1·sign(w) + 2·l2·w
           000 and 001)
"half"     l1·Σ|w| + (l2/2)·Σw²  (seeds 002 and 004,    l1·sign(w) + l2·w
           PyTorch's coupled weight_decay)
"per_m"    (l1/m)·Σ|w| + (l2/(2m))·Σw²  (seed 003,      (l1·sign(w) + l2·w)/m
           Nielsen's lmbda)
=========  ===========================================  ===============================

Layouts (``layout=``):

* ``"rows"`` (leannet and seeds 000, 001, 002, 004): one example per row, ``X`` is
  ``(m, n_in)``, ``W`` is ``(n_in, n_out)``, ``b`` is ``(1, n_out)``, ``Z = X @ W + b``.
* ``"columns"`` (seed 003): one example per column, ``X`` is ``(n_in, m)``, ``W`` is
  ``(n_out, n_in)``, ``b`` is ``(n_out, 1)``, ``Z = W @ X + b``.
"""

from __future__ import annotations

from ..errors import ConfigError
from ..regularizers import L1L2

CONVENTIONS = ("sum", "half", "per_m")
LAYOUTS = ("rows", "columns")


def check_convention(convention: str) -> str:
    if convention not in CONVENTIONS:
        raise ConfigError(
            f"convention must be one of {', '.join(map(repr, CONVENTIONS))}, got {convention!r} "
            "(see leannet.exercises: 'sum' = l2·Σw², 'half' = l2/2·Σw², 'per_m' = l2/(2m)·Σw²)"
        )
    return convention


def check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise ConfigError(
            f"layout must be 'rows' (W of shape (n_in, n_out)) or 'columns' "
            f"(W of shape (n_out, n_in), as in seed 003), got {layout!r}"
        )
    return layout


def regularizer(convention: str, l1: float, l2: float, m: int) -> L1L2:
    """The leannet regularizer whose penalty equals the convention's."""
    if convention == "sum":
        return L1L2(l1=l1, l2=l2)
    if convention == "half":
        return L1L2(l1=l1, l2=l2 / 2)
    return L1L2(l1=l1 / m, l2=l2 / (2 * m))


def penalty_formula(convention: str) -> str:
    return {
        "sum": "l1·Σ|w| + l2·Σw²",
        "half": "l1·Σ|w| + (l2/2)·Σw²",
        "per_m": "(l1/m)·Σ|w| + (l2/(2m))·Σw²",
    }[convention]


def gradient_formula(convention: str) -> str:
    return {
        "sum": "l1·sign(w) + 2·l2·w",
        "half": "l1·sign(w) + l2·w",
        "per_m": "(l1·sign(w) + l2·w)/m",
    }[convention]


def l2_gradient_formula(convention: str) -> str:
    return {"sum": "2·l2·w", "half": "l2·w", "per_m": "l2·w/m"}[convention]
