r"""The fully connected layer.

Forward: $Z = X W + b$ with ``X`` of shape ``(batch, n_in)``, ``W`` of shape
``(n_in, n_out)`` and ``b`` of shape ``(n_out,)``.

Backward, given $\delta = \partial L/\partial Z$:

$$
\partial L/\partial W = X^\top \delta,\qquad
\partial L/\partial b = \textstyle\sum_{\text{batch}} \delta,\qquad
\partial L/\partial X = \delta W^\top.
$$

``X`` may be a SciPy sparse matrix (the first layer of a network fed sparse data):
both products with it are sparse-dense products.

Penalties are not part of this layer's backward: the training step
(`leannet.objective.Objective.gradients`) adds each regularizer's
gradient to ``dW``/``db`` after the data gradient (the penalty is a term of the
loss, not of the layer).
"""

from __future__ import annotations

import numpy as np

from .. import initializers, regularizers
from .._memory import check_fits, dense_bytes
from .._validation import check_positive, check_positive_int
from ..errors import ConfigError
from .base import Layer


class Dense(Layer):
    """Fully connected layer ``Z = X @ W + b``.

    Args:
        n_in: number of inputs.
        n_out: number of units.
        init: weight initialisation: "glorot_uniform" (default), "he_normal",
            "he_uniform" or "normal" (``0.01 * N(0, 1)``, as in the source tutorials).
        bias_init: bias initialisation: "zeros" (default) or any name ``init`` takes;
            "glorot_uniform" draws from the same range as the weights (scikit-learn's start).
        weight_regularizer: coupled penalty on ``W`` (``ln.L1``, ``ln.L2``, ``ln.L1L2``).
        bias_regularizer: coupled penalty on ``b`` (off unless given).
        max_norm: if set, after every update each unit's incoming weight vector
            (a column of ``W``) is rescaled to Euclidean norm <= ``max_norm``.

    Attributes:
        W, b: the live parameters (views into the network's flat buffer once the
            layer belongs to a network; assigning ``layer.W[...] = A`` changes the network).
        dW, db: gradients of the last backward pass (data gradient plus penalties).
    """

    has_params = True

    def __init__(
        self,
        n_in: int,
        n_out: int,
        *,
        init: str = "glorot_uniform",
        bias_init: str = "zeros",
        weight_regularizer=None,
        bias_regularizer=None,
        max_norm: float | None = None,
    ):
        super().__init__()
        self.n_in = check_positive_int(n_in, "n_in")
        self.n_out = check_positive_int(n_out, "n_out")
        self.init = init
        self._init_fn = initializers.get(init)
        self.bias_init = bias_init
        self._bias_init_fn = initializers.get(bias_init)
        self.weight_regularizer = regularizers.get(weight_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.max_norm = None if max_norm is None else check_positive(max_norm, "max_norm")
        check_fits(dense_bytes(self.n_in, self.n_out), f"Dense({n_in}, {n_out})", "use fewer units")
        # A standalone layer owns its arrays; a network replaces them by views (see bind).
        self.W, self.b = np.zeros((n_in, n_out)), np.zeros(n_out)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.bound = False

    # -- parameters ---------------------------------------------------------------------------
    def bind(self, W: np.ndarray, b: np.ndarray, dW: np.ndarray, db: np.ndarray) -> None:
        """Use the given arrays (views into a network's flat buffers) as parameters and gradients."""
        if self.bound:
            raise ConfigError(
                f"{self!r} already belongs to a network; create a new layer object for each network"
            )
        W[...] = self.W  # the views start with the values the layer holds now
        b[...] = self.b
        self.W, self.b, self.dW, self.db = W, b, dW, db
        self.bound = True
        self._buffers.clear()

    def initialize(self, rng: np.random.Generator) -> None:
        """Draw new weights, then new biases, with this layer's init schemes."""
        self._init_fn(self.W, self.n_in, self.n_out, rng)
        self._bias_init_fn(self.b, self.n_in, self.n_out, rng)

    def regularizers(self):
        """``(array, grad, regularizer)`` triples for the penalties on this layer."""
        pairs = []
        if self.weight_regularizer is not None:
            pairs.append((self.W, self.dW, self.weight_regularizer))
        if self.bias_regularizer is not None:
            pairs.append((self.b, self.db, self.bias_regularizer))
        return pairs

    def apply_max_norm(self) -> None:
        """Rescale each column of ``W`` to norm <= ``max_norm`` (after an update)."""
        if self.max_norm is None:
            return
        norms = np.sqrt(np.einsum("ij,ij->j", self.W, self.W))
        too_long = norms > self.max_norm
        if too_long.any():
            self.W[:, too_long] *= self.max_norm / norms[too_long]

    # -- computation --------------------------------------------------------------------------
    def output_size(self, input_size):
        return self.n_out

    def forward(self, X, training=False, *, need_input_grad=True):
        W = self.W
        Z = self._out("Z", X, training, shape=(X.shape[0], self.n_out))
        dense = isinstance(X, np.ndarray)
        if dense:
            np.matmul(X, W, out=Z)
        else:  # a SciPy sparse batch: its sparse @ dense product, never densified
            np.copyto(Z, X @ W)
        Z += self.b

        def backward(dZ):
            if dense:
                np.matmul(X.T, dZ, out=self.dW)
            else:
                np.copyto(self.dW, X.T @ dZ)
            dZ.sum(axis=0, out=self.db)
            if not need_input_grad:
                return None
            dX = self._buffer("dX", X.shape, dZ.dtype)
            return np.matmul(dZ, W.T, out=dX)

        return Z, backward

    def get_config(self):
        return {
            "n_in": self.n_in,
            "n_out": self.n_out,
            "init": self.init,
            "bias_init": self.bias_init,
            "weight_regularizer": _reg_config(self.weight_regularizer),
            "bias_regularizer": _reg_config(self.bias_regularizer),
            "max_norm": self.max_norm,
        }

    def __repr__(self) -> str:
        extras = []
        if self.weight_regularizer is not None:
            extras.append(f"weight_regularizer={self.weight_regularizer!r}")
        if self.bias_regularizer is not None:
            extras.append(f"bias_regularizer={self.bias_regularizer!r}")
        if self.max_norm is not None:
            extras.append(f"max_norm={self.max_norm:g}")
        tail = ", " + ", ".join(extras) if extras else ""
        return f"Dense({self.n_in}, {self.n_out}{tail})"


def _reg_config(reg):
    return None if reg is None else reg.get_config()
