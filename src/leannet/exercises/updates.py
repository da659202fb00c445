"""Checks for one parameter update: a gradient-descent step and an Adam step."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..optimizers import SGD, Adam
from ._diagnose import CheckResult, Mismatch, _constant_ratio, as_array, compare, run_cases


def _compare_step(got, want, w, mistakes) -> None:
    """Compare the new weights; when they are off, say by how much the *step* is off."""
    try:
        compare(got, want, "the new w", mistakes=mistakes)
    except Mismatch as exc:
        if "wrong values" in str(exc):
            ratio = _constant_ratio(as_array(got, "w") - w, want - w)
            if ratio is not None:
                raise Mismatch(
                    f"the step (new w − old w) is {ratio:.6g} times the right one"
                    + (
                        " (a factor of 2)"
                        if abs(abs(ratio) - 2) < 1e-6 or abs(abs(ratio) - 0.5) < 1e-6
                        else ""
                    )
                ) from None
        raise


def _returned_or_mutated(out, arg: np.ndarray):
    """The function's result, or ``arg`` itself when it updated it in place and returned None."""
    return arg if out is None else out


def check_sgd_step(sgd_step: Callable, *, seed: int = 0) -> CheckResult:
    """Check ``sgd_step(w, grad, lr) -> new w``: $w \\leftarrow w - \\eta\\,g$.

    The function may return the new array or update ``w`` in place and return None.
    """
    rng = np.random.default_rng(seed)
    cases = [
        {
            "w": rng.normal(size=s),
            "g": rng.normal(size=s),
            "lr": float(rng.uniform(0.01, 0.5)),
            "description": f"w of shape {s}",
        }
        for s in [(3, 4), (5,), (2, 7)]
    ]

    def one(case):
        w, g, lr = case["w"], case["g"], case["lr"]
        want = w.reshape(-1).copy()
        SGD(lr=lr).step(want, g.reshape(-1).copy())  # leannet's optimizer, in place
        want = want.reshape(w.shape)
        w_arg = w.copy()
        got = _returned_or_mutated(sgd_step(w_arg, g.copy(), lr), w_arg)
        _compare_step(
            got,
            want,
            w,
            mistakes=[
                ("you moved up the gradient (w + lr·g); descent subtracts: w − lr·g", w + lr * g),
                ("the learning rate is missing: w − lr·g", w - g),
                ("you returned the step lr·g, not the new weights w − lr·g", lr * g),
                ("you returned the step −lr·g, not the new weights w − lr·g", -lr * g),
                ("you returned w unchanged", w),
            ],
        )

    return run_cases("SGD step", cases, one)


def _adam_reference(w, g, m, v, t, lr, b1, b2, eps):
    """One step of leannet's Adam from the state (m, v) after t − 1 steps."""
    opt = Adam(lr=lr, beta1=b1, beta2=b2, eps=eps)
    flat = w.reshape(-1).copy()
    opt.load_state_dict({"t": t - 1, "exp_avg": m.reshape(-1), "exp_avg_sq": v.reshape(-1)})
    opt.step(flat, g.reshape(-1).copy())
    shape = w.shape
    return (
        flat.reshape(shape),
        opt.state["exp_avg"].reshape(shape).copy(),
        opt.state["exp_avg_sq"].reshape(shape).copy(),
    )


def check_adam_step(adam_step: Callable, *, seed: int = 0) -> CheckResult:
    """Check ``adam_step(w, grad, m, v, t, lr, beta1, beta2, eps) -> (w, m, v)``.

    ``t`` is the number of this step, counted from 1 (as in seed 003). The formulas:

    $$
    m \\leftarrow \\beta_1 m + (1-\\beta_1) g,\\quad
    v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2,\\quad
    \\hat m = \\frac{m}{1-\\beta_1^t},\\quad \\hat v = \\frac{v}{1-\\beta_2^t},\\quad
    w \\leftarrow w - \\eta\\,\\frac{\\hat m}{\\sqrt{\\hat v} + \\epsilon}.
    $$

    The function may update ``w``, ``m``, ``v`` in place; it must still return the three.
    """
    rng = np.random.default_rng(seed)
    cases = []
    for shape, t in [((3, 4), 1), ((5,), 3), ((2, 6), 10), ((4, 2), 2)]:
        first = t == 1
        cases.append(
            {
                "w": rng.normal(size=shape),
                "g": rng.normal(size=shape),
                "m": np.zeros(shape) if first else rng.normal(0, 0.3, size=shape),
                "v": np.zeros(shape) if first else rng.uniform(0.01, 0.5, size=shape),
                "t": t,
                "lr": float(rng.uniform(0.001, 0.1)),
                "b1": 0.9,
                "b2": 0.999,
                "eps": 1e-8,
                "description": f"w of shape {shape}, step t={t}",
            }
        )

    def one(case):
        w, g, m, v, t, lr, b1, b2, eps = (
            case[k] for k in ("w", "g", "m", "v", "t", "lr", "b1", "b2", "eps")
        )
        want_w, want_m, want_v = _adam_reference(w, g, m, v, t, lr, b1, b2, eps)
        out = adam_step(w.copy(), g.copy(), m.copy(), v.copy(), t, lr, b1, b2, eps)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            raise Mismatch("adam_step must return three arrays (w, m, v)")
        got_w, got_m, got_v = out
        m_new = b1 * m + (1 - b1) * g
        v_new = b2 * v + (1 - b2) * g * g
        compare(
            got_m,
            want_m,
            "m (first moment)",
            mistakes=[
                ("β1 and β2 are swapped: m uses β1 = 0.9", b2 * m + (1 - b2) * g),
                ("the (1 − β1) factor on g is missing", b1 * m + g),
                (
                    "m is bias-corrected in place; keep m uncorrected and use m̂ = m/(1 − β1^t) "
                    "only in the update",
                    m_new / (1 - b1**t),
                ),
            ],
        )
        compare(
            got_v,
            want_v,
            "v (second moment)",
            mistakes=[
                ("v must average the squared gradient g², not g", b2 * v + (1 - b2) * g),
                ("β1 and β2 are swapped: v uses β2 = 0.999", b1 * v + (1 - b1) * g * g),
                ("the (1 − β2) factor on g² is missing", b2 * v + g * g),
                (
                    "v is bias-corrected in place; keep v uncorrected and use v̂ = v/(1 − β2^t) "
                    "only in the update",
                    v_new / (1 - b2**t),
                ),
            ],
        )
        m_hat, v_hat = m_new / (1 - b1**t), v_new / (1 - b2**t)
        try:
            _compare_step(
                got_w,
                want_w,
                w,
                mistakes=[
                    (
                        "the bias correction is missing: divide m by (1 − β1^t) and v by (1 − β2^t) "
                        "before the update",
                        w - lr * m_new / (np.sqrt(v_new) + eps),
                    ),
                    (
                        "the bias correction of m is missing: m̂ = m/(1 − β1^t)",
                        w - lr * m_new / (np.sqrt(v_hat) + eps),
                    ),
                    (
                        "the bias correction of v is missing: v̂ = v/(1 − β2^t)",
                        w - lr * m_hat / (np.sqrt(v_new) + eps),
                    ),
                    (
                        "the update has the wrong sign: w − lr·m̂/(√v̂ + ε)",
                        w + lr * m_hat / (np.sqrt(v_hat) + eps),
                    ),
                    (
                        "the square root of v̂ is missing: w − lr·m̂/(√v̂ + ε)",
                        w - lr * m_hat / (v_hat + eps),
                    ),
                    (
                        "the bias correction uses t − 1 instead of t (t counts steps from 1)",
                        _corrected_with(w, m_new, v_new, t - 1, lr, b1, b2, eps),
                    ),
                    (
                        "the update uses the gradient g instead of m̂",
                        w - lr * g / (np.sqrt(v_hat) + eps),
                    ),
                ],
            )
        except Mismatch as exc:
            if t == 1 and "NaN" in str(exc):
                raise Mismatch(
                    f"{exc}; on the first step t must be 1: with t = 0 the bias correction "
                    "divides by 1 − β^0 = 0"
                ) from None
            raise

    return run_cases("Adam step", cases, one)


def _corrected_with(w, m, v, t, lr, b1, b2, eps):
    if t < 1:
        return None
    return w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
