"""The implementations being compared: leannet and its peers, one ``train_*`` each.

Each ``train_*(spec, X, y, seed)`` builds a fresh model (not timed), then returns
``(run, predict)``: ``run()`` performs the whole training described by ``spec`` and is
what the benchmark times; ``predict(X)`` returns class labels afterwards.

The peers are written the way their documentation recommends for speed, so the ratios
are against a fair opponent:

- PyTorch eager: tensors shared with NumPy (``torch.from_numpy``, no copy), batches
  gathered by indexing with a ``randperm`` (no ``DataLoader`` and its per-sample Python
  work), ``zero_grad(set_to_none=True)``, ``F.cross_entropy`` on the logits; once with
  PyTorch's default optimizer and once with ``fused=True``.
- scikit-learn: ``MLPClassifier.fit`` on float32 input (it then trains in float32),
  early stopping and the convergence tolerance switched off so it runs every epoch.
- NumPy loop: the straightforward loop a tutorial would write (new arrays every step).
- GEMM floor: only the matrix products of the forward and backward passes, into
  preallocated outputs, on the same shapes: the time no implementation can beat
  without a faster BLAS.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from workloads import Spec

Run = Callable[[], None]
Predict = Callable[[np.ndarray], np.ndarray]


def _glorot(rng: np.random.Generator, n_in: int, n_out: int) -> np.ndarray:
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out)).astype(np.float32)


# --------------------------------------------------------------------------- leannet
def train_leannet(spec: Spec, X: np.ndarray, y: np.ndarray, seed: int) -> tuple[Run, Predict]:
    import leannet as ln

    layers = []
    for i, (n_in, n_out) in enumerate(zip(spec.sizes[:-1], spec.sizes[1:], strict=True)):
        reg = ln.L2(spec.l2) if spec.l2 else None
        layers.append(ln.Dense(n_in, n_out, weight_regularizer=reg))
        last = i == len(spec.sizes) - 2
        layers.append(ln.Softmax() if last else (ln.ReLU() if spec.hidden == "relu" else ln.Tanh()))
    net = ln.Sequential(layers, seed=seed)
    optimizer = ln.Adam(lr=spec.lr) if spec.optimizer == "adam" else ln.SGD(lr=spec.lr)
    full_batch = spec.batch(len(X)) == len(X)

    def run() -> None:
        net.fit(
            X,
            y,
            loss="categorical_cross_entropy",
            optimizer=optimizer,
            epochs=spec.epochs,
            batch_size=spec.batch_size,
            shuffle=not full_batch,
            seed=seed,
        )

    def predict(Xp: np.ndarray) -> np.ndarray:
        return np.argmax(net.predict(Xp), axis=1)

    return run, predict


# --------------------------------------------------------------------------- PyTorch
def train_torch(
    spec: Spec, X: np.ndarray, y: np.ndarray, seed: int, *, fused: bool = False
) -> tuple[Run, Predict]:
    """PyTorch eager; ``fused=True`` uses the optimizer's fused multi-tensor kernel
    (``torch.optim.Adam(..., fused=True)``, off by default in PyTorch)."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    modules: list[torch.nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(spec.sizes[:-1], spec.sizes[1:], strict=True)):
        linear = torch.nn.Linear(n_in, n_out)
        torch.nn.init.xavier_uniform_(linear.weight)  # the same Glorot init as the others
        torch.nn.init.zeros_(linear.bias)
        modules.append(linear)
        if i < len(spec.sizes) - 2:
            modules.append(torch.nn.ReLU() if spec.hidden == "relu" else torch.nn.Tanh())
    model = torch.nn.Sequential(*modules)  # softmax is fused into F.cross_entropy

    # Coupled L2 on weights only: weight_decay=2*l2 adds 2*l2*w to the weight gradients.
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
    groups = [{"params": weights, "weight_decay": 2 * spec.l2}, {"params": biases}]
    if spec.optimizer == "adam":
        optimizer = torch.optim.Adam(groups, lr=spec.lr, fused=fused)
    else:
        optimizer = torch.optim.SGD(groups, lr=spec.lr, fused=fused)

    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)  # shares memory with NumPy
    n, batch = len(X), spec.batch(len(X))
    generator = torch.Generator().manual_seed(seed)

    def step(xb: torch.Tensor, yb: torch.Tensor) -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()

    def run() -> None:
        for _ in range(spec.epochs):
            if batch == n:
                step(Xt, yt)
                continue
            order = torch.randperm(n, generator=generator)
            for start in range(0, n, batch):
                idx = order[start : start + batch]
                step(Xt[idx], yt[idx])

    def predict(Xp: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(Xp)).argmax(dim=1).numpy()

    return run, predict


# --------------------------------------------------------------------------- scikit-learn
def train_sklearn(spec: Spec, X: np.ndarray, y: np.ndarray, seed: int) -> tuple[Run, Predict]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    batch = spec.batch(len(X))
    model = MLPClassifier(
        hidden_layer_sizes=spec.sizes[1:-1],
        activation=spec.hidden,
        solver=spec.optimizer,
        alpha=2 * spec.l2 * batch,  # sklearn adds alpha * w / batch_size to the gradient
        batch_size=batch,
        learning_rate_init=spec.lr,
        max_iter=spec.epochs,
        shuffle=batch < len(X),
        random_state=seed,
        tol=0.0,
        n_iter_no_change=spec.epochs + 1,  # never stop early
        momentum=0.0,
        nesterovs_momentum=False,
    )

    def run() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)

    return run, model.predict


# --------------------------------------------------------------------------- NumPy loop
def train_numpy(spec: Spec, X: np.ndarray, y: np.ndarray, seed: int) -> tuple[Run, Predict]:
    """A plain NumPy training loop, as a tutorial writes it (fresh arrays every step)."""
    rng = np.random.default_rng(seed)
    Ws = [_glorot(rng, a, b) for a, b in zip(spec.sizes[:-1], spec.sizes[1:], strict=True)]
    bs = [np.zeros(b, dtype=np.float32) for b in spec.sizes[1:]]
    params = Ws + bs
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    onehot = np.eye(spec.sizes[-1], dtype=np.float32)[y]
    n, batch = len(X), spec.batch(len(X))
    t = 0

    def forward(a: np.ndarray) -> list[np.ndarray]:
        acts = [a]
        for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            z = acts[-1] @ W + b
            if i < len(Ws) - 1:
                acts.append(np.maximum(z, 0) if spec.hidden == "relu" else np.tanh(z))
            else:
                e = np.exp(z - z.max(axis=1, keepdims=True))
                acts.append(e / e.sum(axis=1, keepdims=True))
        return acts

    def step(xb: np.ndarray, yb: np.ndarray) -> None:
        nonlocal t
        acts = forward(xb)
        delta = (acts[-1] - yb) / len(xb)  # softmax + cross-entropy
        dWs, dbs = [None] * len(Ws), [None] * len(Ws)
        for i in reversed(range(len(Ws))):
            dWs[i] = acts[i].T @ delta + 2 * spec.l2 * Ws[i]
            dbs[i] = delta.sum(axis=0)
            if i > 0:
                a = acts[i]
                deriv = (a > 0) if spec.hidden == "relu" else (1 - a * a)
                delta = (delta @ Ws[i].T) * deriv
        grads = dWs + dbs
        t += 1
        for p, g, mi, vi in zip(params, grads, m, v, strict=True):
            if spec.optimizer == "sgd":
                p -= spec.lr * g
                continue
            mi[:] = 0.9 * mi + 0.1 * g
            vi[:] = 0.999 * vi + 0.001 * g * g
            m_hat = mi / (1 - 0.9**t)
            v_hat = vi / (1 - 0.999**t)
            p -= spec.lr * m_hat / (np.sqrt(v_hat) + 1e-8)

    def run() -> None:
        for _ in range(spec.epochs):
            if batch == n:
                step(X, onehot)
                continue
            order = rng.permutation(n)
            for start in range(0, n, batch):
                idx = order[start : start + batch]
                step(X[idx], onehot[idx])

    def predict(Xp: np.ndarray) -> np.ndarray:
        return np.argmax(forward(Xp)[-1], axis=1)

    return run, predict


# --------------------------------------------------------------------------- GEMM floor
def gemm_floor(spec: Spec, n: int, seed: int = 0) -> Run:
    """The matrix products of one training run alone, at NumPy's rate, on the same shapes.

    Per step and layer ``i`` (activations ``A_i`` of shape (B, n_i), weights ``W_i``):
    forward ``Z_i = A_i @ W_i``; backward ``dW_i = A_i.T @ dZ_i`` and, except for the
    first layer (no gradient is needed for the inputs), ``dA_i = dZ_i @ W_i.T``.
    """
    rng = np.random.default_rng(seed)
    sizes = spec.sizes
    batch = spec.batch(n)
    Ws = [rng.random((a, b), dtype=np.float32) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    dWs = [np.empty_like(W) for W in Ws]

    def buffers(b: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        acts = [rng.random((b, k), dtype=np.float32) for k in sizes]  # A_0 .. A_L
        deltas = [rng.random((b, k), dtype=np.float32) for k in sizes]  # dA_0 .. dA_L
        return acts, deltas

    full, rest = divmod(n, batch)
    shapes = [(batch, full)] + ([(rest, 1)] if rest else [])
    plans = [(buffers(b), count) for b, count in shapes]

    def step(acts: list[np.ndarray], deltas: list[np.ndarray]) -> None:
        for i, W in enumerate(Ws):
            np.matmul(acts[i], W, out=acts[i + 1])
        for i in reversed(range(len(Ws))):
            np.matmul(acts[i].T, deltas[i + 1], out=dWs[i])
            if i > 0:
                np.matmul(deltas[i + 1], Ws[i].T, out=deltas[i])

    def run() -> None:
        for _ in range(spec.epochs):
            for (acts, deltas), count in plans:
                for _ in range(count):
                    step(acts, deltas)

    return run


def train_torch_fused(spec: Spec, X: np.ndarray, y: np.ndarray, seed: int) -> tuple[Run, Predict]:
    return train_torch(spec, X, y, seed, fused=True)


TRAINERS = {
    "leannet": train_leannet,
    "torch": train_torch,
    "torch_fused": train_torch_fused,
    "sklearn": train_sklearn,
    "numpy": train_numpy,
}
