"""TrainConfig: defaults < TOML file < flags, validation, TOML round trip."""

from __future__ import annotations

import pytest

from leannet.errors import ConfigError
from leannet.lab.config import TrainConfig, load_toml, resolve_config, to_toml


def test_flags_override_file_override_defaults(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("lr = 0.1\nepochs = 7\nhidden = [8, 4]\n[train]\nl2 = 1e-3\n")
    cfg = resolve_config(load_toml(p), {"epochs": 9, "lr": None})
    assert cfg.lr == 0.1 and cfg.epochs == 9 and cfg.hidden == [8, 4] and cfg.l2 == 1e-3
    assert cfg.optimizer == TrainConfig().optimizer


def test_toml_round_trip(tmp_path):
    cfg = resolve_config({}, {"hidden": [3, 2], "l1": 0.5, "l1_proximal": True, "max_norm": 2.0})
    p = tmp_path / "c.toml"
    p.write_text(to_toml({"data": "iris", **cfg.to_dict()}))
    assert resolve_config(load_toml(p)) == cfg  # "data" is written as a comment


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"epochs": -5}, "--epochs must be a whole number >= 1, got -5"),
        ({"lr": 0}, "--lr must be > 0, got 0"),
        ({"dropout": 1.0}, "--dropout must be >= 0 and < 1, got 1.0"),
        ({"activation": "swish"}, "--activation must be one of relu, tanh, sigmoid, leaky_relu"),
        ({"hidden": [0]}, "--hidden must be whole numbers >= 1"),
        ({"val_split": 0.5, "test_split": 0.5}, "--val-split + --test-split must be < 1"),
        ({"early_stopping": 5, "val_split": 0.0}, "--early-stopping needs a validation set"),
        ({"momentum": 0.9, "optimizer": "adam"}, "--momentum applies to --optimizer sgd only"),
    ],
)
def test_invalid_values_name_the_option(values, message):
    with pytest.raises(ConfigError, match=message.replace("+", r"\+")):
        resolve_config({}, values)


def test_unknown_and_invalid_toml(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("learning_rate = 0.1\n")
    with pytest.raises(ConfigError, match="unknown setting 'learning_rate'"):
        load_toml(p)
    p.write_text("lr = = 1\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_toml(p)
    with pytest.raises(ConfigError, match="--config file not found"):
        load_toml(tmp_path / "missing.toml")


def test_full_batch_in_toml(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('batch_size = "full"\nhidden = 12\n')
    cfg = resolve_config(load_toml(p))
    assert cfg.batch_size == 0 and cfg.hidden == [12]
