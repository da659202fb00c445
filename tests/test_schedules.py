"""Learning-rate schedules: closed-form values of the update count t (0-based)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import leannet as ln


def _lr_per_step(schedule, steps):
    """lr used at every step, read from History (full batch: one step per epoch)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 2))
    y = rng.normal(size=(6, 1))
    net = ln.Sequential([ln.Dense(2, 1)], seed=0, dtype="float64")
    hist = net.fit(X, y, loss="mse", optimizer=ln.SGD(lr=schedule), epochs=steps, shuffle=False)
    return hist.history["lr"]


def test_inverse_time_decay():
    s = ln.InverseTimeDecay(0.5, 0.1)
    for t in [0, 1, 7, 100]:
        assert s(t) == pytest.approx(0.5 / (1 + 0.1 * t), rel=1e-15)


def test_step_decay():
    s = ln.StepDecay(0.8, 0.5, 10)
    for t, expected in [(0, 0.8), (9, 0.8), (10, 0.4), (19, 0.4), (20, 0.2), (35, 0.1)]:
        assert s(t) == pytest.approx(expected, rel=1e-15), t


def test_exponential_decay_every_step():
    s = ln.ExponentialDecay(0.3, 0.9)
    for t in [0, 1, 5, 50]:
        assert s(t) == pytest.approx(0.3 * 0.9**t, rel=1e-13)


def test_exponential_decay_with_every_at_multiples():
    s = ln.ExponentialDecay(0.3, 0.5, every=4)
    for k in [0, 1, 2, 3]:
        assert s(4 * k) == pytest.approx(0.3 * 0.5**k, rel=1e-13)
    assert s(4) <= s(3) <= s(0)


def test_cosine_decay():
    lr0, steps, min_lr = 0.2, 100, 0.02
    s = ln.CosineDecay(lr0, steps, min_lr=min_lr)
    for t in [0, 13, 50, 99, 100]:
        expected = min_lr + (lr0 - min_lr) * 0.5 * (1 + math.cos(math.pi * t / steps))
        assert s(t) == pytest.approx(expected, rel=1e-13), t
    assert s(50) == pytest.approx((lr0 + min_lr) / 2, rel=1e-13)
    assert s(100) == pytest.approx(min_lr, rel=1e-13)
    assert s(1000) == pytest.approx(min_lr, rel=1e-13)  # stays at the floor
    assert ln.CosineDecay(1.0, 10)(10) == pytest.approx(0.0, abs=1e-15)


def test_optimizer_uses_schedule_of_update_count():
    lrs = _lr_per_step(ln.InverseTimeDecay(0.1, 0.5), 5)
    np.testing.assert_allclose(lrs, [0.1 / (1 + 0.5 * t) for t in range(5)], rtol=1e-15)


def test_step_decay_in_training():
    lrs = _lr_per_step(ln.StepDecay(0.1, 0.1, 2), 6)
    np.testing.assert_allclose(lrs, [0.1, 0.1, 0.01, 0.01, 0.001, 0.001], rtol=1e-13)


def test_constant_lr_in_history():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 2)), rng.normal(size=(6, 1))
    net = ln.Sequential([ln.Dense(2, 1)], seed=0, dtype="float64")
    hist = net.fit(X, y, loss="mse", optimizer=ln.Adam(lr=0.003), epochs=3)
    assert hist.history["lr"] == [0.003] * 3


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: ln.InverseTimeDecay(-0.1, 0.1), "lr0"),
        (lambda: ln.InverseTimeDecay(0.1, -1), "decay"),
        (lambda: ln.StepDecay(0.1, 0.5, 0), "every"),
        (lambda: ln.StepDecay(-1, 0.5, 2), "lr0"),
        (lambda: ln.ExponentialDecay(0.1, -0.5), "rate"),
        (lambda: ln.CosineDecay(0.1, 0), "steps"),
        (lambda: ln.CosineDecay(0.1, 10, min_lr=-1), "min_lr"),
    ],
)
def test_bad_schedule_arguments(make, name):
    with pytest.raises(ln.errors.ConfigError, match=name):
        make()


def test_inverse_scaling_is_scikit_learns_invscaling():
    # scikit-learn: lr0 / (t_samples + 1) ** power_t, updated after each epoch, where
    # t_samples counts the samples seen; here 4 batches of 25 = 100 samples per epoch
    s = ln.InverseScaling(0.1, power_t=0.5, every=4, scale=100)
    for t in range(12):
        assert s(t) == pytest.approx(0.1 / (100 * (t // 4) + 1) ** 0.5, rel=1e-15)
    per_update = ln.InverseScaling(0.1, power_t=0.25)
    assert [per_update(t) for t in range(3)] == pytest.approx([0.1, 0.1 / 2**0.25, 0.1 / 3**0.25])
    back = ln.schedules.get(ln.schedules.to_config(s))
    assert type(back) is ln.InverseScaling and back.get_config() == s.get_config()


def test_schedules_by_name_with_options():
    assert ln.schedules.get("inverse_time", lr0=1.0, decay=1.0)(1) == 0.5
    assert ln.schedules.get("InverseTimeDecay", lr0=1.0, decay=1.0)(1) == 0.5
    assert ln.schedules.get("step", lr0=1.0, factor=0.5, every=2)(4) == 0.25
    with pytest.raises(ln.ConfigError, match="invalid settings"):
        ln.schedules.get("cosine", lr0=1.0)
    with pytest.raises(ln.ConfigError, match="'warmup' is not known"):
        ln.schedules.get("warmup", lr0=1.0)
