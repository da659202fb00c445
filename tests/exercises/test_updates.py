"""SGD and Adam step checks."""

import numpy as np
import pytest

from leannet import exercises as ex


def test_sgd_correct_returned_or_in_place():
    assert ex.check_sgd_step(lambda w, g, lr: w - lr * g).passed

    def in_place(w, g, lr):
        w -= lr * g

    assert ex.check_sgd_step(in_place).passed


@pytest.mark.parametrize(
    "fn, phrase",
    [
        (lambda w, g, lr: w + lr * g, "moved up the gradient"),
        (lambda w, g, lr: w - g, "learning rate is missing"),
        (lambda w, g, lr: lr * g, "returned the step"),
        (lambda w, g, lr: w - 2 * lr * g, "a factor of 2"),
    ],
)
def test_sgd_mistakes(fn, phrase):
    result = ex.check_sgd_step(fn)
    assert not result.passed and phrase in result.message, result.message


def adam_seed003(w, g, m, v, t, lr=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v_corrected_m = m / (1 - beta1**t)
    v = beta2 * v + (1 - beta2) * (g**2)
    s_corrected = v / (1 - beta2**t)
    w = w - lr * v_corrected_m / (np.sqrt(s_corrected) + epsilon)
    return w, m, v


def _adam(**change):
    def fn(w, g, m, v, t, lr, b1, b2, eps):
        if change.get("t0"):
            t = t - 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (g if change.get("v_of_g") else g * g)
        m_hat = m if change.get("no_m_corr") else m / (1 - b1**t)
        v_hat = v if change.get("no_v_corr") else v / (1 - b2**t)
        step = lr * m_hat / (np.sqrt(v_hat) + eps)
        return (w + step if change.get("sign") else w - step), m, v

    return fn


def test_adam_written_the_seeds_way_passes():
    result = ex.check_adam_step(adam_seed003)
    assert result.passed, result.message


@pytest.mark.parametrize(
    "change, phrase",
    [
        ({"no_m_corr": True, "no_v_corr": True}, "bias correction is missing"),
        ({"no_m_corr": True}, "bias correction of m is missing"),
        ({"no_v_corr": True}, "bias correction of v is missing"),
        ({"sign": True}, "wrong sign"),
        ({"v_of_g": True}, "squared gradient"),
        ({"t0": True}, "t must be 1"),
    ],
)
def test_adam_mistakes(change, phrase):
    with np.errstate(all="ignore"):
        result = ex.check_adam_step(_adam(**change))
    assert not result.passed and phrase in result.message, result.message


def test_adam_must_return_three_arrays():
    result = ex.check_adam_step(lambda w, g, m, v, t, lr, b1, b2, eps: w)
    assert "three arrays" in result.message
