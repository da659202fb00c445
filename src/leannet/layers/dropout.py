r"""Inverted dropout.

Training: each input is kept with probability $1 - r$ and scaled by
$1/(1 - r)$, so the expected activation is unchanged,
$y = x \odot m / (1 - r)$ with $m \sim \text{Bernoulli}(1 - r)$;
backward: $\partial L/\partial x = \partial L/\partial y \odot m / (1 - r)$.
Inference: the identity (no rescaling needed, thanks to the training-time scale).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_fraction
from .activations import _identity_backward
from .base import Layer, refuse_layer_seed


class Dropout(Layer):
    """Inverted dropout with drop probability ``rate`` in [0, 1).

    Random numbers come from ``self.rng``. ``fit`` sets it to its training generator
    (seeded by ``fit(seed=...)``, default the network's seed), so runs and resumed
    checkpoints are reproducible; a per-layer seed would be overridden, so ``seed=`` is
    refused (see `refuse_layer_seed`).
    """

    stochastic = True

    def __init__(self, rate: float = 0.5, *, seed: int | None = None):
        super().__init__()
        self.rate = check_fraction(rate, "rate")
        refuse_layer_seed(self, seed)
        self.rng = np.random.default_rng()

    def forward(self, X, training=False):
        if not training or self.rate == 0.0:
            return X, _identity_backward
        mask = self._buffer("mask", X.shape, X.dtype)
        self.rng.random(out=mask, dtype=mask.dtype)
        # keep where u >= rate, scaled by 1/(1-rate): the mask holds 0 or 1/(1-rate)
        np.greater_equal(mask, self.rate, out=mask)
        mask *= 1.0 / (1.0 - self.rate)
        Y = self._buffer("Y", X.shape, X.dtype)
        np.multiply(X, mask, out=Y)

        def backward(dY):
            dY *= mask
            return dY

        return Y, backward

    def get_config(self):
        return {"rate": self.rate}
