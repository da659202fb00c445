"""leannet train's flags: one for every TrainConfig setting, with the lab's choices."""

from __future__ import annotations

import dataclasses

from leannet.cli import build_parser, train
from leannet.lab.config import ACTIVATIONS, OPTIMIZERS, TrainConfig


def test_every_setting_has_its_flag_and_flags_override_the_defaults():
    args = build_parser().parse_args(
        ["train", "--data", "iris", "--hidden", "7", "--activation", ACTIVATIONS[1]]
    )
    for f in dataclasses.fields(TrainConfig):
        assert hasattr(args, f.name), f.name
    cfg = train.resolve(args)
    assert cfg.hidden == [7] and cfg.activation == ACTIVATIONS[1]
    assert cfg.optimizer == TrainConfig().optimizer


def test_choices_are_the_lab_tables():
    parser = build_parser()
    for flag, table in (("--activation", ACTIVATIONS), ("--optimizer", OPTIMIZERS)):
        for name in table:
            assert parser.parse_args(["train", "--data", "iris", flag, name])
