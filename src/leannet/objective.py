r"""The objective a network is trained on: forward, data loss, backward, penalties.

$$
J(\theta) = D(\theta) + R(\theta), \qquad
D = \sum_i w_i\, \ell_i \;\; (w_i = 1/N, \text{ or } s_i / \sum_j s_j \text{ with sample weights}),
$$

with $R$ the sum of the coupled penalties ([`leannet.regularizers`][leannet.regularizers]).
`Objective.gradients` computes $D$, $R$ and $\nabla J$ into the
network's flat gradient buffer; the training step (`leannet.trainer.Trainer`),
the gradient check (`leannet.gradcheck`) and full-batch optimizers such as L-BFGS
(`loss_and_grad`) all use it, so there is one definition of what is minimised.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import losses as losses_module
from . import regularizers
from ._validation import check_sample_weight
from .losses import Loss, normalized_weights


class Objective:
    """$J = D + R$ of ``network`` under ``loss``.

    Attributes:
        network, loss: what is evaluated.
        fused: True when the network ends in the loss's fused output layer; the
            forward pass then stops at the logits and the loss uses ``from_logits``.
        penalty_terms: the network's ``(array, grad, regularizer)`` triples, read
            once (changing a layer's regularizer needs a new Objective).
    """

    def __init__(self, network, loss: Loss):
        self.network = network
        self.loss = loss
        self.fused = network.fuses_with(loss)
        self.penalty_terms = network.penalty_terms()

    def gradients(self, xb, yb, weights=None, *, training=True, proximal_as_gradient=False):
        """Forward, data loss, backward and penalties on one batch; fills ``network.grads``.

        Args:
            xb, yb: a checked batch (see ``Sequential.check_input``/``check_target``).
            weights: the batch's normalised sample weights (summing to 1), or None.
            training: run dropout/noise layers in training mode.
            proximal_as_gradient: also add the L1 subgradient of proximal regularizers
                (the training step applies those by soft-thresholding instead).

        Returns:
            ``(data_loss, penalty, output)``; the output is the logits when fused.
        """
        out, backwards = self.network.forward(xb, training=training, logits=self.fused)
        data_loss, grad = self.data_loss_and_delta(out, yb, weights)
        for backward in reversed(backwards):
            grad = backward(grad)
        penalty = regularizers.add_penalty_gradients(
            self.penalty_terms, proximal_as_gradient=proximal_as_gradient
        )
        return data_loss, penalty, out

    def data_loss_and_delta(self, out, y, weights=None):
        """Data loss and its gradient with respect to ``out`` (the logits when fused)."""
        return losses_module.value_and_delta(self.loss, out, y, weights, logits=self.fused)


def checked_batch(network, X, y, *, loss, sample_weight=None):
    """``(loss object, X, y, normalised weights or None)``, checked for ``network``:
    what `Objective.gradients` takes for one whole batch."""
    loss_fn = losses_module.get(loss)
    network.check_loss(loss_fn)
    X = network.check_input(X)
    y = network.check_target(y, loss_fn, X.shape[0])
    sample_weight = check_sample_weight(sample_weight, X.shape[0])
    weights = None if sample_weight is None else normalized_weights(sample_weight)
    return loss_fn, X, y, weights


def loss_and_grad(
    network, X, y, *, loss, sample_weight=None
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    r"""The full-batch objective as a function of the flat parameter vector, for SciPy.

    ``X``, ``y`` and ``sample_weight`` are checked once; the returned function
    ``f(theta) -> (J, grad)`` copies ``theta`` into ``network.params`` (the one flat
    buffer), evaluates $J$ (weighted mean data loss plus every penalty, L1
    included as its subgradient even when proximal) in inference mode (no dropout or
    noise) and returns the gradient as a new float64 array, so that

    >>> result = scipy.optimize.minimize(loss_and_grad(net, X, y, loss="mse"),
    ...                                  net.params.astype(float), jac=True, method="L-BFGS-B")

    minimises it. The network is left holding the last ``theta`` evaluated.
    """
    loss_fn, X, y, weights = checked_batch(network, X, y, loss=loss, sample_weight=sample_weight)
    objective = Objective(network, loss_fn)

    def value_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        network.params[...] = theta
        data_loss, penalty, _ = objective.gradients(
            X, y, weights, training=False, proximal_as_gradient=True
        )
        return data_loss + penalty, network.grads.astype(np.float64)

    return value_and_gradient
