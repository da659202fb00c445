"""Weight initialisation schemes for :class:`~leannet.Dense`.

Each scheme fills a weight matrix of shape ``(n_in, n_out)`` in place, drawing
from the network's random generator. Biases always start at zero.
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError


def glorot_uniform(W: np.ndarray, rng: np.random.Generator) -> None:
    """Glorot/Xavier uniform: ``U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))``."""
    n_in, n_out = W.shape
    limit = np.sqrt(6.0 / (n_in + n_out))
    W[...] = rng.uniform(-limit, limit, size=W.shape)


def he_normal(W: np.ndarray, rng: np.random.Generator) -> None:
    """He normal: ``N(0, 2 / n_in)``, suited to ReLU layers."""
    W[...] = rng.standard_normal(W.shape) * np.sqrt(2.0 / W.shape[0])


def he_uniform(W: np.ndarray, rng: np.random.Generator) -> None:
    """He uniform: ``U(-a, a)`` with ``a = sqrt(6 / n_in)``."""
    limit = np.sqrt(6.0 / W.shape[0])
    W[...] = rng.uniform(-limit, limit, size=W.shape)


def normal(W: np.ndarray, rng: np.random.Generator) -> None:
    """The seeds' small random start: ``0.01 * N(0, 1)``."""
    W[...] = 0.01 * rng.standard_normal(W.shape)


INITIALIZERS = {
    "glorot_uniform": glorot_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "normal": normal,
}


def get(name: str):
    """Look an initializer up by name."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ConfigError(
            f"init={name!r} is not known; choose one of {', '.join(sorted(INITIALIZERS))}"
        ) from None
