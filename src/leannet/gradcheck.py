r"""Finite-difference gradient checking.

For every parameter array $\theta$ of the network, compare the analytic
gradient $a$ (backpropagation + penalties) with central differences

$$
n_i = \frac{J(\theta + h e_i) - J(\theta - h e_i)}{2h},
$$

where $J$ is the full objective (mean data loss + penalties), and report

$$
\max_{\text{arrays}} \frac{\lVert a - n \rVert_2}{\lVert a \rVert_2 + \lVert n \rVert_2}
$$

(0 where both are zero). Everything runs on a float64 copy of the network.
Values below about 1e-7 mean the gradients agree.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_positive
from .objective import Objective, checked_batch


def gradients(net, X, y, *, loss, training: bool = False, sample_weight=None):
    """Objective value and analytic gradient (flat, same layout as ``net.params``).

    The gradient includes the L1 subgradient of proximal regularizers (training
    applies those by soft-thresholding, which is not a gradient; the check is of
    the objective's gradient). With ``training=True`` stochastic layers are active;
    their random state is restored before the pass, so repeated calls use the same masks.
    """
    loss_fn, X, y, weights = checked_batch(net, X, y, loss=loss, sample_weight=sample_weight)
    data_loss, penalty, _ = Objective(net, loss_fn).gradients(
        X, y, weights, training=training, proximal_as_gradient=True
    )
    return data_loss + penalty, net.grads.copy()


def gradcheck(
    net, X, y, *, loss, eps: float = 1e-6, training: bool = False, sample_weight=None
) -> float:
    """Maximum relative error between analytic and finite-difference gradients.

    Args:
        net: the network (not modified; a float64 copy is checked).
        X: the inputs of a small batch.
        y: its targets.
        loss: the loss name or object.
        eps: finite-difference step ``h``.
        training: check the training-mode graph (dropout/noise with fixed masks).
        sample_weight: per-row weights of the data loss (see ``fit``).

    Returns:
        ``max over parameter arrays of ||a - n|| / (||a|| + ||n||)``.
    """
    eps = check_positive(eps, "eps")
    net64 = net.copy(dtype="float64")
    stochastic = [layer for layer in net64.layers if layer.stochastic]
    for layer, original in zip(stochastic, [la for la in net.layers if la.stochastic]):
        layer.rng = np.random.default_rng()
        layer.rng.bit_generator.state = original.rng.bit_generator.state

    def objective():
        for layer, state in zip(stochastic, states):
            layer.rng.bit_generator.state = state
        return gradients(net64, X, y, loss=loss, training=training, sample_weight=sample_weight)

    states = [layer.rng.bit_generator.state for layer in stochastic]
    _, analytic = objective()
    numeric = np.empty_like(analytic)
    params = net64.params
    for i in range(params.size):
        old = params[i]
        params[i] = old + eps
        plus = objective()[0]
        params[i] = old - eps
        minus = objective()[0]
        params[i] = old
        numeric[i] = (plus - minus) / (2 * eps)
    worst = 0.0
    for part in net64.param_slices.values():
        a, n = analytic[part], numeric[part]
        denom = np.linalg.norm(a) + np.linalg.norm(n)
        if denom > 0:
            worst = max(worst, float(np.linalg.norm(a - n) / denom))
    return worst
