r"""Data losses: mean squared error, the cross-entropies and Poisson.

Every loss is a *mean* over the samples of the batch, so the data gradient of a
batch of ``N`` samples carries a factor $1/N$; penalties are added to this
mean (see [`leannet.regularizers`][leannet.regularizers]). With sample weights $s_i$ the mean
becomes the weighted mean $\sum_i s_i \ell_i / \sum_i s_i$ (scikit-learn's
``np.average``): every method takes ``weights``, the normalised
$w_i = s_i / \sum_j s_j$ of the batch (see `normalized_weights`), and the
gradient of row $i$ carries $w_i$ instead of $1/N$.

The cross-entropies have two forms:

* the plain form on probabilities, ``loss(p, y)`` and ``loss.gradient(p, y)``,
  which clips ``p`` only to the smallest positive normal number of its dtype so
  ``log`` stays finite (values are unchanged wherever the plain math is finite);
* the fused, numerically stable form from the logits ``z`` used in training
  whenever the network ends in the matching activation (Softmax with categorical
  cross-entropy, Sigmoid with binary cross-entropy). Its output
  delta is simply $(p - y)/N$.
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError, DataError
from .layers.activations import Identity, Sigmoid, Softmax, max_exp, row_max
from .layers.base import Layer


class Loss:
    """Base class. ``name`` is the string accepted by ``fit(loss=...)``."""

    name = ""
    #: the output layer this loss fuses with (Softmax, Sigmoid) or None. A network
    #: trained with this loss must end in it; training then stops at the logits and
    #: uses `from_logits`.
    fuses_with: type[Layer] | None = None
    classification = False
    #: True when the targets are class labels (indices 0..K-1 or one-hot rows)
    class_labels = False
    #: (low, high) every target must lie in, or None; ``target_meaning`` says why
    target_bounds: tuple[float, float] | None = None
    target_meaning = ""
    #: True when each output unit is its own yes/no label (sigmoid units): accuracy
    #: then thresholds every unit instead of taking the arg-max
    independent_outputs = False

    @property
    def output_layer(self) -> type[Layer]:
        """The output layer a network built for this loss ends in (Identity if not fused)."""
        return self.fuses_with or Identity

    def __call__(self, y_pred: np.ndarray, y_true: np.ndarray, weights=None) -> float:
        """Mean loss of the batch (weighted by ``weights``, which sum to 1, when given)."""
        raise NotImplementedError

    def gradient(self, y_pred: np.ndarray, y_true: np.ndarray, weights=None) -> np.ndarray:
        """Gradient of `__call__` with respect to ``y_pred``."""
        raise NotImplementedError

    def from_logits(self, z: np.ndarray, y_true: np.ndarray, weights=None):
        """Fused loss and gradient with respect to the logits ``z`` (the output
        layer's input): ``(loss, gradient)``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSE(Loss):
    r"""Mean squared error over samples and outputs, $\frac{1}{NK}\sum (p - y)^2$.

    Gradient: $\frac{2}{NK}(p - y)$.
    """

    name = "mse"

    def __call__(self, y_pred, y_true, weights=None):
        diff = y_pred - y_true
        if weights is not None:
            return _weighted_mean(diff * diff, weights)
        return float(np.dot(diff.ravel(), diff.ravel()) / diff.size)

    def gradient(self, y_pred, y_true, weights=None):
        grad = y_pred - y_true
        if weights is None:
            grad *= 2.0 / grad.size
            return grad
        grad *= 2.0
        return _scale_rows(grad, weights)


class BinaryCrossEntropy(Loss):
    r"""Binary cross-entropy, mean over samples and outputs.

    Plain form: $-\frac{1}{NK}\sum y\log p + (1-y)\log(1-p)$.
    Fused from logits: $\frac{1}{NK}\sum \max(z,0) - zy + \log(1 + e^{-|z|})$,
    gradient $(\sigma(z) - y)/(NK)$.
    """

    name = "binary_cross_entropy"
    fuses_with = Sigmoid
    classification = True
    target_bounds = (0.0, 1.0)
    target_meaning = "labels 0/1"
    independent_outputs = True

    def __call__(self, y_pred, y_true, weights=None):
        p = _clip_prob(y_pred)
        value = y_true * np.log(p) + (1.0 - y_true) * np.log1p(-p)
        if weights is not None:
            return -_weighted_mean(value, weights)
        return float(-np.mean(value))

    def gradient(self, y_pred, y_true, weights=None):
        p = _clip_prob(y_pred)
        return _scale_rows((p - y_true) / (p * (1.0 - p)), weights)

    def from_logits(self, z, y_true, weights=None):
        value = np.maximum(z, 0.0) - z * y_true + np.log1p(np.exp(-np.abs(z)))
        loss = float(value.mean()) if weights is None else _weighted_mean(value, weights)
        grad = np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z) without overflow
        grad -= y_true
        return loss, _scale_rows(grad, weights)


class CategoricalCrossEntropy(Loss):
    r"""Categorical cross-entropy, mean over samples: $-\frac{1}{N}\sum_i \log p_{i, y_i}$.

    Labels are integer class indices of shape ``(N,)`` or one-hot rows ``(N, K)``.
    Fused from logits: $\log\sum_j e^{z_j} - z_{y}$, gradient $(\mathrm{softmax}(z) - y)/N$.
    """

    name = "categorical_cross_entropy"
    fuses_with = Softmax
    classification = True
    class_labels = True

    def __call__(self, y_pred, y_true, weights=None):
        p = _clip_prob(y_pred)
        if y_true.ndim == 1:
            per_row = np.log(p[np.arange(len(p)), y_true])
        else:
            per_row = np.sum(y_true * np.log(p), axis=1)
        if weights is not None:
            return -float(np.dot(per_row, weights))
        if y_true.ndim == 1:
            return float(-np.mean(per_row))
        return float(-np.sum(per_row) / len(p))

    def gradient(self, y_pred, y_true, weights=None):
        p = _clip_prob(y_pred)
        onehot = _one_hot(y_true, p.shape[1], p.dtype)
        grad = -onehot / p
        if weights is not None:
            grad *= weights[:, None]
            return grad
        return grad / len(p)

    def from_logits(self, z, y_true, weights=None):
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
            per_row = np.log(sums) - true_logit
            p /= sums[:, None]
            flat[true] -= 1.0
        else:
            log_sums = np.log(np.exp(p).sum(axis=1))
            per_row = np.sum(y_true * (log_sums[:, None] - p), axis=1)
            np.exp(p, out=p)
            p /= p.sum(axis=1, keepdims=True)
            p -= y_true
        if weights is not None:
            p *= weights[:, None]
            return float(np.dot(per_row, weights)), p
        # mean over samples written as sum / n: same value as np.mean, less overhead
        p /= n
        return float(per_row.sum() / n), p


class Poisson(Loss):
    r"""Poisson loss with a log link, for counts $y \ge 0$.

    The network's output $z$ (an Identity output layer) is the log of the
    predicted mean, $\mu = e^z$; apply ``np.exp`` to predictions to get the mean.
    The loss is the half Poisson deviance, mean over samples and outputs,

    $$
    \frac{1}{NK}\sum e^z - y z + (y \log y - y) \qquad (0 \log 0 = 0),
    $$

    the term in brackets depending on $y$ alone: it makes the loss zero at a
    perfect fit, equal to what scikit-learn's ``MLPRegressor(loss="poisson")``
    reports. Gradient: $(e^z - y)/(NK)$.
    """

    name = "poisson"
    target_bounds = (0.0, float("inf"))
    target_meaning = "counts or rates"

    def __call__(self, y_pred, y_true, weights=None):
        value = _exp(y_pred) - y_true * y_pred + _y_log_y_minus_y(y_true)
        return float(value.mean()) if weights is None else _weighted_mean(value, weights)

    def gradient(self, y_pred, y_true, weights=None):
        grad = _exp(y_pred)
        grad -= y_true
        return _scale_rows(grad, weights)


def _exp(z: np.ndarray) -> np.ndarray:
    """$e^z$ with ``z`` clipped where ``exp`` would overflow."""
    return np.exp(np.minimum(z, max_exp(z.dtype)))


def value_and_delta(loss: Loss, out, y, weights=None, *, logits: bool = False):
    """``(data loss, its gradient with respect to out)``; ``logits``: ``out`` is the input
    of the loss's fused output layer. Unweighted calls pass no ``weights`` argument, so a
    user's Loss written for ``(y_pred, y_true)`` keeps working."""
    extra = () if weights is None else (weights,)
    if logits:
        return loss.from_logits(out, y, *extra)
    return loss(out, y, *extra), loss.gradient(out, y, *extra)


def value(loss: Loss, out, y, weights=None, *, logits: bool = False) -> float:
    """The data loss alone (see `value_and_delta`)."""
    extra = () if weights is None else (weights,)
    return loss.from_logits(out, y, *extra)[0] if logits else loss(out, y, *extra)


def _y_log_y_minus_y(y: np.ndarray) -> np.ndarray:
    r"""$y \log y - y$ with $0 \log 0 = 0$: makes the Poisson loss zero at a perfect fit."""
    return np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0) - y


def normalized_weights(sample_weight: np.ndarray) -> np.ndarray:
    """The batch's sample weights divided by their sum (they then sum to 1)."""
    return sample_weight / sample_weight.sum()


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    r"""$\sum_i w_i \,\mathrm{mean}_k\, v_{ik}$ for weights that sum to 1."""
    return float(np.dot(values.mean(axis=1), weights))


def _scale_rows(grad: np.ndarray, weights) -> np.ndarray:
    """The gradient of a mean: row ``i`` times $w_i / K$ (or everything times $1/(NK)$)."""
    if weights is None:
        grad /= grad.size
    else:
        grad *= (weights / grad.shape[1])[:, None]
    return grad


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


LOSSES = {cls.name: cls for cls in (MSE, BinaryCrossEntropy, CategoricalCrossEntropy, Poisson)}
_ALIASES = {
    "mean_squared_error": "mse",
    "bce": "binary_cross_entropy",
    "binary_crossentropy": "binary_cross_entropy",
    "cce": "categorical_cross_entropy",
    "categorical_crossentropy": "categorical_cross_entropy",
    "cross_entropy": "categorical_cross_entropy",
    "squared_error": "mse",
}


def get(spec) -> Loss:
    """Return a loss object from a name (``"mse"``, ``"binary_cross_entropy"``,
    ``"categorical_cross_entropy"``, ``"poisson"``, or an alias) or a `Loss` instance."""
    if isinstance(spec, Loss):
        return spec
    if isinstance(spec, str):
        key = _ALIASES.get(spec.lower(), spec.lower())
        if key in LOSSES:
            return LOSSES[key]()
    raise ConfigError(
        f"loss={spec!r} is not known; use one of {', '.join(sorted(LOSSES))} or a leannet Loss object"
    )
