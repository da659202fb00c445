"""The four benchmark workloads of issue 5, as plain data.

Regularization strengths use leannet's convention (see docs/benchmarks.md): the penalty
``l2 * sum(w**2)`` on weights only, i.e. the gradient ``2 * l2 * w``. Peers are given the
strength that produces the same gradient: PyTorch ``weight_decay = 2 * l2`` on the weight
tensors only, scikit-learn ``alpha = 2 * l2 * batch_size`` (its penalty is divided by the
batch size).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Spec:
    """One training configuration: a fully connected net and how to train it."""

    sizes: tuple[int, ...]  # layer widths, input first, e.g. (784, 128, 10)
    hidden: str  # hidden activation: "relu" or "tanh" (output is always softmax)
    optimizer: str  # "adam" or "sgd" (plain, no momentum)
    lr: float
    l2: float  # leannet L2 strength on weights (gradient 2 * l2 * w)
    batch_size: int | None  # None: full batch
    epochs: int

    def batch(self, n: int) -> int:
        """The effective batch size for ``n`` samples."""
        return n if self.batch_size is None else min(self.batch_size, n)

    def steps(self, n: int) -> int:
        """Optimizer steps taken by training on ``n`` samples."""
        b = self.batch(n)
        return self.epochs * (-(-n // b))


#: W1, MNIST-shaped: 60,000 x 784 float32, 784-128-10 ReLU/softmax, Adam 1e-3,
#: L2 1e-4 on weights, batch 128, one epoch.
W1 = Spec((784, 128, 10), "relu", "adam", 1e-3, 1e-4, 128, 1)
W1_N_TRAIN, W1_N_TEST = 60_000, 10_000

#: W2, the seed tutorial's tiny network: 10-8-4 tanh/softmax, 200 samples, full batch,
#: SGD lr 0.01 with the tutorial's L2 rate 0.005 (gradient 0.005 * w, so l2 = 0.0025).
W2 = Spec((10, 8, 4), "tanh", "sgd", 0.01, 0.0025, None, 500)

#: W3, scikit-learn's digits: 64-128-10 ReLU/softmax, Adam 1e-3, L2 1e-4, batch 32, 50 epochs.
W3 = Spec((64, 128, 10), "relu", "adam", 1e-3, 1e-4, 32, 50)

#: W4, growth: the base network; samples and width vary around it.
W4_FEATURES = 100
W4 = Spec((W4_FEATURES, 128, 10), "relu", "adam", 1e-3, 1e-4, 128, 1)
W4_SAMPLES = (10_000, 30_000, 100_000, 300_000, 1_000_000)
W4_SAMPLES_QUICK = (2_000, 8_000)
#: PyTorch is timed in W4 only up to this many samples (for scale; it is slow to run).
W4_TORCH_MAX_SAMPLES = 100_000
W4_WIDTH_SAMPLES, W4_WIDTH_SAMPLES_QUICK = 10_000, 2_000
W4_WIDTHS = (64, 128, 256, 512, 1024, 2048)
W4_WIDTHS_QUICK = (64, 256)
#: Memory-mapped file: rows of W4_FEATURES float32 (2M rows = 800 MB) and the cap on the
#: process's private memory (RLIMIT_DATA) while it trains on it.
MMAP_ROWS, MMAP_ROWS_QUICK = 2_000_000, 20_000
MMAP_DATA_LIMIT_MB = 384


def with_width(spec: Spec, width: int) -> Spec:
    """``spec`` with its single hidden layer resized to ``width``."""
    return replace(spec, sizes=(spec.sizes[0], width, spec.sizes[-1]))


def quick(spec: Spec) -> Spec:
    """A shorter version of ``spec`` for ``--quick`` (a tenth of the epochs, at least one)."""
    return replace(spec, epochs=max(1, spec.epochs // 10))
