r"""Gaussian input noise (jittering), a regularizer active in training only.

Training: $y = x + \sigma \varepsilon$, $\varepsilon \sim N(0, 1)$;
backward: the identity. Inference: the identity.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_nonnegative
from .activations import _identity_backward
from .base import Layer, refuse_layer_seed


class GaussianNoise(Layer):
    """Adds ``stddev * N(0, 1)`` noise to its input during training.

    The noise comes from ``self.rng``, which ``fit`` sets to its training generator
    (``fit(seed=...)``); ``seed=`` is refused, as for [`Dropout`][leannet.layers.Dropout].
    """

    stochastic = True

    def __init__(self, stddev: float = 0.1, *, seed: int | None = None):
        super().__init__()
        self.stddev = check_nonnegative(stddev, "stddev")
        refuse_layer_seed(self, seed)
        self.rng = np.random.default_rng()

    def forward(self, X, training=False):
        if not training or self.stddev == 0.0:
            return X, _identity_backward
        Y = self._buffer("Y", X.shape, X.dtype)
        self.rng.standard_normal(out=Y, dtype=X.dtype)
        Y *= self.stddev
        Y += X
        return Y, _identity_backward

    def get_config(self):
        return {"stddev": self.stddev}
