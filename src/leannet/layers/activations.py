r"""Activation layers.

Each derivative is written in terms of the layer's *output* ``Y`` where that is
possible (sigmoid, tanh, ReLU, softmax), so the backward pass needs no second
evaluation of the function.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_nonnegative
from ..errors import ConfigError
from .base import Layer


class Identity(Layer):
    r"""Identity: $y = x$, $\partial y/\partial x = 1$ (linear output for regression)."""

    def forward(self, X, training=False):
        return X, _identity_backward


def _identity_backward(dY):
    return dY


class Sigmoid(Layer):
    r"""Logistic sigmoid $y = 1 / (1 + e^{-x})$, derivative $y (1 - y)$.

    ``-x`` is clipped at the dtype's largest safe exponent so that ``exp`` cannot
    overflow; the result is unchanged wherever it is representable.
    """

    def forward(self, X, training=False):
        Y = self._out("Y", X, training)
        np.negative(X, out=Y)
        np.minimum(Y, max_exp(Y.dtype), out=Y)
        np.exp(Y, out=Y)
        Y += 1.0
        np.reciprocal(Y, out=Y)

        def backward(dY):
            # dX = dY * y * (1 - y)
            dY *= Y
            dY *= 1.0 - Y
            return dY

        return Y, backward


class Tanh(Layer):
    r"""Hyperbolic tangent $y = \tanh x$, derivative $1 - y^2$."""

    def forward(self, X, training=False):
        Y = self._out("Y", X, training)
        np.tanh(X, out=Y)

        def backward(dY):
            dY *= 1.0 - Y * Y
            return dY

        return Y, backward


class ReLU(Layer):
    r"""Rectified linear unit $y = \max(x, 0)$, derivative $[y > 0]$ (0 at 0)."""

    def forward(self, X, training=False):
        Y = self._out("Y", X, training)
        np.maximum(X, 0.0, out=Y)

        def backward(dY):
            dY *= Y > 0
            return dY

        return Y, backward


class LeakyReLU(Layer):
    r"""Leaky ReLU $y = x$ for $x > 0$, else $\alpha x$; derivative 1 or $\alpha$.

    Args:
        alpha: slope for negative inputs, >= 0.
    """

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = check_nonnegative(alpha, "alpha")

    def forward(self, X, training=False):
        Y = self._out("Y", X, training)
        positive = X > 0
        np.multiply(X, self.alpha, out=Y)
        np.copyto(Y, X, where=positive)
        alpha = self.alpha

        def backward(dY):
            np.multiply(dY, alpha, out=dY, where=~positive)
            return dY

        return Y, backward

    def get_config(self):
        return {"alpha": self.alpha}


class Softmax(Layer):
    r"""Softmax over the last axis, $y_i = e^{x_i - m} / \sum_j e^{x_j - m}$ with $m = \max_j x_j$.

    Backward: $\partial L/\partial x = y \odot (g - \sum_j g_j y_j)$ with $g = \partial L/\partial y$.
    Paired with categorical cross-entropy in training, the training step skips
    this layer and uses the fused form from the logits (delta = ``p - y``).
    """

    def forward(self, X, training=False):
        Y = self._out("Y", X, training)
        np.subtract(X, row_max(X), out=Y)
        np.exp(Y, out=Y)
        Y /= Y.sum(axis=1, keepdims=True)

        def backward(dY):
            dot = np.einsum("ij,ij->i", dY, Y)[:, None]
            dY -= dot
            dY *= Y
            return dY

        return Y, backward


def row_max(X: np.ndarray) -> np.ndarray:
    """The maximum of each row of ``X``, shape ``(n, 1)``: the shift that keeps ``exp`` finite.

    Same values as ``X.max(axis=1, keepdims=True)``, but faster: NumPy reduces along
    a short last axis row by row (6 µs for 128 x 10, 43 µs for 1000 x 10), whereas
    the maximum down the columns of the transposed copy runs over all rows at once
    (1.7 and 4.6 µs, copy included).
    """
    return np.ascontiguousarray(X.T).max(axis=0)[:, None]


def max_exp(dtype) -> float:
    """Largest x with exp(x) finite in ``dtype`` (about 88 for float32, 709 for float64)."""
    return float(np.log(np.finfo(dtype).max)) - 1.0


#: the only name table for activations (the most used first: menus list them in this order)
ACTIVATIONS: dict[str, type[Layer]] = {
    "relu": ReLU,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "leaky_relu": LeakyReLU,
    "logistic": Sigmoid,
    "identity": Identity,
    "linear": Identity,
    "softmax": Softmax,
}

#: the names a hidden layer may use: every activation that acts on each unit alone
#: (Softmax couples the units of a layer, so it is an output layer only)
HIDDEN_ACTIVATIONS: tuple[str, ...] = tuple(
    name for name, cls in ACTIVATIONS.items() if cls is not Softmax
)


def get(name: str, **options) -> Layer:
    """A new activation layer from its name (``"relu"``, ``"logistic"``...), e.g.
    ``get("leaky_relu", alpha=0.1)``; the only name table for activations."""
    cls = ACTIVATIONS.get(name.lower()) if isinstance(name, str) else None
    if cls is None:
        raise ConfigError(
            f"activation={name!r} is not known; use one of {', '.join(sorted(ACTIVATIONS))}"
        )
    return cls(**options)
