"""The hyperparameter table lists only settings that applied to the run."""

from __future__ import annotations

from leannet.lab.config import TrainConfig, applicable_settings


def test_inapplicable_settings_are_left_out_and_full_batch_named():
    config = TrainConfig(batch_size=0, optimizer="adam", momentum=0.0).to_dict()
    shown = applicable_settings(config, task="classification", table=False)
    assert shown["batch_size"] == "full batch"
    for hidden in ("target", "momentum", "lr_decay", "lr_every", "bias_l1", "l1_proximal", "max_norm",
                   "features", "drop", "missing", "scale_target", "class_weight"):  # fmt: skip
        assert hidden not in shown, hidden
    assert shown["task"] == "classification (inferred)"


def test_settings_that_applied_are_kept():
    config = TrainConfig(
        optimizer="sgd", momentum=0.9, lr_schedule="step", lr_decay=0.5, l1=1e-3,
        l1_proximal=True, class_weight="balanced", drop=["id"],
    ).to_dict()  # fmt: skip
    shown = applicable_settings(config, task="classification", table=True)
    assert shown["momentum"] == 0.9 and shown["lr_every"] == 100 and shown["lr_decay"] == 0.5
    assert shown["l1_proximal"] is True and shown["class_weight"] == "balanced"
    assert shown["drop"] == ["id"] and "scale_target" not in shown
    assert applicable_settings(config, task="regression", table=True)["scale_target"] is True
    # a built-in regression target is standardised too: the setting applied
    assert applicable_settings(config, task="regression", table=False)["scale_target"] is True
