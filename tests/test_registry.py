"""_registry.build: names and config dicts to objects, with one clear error each way."""

from __future__ import annotations

import pytest

import leannet as ln
from leannet._registry import build


class Thing:
    def __init__(self, size=1, *, colour="red"):
        self.size, self.colour = size, colour


def lookup(name):
    return {"thing": Thing}.get(name)


def test_name_with_options_and_dict_with_overrides():
    t = build("thing", {"size": 3}, lookup, what="widget", known="thing")
    assert (t.size, t.colour) == (3, "red")
    t = build({"class": "thing", "size": 2, "colour": "blue"}, {"size": 5}, lookup,
              what="widget", known="thing")  # fmt: skip
    assert (t.size, t.colour) == (5, "blue")


def test_unknown_names_and_wrong_settings_are_config_errors():
    with pytest.raises(ln.ConfigError, match="widget='gadget' is not known; use one of thing"):
        build("gadget", {}, lookup, what="widget", known="thing")
    with pytest.raises(ln.ConfigError, match="widget=None is not known"):
        build({"size": 1}, {}, lookup, what="widget", known="thing")
    with pytest.raises(ln.ConfigError, match="invalid settings for widget 'thing'.*weight"):
        build("thing", {"weight": 2}, lookup, what="widget", known="thing")


def test_every_concept_table_goes_through_it():
    assert isinstance(ln.optimizers.get({"class": "sgd", "lr": 0.5}), ln.SGD)
    assert isinstance(ln.schedules.get("cosine", lr0=1.0, steps=10), ln.CosineDecay)
    assert isinstance(ln.regularizers.get({"class": "L2", "l2": 0.1}), ln.L2)
    assert isinstance(ln.layers.activations.get("leaky_relu", alpha=0.2), ln.LeakyReLU)
