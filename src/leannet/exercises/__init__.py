"""Exercises that check your own from-scratch code against leannet's verified reference.

Write the pieces the seed documents ask for (a sigmoid derivative, the L1/L2 penalty
gradients, the loss with its penalty, a dense layer's forward and backward pass, an SGD
step, an Adam step, a whole network's gradients), then hand each function to a check::

    from leannet import exercises as ex

    def sigmoid_derivative(z):
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)

    ex.check_sigmoid_derivative(sigmoid_derivative)
    # [PASS] sigmoid derivative: matches leannet's reference on 4 random cases

Each check runs your function on random cases and compares it with leannet's own
layers, losses, regularizers and optimizers (which are themselves tested against
finite differences and PyTorch). When it disagrees, the message says what is wrong in
plain words: a wrong or transposed shape, a missing 1/m, a penalty applied to the
biases, a missing bias correction, a sign error, a factor of 2. A check returns a
[`CheckResult`][leannet.exercises.CheckResult]: truthy when correct, shown as a coloured line in Jupyter;
``.raise_if_failed()`` turns a failure into an AssertionError for scripts.

Both array layouts of the seeds are supported (``layout=``): ``"rows"`` (one example
per row, ``W`` of shape ``(n_in, n_out)``: seeds 000-002, 004 and leannet) and
``"columns"`` (one example per column, ``W`` of shape ``(n_out, n_in)``: seed 003).
The penalty's scale follows ``convention=``: ``"sum"`` = ``l2·Σw²``, ``"half"`` =
``(l2/2)·Σw²``, ``"per_m"`` = ``(l2/(2m))·Σw²``.
"""

from ._diagnose import CheckResult
from .layer import check_dense_backward, check_dense_forward, check_sigmoid_derivative
from .network import check_network_gradients
from .penalties import check_l1_gradient, check_l2_gradient, check_loss
from .updates import check_adam_step, check_sgd_step

__all__ = [
    "CheckResult",
    "check_adam_step",
    "check_dense_backward",
    "check_dense_forward",
    "check_l1_gradient",
    "check_l2_gradient",
    "check_loss",
    "check_network_gradients",
    "check_sgd_step",
    "check_sigmoid_derivative",
]
