"""The comparison machinery and the result object."""

from html.parser import HTMLParser

import numpy as np
import pytest

from leannet.exercises._diagnose import CheckResult, Mismatch, compare, run_cases


def _message(got, want, **kw):
    with pytest.raises(Mismatch) as info:
        compare(got, want, "x", **kw)
    return str(info.value)


def test_compare_accepts_equal_and_explains_differences():
    want = np.arange(1.0, 7.0).reshape(2, 3)
    compare(want.copy(), want, "x")
    assert "sign error" in _message(-want, want)
    assert "times the right value" in _message(3.5 * want, want)
    assert "transposed" in _message(want.T, want)
    assert "NaN" in _message(np.full_like(want, np.nan), want)
    assert "largest difference is 5" in _message(want + np.eye(2, 3) * 5, want)
    assert "m times" in _message(7 * want, want, factors={7.0: "is m times too large"})
    assert "my mistake" in _message(want + 1, want, mistakes=[("my mistake", want + 1)])
    compare(want[0].reshape(1, 3), want[0].reshape(3), "b", loose_shape=True)


def test_learner_exception_names_their_line():
    def broken(case):
        raise ZeroDivisionError("division by zero")

    result = run_cases("demo", [{"description": "first"}], broken)
    assert not result.passed
    assert "ZeroDivisionError" in result.message and "raise ZeroDivisionError" in result.message


def test_result_repr_html_and_raise():
    ok, bad = CheckResult("a", True, "fine", 2), CheckResult("b", False, "wrong <shape>", 1)
    assert bool(ok) and not bool(bad)
    assert str(bad).startswith("[FAIL] b:")

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text = ""

        def handle_data(self, data):
            self.text += data

    parser = Text()
    parser.feed(bad._repr_html_())
    assert "wrong <shape>" in parser.text  # escaped in HTML, intact as text
    ok.raise_if_failed()
    with pytest.raises(AssertionError, match="wrong <shape>"):
        bad.raise_if_failed()
