"""leannet sweep reads a train run's config.toml and takes train's option names."""

from __future__ import annotations

from leannet.cli import build_parser
from leannet.cli._sweep_inputs import _params
from leannet.lab.config import TrainConfig, to_toml


def _args(*extra):
    return build_parser().parse_args(["sweep", "--data", "iris", "--grid", "l2=0", *extra])


def test_train_config_file_is_accepted_and_flags_override_it(tmp_path):
    cfg = TrainConfig(hidden=[32, 16], lr=0.01, epochs=50, dropout=0.1, early_stopping=7,
                      batch_size=0, seed=3, target="species")  # fmt: skip
    path = tmp_path / "config.toml"
    path.write_text(to_toml({"data": "iris.csv", **cfg.to_dict()}))
    args = _args("--config", str(path), "--lr", "0.02")
    params = _params(args)
    assert params["hidden_layer_sizes"] == (32, 16) and params["max_iter"] == 50
    assert params["learning_rate"] == 0.02  # the flag wins over the file
    assert params["dropout"] == 0.1 and params["n_iter_no_change"] == 7
    assert params["batch_size"] == 0  # full batch: leannet sweep gives it the training rows
    assert args.seed == 3 and args.target == "species"


def test_train_option_spellings():
    assert _params(_args("--hidden", "32", "16"))["hidden_layer_sizes"] == (32, 16)
    assert _params(_args("--hidden", "32,16"))["hidden_layer_sizes"] == (32, 16)
    assert _args("--test-split", "0.3").test_size == 0.3
    params = _params(_args("--early-stopping", "5"))
    assert params["early_stopping"] is True and params["n_iter_no_change"] == 5
    assert "hidden_layer_sizes" not in _params(_args())  # the estimator's (TrainConfig's) default


def test_train_names_in_the_grid():
    import pytest

    from leannet.errors import ConfigError
    from leannet.sklearn import LeanClassifier
    from leannet.sweep.grid import validate_grid

    with pytest.raises(ConfigError, match=r"'lr' .*did you mean 'learning_rate'\?"):
        validate_grid({"lr": [0.1]}, LeanClassifier())
    with pytest.raises(ConfigError, match=r"did you mean 'hidden_layer_sizes'\?"):
        validate_grid({"hidden": [(3,)]}, LeanClassifier())
