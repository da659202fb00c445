"""The curve rules on constructed curves of each shape."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.lab.trends import curve_trend

EPOCHS = np.arange(1, 501)


def flattening_at(epoch: int) -> np.ndarray:
    """Falls linearly from 1.0 to 0.2 until ``epoch``, then flat (tiny noise)."""
    v = np.where(EPOCHS < epoch, 1.0 - 0.8 * (EPOCHS - 1) / (epoch - 1), 0.2)
    return v + 1e-4 * np.sin(EPOCHS)


def test_plateau_names_the_epoch_the_curve_flattened():
    trend = curve_trend(flattening_at(108), epoch_cap=500)
    assert trend.kind == "plateaued"
    # within 5 % of the 0.8 decrease: 1 - 0.8 (e-1)/107 <= 0.24  ->  e >= 102.65
    assert trend.epoch in (103, 104)
    assert f"Plateaued since epoch {trend.epoch} of 500" in trend.sentence


def test_still_falling_steeply_at_the_cap_is_under_trained():
    v = 1.0 - 0.0015 * (EPOCHS - 1)  # linear, steep to the last epoch
    trend = curve_trend(v, epoch_cap=500)
    assert trend.kind == "under-trained"
    assert "train longer" in trend.sentence and "cap of 500" in trend.sentence
    assert "no sign of overtraining" not in trend.sentence


def test_still_falling_before_the_cap_is_improving():
    v = np.exp(-EPOCHS[:100] / 200)
    trend = curve_trend(v, epoch_cap=500)
    assert trend.kind == "improving"
    assert trend.sentence.startswith("Still improving at the end")


def test_u_shape_with_falling_training_loss_is_overfitting():
    v = (EPOCHS - 150.0) ** 2 / 150.0**2 * 0.3 + 0.5  # lowest at epoch 150
    train = np.exp(-EPOCHS / 100)
    trend = curve_trend(v, train, epoch_cap=500)
    assert trend.kind == "overfitting" and trend.epoch == 150
    assert "Overfitting since epoch 150" in trend.sentence
    assert f"rose to {v[-1]:.4g} by epoch 500" in trend.sentence


def test_rise_with_rising_training_loss_is_not_called_overfitting():
    v = (EPOCHS - 150.0) ** 2 / 150.0**2 * 0.3 + 0.5
    train = v - 0.1  # training loss rose too: unstable optimisation, not overfitting
    assert curve_trend(v, train).kind != "overfitting"


def test_small_wobble_after_minimum_is_a_plateau_not_overfitting():
    v = flattening_at(50)
    v[-1] += 0.002  # 1 % above the minimum: under both thresholds
    assert curve_trend(v, np.exp(-EPOCHS / 100)).kind == "plateaued"


def test_never_improving_and_too_short():
    assert curve_trend([1.0, 1.1, 1.2, 1.3]).kind == "not improving"
    assert curve_trend([1.0, 0.5]) is None


@pytest.mark.parametrize("split", ["validation", "test"])
def test_sentence_names_the_split(split):
    assert f"the {split} loss" in curve_trend(flattening_at(108), split=split).sentence


def test_report_observation_uses_the_rules_not_a_five_percent_heuristic():
    from leannet.lab.observations import observations

    metrics = {"task": "regression", "metrics": {"train": {}}}
    falling = list(1.0 - 0.0015 * (EPOCHS - 1))
    obs = " ".join(observations(metrics, {"epochs": 500}, {"val_loss": falling}))
    assert "Under-trained at the cap of 500 epochs" in obs
    assert "no sign of overtraining" not in obs
    flat = list(flattening_at(108))
    obs = " ".join(observations(metrics, {"epochs": 500}, {"val_loss": flat}))
    assert "Plateaued since epoch" in obs and "kept improving" not in obs


def test_plateau_epoch_is_where_the_curve_stays_in_the_band():
    """A dip into the band, a spike out of it, a return: 'from then on' starts after the spike."""
    v = np.concatenate([np.linspace(1.0, 0.2, 50), np.full(50, 0.2), [0.5], np.full(99, 0.201)])
    trend = curve_trend(v)
    assert trend.kind == "plateaued" and trend.epoch == 102
    assert trend.sentence.startswith("Plateaued since epoch 102 of 200: from then on the")
    later = v[trend.epoch - 1 :]
    assert np.all(later <= v.min() + 0.05 * (v[0] - v.min()))  # the sentence holds


def test_late_rise_not_called_overfitting_names_the_failed_condition():
    v = np.concatenate([np.linspace(1.0, 0.2, 98), [0.3, 0.35]])  # minimum 2 epochs before the end
    trend = curve_trend(v)
    assert trend.kind == "plateaued" and trend.epoch == 98
    assert "ended at 0.35, 19% of its whole decrease higher" in trend.sentence
    assert trend.sentence.endswith(
        "not called overfitting because the lowest value is within the last 10 epochs."
    )
