"""The one builder of multi-layer perceptrons and their optimizers.

The library, the scikit-learn estimators, the lab, the sweeps and the playground
all build their networks here, so a default chosen once holds everywhere:

>>> import leannet as ln
>>> net = ln.build_mlp(4, [16, 16], 3, loss="categorical_cross_entropy", l2=1e-4, seed=0)
>>> opt = ln.build_optimizer("sgd", lr=0.1, momentum=0.9, nesterov=True)

The default start, ``init="auto"``, is scikit-learn's: Glorot-uniform weights *and*
biases, $U(-a, a)$ with $a = \\sqrt{6 / (n_{in} + n_{out})}$, in every
Dense layer (`AUTO_INIT`). ``benchmarks/init_choice.py`` measured it against
He-uniform and He-normal weights with zero biases (training score, mean of 20 seeds,
Adam lr 1e-3, batches of min(200, n); docs/concepts.md §1.1 has the whole table):

=============================================  ===========  ==========  =========  ============
task                                           glorot+bias  he_uniform  he_normal  scikit-learn
=============================================  ===========  ==========  =========  ============
regression R² (check_regressors_train data),   0.740        0.541       0.556      0.753
50 epochs, 1x100 ReLU
same, 200 epochs                               0.916        0.860       0.862      0.919
digits accuracy, 10 epochs, 1x100 ReLU         0.911        0.907       0.907      0.910
two moons accuracy, 50 epochs, 2x16 tanh       0.821        0.844       0.844      0.829
=============================================  ===========  ==========  =========  ============
"""

from __future__ import annotations

from collections.abc import Sequence

from . import losses, optimizers, regularizers, schedules
from ._memory import check_network_fits, mlp_parameter_count
from ._validation import check_nonnegative, check_positive, check_positive_int
from .errors import ConfigError
from .layers import Dense, Dropout, GaussianNoise, Layer
from .layers import activations as activations_module
from .network import Sequential
from .optimizers import Optimizer

__all__ = ["AUTO_INIT", "build_mlp", "build_optimizer"]

#: what ``init="auto"`` means: (weight init, bias init) of every Dense layer
AUTO_INIT = ("glorot_uniform", "glorot_uniform")


def build_mlp(
    n_in: int,
    hidden: Sequence[int],
    n_out: int,
    *,
    loss,
    activation: str = "relu",
    init: str = "auto",
    l1: float = 0.0,
    l2: float = 0.0,
    bias_l1: float = 0.0,
    bias_l2: float = 0.0,
    proximal: bool = False,
    dropout: float = 0.0,
    input_noise: float = 0.0,
    max_norm: float | None = None,
    penalized_layers: Sequence[int] | None = None,
    seed: int | None = None,
    dtype: str = "float32",
) -> Sequential:
    """A multi-layer perceptron whose output layer follows the loss.

    Layers: ``[GaussianNoise(input_noise)]``, then for each width in ``hidden``
    ``Dense -> activation [-> Dropout(dropout)]``, then ``Dense(.., n_out)`` and the
    loss's output layer (Sigmoid for binary cross-entropy, Softmax for categorical
    cross-entropy, Identity for MSE; see ``Loss.output_layer``).

    Args:
        n_in: input features.
        hidden: widths of the hidden layers (may be empty: a linear/logistic model).
        n_out: output units.
        loss: loss name or object; decides the output layer.
        activation: hidden activation name ("relu", "tanh", "logistic"/"sigmoid",
            "leaky_relu", "identity").
        init: "auto" (Glorot-uniform weights and biases, see the module docstring) or
            a weight initializer name ("glorot_uniform", "he_normal", "he_uniform",
            "normal") with zero biases. The He schemes are made for a ReLU that
            follows the layer, so the output layer then starts Glorot-uniform.
        l1: coupled L1 penalty on every weight matrix.
        l2: coupled L2 penalty on every weight matrix.
        bias_l1: coupled L1 penalty on every bias vector.
        bias_l2: coupled L2 penalty on every bias vector.
        proximal: apply the L1 terms by soft-thresholding after each update.
        dropout: drop rate after every hidden activation (0: no Dropout layers).
        input_noise: standard deviation of Gaussian input noise (0: none).
        max_norm: max-norm constraint on every unit's incoming weights.
        penalized_layers: which Dense layers carry ``l1``, ``l2``, ``bias_l1`` and
            ``bias_l2``, by position (0 = the first hidden layer, -1 = the output
            layer); None: every Dense layer. ``[0]`` is the book's spiral network,
            whose penalty sits on the hidden layer only.
        seed: seed of the initial weights (None: a fresh, recorded seed).
        dtype: "float32" or "float64".

    Returns:
        The network, initialised.
    """
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise ConfigError(f"hidden must be a list of layer widths such as [64, 32], got {hidden!r}")
    hidden = [check_positive_int(h, f"hidden[{i}]") for i, h in enumerate(hidden)]
    shown = "-".join(map(str, hidden[:8])) + ("-..." if len(hidden) > 8 else "")
    itemsize = 8 if dtype == "float64" else 4
    check_network_fits(
        mlp_parameter_count(n_in, hidden, n_out), itemsize, f"a network {n_in}-{shown}-{n_out}"
    )
    loss_fn = losses.get(loss)
    dropout_rate = check_nonnegative(dropout, "dropout")
    noise = check_nonnegative(input_noise, "input_noise")
    max_norm = None if max_norm is None else check_positive(max_norm, "max_norm")
    penalized = _penalized_positions(penalized_layers, len(hidden) + 1)
    weight_init, bias_init = AUTO_INIT if init == "auto" else (init, "zeros")
    penalties = {
        "weight_regularizer": regularizers.from_strengths(l1, l2, proximal=proximal),
        "bias_regularizer": regularizers.from_strengths(bias_l1, bias_l2, proximal=proximal),
    }
    unpenalized = {"weight_regularizer": None, "bias_regularizer": None}

    def dense(position: int, width: int, size: int, init: str) -> Dense:
        regs = penalties if position in penalized else unpenalized
        return Dense(width, size, init=init, bias_init=bias_init, max_norm=max_norm, **regs)

    layers: list[Layer] = []
    if noise:
        layers.append(GaussianNoise(noise))
    width = n_in
    for position, size in enumerate(hidden):
        layers.append(dense(position, width, size, weight_init))
        layers.append(activations_module.get(activation))
        if dropout_rate:
            layers.append(Dropout(dropout_rate))
        width = size
    # the He schemes assume a ReLU after the layer; the output layer has none
    output_init = "glorot_uniform" if weight_init.startswith("he_") else weight_init
    layers.append(dense(len(hidden), width, n_out, output_init))
    layers.append(loss_fn.output_layer())
    return Sequential(layers, seed=seed, dtype=dtype)


def _penalized_positions(positions: Sequence[int] | None, n_dense: int) -> set[int]:
    """``penalized_layers`` as a set of positions in ``range(n_dense)``."""
    if positions is None:
        return set(range(n_dense))
    if isinstance(positions, (str, bytes)) or not isinstance(positions, Sequence):
        raise ConfigError(
            f"penalized_layers must be a list of Dense layer positions such as [0], got {positions!r}"
        )
    chosen = set()
    for p in positions:
        if isinstance(p, bool) or not isinstance(p, int) or not -n_dense <= p < n_dense:
            raise ConfigError(
                f"penalized_layers holds {p!r}, but the network has {n_dense} Dense layers: "
                f"use positions from {-n_dense} to {n_dense - 1} (-1 = the output layer)"
            )
        chosen.add(p % n_dense)
    return chosen


def build_optimizer(
    name: str, *, lr: float = 1e-3, schedule=None, schedule_options: dict | None = None, **options
) -> Optimizer:
    """An optimizer by name, with an optional learning-rate schedule.

    Args:
        name: "sgd", "adam", "adamw", "rmsprop" or "adagrad".
        lr: the (initial) learning rate.
        schedule: None or "constant" for a fixed rate, a schedule name
            ("inverse_time", "step", "exponential", "cosine", "inverse_scaling") or a
            ``ln.Schedule`` object (then ``lr`` is ignored).
        schedule_options: the schedule's own arguments besides ``lr0``, e.g.
            ``{"decay": 0.01}`` for "inverse_time", ``{"steps": 1000}`` for "cosine".
        **options: the optimizer's arguments (``momentum``, ``nesterov``,
            ``beta1``, ``weight_decay``, ``clip_norm``...).

    Returns:
        A fresh optimizer (see `leannet.optimizers.get`).
    """
    if schedule is None or schedule == "constant":
        if schedule_options:
            raise ConfigError("schedule_options need a schedule, e.g. schedule='inverse_time'")
        rate = lr
    elif isinstance(schedule, schedules.Schedule):
        rate = schedule
    else:
        rate = schedules.get(schedule, lr0=lr, **(schedule_options or {}))
    return optimizers.get(name, lr=rate, **options)
