"""Compare a learner's answer with leannet's reference and say, in words, what is wrong.

Each check computes the reference answer *and* the answers that typical mistakes
would give (a missing ``1/m``, a penalty on the biases, no bias correction...). A wrong
answer is then explained by the first mistake whose answer it reproduces; failing
that, by a constant factor (sign, 2, m) or by the largest difference.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
RTOL = 1e-6
ATOL = 1e-9


@dataclass
class CheckResult:
    """The outcome of an exercise check.

    Attributes:
        name: what was checked (e.g. ``"dense backward"``).
        passed: True when every random case agreed with the reference.
        message: one or more sentences in plain words: what is right or what is wrong.
        cases: how many random cases were run (up to the first failure).
    """

    name: str
    passed: bool
    message: str
    cases: int = 0
    details: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = "PASS" if self.passed else "FAIL"
        return f"[{mark}] {self.name}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        colour = "#1a7f37" if self.passed else "#cf222e"
        mark = "&#10004; correct" if self.passed else "&#10008; not yet"
        return (
            f'<div class="leannet-check"><b style="color:{colour}">{mark}</b> '
            f"<b>{html.escape(self.name)}</b>: {html.escape(self.message)}</div>"
        )

    def raise_if_failed(self) -> CheckResult:
        """Raise AssertionError with the message when the check failed (for scripts and tests)."""
        if not self.passed:
            raise AssertionError(str(self))
        return self


class Mismatch(Exception):
    """Raised inside a check with the sentence that explains the mismatch."""


def close(a, b) -> bool:
    """Same shape and equal up to float64 rounding (relative 1e-6, absolute 1e-9)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def as_array(value, what: str) -> np.ndarray:
    """``value`` as a float64 array, or Mismatch saying what it was."""
    if value is None:
        raise Mismatch(
            f"{what} is None: your function must return the array (did you forget `return`?)"
        )
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Mismatch(f"{what} is a {type(value).__name__}, not an array of numbers") from None
    return arr


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def compare(
    got,
    want: np.ndarray,
    what: str,
    *,
    mistakes: list[tuple[str, np.ndarray]] = (),
    factors: dict[float, str] | None = None,
    loose_shape: bool = False,
    shape_hint: str = "",
) -> None:
    """Raise `Mismatch` with a plain-words diagnosis unless ``got`` equals ``want``.

    Args:
        got: the learner's value.
        want: the reference value.
        what: the name used in messages (e.g. ``"dW of layer 1"``).
        mistakes: ``(explanation, value that mistake would give)`` pairs, tried in order.
        factors: ``{c: explanation}`` for ``got == c * want`` (sign errors, missing 1/m...).
            ``-1``, ``2`` and ``0.5`` are always recognised.
        loose_shape: accept shapes that differ only by axes of length 1 (biases as
            ``(n,)``, ``(1, n)`` or ``(n, 1)``).
        shape_hint: appended to a wrong-shape message (e.g. the layout's convention).
    """
    arr = as_array(got, what)
    want = np.asarray(want, dtype=np.float64)
    if arr.shape != want.shape:
        if loose_shape and arr.size == want.size and arr.squeeze().shape == want.squeeze().shape:
            arr = arr.reshape(want.shape)
        elif arr.ndim == 0:
            raise Mismatch(
                f"{what} is a single number but should be an array of shape "
                f"{_shape_text(want.shape)} (one value per entry of the input)"
            )
        else:
            text = f"{what} has the wrong shape: {_shape_text(arr.shape)}, expected {_shape_text(want.shape)}"
            if want.ndim == 2 and arr.shape == want.T.shape and want.shape[0] != want.shape[1]:
                text += " (it looks transposed"
                if close(arr.T, want):
                    text += "; transposed, the values are right"
                text += ")"
            elif arr.size == want.size:
                text += " (same number of entries: a reshape or a keepdims is missing)"
            raise Mismatch(text + (f". {shape_hint}" if shape_hint else ""))
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise Mismatch(
            f"{what} contains {bad} NaN or infinite value(s) where the reference is finite"
        )
    if close(arr, want):
        return
    for explanation, value in mistakes:
        if value is not None and np.shape(value) == want.shape and close(arr, value):
            raise Mismatch(f"{what}: {explanation}")
    known = {-1.0: "has the wrong sign (a sign error: check + and - in the formula)"}
    known[2.0] = "is twice the right value (a factor of 2 too many)"
    known[0.5] = "is half the right value (a factor of 2 missing)"
    known.update(factors or {})
    for c, explanation in known.items():
        if close(arr, c * want) and np.any(np.abs(want) > ATOL):
            raise Mismatch(f"{what} {explanation}")
    ratio = _constant_ratio(arr, want)
    if ratio is not None:
        raise Mismatch(f"{what} is {ratio:.6g} times the right value (a constant factor is wrong)")
    diff = np.abs(arr - want)
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    where = f" at index {tuple(int(i) for i in idx)}" if idx else ""
    raise Mismatch(
        f"{what} has wrong values: the largest difference is {float(diff.max()):.3g}{where} "
        f"(you gave {float(arr[idx]):.6g}, the reference is {float(want[idx]):.6g})"
    )


def _constant_ratio(arr: np.ndarray, want: np.ndarray) -> float | None:
    mask = np.abs(want) > 1e-6
    if mask.sum() < 2:
        return None
    r = arr[mask] / want[mask]
    c = float(np.median(r))
    if c != 0 and close(arr, c * want):
        return c
    return None


def run_cases(name: str, cases, check_one) -> CheckResult:
    """Run ``check_one(case)`` for each random case; stop at the first mismatch.

    ``check_one`` raises `Mismatch`; any other exception from the learner's code
    is reported with its type, message and the line of their code that raised it.
    """
    n = 0
    for case in cases:
        n += 1
        try:
            check_one(case)
        except Mismatch as exc:
            where = case.get("description", "") if isinstance(case, dict) else ""
            text = str(exc) + (f" [case {n}: {where}]" if where else f" [case {n}]")
            return CheckResult(name, False, text, n)
        except Exception as exc:  # the learner's code raised: say where
            frames = traceback.extract_tb(exc.__traceback__)
            own = [f for f in frames if not f.filename.startswith(_PACKAGE_DIR)]
            line = f" (line {own[-1].lineno}: `{(own[-1].line or '').strip()}`)" if own else ""
            where = case.get("description", "") if isinstance(case, dict) else ""
            return CheckResult(
                name,
                False,
                f"your function raised {type(exc).__name__}: {exc}{line} [case {n}: {where}]",
                n,
            )
    return CheckResult(name, True, f"matches leannet's reference on {n} random cases", n)
