"""Checks for the penalty gradients and for the loss with L1/L2 penalties."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import losses
from ..errors import ConfigError
from ._conventions import check_convention, penalty_formula, regularizer
from ._diagnose import CheckResult, as_array, compare, run_cases

DATA_LOSSES = ("mse", "half_mse", "bce", "cce")


def _weights(rng: np.random.Generator, shape, zeros: bool = False) -> np.ndarray:
    W = rng.normal(0.0, 1.0, size=shape)
    if zeros:  # exact zeros, where L1's subgradient conventions differ
        W.flat[:: max(2, W.size // 3)] = 0.0
    return W


def _penalty_cases(seed: int, n: int = 6, zeros: bool = False):
    rng = np.random.default_rng(seed)
    for shape in [(3, 4), (5, 2), (1, 6), (4, 3), (7, 5), (2, 2)][:n]:
        yield {
            "W": _weights(rng, shape, zeros),
            "lam": float(rng.uniform(0.01, 0.5)),
            "m": int(rng.integers(8, 60)),
            "description": f"W of shape {shape}",
        }


def check_l2_gradient(
    l2_gradient: Callable, *, convention: str = "sum", seed: int = 0
) -> CheckResult:
    """Check ``l2_gradient(W, l2)`` (or ``l2_gradient(W, l2, m)`` for ``convention="per_m"``).

    It must return the gradient of the L2 penalty with respect to ``W``:
    ``2·l2·W`` for the penalty ``l2·Σw²`` (``"sum"``), ``l2·W`` for ``(l2/2)·Σw²``
    (``"half"``) and ``l2·W/m`` for ``(l2/(2m))·Σw²`` (``"per_m"``, seed 003).

    Returns:
        CheckResult: truthy when correct; its message says what is wrong otherwise.
    """
    convention = check_convention(convention)
    name = f"L2 penalty gradient ({penalty_formula(convention).split(' + ')[-1]})"

    def one(case):
        W, lam, m = case["W"], case["lam"], case["m"]
        args = (W.copy(), lam, m) if convention == "per_m" else (W.copy(), lam)
        got = l2_gradient(*args)
        reg = regularizer(convention, 0.0, lam, m)
        want = np.zeros_like(W)
        reg.add_grad(W, want)
        mistakes = [
            (
                "you used sign(w): that is the L1 gradient; L2's is proportional to w",
                lam * np.sign(W),
            ),
            (
                "you used sign(w): that is the L1 gradient; L2's is proportional to w",
                2 * lam * np.sign(W),
            ),
            ("you returned the penalty per entry (w²) instead of its derivative", lam * W**2),
        ]
        if convention == "sum":
            mistakes.insert(
                0,
                (
                    "you returned l2·W; the derivative of l2·w² is 2·l2·w "
                    "(the exponent comes down: a factor of 2 is missing)",
                    lam * W,
                ),
            )
        if convention == "half":
            mistakes.insert(
                0,
                (
                    "you returned 2·l2·W; with the ½ in (l2/2)·Σw² the 2 cancels: "
                    "the gradient is l2·w",
                    2 * lam * W,
                ),
            )
        factors = {}
        if convention == "per_m":
            mistakes.insert(
                0,
                (
                    "the 1/m is missing: with the penalty (l2/(2m))·Σw² the gradient is l2·w/m",
                    lam * W,
                ),
            )
            factors[float(m)] = "is m times too large: the 1/m is missing"
            factors[1.0 / m] = "is m times too small: you divided by m twice"
        compare(got, want, "the gradient", mistakes=mistakes, factors=factors)

    return run_cases(name, _penalty_cases(seed), one)


def check_l1_gradient(
    l1_gradient: Callable, *, convention: str = "sum", seed: int = 0
) -> CheckResult:
    """Check ``l1_gradient(W, l1)`` (or ``(W, l1, m)`` for ``convention="per_m"``).

    The (sub)gradient of ``l1·Σ|w|`` is ``l1·sign(w)``, with ``sign(0) = 0`` as NumPy's
    ``np.sign`` gives: a weight at exactly zero is not pushed either way. The random
    cases include exact zeros.
    """
    convention = check_convention(convention)
    if convention == "half":
        convention = "sum"  # the ½ convention concerns only L2

    def one(case):
        W, lam, m = case["W"], case["lam"], case["m"]
        args = (W.copy(), lam, m) if convention == "per_m" else (W.copy(), lam)
        got = l1_gradient(*args)
        want = np.zeros_like(W)
        regularizer(convention, lam, 0.0, m).add_grad(W, want)
        scale = lam / m if convention == "per_m" else lam
        plus_at_zero = scale * np.where(W >= 0, 1.0, -1.0)
        mistakes = [
            (
                "at w = 0 you return ±l1, but sign(0) = 0 (np.sign gives it): a weight at zero "
                "must not be pushed away from zero",
                plus_at_zero,
            ),
            (
                "at w = 0 you return ±l1, but sign(0) = 0 (np.sign gives it): a weight at zero "
                "must not be pushed away from zero",
                scale * np.where(W > 0, 1.0, -1.0),
            ),
            (
                "you used |w| (the penalty itself) instead of its derivative sign(w)",
                scale * np.abs(W),
            ),
            ("you used w (that is L2's gradient) instead of sign(w)", scale * W),
            ("you used 2·w (that is L2's gradient) instead of sign(w)", 2 * scale * W),
        ]
        factors = {}
        if convention == "per_m":
            mistakes.insert(
                0,
                (
                    "the 1/m is missing: the gradient of (l1/m)·Σ|w| is l1·sign(w)/m",
                    lam * np.sign(W),
                ),
            )
            factors[float(m)] = "is m times too large: the 1/m is missing"
        compare(got, want, "the gradient", mistakes=mistakes, factors=factors)

    return run_cases("L1 penalty gradient (l1·sign(w))", _penalty_cases(seed, zeros=True), one)


def _data_loss(kind: str, P: np.ndarray, Y: np.ndarray) -> float:
    """Reference data loss on row-layout arrays (m, K)."""
    if kind == "mse":
        return losses.MSE()(P, Y)
    if kind == "half_mse":  # (1/(2m)) Σ ||y - a||² = K/2 · mean over all entries
        return losses.MSE()(P, Y) * P.shape[1] / 2
    if kind == "bce":
        return losses.BinaryCrossEntropy()(P, Y)
    return losses.CategoricalCrossEntropy()(P, Y)


def _loss_cases(kind: str, seed: int, layout: str):
    rng = np.random.default_rng(seed)
    for m, k, sizes in [
        (12, 3, [(4, 5), (5, 3)]),
        (7, 2, [(3, 2)]),
        (20, 4, [(6, 4), (4, 8), (8, 4)]),
    ]:
        if kind == "bce":
            P = rng.uniform(0.05, 0.95, size=(m, k))
            Y = rng.integers(0, 2, size=(m, k)).astype(float)
        elif kind == "cce":
            Z = rng.normal(size=(m, k))
            P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
            Y = np.eye(k)[rng.integers(0, k, size=m)]
        else:
            P, Y = rng.normal(size=(m, k)), rng.normal(size=(m, k))
        Ws = [rng.normal(size=s) for s in sizes]
        bs = [rng.normal(size=(1, s[1])) for s in sizes]
        yield {
            "P": P,
            "Y": Y,
            "Ws": Ws,
            "bs": bs,
            "l1": float(rng.uniform(0.01, 0.1)),
            "l2": float(rng.uniform(0.01, 0.1)),
            "description": f"{m} examples, {k} outputs, {len(Ws)} weight matrices",
        }


def check_loss(
    loss: Callable,
    *,
    data: str = "mse",
    convention: str = "sum",
    layout: str = "rows",
    l1: bool = True,
    seed: int = 0,
) -> CheckResult:
    """Check ``loss(y_pred, y_true, weights, biases, l1, l2) -> float``: data loss plus penalty.

    Args:
        loss: the learner's function. ``weights`` and ``biases`` are lists of arrays;
            the penalty applies to the weights only (biases are not penalised).
        data: the data loss: ``"mse"`` = mean over every entry of ``(y_pred - y_true)²``
            (seed 000, leannet); ``"half_mse"`` = ``(1/(2m))·Σ‖y − a‖²`` (seed 004's cost);
            ``"bce"`` = ``−mean(y·log p + (1−y)·log(1−p))`` (seeds 001, 003); ``"cce"`` =
            ``−(1/m)·Σ log p(true class)`` with one-hot ``y_true`` (seed 001).
        convention: the penalty, see [`leannet.exercises`][leannet.exercises] (``"sum"``, ``"half"``, ``"per_m"``).
        layout: ``"rows"`` (``y_pred`` of shape ``(m, K)``, weights ``(n_in, n_out)``) or
            ``"columns"`` (``(K, m)``, weights ``(n_out, n_in)``, as in seed 003).
        l1: include an L1 term; False for code with an L2 penalty only (seeds 002, 003):
            then ``l1=0`` is passed.
    """
    convention = check_convention(convention)
    if data not in DATA_LOSSES:
        raise ConfigError(f"data must be one of {', '.join(map(repr, DATA_LOSSES))}, got {data!r}")
    from ._conventions import check_layout

    layout = check_layout(layout)
    cols = layout == "columns"
    formula = penalty_formula(convention) if l1 else penalty_formula(convention).split(" + ")[-1]
    name = f"loss ({data} + {formula})"

    use_l1 = bool(l1)

    def one(case):
        P, Y, Ws, bs, l1, l2 = (case[k] for k in ("P", "Y", "Ws", "bs", "l1", "l2"))
        l1 = l1 if use_l1 else 0.0
        m, k = P.shape
        args_P, args_Y = (P.T.copy(), Y.T.copy()) if cols else (P.copy(), Y.copy())
        args_W = [W.T.copy() if cols else W.copy() for W in Ws]
        args_b = [b.T.copy() if cols else b.copy() for b in bs]
        got = loss(args_P, args_Y, args_W, args_b, l1, l2)
        data_value = _data_loss(data, P, Y)
        reg = regularizer(convention, l1, l2, m)
        pen = sum(reg.penalty(W) for W in Ws)
        pen_b = sum(reg.penalty(b) for b in bs)
        l1_part = sum(regularizer(convention, l1, 0.0, m).penalty(W) for W in Ws)
        l2_part = pen - l1_part
        want = data_value + pen
        mistakes = [
            ("the penalty is also applied to the biases; penalise the weights only", want + pen_b),
            ("the penalty is missing (this is the data loss alone)", data_value),
            (
                "only the L1 part of the penalty is there (the L2 part is missing)",
                data_value + l1_part,
            ),
            (
                "only the L2 part of the penalty is there (the L1 part is missing)",
                data_value + l2_part,
            ),
            (
                "the L2 penalty is twice too large: "
                + penalty_formula(convention)
                + " is expected",
                data_value + l1_part + 2 * l2_part,
            ),
            (
                "the L2 penalty is half what it should be: "
                + penalty_formula(convention)
                + " is expected",
                data_value + l1_part + 0.5 * l2_part,
            ),
            (
                "the data loss is summed over the examples instead of averaged (the 1/m is missing)",
                data_value * m + pen,
            ),
            (
                "the data loss is summed over every entry instead of averaged (np.sum where "
                "np.mean belongs: the 1/m is missing)",
                data_value * m * k + pen,
            ),
            (
                "l1 and l2 are swapped (l1 multiplies Σw², l2 multiplies Σ|w|)",
                data_value + sum(regularizer(convention, l2, l1, m).penalty(W) for W in Ws),
            ),
        ]
        if data in ("mse", "half_mse"):
            mse = losses.MSE()(P, Y)
            if data == "mse":
                mistakes.append(
                    (
                        "the data loss is the mean over examples of the sum over outputs; 'mse' is "
                        "the mean over every entry, np.mean((a - y)**2)",
                        mse * k + pen,
                    )
                )
            else:
                mistakes += [
                    ("the data loss lacks the ½ of (1/(2m))·Σ‖y − a‖²", mse * k + pen),
                    (
                        "the data loss is np.mean((a − y)²); 'half_mse' is (1/(2m))·Σ‖y − a‖²",
                        mse + pen,
                    ),
                ]
        if data in ("bce", "cce"):
            mistakes.append(
                (
                    "the data loss has the wrong sign (cross-entropy is −mean(log p))",
                    -data_value + pen,
                )
            )
        got_arr = as_array(got, "the loss")
        if got_arr.size != 1:
            compare(got_arr, np.asarray(want), "the loss")
        compare(
            float(got_arr.reshape(-1)[0]),
            want,
            "the loss",
            mistakes=mistakes,
            factors={float(m): "is m times too large: the data loss is summed, not averaged"},
        )

    return run_cases(name, _loss_cases(data, seed, layout), one)
