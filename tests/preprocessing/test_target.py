"""leannet.preprocessing.target: standardising a regression target and back."""

from __future__ import annotations

import numpy as np

from leannet.preprocessing.target import scale_target_values, target_scaling, unscale_target_values


def test_scaling_is_the_mean_and_standard_deviation_and_round_trips():
    y = np.array([25.0, 100.0, 346.0, 151.0])
    mean, scale = target_scaling(y)
    assert mean == np.mean(y) and np.isclose(scale, np.std(y), rtol=1e-15)
    scaling = {"mean": mean, "scale": scale}
    t = scale_target_values(y, scaling)
    assert np.isclose(t.mean(), 0.0, atol=1e-15) and np.isclose(t.std(), 1.0, rtol=1e-15)
    np.testing.assert_allclose(unscale_target_values(t, scaling), y, rtol=1e-15)


def test_values_near_1e300_do_not_overflow():
    y = np.array([1e300, -1e300, 5e299])
    mean, scale = target_scaling(y)
    assert np.isfinite(mean) and np.isfinite(scale) and scale > 0
    t = scale_target_values(y, {"mean": mean, "scale": scale})
    assert np.all(np.isfinite(t))


def test_a_constant_target_gets_scale_one():
    assert target_scaling(np.full(5, 7.0)) == (7.0, 1.0)


def test_no_scaling_leaves_values_as_they_are():
    y = np.array([1.0, 2.0])
    for scaling in (None, {"mean": None, "scale": None}):
        np.testing.assert_array_equal(scale_target_values(y, scaling), y)
        np.testing.assert_array_equal(unscale_target_values(y, scaling), y)
