r"""Hyperparameters of the estimators: one declared table of checks, and the alpha conversion.

scikit-learn's MLP adds $\frac{\alpha}{2B}\sum w^2$ to a loss whose gradient
with respect to the output pre-activation is $(p - y)/B$ per output
(``B``: samples in the batch, the whole set for ``lbfgs``). leannet's losses are
means (see [`leannet.losses`][leannet.losses]), so the same penalty needs a different ``l2``
for each loss (see ``/work/shared/design/CONVENTIONS.md``):

=======================  ==============================  ======================
scikit-learn loss        leannet loss (``K`` outputs)    ``l2`` equal to alpha
=======================  ==============================  ======================
``log_loss`` (softmax)   categorical cross-entropy       $\alpha/(2B)$
``binary_log_loss``      binary cross-entropy, mean      $\alpha/(2KB)$
                         over the K labels
``squared_error``        ``mse`` (mean over K, no ½)     $\alpha/(KB)$
``poisson``              ``poisson`` (mean over K)       $\alpha/(2KB)$
=======================  ==============================  ======================

The ratio of the two data gradients (`gradient_ratio`) also converts
scikit-learn's SGD learning rate and its reported loss, and scales the ``lbfgs``
objective so that ``tol`` means what it means in scikit-learn.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import optimizers
from .._validation import (
    check_fraction,
    check_nonnegative,
    check_positive,
    check_positive_int,
)
from ..errors import ConfigError
from ..layers.activations import HIDDEN_ACTIVATIONS

# the core's name tables, plus scikit-learn's full-batch "lbfgs" (fitted by lbfgs.py)
ACTIVATIONS = HIDDEN_ACTIVATIONS
OPTIMIZERS = (*optimizers.OPTIMIZERS, "lbfgs")
LR_SCHEDULES = ("constant", "invscaling", "adaptive")
SK_LOSSES = ("log_loss", "binary_log_loss", "squared_error", "poisson")


def gradient_ratio(loss: str, n_outputs: int = 1) -> float:
    r"""scikit-learn's data gradient divided by leannet's for the same batch and outputs.

    ``log_loss`` 1; ``binary_log_loss`` $K$ (scikit-learn sums over the labels);
    ``squared_error`` $K/2$ (no ½ and no mean over K in scikit-learn's gradient);
    ``poisson`` $K$.
    """
    if loss not in SK_LOSSES:
        raise ConfigError(f"loss must be one of {', '.join(SK_LOSSES)}; got {loss!r}")
    k = check_positive_int(n_outputs, "n_outputs")
    return {"log_loss": 1.0, "binary_log_loss": float(k), "squared_error": k / 2.0}.get(
        loss, float(k)
    )


def l2_from_alpha(
    alpha: float, batch_size: int, n_outputs: int = 1, *, loss: str = "log_loss"
) -> float:
    r"""leannet ``l2`` equal to scikit-learn's MLP ``alpha`` at batch size ``B``.

    $l_2 = \alpha\,r/(2B)$ with ``r`` the `gradient_ratio` of the two losses:
    $\alpha/(2B)$ for classification (``log_loss``), $\alpha/(KB)$ for
    ``MLPRegressor`` with squared error and ``K = n_outputs`` targets.

    Args:
        alpha: scikit-learn's ``alpha``.
        batch_size: samples per batch (the training-set size for ``lbfgs``).
        n_outputs: number of outputs ``K`` (targets, or labels for multilabel).
        loss: scikit-learn's loss: ``"log_loss"`` (``MLPClassifier``, softmax or binary),
            ``"binary_log_loss"`` (multilabel), ``"squared_error"`` or ``"poisson"``
            (``MLPRegressor``).
    """
    alpha = check_nonnegative(alpha, "alpha")
    batch = check_positive_int(batch_size, "batch_size")
    return alpha / (2.0 * batch * gradient_ratio(loss, n_outputs))


def alpha_from_l2(
    l2: float, batch_size: int, n_outputs: int = 1, *, loss: str = "log_loss"
) -> float:
    r"""scikit-learn ``alpha`` equal to leannet's ``l2``: $2B\,r\,l_2$ (inverse of
    `l2_from_alpha`; ``2B l2`` for classification, ``K B l2`` for the squared error)."""
    l2 = check_nonnegative(l2, "l2")
    batch = check_positive_int(batch_size, "batch_size")
    return 2.0 * batch * gradient_ratio(loss, n_outputs) * l2


def check_choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value.lower()


def check_hidden(value) -> tuple[int, ...]:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    try:
        sizes = tuple(value)
    except TypeError:
        raise ConfigError(
            f"hidden_layer_sizes must be a tuple of layer widths such as (100,) or (64, 32), got {value!r}"
        ) from None
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ConfigError(
                f"hidden_layer_sizes must hold whole numbers >= 1, got {value!r}; use () for no hidden layer"
            )
    return tuple(int(s) for s in sizes)


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_unit_interval(value, name: str) -> float:
    """A number in [0, 1) (Adam's betas, as scikit-learn requires)."""
    value = check_fraction(value, name)
    if value >= 1.0:
        raise ConfigError(f"{name} must be in [0, 1), got {value!r}")
    return value


def _check_patience(value) -> float:
    """A whole number >= 1, or ``np.inf`` (scikit-learn's way to switch stopping off)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and value == np.inf:
        return np.inf
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ConfigError(
            f"n_iter_no_change must be a whole number >= 1 or np.inf (never stop early), got {value!r}"
        )
    return int(value)


def _check_learning_rate(est) -> tuple[float, str]:
    """(initial step size, schedule) from ``learning_rate`` and ``learning_rate_init``.

    ``learning_rate`` is either leannet's step size (a number: constant schedule) or
    scikit-learn's schedule name, with the step size in ``learning_rate_init``.
    """
    lr, init = est.learning_rate, est.learning_rate_init
    if isinstance(lr, str):
        schedule = check_choice(lr, "learning_rate", LR_SCHEDULES)
        step = 1e-3 if init is None else check_positive(init, "learning_rate_init")
        return step, schedule
    if isinstance(lr, numbers.Real) and not isinstance(lr, bool):
        if init is not None:
            raise ConfigError(
                f"give the step size once: learning_rate={lr!r} is a number, so "
                "learning_rate_init must stay None (or pass learning_rate='constant', "
                f"learning_rate_init={init!r} as in scikit-learn)"
            )
        return check_positive(lr, "learning_rate"), "constant"
    raise ConfigError(
        f"learning_rate must be a step size > 0 or one of {', '.join(LR_SCHEDULES)}; got {lr!r}"
    )


def validated_params(est) -> dict:
    """Check every hyperparameter of ``est`` once; return the normalised values."""
    step, schedule = _check_learning_rate(est)
    p = {
        "hidden_layer_sizes": check_hidden(est.hidden_layer_sizes),
        "activation": check_choice(est.activation, "activation", ACTIVATIONS),
        "l1": check_nonnegative(est.l1, "l1"),
        "l2": check_nonnegative(est.l2, "l2"),
        "l1_proximal": _check_bool(est.l1_proximal, "l1_proximal"),
        "weight_decay": check_nonnegative(est.weight_decay, "weight_decay"),
        "dropout": check_fraction(est.dropout, "dropout"),
        "max_norm": None if est.max_norm is None else check_positive(est.max_norm, "max_norm"),
        "noise": check_nonnegative(est.noise, "noise"),
        "optimizer": check_choice(est.optimizer, "optimizer", OPTIMIZERS),
        "learning_rate": step,
        "schedule": schedule,
        "power_t": check_nonnegative(est.power_t, "power_t"),
        "momentum": check_fraction(est.momentum, "momentum"),
        "nesterovs_momentum": _check_bool(est.nesterovs_momentum, "nesterovs_momentum"),
        "beta_1": _check_unit_interval(est.beta_1, "beta_1"),
        "beta_2": _check_unit_interval(est.beta_2, "beta_2"),
        "epsilon": check_positive(est.epsilon, "epsilon"),
        "shuffle": _check_bool(est.shuffle, "shuffle"),
        "max_iter": check_positive_int(est.max_iter, "max_iter"),
        "max_fun": check_positive_int(est.max_fun, "max_fun"),
        "early_stopping": _check_bool(est.early_stopping, "early_stopping"),
        "validation_fraction": check_fraction(
            est.validation_fraction, "validation_fraction", inclusive_zero=False
        ),
        "n_iter_no_change": _check_patience(est.n_iter_no_change),
        "tol": check_nonnegative(est.tol, "tol"),
        "warm_start": _check_bool(est.warm_start, "warm_start"),
    }
    if p["validation_fraction"] >= 1.0:
        raise ConfigError(f"validation_fraction must be in (0, 1), got {est.validation_fraction!r}")
    if not (isinstance(est.batch_size, str) and est.batch_size == "auto"):
        check_positive_int(est.batch_size, "batch_size")
    if est.dtype is not None and est.dtype not in ("float32", "float64", np.float32, np.float64):
        raise ConfigError(
            f"dtype must be None (the input's), 'float32' or 'float64', got {est.dtype!r}"
        )
    if isinstance(est.verbose, bool) or not isinstance(est.verbose, numbers.Integral):
        raise ConfigError(f"verbose must be a whole number (0: silent), got {est.verbose!r}")
    if est.random_state is not None and not isinstance(
        est.random_state, (numbers.Integral, np.random.RandomState)
    ):
        raise ConfigError(
            f"random_state must be None, an int or a numpy RandomState, got {est.random_state!r}"
        )
    if p["optimizer"] == "lbfgs":
        _check_lbfgs(p)
    elif p["schedule"] != "constant" and p["optimizer"] != "sgd":
        raise ConfigError(
            f"learning_rate={p['schedule']!r} applies to optimizer='sgd' only (as in "
            f"scikit-learn); with optimizer={p['optimizer']!r} use learning_rate='constant'"
        )
    return p


def _check_lbfgs(p: dict) -> None:
    """L-BFGS minimises one deterministic objective: no noise, no constraint after a step."""
    for name, value in (
        ("dropout", p["dropout"]),
        ("noise", p["noise"]),
        ("weight_decay", p["weight_decay"]),
        ("max_norm", p["max_norm"]),
        ("l1_proximal", p["l1_proximal"]),
    ):
        if value:
            raise ConfigError(
                f"optimizer='lbfgs' minimises a fixed objective and cannot use {name}={value!r} "
                "(a random or per-step part of training); use optimizer='adam' or 'sgd', "
                f"or drop {name}"
            )
