r"""Optimizers as short chains of small update steps.

Every optimizer's [`Optimizer.step`][leannet.optimizers.Optimizer.step] runs the same visible chain on the
network's flat parameter and gradient buffers:

1. [`clip_by_global_norm`][leannet.optimizers.clip_by_global_norm] (only with ``clip_norm``);
2. [`decoupled_weight_decay`][leannet.optimizers.decoupled_weight_decay]: $w \leftarrow w - \eta\,\lambda\,w$ on the
   weights (only with ``weight_decay``). This is the source tutorials' "alternative
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
from ._registry import build
from ._validation import check_bool, check_fraction, check_nonnegative, check_positive
from .errors import ConfigError


# -- the update steps -----------------------------------------------------------------------------
def clip_by_global_norm(grads: np.ndarray, max_norm: float) -> float:
    r"""Scale ``grads`` in place so that $\lVert g \rVert_2 \le$ ``max_norm``; return the old norm."""
    norm = float(np.sqrt(np.dot(grads, grads)))
    if norm > max_norm:
        grads *= max_norm / norm
    return norm


def decoupled_weight_decay(params: np.ndarray, lr: float, weight_decay: float, mask=None) -> None:
    r"""Decoupled decay in place: $w \leftarrow w\,(1 - \eta\lambda)$ where ``mask``
    is True (everywhere when ``mask`` is None)."""
    np.multiply(params, 1.0 - lr * weight_decay, out=params, where=True if mask is None else mask)


class Optimizer:
    """Base class.

    Args:
        lr: learning rate: a number or a schedule of the update count (``ln.InverseTimeDecay``...).
        weight_decay: decoupled weight decay $\\lambda$ (0 disables it).
        decay_biases: also decay biases (default: weights only).
        clip_norm: clip the global gradient norm to this value before the update.

    The state (moments, update count ``t``) is created on the first step and kept
    across ``fit`` calls on the same network, so training can be continued.
    """

    def __init__(self, lr=0.01, *, weight_decay=0.0, decay_biases=False, clip_norm=None):
        self.schedule = schedules.get(lr)
        self.weight_decay = check_nonnegative(weight_decay, "weight_decay")
        self.decay_biases = check_bool(decay_biases, "decay_biases")
        self.clip_norm = None if clip_norm is None else check_positive(clip_norm, "clip_norm")
        self.t = 0
        self.current_lr = self.schedule(0)
        self.state: dict[str, np.ndarray] = {}
        self._size = None

    def step(self, params: np.ndarray, grads: np.ndarray, decay_mask=None) -> None:
        """One update of the flat ``params`` from the flat ``grads`` (in place).

        ``decay_mask``: a boolean array like ``params``, True where decoupled weight
        decay applies (a network's ``decay_mask``: its weights, not its biases);
        None or ``decay_biases=True`` decays every entry.
        """
        if self._size != params.size or (self.state and _dtype_of(self.state) != params.dtype):
            self._init_state(params)
        lr = self.current_lr = self.schedule(self.t)
        if self.clip_norm is not None:
            clip_by_global_norm(grads, self.clip_norm)
        if self.weight_decay:
            mask = None if self.decay_biases else decay_mask
            decoupled_weight_decay(params, lr, self.weight_decay, mask)
        self.t += 1
        self._update(params, grads, lr)

    # subclass API
    def _state_names(self) -> tuple[str, ...]:
        """Arrays kept across steps (moments), saved in checkpoints."""
        return ()

    def _temporary_names(self) -> tuple[str, ...]:
        """Work arrays of one step, each holding one named quantity (no allocation per step)."""
        return ("step",)

    def _init_state(self, params: np.ndarray) -> None:
        self._size = params.size
        self.state = {name: np.zeros_like(params) for name in self._state_names()}
        self.tmp = {name: np.empty_like(params) for name in self._temporary_names()}

    def _update(self, params, grads, lr) -> None:
        raise NotImplementedError

    # persistence
    def state_dict(self) -> dict:
        """The update count and moment arrays (copies), for checkpoints."""
        return {"t": self.t, **{k: v.copy() for k, v in self.state.items()}}

    def load_state_dict(self, state: dict) -> None:
        """Restore what [`state_dict`][leannet.optimizers.Optimizer.state_dict] returned."""
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

    Without momentum: $w \leftarrow w - \eta g$. With momentum $\mu$:
    $b \leftarrow \mu b + g$, then $w \leftarrow w - \eta b$, or with
    Nesterov $w \leftarrow w - \eta (g + \mu b)$ (PyTorch's formulation).
    """

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(lr, **kwargs)
        self.momentum = check_fraction(momentum, "momentum")
        self.nesterov = check_bool(nesterov, "nesterov")
        if self.nesterov and self.momentum == 0:
            raise ConfigError(
                "nesterov=True needs momentum > 0, e.g. SGD(lr, momentum=0.9, nesterov=True)"
            )

    def _state_names(self):
        return ("momentum_buffer",) if self.momentum else ()

    def _temporary_names(self):
        return ("nesterov_direction", "step") if self.nesterov else ("step",)

    def _update(self, params, grads, lr):
        direction = grads
        if self.momentum:
            buf = self.state["momentum_buffer"]
            buf *= self.momentum
            buf += grads
            if self.nesterov:  # g + mu b
                direction = np.multiply(buf, self.momentum, out=self.tmp["nesterov_direction"])
                direction += grads
            else:
                direction = buf
        step = np.multiply(direction, lr, out=self.tmp["step"])
        params -= step

    def _hyperparameters(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}


class Adagrad(Optimizer):
    r"""Adagrad: $s \leftarrow s + g^2$, $w \leftarrow w - \eta\, g / (\sqrt{s} + \epsilon)$."""

    def __init__(self, lr=0.01, eps=1e-10, **kwargs):
        super().__init__(lr, **kwargs)
        self.eps = check_positive(eps, "eps")

    def _state_names(self):
        return ("sum",)

    def _temporary_names(self):
        return ("g_squared", "denom", "step")

    def _update(self, params, grads, lr):
        total = self.state["sum"]
        total += np.multiply(grads, grads, out=self.tmp["g_squared"])
        denom = np.sqrt(total, out=self.tmp["denom"])  # sqrt(s) + eps
        denom += self.eps
        step = np.divide(grads, denom, out=self.tmp["step"])
        step *= lr
        params -= step

    def _hyperparameters(self):
        return {"eps": self.eps}


class RMSprop(Optimizer):
    r"""RMSprop: $v \leftarrow \rho v + (1-\rho) g^2$, $w \leftarrow w - \eta\, g / (\sqrt{v} + \epsilon)$."""

    def __init__(self, lr=0.01, rho=0.99, eps=1e-8, **kwargs):
        super().__init__(lr, **kwargs)
        self.rho = check_fraction(rho, "rho")
        self.eps = check_positive(eps, "eps")

    def _state_names(self):
        return ("square_avg",)

    def _temporary_names(self):
        return ("g_squared", "denom", "step")

    def _update(self, params, grads, lr):
        avg = self.state["square_avg"]
        avg *= self.rho
        g_squared = np.multiply(grads, grads, out=self.tmp["g_squared"])
        g_squared *= 1.0 - self.rho
        avg += g_squared
        denom = np.sqrt(avg, out=self.tmp["denom"])  # sqrt(v) + eps
        denom += self.eps
        step = np.divide(grads, denom, out=self.tmp["step"])
        step *= lr
        params -= step

    def _hyperparameters(self):
        return {"rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), with PyTorch's arithmetic.

    $$
    m_t = \beta_1 m_{t-1} + (1-\beta_1) g,\quad
    v_t = \beta_2 v_{t-1} + (1-\beta_2) g^2,\quad
    \hat m_t = \frac{m_t}{1-\beta_1^t},\quad
    \hat v_t = \frac{v_t}{1-\beta_2^t},\quad
    w \leftarrow w - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.
    $$

    With ``weight_decay`` the decay is decoupled (this is AdamW).
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, **kwargs):
        super().__init__(lr, **kwargs)
        self.beta1 = check_fraction(beta1, "beta1")
        self.beta2 = check_fraction(beta2, "beta2")
        self.eps = check_positive(eps, "eps")

    def _state_names(self):
        return ("exp_avg", "exp_avg_sq")

    def _temporary_names(self):
        return ("g_minus_m", "g_squared", "sqrt_v_hat_eps", "step")

    def _update(self, params, grads, lr):
        m, v, tmp = self.state["exp_avg"], self.state["exp_avg_sq"], self.tmp
        beta1, beta2, t = self.beta1, self.beta2, self.t
        # m_t = beta1 m + (1 - beta1) g, computed as m + (1 - beta1)(g - m) like PyTorch's lerp
        g_minus_m = np.subtract(grads, m, out=tmp["g_minus_m"])
        g_minus_m *= 1.0 - beta1
        m += g_minus_m
        # v_t = beta2 v + (1 - beta2) g^2
        g_squared = np.multiply(grads, grads, out=tmp["g_squared"])
        g_squared *= 1.0 - beta2
        v *= beta2
        v += g_squared
        # sqrt(v_hat) + eps, with sqrt(v_hat) = sqrt(v_t) / sqrt(1 - beta2^t)
        sqrt_v_hat_eps = np.sqrt(v, out=tmp["sqrt_v_hat_eps"])
        sqrt_v_hat_eps /= np.sqrt(1.0 - beta2**t)
        sqrt_v_hat_eps += self.eps
        # lr * m_hat / (sqrt(v_hat) + eps), with m_hat = m_t / (1 - beta1^t)
        step = np.divide(m, sqrt_v_hat_eps, out=tmp["step"])
        step *= lr / (1.0 - beta1**t)
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

    This is the only name table for optimizers (`OPTIMIZERS`).
    """
    if isinstance(spec, Optimizer):
        if options:
            raise ConfigError("options are for an optimizer given by name, not for an object")
        return spec
    if spec is None and not options:
        return Adam()
    known = f"{', '.join(OPTIMIZERS)} or an optimizer object"
    return build(
        spec, options, lambda name: OPTIMIZERS.get(name.lower()), what="optimizer", known=known
    )
