"""Check a whole network's gradients (backpropagation written by the learner)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import layers as L
from ..errors import ConfigError
from ..gradcheck import gradients
from ..network import Sequential
from ._conventions import check_convention, check_layout, l2_gradient_formula, regularizer
from ._diagnose import CheckResult, Mismatch, compare, run_cases

_HIDDEN = {"sigmoid": L.Sigmoid, "relu": L.ReLU, "tanh": L.Tanh}
_OUTPUT = {"sigmoid": L.Sigmoid, "linear": L.Identity, "softmax": L.Softmax}
_LOSS = {
    "mse": "mse",
    "half_mse": "mse",
    "bce": "binary_cross_entropy",
    "cce": "categorical_cross_entropy",
}


def _act(name: str, Z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-Z))
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "tanh":
        return np.tanh(Z)
    if name == "softmax":
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)
    return Z


def _deriv(name: str, Z: np.ndarray) -> np.ndarray:
    A = _act(name, Z)
    return {"sigmoid": A * (1 - A), "relu": (Z > 0).astype(float), "tanh": 1 - A * A}.get(
        name, np.ones_like(Z)
    )


def _backprop(X, Ws, bs, delta_out, hidden, reg, *, deriv_at="z", pen_biases=False, penalty=True):
    """Plain backpropagation in the rows layout from a per-example output delta (for the
    answers typical mistakes give; the reference itself comes from leannet)."""
    m = len(X)
    As, Zs = [X], []
    for i, (W, b) in enumerate(zip(Ws, bs)):
        Zs.append(As[-1] @ W + b)
        As.append(_act(hidden, Zs[-1]) if i < len(Ws) - 1 else None)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    delta = delta_out
    for i in reversed(range(len(Ws))):
        dW, db = As[i].T @ delta / m, delta.sum(axis=0, keepdims=True) / m
        if penalty:
            reg.add_grad(Ws[i], dW)
        if pen_biases:
            reg.add_grad(bs[i], db)
        dWs[i], dbs[i] = dW, db
        if i > 0:
            arg = Zs[i - 1] if deriv_at == "z" else As[i]
            delta = (delta @ Ws[i].T) * _deriv(hidden, arg)
    return dWs, dbs


def _unpack(out, n_layers: int):
    """(dWs, dbs) from the learner's return value: two lists, dW1, db1, dW2, db2..., or a dict."""
    if isinstance(out, dict):
        try:
            return (
                [out[f"dW{i + 1}"] for i in range(n_layers)],
                [out[f"db{i + 1}"] for i in range(n_layers)],
            )
        except KeyError as exc:
            raise Mismatch(f"the returned dict has no key {exc}; use 'dW1', 'db1', ...") from None
    if isinstance(out, (tuple, list)):
        if len(out) == 2 and all(isinstance(o, (tuple, list)) for o in out):
            dWs, dbs = list(out[0]), list(out[1])
            if len(dWs) == len(dbs) == n_layers:
                return dWs, dbs
        if len(out) == 2 * n_layers:
            return list(out[0::2]), list(out[1::2])
    raise Mismatch(
        f"return ([dW1, ..., dW{n_layers}], [db1, ..., db{n_layers}]), or dW1, db1, dW2, db2, ... "
        f"in that order, or a dict {{'dW1': ..., 'db1': ...}}; got {type(out).__name__}"
    )


def check_network_gradients(
    gradients_fn: Callable,
    *,
    sizes: tuple[int, ...] = (3, 5, 2),
    hidden: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "bce",
    l2: float = 0.01,
    convention: str = "sum",
    layout: str = "rows",
    seed: int = 0,
) -> CheckResult:
    """Check ``gradients_fn(X, Y, weights, biases)``: every dW and db of a whole network.

    The network: ``Z_l = A_{l-1} W_l + b_l``, ``A_l = hidden(Z_l)`` for hidden layers, the
    ``output`` activation on the last layer, data loss ``loss`` averaged over the ``m``
    examples, plus the L2 penalty on the weights (never the biases) in ``convention``.
    The reference gradient is leannet's backpropagation, itself checked against finite
    differences (`leannet.gradcheck`).

    Args:
        gradients_fn: returns ``([dW1, dW2, ...], [db1, db2, ...])``, or ``dW1, db1, dW2,
            db2, ...`` (seed 003's order), or a dict ``{"dW1": ..., "db1": ...}``.
        sizes: layer widths, input first (``(2, 4, 1)`` is seed 000's XOR network).
        hidden: ``"sigmoid"``, ``"relu"`` or ``"tanh"``.
        output: ``"sigmoid"``, ``"linear"`` or ``"softmax"``.
        loss: ``"mse"`` (mean over every entry), ``"half_mse"`` (``(1/(2m))·Σ‖y − a‖²``),
            ``"bce"`` (binary cross-entropy, mean over every entry) or ``"cce"``
            (categorical, one-hot ``Y``, mean over examples).
        l2: strength of the L2 penalty (0 for none).
        convention: ``"sum"`` (``l2·Σw²``), ``"half"`` (``(l2/2)·Σw²``), ``"per_m"``
            (``(l2/(2m))·Σw²``, seed 003).
        layout: ``"rows"`` (``X`` is ``(m, n_in)``, ``W`` is ``(n_in, n_out)``, ``b`` is
            ``(1, n_out)``) or ``"columns"`` (seed 003: ``X`` is ``(n_in, m)``, ``W`` is
            ``(n_out, n_in)``, ``b`` is ``(n_out, 1)``); the gradients have the shapes of
            the parameters.
    """
    convention, layout = check_convention(convention), check_layout(layout)
    if hidden not in _HIDDEN or output not in _OUTPUT or loss not in _LOSS:
        raise ConfigError(
            f"hidden must be one of {sorted(_HIDDEN)}, output one of {sorted(_OUTPUT)}, "
            f"loss one of {sorted(_LOSS)}; got {hidden!r}, {output!r}, {loss!r}"
        )
    if (loss == "bce" and output != "sigmoid") or ((loss == "cce") != (output == "softmax")):
        raise ConfigError(
            "loss='bce' needs output='sigmoid' and loss='cce' needs output='softmax' "
            "(and softmax is only checked with 'cce')"
        )
    cols = layout == "columns"
    rng = np.random.default_rng(seed)
    cases = []
    for m in (8, 13, 5):
        X = rng.normal(size=(m, sizes[0]))
        k = sizes[-1]
        if loss == "bce":
            Y = rng.integers(0, 2, size=(m, k)).astype(float)
        elif loss == "cce":
            Y = np.eye(k)[rng.integers(0, k, size=m)]
        else:
            Y = rng.normal(size=(m, k))
        Ws = [rng.normal(0, 0.8, size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        bs = [rng.normal(0, 0.3, size=(1, b)) for b in sizes[1:]]
        cases.append({"X": X, "Y": Y, "Ws": Ws, "bs": bs, "description": f"{m} examples"})

    def reference(X, Y, Ws, bs):
        m = len(X)
        layers = []
        for i, W in enumerate(Ws):
            layers.append(L.Dense(*W.shape))
            layers.append(_HIDDEN[hidden]() if i < len(Ws) - 1 else _OUTPUT[output]())
        net = Sequential(layers, dtype="float64")
        for layer, W, b in zip(net.dense_layers, Ws, bs):
            layer.W[...], layer.b[...] = W, b.reshape(-1)
        y = Y.argmax(axis=1) if loss == "cce" else Y
        _, flat = gradients(net, X, y, loss=_LOSS[loss])
        scale = Y.shape[1] / 2 if loss == "half_mse" else 1.0
        reg = regularizer(convention, 0.0, l2, m)
        dWs, dbs, off_w, off_b = [], [], 0, net.n_weights
        for W, b in zip(Ws, bs):
            dW = flat[off_w : off_w + W.size].reshape(W.shape) * scale
            reg.add_grad(W, dW)
            dWs.append(dW)
            dbs.append(flat[off_b : off_b + b.size].reshape(b.shape) * scale)
            off_w, off_b = off_w + W.size, off_b + b.size
        return dWs, dbs, reg

    def one(case):
        X, Y, Ws, bs = case["X"], case["Y"], case["Ws"], case["bs"]
        m, k = Y.shape
        want_W, want_b, reg = reference(X, Y, Ws, bs)
        t = (lambda a: a.T) if cols else (lambda a: a)
        out = gradients_fn(
            t(X).copy(), t(Y).copy(), [t(W).copy() for W in Ws], [t(b).copy() for b in bs]
        )
        got_W, got_b = _unpack(out, len(Ws))
        # per-example output delta of the true objective, for the answers mistakes give
        Z_out = X
        for i, (W, b) in enumerate(zip(Ws, bs)):
            Z_out = Z_out @ W + b
            if i < len(Ws) - 1:
                Z_out = _act(hidden, Z_out)
        A_out = _act(output, Z_out)
        d_act = _deriv(output, Z_out) if output == "sigmoid" else 1.0
        delta = {
            "mse": 2 * (A_out - Y) * d_act / k,
            "half_mse": (A_out - Y) * d_act,
            "bce": (A_out - Y) / k,
            "cce": A_out - Y,
        }[loss]
        wrong_reg = regularizer("half" if convention == "sum" else "sum", 0.0, l2, m)
        variants = [
            (
                "the penalty is applied to the biases too; biases are not penalised",
                _backprop(X, Ws, bs, delta, hidden, reg, pen_biases=True),
            ),
            (
                "the 1/m is missing in the data gradient (sum over the examples, then divide by m)",
                _backprop(X, Ws, bs, delta * m, hidden, reg),
            ),
            (
                "the penalty's gradient is missing (expected + "
                + l2_gradient_formula(convention)
                + " on the weights,)",
                _backprop(X, Ws, bs, delta, hidden, reg, penalty=False),
            ),
            (
                "the penalty's gradient has the wrong factor: for this convention it is "
                + l2_gradient_formula(convention),
                _backprop(X, Ws, bs, delta, hidden, wrong_reg),
            ),
            (
                "the hidden activation's derivative is evaluated at the activation a = f(z) "
                "instead of at z (write f'(z), or a·(1 − a) for the sigmoid from its output a)",
                _backprop(X, Ws, bs, delta, hidden, reg, deriv_at="a"),
            ),
        ]
        if loss in ("mse", "half_mse") and output == "sigmoid":
            variants.insert(
                0,
                (
                    "the output delta is (a − y), which is the gradient of cross-entropy with a "
                    "sigmoid output; for this squared-error loss it is "
                    + ("2·(a − y)·σ'(z)/K per example" if loss == "mse" else "(a − y)·σ'(z)")
                    + " (or train with cross-entropy, where (a − y) is right)",
                    _backprop(X, Ws, bs, A_out - Y, hidden, reg),
                ),
            )
        if loss == "bce" and k > 1:
            variants.append(
                (
                    f"the output delta lacks the 1/K of the mean over the K = {k} outputs: binary "
                    "cross-entropy is averaged over every entry, so the delta is (a − y)/K per example",
                    _backprop(X, Ws, bs, A_out - Y, hidden, reg),
                )
            )
        if loss == "mse":
            variants.append(
                (
                    "the output delta lacks the 2/K of the mean over the K outputs of (a − y)²",
                    _backprop(X, Ws, bs, delta * k / 2, hidden, reg),
                )
            )
        n = len(Ws)
        for i in reversed(range(n)):
            label = f"layer {i + 1} of {n}" + (" (output layer)" if i == n - 1 else "")
            hint = ""
            if i < n - 1:
                hint = (
                    f"; the layers after it are right, so the error is in passing delta back: "
                    f"delta_{i + 1} = (delta_{i + 2}·W_{i + 2}ᵀ) ⊙ f'(z_{i + 1})"
                )
            try:
                compare(
                    got_W[i],
                    t(want_W[i]),
                    f"dW of {label}",
                    mistakes=[(msg, t(v[0][i])) for msg, v in variants],
                    factors={float(m): "is m times too large: the 1/m is missing"},
                    shape_hint="each dW has the shape of its W",
                )
                compare(
                    got_b[i],
                    t(want_b[i]),
                    f"db of {label}",
                    mistakes=[(msg, t(v[1][i])) for msg, v in variants],
                    factors={float(m): "is m times too large: the 1/m is missing"},
                    loose_shape=True,
                )
            except Mismatch as exc:
                text = str(exc)
                if hint and "wrong values" in text:
                    text += hint
                raise Mismatch(text) from None

    desc = f"network gradients ({'-'.join(map(str, sizes))}, {hidden}/{output}, {loss}, {layout})"
    return run_cases(desc, cases, one)
