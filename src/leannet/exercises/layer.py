"""Checks for one layer: the sigmoid's derivative, a dense layer's forward and backward."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import ConfigError
from ..layers import Dense, Sigmoid
from ._conventions import check_convention, check_layout, l2_gradient_formula, regularizer
from ._diagnose import CheckResult, Mismatch, compare, run_cases


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def check_sigmoid_derivative(
    sigmoid_derivative: Callable, *, takes: str = "z", seed: int = 0
) -> CheckResult:
    """Check ``sigmoid_derivative(z)``: $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$.

    Args:
        takes: ``"z"`` when the function receives the pre-activation ``z`` (seeds 000, 004),
            ``"output"`` when it receives ``a = σ(z)`` and returns ``a·(1 − a)`` (seed 002).
    """
    if takes not in ("z", "output"):
        raise ConfigError(f"takes must be 'z' or 'output', got {takes!r}")
    rng = np.random.default_rng(seed)
    cases = [
        {"z": rng.normal(0, 3, size=shape), "description": f"z of shape {shape}"}
        for shape in [(5,), (4, 3), (2, 6), (1, 1)]
    ]

    def one(case):
        z = case["z"]
        s = _sigmoid(z)
        _, backward = Sigmoid().forward(z.copy())  # leannet's layer: dY * y * (1 - y)
        want = backward(np.ones_like(z))
        got = sigmoid_derivative((z if takes == "z" else s).copy())
        mistakes = [
            (
                "you applied the formula to z itself, z·(1 − z); apply it to σ(z): "
                "s = sigmoid(z); return s * (1 - s). If your function receives the sigmoid's "
                "output, check it with takes='output'",
                z * (1 - z),
            ),
            ("you returned σ(z), not its derivative σ(z)·(1 − σ(z))", s),
            ("you returned 1 − σ(z); multiply by σ(z): σ(z)·(1 − σ(z))", 1 - s),
            (
                "you returned σ(σ(z))·(1 − σ(σ(z))): the sigmoid is applied twice (this "
                "function receives z; if yours expects the output a = σ(z), use takes='output')",
                _sigmoid(s) * (1 - _sigmoid(s)),
            ),
        ]
        compare(got, want, "the derivative", mistakes=mistakes)

    return run_cases("sigmoid derivative", cases, one)


def _dense_cases(seed: int):
    rng = np.random.default_rng(seed)
    for m, n_in, n_out in [(6, 4, 3), (9, 2, 5), (4, 7, 1), (12, 3, 8)]:
        yield {
            "X": rng.normal(size=(m, n_in)),
            "W": rng.normal(size=(n_in, n_out)),
            "b": rng.normal(size=(1, n_out)),
            "delta": rng.normal(size=(m, n_out)),
            "description": f"{m} examples, n_in={n_in}, n_out={n_out}",
        }


def _layout_hint(layout: str) -> str:
    if layout == "rows":
        return "In the 'rows' layout X is (m, n_in), W is (n_in, n_out) and Z = X @ W + b is (m, n_out)"
    return (
        "In the 'columns' layout X is (n_in, m), W is (n_out, n_in) and Z = W @ X + b is (n_out, m)"
    )


def _reference_layer(W, b):
    layer = Dense(*W.shape)  # a standalone float64 layer
    layer.W[...] = W
    layer.b[...] = b.reshape(-1)
    return layer


def check_dense_forward(forward: Callable, *, layout: str = "rows", seed: int = 0) -> CheckResult:
    """Check ``forward(X, W, b) -> Z``, the affine part of a dense layer (no activation).

    ``layout="rows"``: ``Z = X @ W + b`` with ``W`` of shape ``(n_in, n_out)``;
    ``layout="columns"`` (seed 003): ``Z = W @ X + b`` with ``W`` of shape ``(n_out, n_in)``.
    """
    layout = check_layout(layout)
    cols = layout == "columns"

    def one(case):
        X, W, b = case["X"], case["W"], case["b"]
        want, _ = _reference_layer(W, b).forward(X)
        args = (X.T.copy(), W.T.copy(), b.T.copy()) if cols else (X.copy(), W.copy(), b.copy())
        got = forward(*args)
        no_bias = X @ W
        mistakes = [
            ("the bias b is missing: Z = X·W + b", no_bias.T if cols else no_bias),
            (
                "you applied the sigmoid; this step is only the affine part Z (the activation "
                "is a separate step)",
                _sigmoid(want).T if cols else _sigmoid(want),
            ),
            (
                "you applied ReLU; this step is only the affine part Z (the activation is a "
                "separate step)",
                np.maximum(want, 0).T if cols else np.maximum(want, 0),
            ),
        ]
        compare(
            got, want.T if cols else want, "Z", mistakes=mistakes, shape_hint=_layout_hint(layout)
        )

    return run_cases(f"dense layer forward ({layout} layout)", _dense_cases(seed), one)


def check_dense_backward(
    backward: Callable,
    *,
    layout: str = "rows",
    l2: float = 0.05,
    convention: str = "sum",
    seed: int = 0,
) -> CheckResult:
    """Check ``backward(X, W, b, delta, l2) -> (dW, db, dX)`` for a dense layer ``Z = XW + b``.

    ``delta`` is the error signal at ``Z`` of each example, not yet averaged (for
    example ``A − Y`` at a sigmoid output with cross-entropy, as in seeds 000 and 003).
    The function must return

    * ``dW = (1/m)·Xᵀ·delta`` plus the L2 penalty's gradient on ``W`` (see ``convention``),
    * ``db = (1/m)·Σ delta`` over the examples (biases are not penalised),
    * ``dX = delta·Wᵀ``, the signal passed to the layer below (per example: no 1/m).

    In the ``"columns"`` layout (seed 003) every array is transposed: ``dW = (1/m)·delta·Xᵀ``,
    ``db = (1/m)·Σ delta`` along axis 1, ``dX = Wᵀ·delta``.
    """
    layout = check_layout(layout)
    convention = check_convention(convention)
    cols = layout == "columns"

    def t(a):
        return a.T if cols else a

    def one(case):
        X, W, b, delta = case["X"], case["W"], case["b"], case["delta"]
        m = len(X)
        layer = _reference_layer(W, b)
        _, back = layer.forward(X, training=True)
        dX_mean = back(delta / m)  # leannet's layer gets the averaged signal
        reg = regularizer(convention, 0.0, l2, m)
        pen_W, pen_b = np.zeros_like(W), np.zeros_like(b)
        reg.add_grad(W, pen_W)
        reg.add_grad(b, pen_b)
        dW, db, dX = layer.dW + pen_W, layer.db.reshape(1, -1), dX_mean * m
        out = backward(*(t(a).copy() for a in (X, W, b, delta)), l2)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            raise Mismatch("backward must return three arrays (dW, db, dX)")
        got_dW, got_db, got_dX = out
        data_dW = layer.dW
        wrong_pen = regularizer("sum" if convention != "sum" else "half", 0.0, l2, m)
        other_W = np.zeros_like(W)
        wrong_pen.add_grad(W, other_W)
        compare(
            got_dW,
            t(dW),
            "dW",
            mistakes=[
                (
                    "the 1/m is missing in the data term: dW = (1/m)·Xᵀ·delta + penalty",
                    t(data_dW * m + pen_W),
                ),
                (
                    "the penalty's gradient is missing (expected + "
                    + l2_gradient_formula(convention)
                    + ")",
                    t(data_dW),
                ),
                (
                    "the penalty's gradient has the wrong factor: for this convention it is "
                    + l2_gradient_formula(convention)
                    + "",
                    t(data_dW + other_W),
                ),
                (
                    "the penalty's gradient is divided by m too; here it is "
                    + l2_gradient_formula(convention),
                    t(data_dW + pen_W / m),
                ),
                ("the penalty's gradient is subtracted instead of added", t(data_dW - pen_W)),
            ],
            factors={float(m): "is m times too large: the 1/m is missing"},
            shape_hint="dW must have the shape of W",
        )
        compare(
            got_db,
            t(db),
            "db",
            mistakes=[
                (
                    "the penalty is applied to the biases too; biases are not penalised, so "
                    "db = (1/m)·Σ delta",
                    t(db + pen_b),
                ),
                ("the 1/m is missing: db = (1/m)·Σ delta over the examples", t(db * m)),
            ],
            factors={float(m): "is m times too large: the 1/m is missing"},
            loose_shape=True,
            shape_hint="db sums delta over the examples (one value per unit)",
        )
        compare(
            got_dX,
            t(dX),
            "dX",
            mistakes=[
                (
                    "dX is divided by m; the 1/m belongs to dW and db only (the signal passed "
                    "down stays per example)",
                    t(dX / m),
                ),
            ],
            factors={1.0 / m: "is m times too small: the 1/m belongs to dW and db only"},
            shape_hint="dX must have the shape of X",
        )

    name = f"dense layer backward ({layout} layout, L2 {l2_gradient_formula(convention)})"
    return run_cases(name, _dense_cases(seed), one)
