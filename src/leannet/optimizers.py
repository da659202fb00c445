r"""Optimizers as short chains of small update steps.

Every optimizer's :meth:`Optimizer.step` runs the same visible chain on the
network's flat parameter and gradient buffers:

1. :func:`clip_by_global_norm` (only with ``clip_norm``);
2. :func:`decoupled_weight_decay`: :math:`w \leftarrow w - \eta\,\lambda\,w` on the
   weights (only with ``weight_decay``). This is the seeds' "alternative
   approach" and PyTorch's AdamW decay. It never touches the gradient, so
   adaptive methods do not rescale it;
3. the method's own update from the gradient (SGD, Adagrad, RMSprop, Adam).

Coupled penalties (``ln.L1``/``ln.L2``) are *not* here: they are terms of the
loss and arrive already inside the gradient. The update formulas are PyTorch
2.13's for the same hyperparameters, so results agree to rounding.
"""

from __future__ import annotations

import numpy as np

from . import schedules
from ._validation import check_fraction, check_nonnegative, check_positive
from .errors import ConfigError


# -- the update steps -----------------------------------------------------------------------------
def clip_by_global_norm(grads: np.ndarray, max_norm: float) -> float:
    r"""Scale ``grads`` in place so that :math:`\lVert g \rVert_2 \le` ``max_norm``; return the old norm."""
    norm = float(np.sqrt(np.dot(grads, grads)))
    if norm > max_norm:
        grads *= max_norm / norm
    return norm


def decoupled_weight_decay(weights: np.ndarray, lr: float, weight_decay: float) -> None:
    r"""Decoupled decay in place: :math:`w \leftarrow w\,(1 - \eta\lambda)`."""
    weights *= 1.0 - lr * weight_decay


class Optimizer:
    """Base class.

    Args:
        lr: learning rate: a number or a schedule of the update count (``ln.InverseTimeDecay``...).
        weight_decay: decoupled weight decay :math:`\\lambda` (0 disables it).
        decay_biases: also decay biases (default: weights only).
        clip_norm: clip the global gradient norm to this value before the update.

    The state (moments, update count ``t``) is created on the first step and kept
    across ``fit`` calls on the same network, so training can be continued.
    """

    def __init__(self, lr=0.01, *, weight_decay=0.0, decay_biases=False, clip_norm=None):
        self.schedule = schedules.get(lr)
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay")
        self.decay_biases = bool(decay_biases)
        self.clip_norm = None if clip_norm is None else check_positive(clip_norm, "clip_norm")
        self.t = 0
        self.current_lr = self.schedule(0)
        self.state: dict[str, np.ndarray] = {}
        self._size = None

    def step(self, params: np.ndarray, grads: np.ndarray, n_weights: int | None = None) -> None:
        """One update of the flat ``params`` from the flat ``grads`` (in place).

        ``n_weights``: how many leading entries of ``params`` are weights (the rest
        are biases, which weight decay skips unless ``decay_biases``).
        """
        if self._size != params.size or (self.state and _dtype_of(self.state) != params.dtype):
            self._init_state(params)
        lr = self.current_lr = self.schedule(self.t)
        if self.clip_norm is not None:
            clip_by_global_norm(grads, self.clip_norm)
        if self.weight_decay:
            decayed = params if (self.decay_biases or n_weights is None) else params[:n_weights]
            decoupled_weight_decay(decayed, lr, self.weight_decay)
        self.t += 1
        self._update(params, grads, lr)

    # subclass API
    def _state_names(self) -> tuple[str, ...]:
        return ()

    def _init_state(self, params: np.ndarray) -> None:
        self._size = params.size
        self.state = {name: np.zeros_like(params) for name in self._state_names()}
        self._scratch = np.empty_like(params)
        self._scratch2 = np.empty_like(params)

    def _update(self, params, grads, lr) -> None:
        raise NotImplementedError

    # persistence
    def state_dict(self) -> dict:
        """The update count and moment arrays (copies), for checkpoints."""
        return {"t": self.t, **{k: v.copy() for k, v in self.state.items()}}

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned."""
        arrays = {k: np.asarray(v) for k, v in state.items() if k != "t"}
        missing = set(self._state_names()) - set(arrays)
        if missing:
            raise ConfigError(f"optimizer state lacks {sorted(missing)} for {type(self).__name__}")
        if arrays:
            sizes = {a.size for a in arrays.values()}
            if len(sizes) != 1:
                raise ConfigError("optimizer state arrays have different sizes")
            template = next(iter(arrays.values()))
            self._init_state(template.reshape(-1))
            for k in self._state_names():
                self.state[k][...] = arrays[k].reshape(-1)
        self.t = int(state["t"])
        self.current_lr = self.schedule(max(self.t - 1, 0))

    def get_config(self) -> dict:
        config = {"class": type(self).__name__, "lr": schedules.to_config(self.schedule)}
        config.update(self._hyperparameters())
        config.update(
            weight_decay=self.weight_decay, decay_biases=self.decay_biases, clip_norm=self.clip_norm
        )
        return config

    def _hyperparameters(self) -> dict:
        return {}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "class")
        return f"{type(self).__name__}({args})"


def _dtype_of(state):
    return next(iter(state.values())).dtype


class SGD(Optimizer):
    r"""(Mini-batch) gradient descent, optionally with momentum.

    Without momentum: :math:`w \leftarrow w - \eta g`. With momentum :math:`\mu`:
    :math:`b \leftarrow \mu b + g`, then :math:`w \leftarrow w - \eta b`, or with
    Nesterov :math:`w \leftarrow w - \eta (g + \mu b)` (PyTorch's formulation).
    """

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(lr, **kwargs)
        self.momentum = check_fraction(momentum, "momentum")
        self.nesterov = bool(nesterov)
        if self.nesterov and self.momentum == 0:
            raise ConfigError(
                "nesterov=True needs momentum > 0, e.g. SGD(lr, momentum=0.9, nesterov=True)"
            )

    def _state_names(self):
        return ("momentum_buffer",) if self.momentum else ()

    def _update(self, params, grads, lr):
        direction = grads
        if self.momentum:
            buf = self.state["momentum_buffer"]
            buf *= self.momentum
            buf += grads
            if self.nesterov:
                direction = np.multiply(buf, self.momentum, out=self._scratch2)
                direction += grads
            else:
                direction = buf
        step = np.multiply(direction, lr, out=self._scratch)
        params -= step

    def _hyperparameters(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}


class Adagrad(Optimizer):
    r"""Adagrad: :math:`s \leftarrow s + g^2`, :math:`w \leftarrow w - \eta\, g / (\sqrt{s} + \epsilon)`."""

    def __init__(self, lr=0.01, eps=1e-10, **kwargs):
        super().__init__(lr, **kwargs)
        self.eps = check_positive(eps, "eps")

    def _state_names(self):
        return ("sum",)

    def _update(self, params, grads, lr):
        total = self.state["sum"]
        total += np.multiply(grads, grads, out=self._scratch)
        std = np.sqrt(total, out=self._scratch)
        std += self.eps
        step = np.divide(grads, std, out=self._scratch)
        step *= lr
        params -= step

    def _hyperparameters(self):
        return {"eps": self.eps}


class RMSprop(Optimizer):
    r"""RMSprop: :math:`v \leftarrow \rho v + (1-\rho) g^2`, :math:`w \leftarrow w - \eta\, g / (\sqrt{v} + \epsilon)`."""

    def __init__(self, lr=0.01, rho=0.99, eps=1e-8, **kwargs):
        super().__init__(lr, **kwargs)
        self.rho = check_fraction(rho, "rho")
        self.eps = check_positive(eps, "eps")

    def _state_names(self):
        return ("square_avg",)

    def _update(self, params, grads, lr):
        avg = self.state["square_avg"]
        avg *= self.rho
        sq = np.multiply(grads, grads, out=self._scratch)
        sq *= 1.0 - self.rho
        avg += sq
        denom = np.sqrt(avg, out=self._scratch)
        denom += self.eps
        step = np.divide(grads, denom, out=self._scratch)
        step *= lr
        params -= step

    def _hyperparameters(self):
        return {"rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), PyTorch's formulation.

    .. math::
        m \leftarrow m + (1-\beta_1)(g - m),\quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
        w \leftarrow w - \frac{\eta}{1-\beta_1^t}\,\frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}.

    With ``weight_decay`` the decay is decoupled (this is AdamW).
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, **kwargs):
        super().__init__(lr, **kwargs)
        self.beta1 = check_fraction(beta1, "beta1")
        self.beta2 = check_fraction(beta2, "beta2")
        self.eps = check_positive(eps, "eps")

    def _state_names(self):
        return ("exp_avg", "exp_avg_sq")

    def _update(self, params, grads, lr):
        m, v = self.state["exp_avg"], self.state["exp_avg_sq"]
        t = self.t
        # m <- m + (1 - beta1) (g - m)
        delta = np.subtract(grads, m, out=self._scratch)
        delta *= 1.0 - self.beta1
        m += delta
        # v <- beta2 v + (1 - beta2) g^2
        v *= self.beta2
        sq = np.multiply(grads, grads, out=self._scratch)
        sq *= 1.0 - self.beta2
        v += sq
        step_size = lr / (1.0 - self.beta1**t)
        denom = np.sqrt(v, out=self._scratch)
        denom /= np.sqrt(1.0 - self.beta2**t)
        denom += self.eps
        step = np.divide(m, denom, out=self._scratch)
        step *= step_size
        params -= step

    def _hyperparameters(self):
        return {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


class AdamW(Adam):
    """Adam with decoupled weight decay, default ``weight_decay=0.01`` (as PyTorch's AdamW)."""

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, **kwargs):
        super().__init__(lr, beta1, beta2, eps, weight_decay=weight_decay, **kwargs)


OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, Adagrad, RMSprop, Adam, AdamW)}


def get(spec=None, **options) -> Optimizer:
    """An optimizer from an object, a name with its options (``get("sgd", lr=0.1,
    momentum=0.9)``), or a config dict with "class"; None gives ``Adam()``.

    This is the only name table for optimizers (:data:`OPTIMIZERS`).
    """
    if isinstance(spec, Optimizer):
        if options:
            raise ConfigError("options are for an optimizer given by name, not for an object")
        return spec
    if spec is None and not options:
        return Adam()
    config = dict(spec) if isinstance(spec, dict) else {"class": spec}
    config.update(options)
    name = config.pop("class", None)
    cls = OPTIMIZERS.get(name.lower()) if isinstance(name, str) else None
    if cls is None:
        raise ConfigError(
            f"optimizer={spec!r} is not known; use one of {', '.join(OPTIMIZERS)} or an optimizer object"
        )
    try:
        return cls(**config)
    except TypeError as exc:
        raise ConfigError(f"invalid options for optimizer {name!r}: {exc}") from None
