"""Grid parsing, validation and the simplicity order."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leannet.errors import ConfigError
from leannet.sklearn import LeanClassifier
from leannet.sweep.grid import (
    normalize_grid,
    parse_grid_arg,
    setting_key,
    settings,
    simplicity,
    strength_param,
    validate_grid,
)


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=6))
def test_parse_list_round_trips(values):
    name, parsed = parse_grid_arg("l2=" + ",".join(repr(v) for v in values))
    assert name == "l2" and parsed == values


def test_parse_log_ranges_and_tuples():
    assert parse_grid_arg("l2=log:1e-4:1e-1:4")[1] == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1])
    assert parse_grid_arg("l1=log0:1e-3:1e-1:3")[1] == pytest.approx([0, 1e-3, 1e-2, 1e-1])
    assert parse_grid_arg("hidden_layer_sizes=(32,);(64, 32)")[1] == [(32,), (64, 32)]
    assert parse_grid_arg("max_norm=none,1,2")[1] == [None, 1, 2]
    assert parse_grid_arg("activation=relu,tanh")[1] == ["relu", "tanh"]


@pytest.mark.parametrize("text", ["l2", "=1,2", "l2=", "l2=log:0:1:3", "l2=log:1e-3:1e-1"])
def test_parse_rejects_malformed_arguments(text):
    with pytest.raises(ConfigError, match="grid"):
        parse_grid_arg(text)


def test_settings_are_the_product_in_given_order():
    grid = normalize_grid({"l2": [0, 1], "dropout": [0.0, 0.5]})
    assert settings(grid) == [
        {"l2": 0, "dropout": 0.0},
        {"l2": 0, "dropout": 0.5},
        {"l2": 1, "dropout": 0.0},
        {"l2": 1, "dropout": 0.5},
    ]
    # The key ignores the order of names and the tuple/list distinction.
    assert setting_key({"a": (1, 2), "b": 1}) == setting_key({"b": 1, "a": [1, 2]})


def test_unknown_parameter_names_the_choices_and_a_suggestion():
    with pytest.raises(ConfigError, match=r"'l3'.*did you mean 'l2'.*choose from: .*weight_decay"):
        validate_grid({"l3": [1.0]}, LeanClassifier())


@pytest.mark.parametrize(
    ("grid", "pattern"),
    [
        ({"l2": [0.0, -1.0]}, "l2"),
        ({"dropout": [0.5, 1.5]}, "dropout"),
        ({"l2": []}, "no values"),
        ({"l2": [1e-3, 1e-3]}, "repeats"),
        ({}, "non-empty"),
        ({"l2": [math.inf]}, "finite"),
        ({"l2": [object()]}, "cannot be written"),
    ],
)
def test_invalid_values_fail_before_any_fit(grid, pattern):
    with pytest.raises(ConfigError, match=pattern):
        validate_grid(grid, LeanClassifier())


def test_simplicity_prefers_stronger_penalties_and_tighter_max_norm():
    names = ["l2"]
    assert simplicity({"l2": 0.1}, names) > simplicity({"l2": 0.0}, names)
    assert simplicity({"max_norm": 1.0}, ["max_norm"]) > simplicity({"max_norm": 3.0}, ["max_norm"])
    assert simplicity({"max_norm": 3.0}, ["max_norm"]) > simplicity(
        {"max_norm": None}, ["max_norm"]
    )
    small, big = {"hidden_layer_sizes": (8,)}, {"hidden_layer_sizes": (64, 8)}
    assert simplicity(small, ["hidden_layer_sizes"]) > simplicity(big, ["hidden_layer_sizes"])


def test_strength_axis_is_the_first_numeric_parameter():
    grid = {"activation": ["relu", "tanh"], "l2": [0, 1e-3]}
    assert strength_param(list(grid), grid) == "l2"
    assert strength_param(["activation"], {"activation": ["relu"]}) is None
