r"""Data losses: mean squared error and the cross-entropies.

Every loss is a *mean* over the samples of the batch, so the data gradient of a
batch of ``N`` samples carries a factor :math:`1/N`; penalties are added to this
mean (see :mod:`leannet.regularizers`).

The cross-entropies have two forms:

* the plain form on probabilities, ``loss(p, y)`` and ``loss.gradient(p, y)``,
  which clips ``p`` only to the smallest positive normal number of its dtype so
  ``log`` stays finite (values are unchanged wherever the plain math is finite);
* the fused, numerically stable form from the logits ``z`` used in training
  whenever the network ends in the matching activation (Softmax with categorical
  cross-entropy, Sigmoid with binary cross-entropy). Its output delta is simply
  :math:`(p - y)/N`.
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError, DataError
from .layers.activations import Identity, Sigmoid, Softmax, row_max
from .layers.base import Layer


class Loss:
    """Base class. ``name`` is the string accepted by ``fit(loss=...)``."""

    name = ""
    #: the output layer this loss fuses with (Softmax, Sigmoid) or None. A network
    #: trained with this loss must end in it; training then stops at the logits and
    #: uses :meth:`from_logits`.
    fuses_with: type[Layer] | None = None
    classification = False

    @property
    def output_layer(self) -> type[Layer]:
        """The output layer a network built for this loss ends in (Identity if not fused)."""
        return self.fuses_with or Identity

    def __call__(self, y_pred: np.ndarray, y_true: np.ndarray) -> float:
        raise NotImplementedError

    def gradient(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def from_logits(self, z: np.ndarray, y_true: np.ndarray) -> tuple[float, np.ndarray]:
        """Fused loss and gradient with respect to the logits ``z``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSE(Loss):
    r"""Mean squared error over samples and outputs, :math:`\frac{1}{NK}\sum (p - y)^2`.

    Gradient: :math:`\frac{2}{NK}(p - y)`.
    """

    name = "mse"

    def __call__(self, y_pred, y_true):
        diff = y_pred - y_true
        return float(np.dot(diff.ravel(), diff.ravel()) / diff.size)

    def gradient(self, y_pred, y_true):
        grad = y_pred - y_true
        grad *= 2.0 / grad.size
        return grad


class BinaryCrossEntropy(Loss):
    r"""Binary cross-entropy, mean over samples and outputs.

    Plain form: :math:`-\frac{1}{NK}\sum y\log p + (1-y)\log(1-p)`.
    Fused from logits: :math:`\frac{1}{NK}\sum \max(z,0) - zy + \log(1 + e^{-|z|})`,
    gradient :math:`(\sigma(z) - y)/(NK)`.
    """

    name = "binary_cross_entropy"
    fuses_with = Sigmoid
    classification = True

    def __call__(self, y_pred, y_true):
        p = _clip_prob(y_pred)
        return float(-np.mean(y_true * np.log(p) + (1.0 - y_true) * np.log1p(-p)))

    def gradient(self, y_pred, y_true):
        p = _clip_prob(y_pred)
        return (p - y_true) / (p * (1.0 - p)) / p.size

    def from_logits(self, z, y_true):
        value = np.maximum(z, 0.0) - z * y_true + np.log1p(np.exp(-np.abs(z)))
        loss = float(value.mean())
        grad = np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z) without overflow
        grad -= y_true
        grad /= z.size
        return loss, grad


class CategoricalCrossEntropy(Loss):
    r"""Categorical cross-entropy, mean over samples: :math:`-\frac{1}{N}\sum_i \log p_{i, y_i}`.

    Labels are integer class indices of shape ``(N,)`` or one-hot rows ``(N, K)``.
    Fused from logits: :math:`\log\sum_j e^{z_j} - z_{y}`, gradient :math:`(\mathrm{softmax}(z) - y)/N`.
    """

    name = "categorical_cross_entropy"
    fuses_with = Softmax
    classification = True

    def __call__(self, y_pred, y_true):
        p = _clip_prob(y_pred)
        if y_true.ndim == 1:
            return float(-np.mean(np.log(p[np.arange(len(p)), y_true])))
        return float(-np.sum(y_true * np.log(p)) / len(p))

    def gradient(self, y_pred, y_true):
        p = _clip_prob(y_pred)
        onehot = _one_hot(y_true, p.shape[1], p.dtype)
        return -onehot / p / len(p)

    def from_logits(self, z, y_true):
        n = len(z)
        # Shift each row by its maximum so that exp cannot overflow; softmax and the
        # loss are unchanged by the shift. The one array ``p`` becomes, in place,
        # exp(shifted), then the probabilities, then the gradient: one allocation per call.
        p = z - row_max(z)
        if y_true.ndim == 1:
            _check_labels(y_true, p.shape[1])
            # Positions of the true classes in the flattened p (row i, column y_i is
            # element i*k + y_i): indexing a flat view with one array is about twice as
            # fast as indexing p with the pair (rows, y_true). The labels must be valid
            # class indices 0..k-1, which fit and evaluate check before training.
            true = np.arange(0, p.size, p.shape[1]) + y_true
            flat = p.reshape(-1)  # a view: writes go to p
            true_logit = flat[true]  # copied out before p is overwritten
            np.exp(p, out=p)
            sums = p.sum(axis=1)
            # mean over samples written as sum / n: same value as np.mean, less overhead
            loss = float((np.log(sums) - true_logit).sum() / n)
            p /= sums[:, None]
            flat[true] -= 1.0
        else:
            log_sums = np.log(np.exp(p).sum(axis=1))
            loss = float(np.sum(y_true * (log_sums[:, None] - p)) / n)
            np.exp(p, out=p)
            p /= p.sum(axis=1, keepdims=True)
            p -= y_true
        p /= n
        return loss, p


def _check_labels(y: np.ndarray, k: int) -> None:
    """Class indices must lie in 0..k-1: the flat indexing of the fused loss would
    otherwise read a neighbouring row and give wrong numbers without an error."""
    if y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= k:
        raise DataError(
            f"labels must be integer class indices 0..{k - 1} for categorical_cross_entropy; "
            f"got dtype {y.dtype} with values {y.min()}..{y.max()}"
        )


def _clip_prob(p: np.ndarray) -> np.ndarray:
    tiny = np.finfo(p.dtype).tiny if np.issubdtype(p.dtype, np.floating) else 1e-300
    return np.clip(p, tiny, 1.0 - np.finfo(p.dtype).epsneg)


def _one_hot(y: np.ndarray, k: int, dtype) -> np.ndarray:
    if y.ndim == 2:
        return y.astype(dtype, copy=False)
    out = np.zeros((len(y), k), dtype=dtype)
    out[np.arange(len(y)), y] = 1.0
    return out


LOSSES = {cls.name: cls for cls in (MSE, BinaryCrossEntropy, CategoricalCrossEntropy)}
_ALIASES = {
    "mean_squared_error": "mse",
    "bce": "binary_cross_entropy",
    "binary_crossentropy": "binary_cross_entropy",
    "cce": "categorical_cross_entropy",
    "categorical_crossentropy": "categorical_cross_entropy",
    "cross_entropy": "categorical_cross_entropy",
}


def get(spec) -> Loss:
    """Return a loss object from a name (``"mse"``, ``"binary_cross_entropy"``,
    ``"categorical_cross_entropy"``) or a :class:`Loss` instance."""
    if isinstance(spec, Loss):
        return spec
    if isinstance(spec, str):
        key = _ALIASES.get(spec.lower(), spec.lower())
        if key in LOSSES:
            return LOSSES[key]()
    raise ConfigError(
        f"loss={spec!r} is not known; use one of {', '.join(sorted(LOSSES))} or a leannet Loss object"
    )
