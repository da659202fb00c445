"""The penalty and loss checks accept correct code and name each typical mistake."""

import numpy as np
import pytest

from leannet import exercises as ex
from leannet.errors import ConfigError


def l2_sum(W, l2):  # seeds 000/001: penalty l2·Σw²
    return 2 * l2 * W


def l2_half(W, l2):  # seeds 002/004: penalty (l2/2)·Σw²
    return l2 * W


def l2_per_m(W, l2, m):  # seed 003: penalty l2/(2m)·Σw²
    return (l2 / m) * W


@pytest.mark.parametrize(
    "fn, convention", [(l2_sum, "sum"), (l2_half, "half"), (l2_per_m, "per_m")]
)
def test_correct_l2_gradients_pass_in_each_convention(fn, convention):
    result = ex.check_l2_gradient(fn, convention=convention)
    assert result.passed, result.message
    assert result.cases == 6


@pytest.mark.parametrize(
    "fn, convention, phrase",
    [
        (lambda W, l2: l2 * W, "sum", "factor of 2 is missing"),
        (lambda W, l2: 2 * l2 * W, "half", "the 2 cancels"),
        (lambda W, l2, m: l2 * W, "per_m", "the 1/m is missing"),
        (lambda W, l2, m: l2 * W / m**2, "per_m", "divided by m twice"),
        (lambda W, l2: -2 * l2 * W, "sum", "sign error"),
        (lambda W, l2: l2 * np.sign(W), "sum", "that is the L1 gradient"),
        (lambda W, l2: float(l2 * np.sum(W**2)), "sum", "single number"),
        (lambda W, l2: (2 * l2 * W).T, "sum", "transposed"),
        (lambda W, l2: None, "sum", "forget `return`"),
    ],
)
def test_l2_mistakes_are_named(fn, convention, phrase):
    result = ex.check_l2_gradient(fn, convention=convention)
    assert not result.passed
    assert phrase in result.message, result.message


def test_l1_gradient_correct_and_mistakes():
    assert ex.check_l1_gradient(lambda W, l1: l1 * np.sign(W)).passed
    assert ex.check_l1_gradient(lambda W, l1, m: l1 * np.sign(W) / m, convention="per_m").passed
    plus_one = ex.check_l1_gradient(lambda W, l1: l1 * np.where(W >= 0, 1.0, -1.0))
    assert not plus_one.passed and "sign(0) = 0" in plus_one.message
    used_abs = ex.check_l1_gradient(lambda W, l1: l1 * np.abs(W))
    assert "|w|" in used_abs.message
    sign_error = ex.check_l1_gradient(lambda W, l1: -l1 * np.sign(W))
    assert "sign error" in sign_error.message
    no_m = ex.check_l1_gradient(lambda W, l1, m: l1 * np.sign(W), convention="per_m")
    assert "1/m is missing" in no_m.message


def _penalty(Ws, l1, l2, half=False):
    return sum(l1 * np.abs(W).sum() + (l2 / 2 if half else l2) * (W**2).sum() for W in Ws)


def seed000_loss(P, Y, Ws, bs, l1, l2):
    return np.mean(np.square(P - Y)) + _penalty(Ws, l1, l2)


def seed001_cce(P, Y, Ws, bs, l1, l2):
    p = np.clip(P, 1e-7, 1 - 1e-7)
    return np.mean(-np.log(np.sum(p * Y, axis=1))) + _penalty(Ws, l1, l2)


def seed003_bce(A2, Y, Ws, bs, l1, l2):  # columns layout, L2 only, λ/(2m)
    m = Y.shape[1]
    ce = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
    return ce + (l2 / (2 * m)) * sum(np.sum(np.square(W)) for W in Ws)


def seed004_half_mse(P, Y, Ws, bs, l1, l2):  # (1/2n)Σ||y-a||² + λ1Σ|θ| + λ/2 Σθ²
    return np.sum((P - Y) ** 2) / (2 * len(P)) + _penalty(Ws, l1, l2, half=True)


def test_loss_written_the_seeds_ways_passes():
    assert ex.check_loss(seed000_loss).passed
    assert ex.check_loss(seed001_cce, data="cce").passed
    r = ex.check_loss(seed003_bce, data="bce", convention="per_m", layout="columns", l1=False)
    assert r.passed, r.message
    assert ex.check_loss(seed004_half_mse, data="half_mse", convention="half").passed


@pytest.mark.parametrize(
    "fn, phrase",
    [
        (lambda P, Y, Ws, bs, l1, l2: seed000_loss(P, Y, Ws + bs, [], l1, l2), "biases"),
        (lambda P, Y, Ws, bs, l1, l2: np.mean((P - Y) ** 2), "penalty is missing"),
        (lambda P, Y, Ws, bs, l1, l2: np.sum((P - Y) ** 2) + _penalty(Ws, l1, l2), "1/m"),
        (
            lambda P, Y, Ws, bs, l1, l2: np.mean((P - Y) ** 2) + _penalty(Ws, l1, 2 * l2),
            "L2 penalty is twice too large",
        ),
        (lambda P, Y, Ws, bs, l1, l2: np.mean((P - Y) ** 2) + _penalty(Ws, l2, l1), "swapped"),
    ],
)
def test_loss_mistakes_are_named(fn, phrase):
    result = ex.check_loss(fn)
    assert not result.passed
    assert phrase in result.message, result.message


def test_cross_entropy_sign_error_is_named():
    def wrong(P, Y, Ws, bs, l1, l2):
        return -seed001_cce(P, Y, Ws, bs, l1, l2) + 2 * _penalty(Ws, l1, l2)

    assert "wrong sign" in ex.check_loss(wrong, data="cce").message


def test_bad_options_are_refused():
    with pytest.raises(ConfigError, match="convention"):
        ex.check_l2_gradient(l2_sum, convention="keras")
    with pytest.raises(ConfigError, match="data must be"):
        ex.check_loss(seed000_loss, data="huber")
