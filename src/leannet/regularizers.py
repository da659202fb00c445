r"""Coupled penalties: L1, L2 and both, added to the loss.

A regularizer is *coupled*: its penalty is part of the objective,

$$
J = \text{mean data loss} + \sum_{\text{layers}} \big(l_1 \sum |w| + l_2 \sum w^2\big),
$$

so its gradient $l_1\,\mathrm{sign}(w) + 2 l_2 w$ (with $\mathrm{sign}(0) = 0$)
is added to the data gradient before the optimizer sees it, and adaptive
optimizers rescale it like any other gradient. *Decoupled* weight decay is not a
regularizer: it lives in the optimizer (see [`leannet.optimizers`][leannet.optimizers]).

Weights and biases take separate regularizers (``weight_regularizer=``,
``bias_regularizer=`` on [`Dense`][leannet.layers.Dense]); biases are unpenalised unless asked.

The penalty of a whole network is summed here, in `total_penalty` and
`add_penalty_gradients`, over its *penalty terms*: ``(array, grad, regularizer)``
triples from [`leannet.Sequential.penalty_terms`][leannet.network.Sequential.penalty_terms]. The L1 term, its
subgradient and its proximal step live in `Regularizer` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._registry import build
from ._validation import check_bool, check_nonnegative
from .errors import ConfigError

PenaltyTerm = tuple[np.ndarray, np.ndarray, "Regularizer"]


class Regularizer:
    """Base class: a penalty ``R(w)``, its gradient and the proximal L1 step."""

    l1: float = 0.0
    l2: float = 0.0
    proximal: bool = False

    def penalty(self, w: np.ndarray) -> float:
        r"""Return $l_1 \sum |w| + l_2 \sum w^2$."""
        total = 0.0
        flat = w.reshape(-1)
        if self.l1:
            total += self.l1 * float(np.abs(flat).sum())
        if self.l2:
            total += self.l2 * float(np.dot(flat, flat))
        return total

    def add_grad(self, w: np.ndarray, grad: np.ndarray, *, proximal_as_gradient=False) -> None:
        r"""Add $\partial R/\partial w$ to ``grad`` in place.

        The L1 term is left out when ``proximal`` is on: the proximal step
        (`prox`) handles it after the update instead. ``proximal_as_gradient``
        adds it anyway (gradient checks compare the whole objective's gradient).
        """
        if self.l2:
            grad += (2.0 * self.l2) * w
        if self.l1 and (proximal_as_gradient or not self.proximal):
            grad += self.l1 * np.sign(w)

    def prox(self, w: np.ndarray, lr: float) -> None:
        r"""Soft-threshold ``w`` in place: $w \leftarrow \mathrm{sign}(w)\max(|w| - \eta l_1, 0)$."""
        if self.proximal and self.l1:
            threshold = lr * self.l1
            shrunk = np.abs(w) - threshold
            np.maximum(shrunk, 0.0, out=shrunk)
            np.copysign(shrunk, w, out=w)

    def get_config(self) -> dict:
        """JSON-able form; `get` rebuilds the same class from it."""
        return {
            "class": type(self).__name__,
            "l1": self.l1,
            "l2": self.l2,
            "proximal": self.proximal,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(l1={self.l1:g}, l2={self.l2:g}, proximal={self.proximal})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Regularizer) and self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash(tuple(self.get_config().items()))


class L1(Regularizer):
    r"""L1 penalty $l_1 \sum |w|$, gradient $l_1\,\mathrm{sign}(w)$.

    Args:
        l1: strength, >= 0.
        proximal: instead of the subgradient, soft-threshold the weights after
            every update with threshold ``lr * l1`` (``lr`` the current learning
            rate). Weights then reach exact zeros; the subgradient only makes
            them oscillate around zero. With adaptive optimizers (Adam, RMSprop,
            Adagrad) the data step is rescaled per parameter but the threshold is
            not, so the effective strength differs from the subgradient version;
            the proximal step is exact proximal gradient descent only for SGD.
    """

    def __init__(self, l1: float = 0.01, *, proximal: bool = False):
        self.l1 = check_nonnegative(l1, "l1")
        self.proximal = check_bool(proximal, "proximal")

    def get_config(self) -> dict:
        return {"class": "L1", "l1": self.l1, "proximal": self.proximal}

    def __repr__(self) -> str:
        tail = ", proximal=True" if self.proximal else ""
        return f"L1({self.l1:g}{tail})"


class L2(Regularizer):
    r"""L2 penalty $l_2 \sum w^2$, gradient $2 l_2 w$.

    Args:
        l2: strength, >= 0. scikit-learn's ``alpha`` for a batch of B samples is
            ``l2 = alpha / (2 B)`` for a softmax or one-sigmoid classifier and
            ``alpha / (K B)`` for a regressor with K outputs (docs/concepts.md §7);
            PyTorch's coupled ``weight_decay=λ`` is ``l2 = λ / 2``.
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = check_nonnegative(l2, "l2")

    def get_config(self) -> dict:
        return {"class": "L2", "l2": self.l2}

    def __repr__(self) -> str:
        return f"L2({self.l2:g})"


class L1L2(Regularizer):
    r"""Both penalties: $l_1 \sum |w| + l_2 \sum w^2$."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0, *, proximal: bool = False):
        self.l1 = check_nonnegative(l1, "l1")
        self.l2 = check_nonnegative(l2, "l2")
        self.proximal = check_bool(proximal, "proximal")


REGULARIZERS: dict[str, type[Regularizer]] = {"l1": L1, "l2": L2, "l1l2": L1L2}


def get(spec) -> Regularizer | None:
    """A regularizer from None, an object, a name ("l1", "l2", "l1l2") or a config dict.

    A dict from `Regularizer.get_config` names its class (``{"class": "L2",
    "l2": 0.001}`` gives back an ``L2``); a dict without ``"class"`` (older model
    files) gives an ``L1L2``.
    """
    if spec is None or isinstance(spec, Regularizer):
        return spec
    if isinstance(spec, str):
        if spec.lower() in REGULARIZERS:
            return REGULARIZERS[spec.lower()]()
        raise ConfigError(f"regularizer {spec!r} is not known; use 'l1', 'l2', 'l1l2' or an object")
    if isinstance(spec, dict):
        settings = {"class": "L1L2", **spec}
        lookup = lambda name: REGULARIZERS.get(name.lower())  # noqa: E731
        return build(settings, {}, lookup, what="regularizer", known="L1, L2, L1L2")
    raise ConfigError(
        f"regularizer must be None, a name, a dict or an L1/L2/L1L2 object, got {type(spec).__name__}"
    )


def from_strengths(l1: float = 0.0, l2: float = 0.0, *, proximal: bool = False):
    """The smallest regularizer for the given strengths: None, ``L1``, ``L2`` or ``L1L2``."""
    l1, l2 = check_nonnegative(l1, "l1"), check_nonnegative(l2, "l2")
    proximal = check_bool(proximal, "proximal")
    if l1 and l2:
        return L1L2(l1=l1, l2=l2, proximal=proximal)
    if l1:
        return L1(l1, proximal=proximal)
    if l2:
        return L2(l2)
    return None


# -- the penalty of a whole network ---------------------------------------------------------------
def total_penalty(terms: Iterable[PenaltyTerm]) -> float:
    """Sum of every term's penalty at the current parameters."""
    return sum((reg.penalty(array) for array, _grad, reg in terms), 0.0)


def add_penalty_gradients(terms: list[PenaltyTerm], *, proximal_as_gradient=False) -> float:
    """Add every term's gradient to its gradient array in place; return the total penalty."""
    for array, grad, reg in terms:
        reg.add_grad(array, grad, proximal_as_gradient=proximal_as_gradient)
    return total_penalty(terms)


def proximal_step(terms: Iterable[PenaltyTerm], lr: float) -> None:
    """Soft-threshold every array whose regularizer is proximal (after an update at rate ``lr``)."""
    for array, _grad, reg in terms:
        reg.prox(array, lr)
