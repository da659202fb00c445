"""Observations computed from a run's numbers."""

from __future__ import annotations

from leannet.lab.observations import observations


def test_observations_are_computed_from_numbers():
    metrics = {
        "task": "classification",
        "metrics": {
            "train": {"accuracy": 1.0, "loss": 1.0, "data_loss": 0.5, "reg_loss": 0.5},
            "validation": {"accuracy": 0.7},
        },
        "weights": {
            "a.W": {"l2_norm": 3.0, "max_abs": 2.0, "n_zero": 5, "size": 10},
            "b.W": {"l2_norm": 1.0, "max_abs": 0.5, "n_zero": 0, "size": 10},
        },
    }
    obs = observations(
        metrics, {"l1": 0.1, "l1_proximal": True}, {"val_loss": [1.0, 0.5, 0.6, 0.7, 0.8, 0.9]}
    )
    joined = " ".join(obs)
    assert "gap of +30.0 points (large, a sign of overfitting)" in joined
    assert "penalty is 50.0%" in joined
    assert "5 of 20 weights (25.0%) are exactly zero" in joined
    assert "Overfitting since epoch 2: the validation loss was lowest there (0.5)" in joined
    obs2 = observations(
        {**metrics, "weights": {"a.W": {**metrics["weights"]["a.W"], "n_zero": 0}}},
        {"l1": 0.1},
        None,
    )
    assert any("No weight is exactly zero although L1" in o for o in obs2)
    obs3 = observations(
        {**metrics, "weights": {"a.W": {**metrics["weights"]["a.W"], "n_zero": 0}}},
        {"l1": 0.1, "l1_proximal": True},
        None,
    )
    assert any("No weight reached exactly zero with proximal L1" in o for o in obs3)
    assert not any("use the proximal" in o for o in obs3)


def test_regression_gap_says_when_the_mse_is_of_the_standardised_target():
    from leannet.lab.observations import observations

    metrics = {
        "task": "regression",
        "metrics": {"train": {"data_loss": 0.1}, "test": {"data_loss": 0.2}},
    }
    plain = observations(metrics, {})[0]
    assert plain.startswith("Generalization gap: test MSE 0.2 vs training MSE 0.1")
    scaled = observations({**metrics, "data_summary": {"target_scaled": True}}, {})[0]
    assert scaled.startswith("Generalization gap: test MSE (standardised target) 0.2 vs")


def test_a_model_not_beating_its_baseline_is_said():
    from leannet.lab.observations import observations

    def run(acc, class_weight=None):
        scores = {"test": {"accuracy": acc, "balanced_accuracy": 0.83,
                           "baseline": {"rule": "always predict 'no'", "accuracy": 0.89,
                                        "balanced_accuracy": 0.5}}}  # fmt: skip
        metrics = {"task": "classification", "metrics": {"test": {}}, "scores": scores}
        return " ".join(observations(metrics, {"class_weight": class_weight}))

    below = run(0.825, "balanced")
    assert (
        "The test accuracy 82.5% is not above the baseline's 89.0% (always predict 'no'); "
        "balanced accuracy 0.83 vs the baseline's 0.5." in below
    )
    assert "With class weights" in below and "With class weights" not in run(0.825)
    assert "baseline" not in run(0.95)

    reg = {"task": "regression", "metrics": {"test": {}},
           "scores": {"test": {"rmse": 5.0, "baseline": {"rmse": 4.0, "rule": "mean 3"}}}}  # fmt: skip
    assert "The test RMSE 5 is not below the baseline's 4 (mean 3)" in " ".join(
        observations(reg, {})
    )
    reg["scores"]["test"]["rmse"] = 3.9
    assert "baseline" not in " ".join(observations(reg, {}))
