"""The layer protocol.

A layer's `Layer.forward` returns ``(output, backward)``: ``backward`` is a
closure that captures exactly what the chain rule needs for *this* call (inputs,
outputs, masks), so nothing stale is cached on the layer between calls.
``backward(dY)`` returns ``dX`` and, for layers with parameters, writes the
parameter gradients into the layer's gradient arrays in place.

Contract for speed: ``backward`` may overwrite ``dY`` (it is a scratch buffer
owned by the layer above), and outputs computed with ``training=True`` live in
buffers reused by the next training call of the same batch size.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import ConfigError

Backward = Callable[[np.ndarray], "np.ndarray | None"]


class Layer:
    """Base class of all layers."""

    #: True for layers with trainable parameters (Dense).
    has_params: bool = False
    #: True for layers that draw random numbers in training (Dropout, GaussianNoise).
    stochastic: bool = False

    def __init__(self) -> None:
        self._buffers: dict[tuple, np.ndarray] = {}

    def forward(self, X: np.ndarray, training: bool = False) -> tuple[np.ndarray, Backward]:
        raise NotImplementedError

    def output_size(self, input_size: int | None) -> int | None:
        """Width of the output given the width of the input (None: unknown)."""
        return input_size

    def get_config(self) -> dict:
        """JSON-able constructor arguments: ``type(layer)(**layer.get_config())`` rebuilds it."""
        return {}

    def _buffer(self, name: str, shape: tuple, dtype) -> np.ndarray:
        """A scratch array reused across calls with the same shape (no allocation per step)."""
        key = (name, shape, np.dtype(dtype).char)
        buf = self._buffers.get(key)
        if buf is None:
            if len(self._buffers) > 16:  # many batch sizes: drop old buffers, keep memory bounded
                self._buffers.clear()
            buf = self._buffers[key] = np.empty(shape, dtype=dtype)
        return buf

    def _out(self, name: str, like: np.ndarray, training: bool, shape: tuple | None = None):
        """Output array: a reused buffer in training, a fresh array in inference.

        Inference results are handed to the user, so they must never be
        overwritten by a later call.
        """
        shape = like.shape if shape is None else shape
        if training:
            return self._buffer(name, shape, like.dtype)
        return np.empty(shape, dtype=like.dtype)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def refuse_layer_seed(layer: Layer, seed) -> None:
    """Stochastic layers draw from the training generator that ``fit`` gives them, so a
    seed of their own would be silently replaced: refuse it, naming what to do instead."""
    if seed is not None:
        name = type(layer).__name__
        raise ConfigError(
            f"{name}(seed={seed!r}) would be ignored: fit draws the random numbers of every "
            f"{name} from fit(seed=...) (default: the network's seed). Pass the seed to fit, "
            f"or set layer.rng = np.random.default_rng(seed) to use the layer on its own"
        )
