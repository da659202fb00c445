r"""``optimizer="lbfgs"``: scipy's L-BFGS-B over the network's one flat parameter vector.

The objective is the training loss the engine computes (data loss plus every
coupled penalty) times `gradient_ratio`, so that it
is scikit-learn's objective and ``tol`` (L-BFGS-B's ``gtol``) means what it means
there:

$$
f(\theta) = r\,\Big(\frac{1}{\sum_i s_i}\sum_i s_i\,\ell_i(\theta)
\qquad + l_1\sum|w| + l_2\sum w^2\Big),\qquad \nabla f = r\,\nabla_\theta(\dots)
$$

Because all weights and biases live in one buffer, $\theta$ *is*
``network.params`` and $\nabla f$ is ``network.grads``: no packing.
``max_iter`` bounds the L-BFGS iterations, ``max_fun`` the evaluations of ``f``.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning

from ..errors import TrainingDiverged
from ..objective import loss_and_grad


def fit_lbfgs(est, p: dict, X, y_enc, sample_weight) -> None:
    """Minimise the full-batch objective of ``est.network_`` from its current weights."""
    net = est.network_
    scale = est._ratio
    objective = _objective(net, X, y_enc, est._loss_name(), sample_weight)
    evaluations = []

    def fun(theta):
        value, grad = objective(theta)
        evaluations.append(value)
        return scale * value, scale * grad

    def report(intermediate_result):
        if est.verbose:
            print(f"Iteration {len(history) + 1}, loss = {intermediate_result.fun:.8f}", flush=True)
        history.append(float(intermediate_result.fun))

    history: list[float] = []
    with np.errstate(over="ignore", invalid="ignore"):
        result = minimize(
            fun,
            np.asarray(net.params, dtype=np.float64),
            method="L-BFGS-B",
            jac=True,
            callback=report,
            options={"maxfun": p["max_fun"], "maxiter": p["max_iter"], "gtol": p["tol"]},
        )
    if not np.isfinite(result.fun) or not np.isfinite(result.x).all():
        raise TrainingDiverged(f"L-BFGS reached a loss of {result.fun}", epoch=int(result.nit))
    net.params[...] = result.x
    est.n_iter_ = int(result.nit)
    est.t_ += X.shape[0] * len(evaluations)
    est.loss_ = float(result.fun)
    est.loss_curve_.extend(history)
    est.best_loss_ = est.loss_
    if result.status != 0:
        message = result.message.decode() if isinstance(result.message, bytes) else result.message
        warnings.warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) and "
            f"{len(evaluations)} evaluation(s) (status={result.status}): {message}. "
            "Increase max_iter or max_fun, or scale the data.",
            ConvergenceWarning,
            stacklevel=4,
        )


def _objective(net, X, y_enc, loss, sample_weight):
    """``theta -> (loss, gradient)`` in float64: the engine's full-batch objective."""
    return loss_and_grad(net, X, y_enc, loss=loss, sample_weight=sample_weight)
