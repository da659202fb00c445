r"""Initialisation schemes for the weights and biases of [`Dense`][leannet.layers.Dense].

Each scheme fills an array in place from the layer's fan-in and fan-out
(``n_in``, ``n_out``), drawing from the network's random generator, so the same
function can start a weight matrix ``(n_in, n_out)`` or a bias vector ``(n_out,)``:

* ``glorot_uniform``: $U(-a, a)$, $a = \sqrt{6 / (n_{in} + n_{out})}$
  (scikit-learn's MLP uses it for weights *and* biases);
* ``he_uniform``: $U(-a, a)$, $a = \sqrt{6 / n_{in}}$;
* ``he_normal``: $N(0, 2 / n_{in})$;
* ``normal``: $0.01\,N(0, 1)$, the source tutorials' small random start;
* ``zeros``: all zero (the usual bias start; draws no random numbers).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .errors import ConfigError

Initializer = Callable[[np.ndarray, int, int, np.random.Generator], None]


def glorot_uniform(array: np.ndarray, n_in: int, n_out: int, rng: np.random.Generator) -> None:
    """Glorot/Xavier uniform: ``U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))``."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    array[...] = rng.uniform(-limit, limit, size=array.shape)


def he_normal(array: np.ndarray, n_in: int, n_out: int, rng: np.random.Generator) -> None:
    """He normal: ``N(0, 2 / n_in)``, suited to ReLU layers."""
    array[...] = rng.standard_normal(array.shape) * np.sqrt(2.0 / n_in)


def he_uniform(array: np.ndarray, n_in: int, n_out: int, rng: np.random.Generator) -> None:
    """He uniform: ``U(-a, a)`` with ``a = sqrt(6 / n_in)``."""
    limit = np.sqrt(6.0 / n_in)
    array[...] = rng.uniform(-limit, limit, size=array.shape)


def normal(array: np.ndarray, n_in: int, n_out: int, rng: np.random.Generator) -> None:
    """The source tutorials' small random start: ``0.01 * N(0, 1)``."""
    array[...] = 0.01 * rng.standard_normal(array.shape)


def zeros(array: np.ndarray, n_in: int, n_out: int, rng: np.random.Generator) -> None:
    """All zeros (draws nothing from ``rng``)."""
    array[...] = 0.0


INITIALIZERS: dict[str, Initializer] = {
    "glorot_uniform": glorot_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "normal": normal,
    "zeros": zeros,
}


def get(name: str) -> Initializer:
    """The initializer called ``name`` (one of `INITIALIZERS`)."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ConfigError(
            f"init={name!r} is not known; choose one of {', '.join(sorted(INITIALIZERS))}"
        ) from None
