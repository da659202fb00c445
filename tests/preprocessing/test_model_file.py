"""The preprocessing block inside model.npz: round trip, same predictions as a scikit-learn
pipeline with the same weights, and hostile blocks refused like any other bad field."""

from __future__ import annotations

import copy
import json
import zipfile

import numpy as np
import pytest

import leannet as ln
from leannet.errors import ConfigError, ModelFileError
from leannet.preprocessing import Preprocessor, read_csv_table
from leannet.serialization import META_KEY, load_with_preprocessing, save

from .tables import sklearn_pipeline

pd = pytest.importorskip("pandas")


@pytest.fixture
def saved(tmp_path, messy_csv):
    train, new = messy_csv
    pre = Preprocessor("target")
    prepared = pre.fit_transform(read_csv_table(train))
    net = ln.build_mlp(prepared.X.shape[1], [8], 2, loss="categorical_cross_entropy", seed=3)
    path = save(net, tmp_path / "model.npz", preprocessing=pre.to_state())
    return path, net, pre, train, new


def test_round_trip_keeps_the_state_and_the_predictions(saved):
    path, net, pre, _, new = saved
    loaded, state = load_with_preprocessing(path)
    assert state == pre.to_state()
    again = Preprocessor.from_state(state)
    X_new = again.transform(read_csv_table(new)).X
    np.testing.assert_array_equal(X_new, pre.transform(read_csv_table(new)).X)
    np.testing.assert_array_equal(loaded.predict(X_new), net.predict(X_new))
    assert ln.load(path).get_config() == net.get_config()


def test_predictions_equal_a_scikit_learn_pipeline_with_the_same_weights(saved):
    path, net, _, train, new = saved
    loaded, state = load_with_preprocessing(path)
    ours = loaded.predict(Preprocessor.from_state(state).transform(read_csv_table(new)).X)
    pipe = sklearn_pipeline(["bill_length_mm", "body_mass_g"], ["island", "sex"], ["observed"])
    pipe.fit(pd.read_csv(train, na_values=["?"]))
    theirs = net.predict(pipe.transform(pd.read_csv(new, na_values=["?"])))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def _rewrite_meta(path, change):
    """Copy of a model file whose JSON description went through ``change``."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    with np.load(path) as data:
        meta = json.loads(str(data[META_KEY][()]))
        arrays = {k: data[k] for k in data.files if k != META_KEY}
    change(meta)
    out = path.with_name("forged.npz")
    np.savez(out, **arrays, **{META_KEY: np.array(json.dumps(meta))})
    assert members  # the original was a real archive
    return out


HOSTILE = {
    "not an object": lambda p: "rm -rf /",
    "unknown field": lambda p: p.update(code="__import__('os')"),
    "scale zero": lambda p: p["scale"].__setitem__(0, 0.0),
    "fill NaN": lambda p: p["numeric_fill"].__setitem__(0, float("nan")),
    "wrong length": lambda p: p["mean"].pop(),
    "unsorted categories": lambda p: p["categories"][0].reverse(),
    "fill not a category": lambda p: p["text_fill"].__setitem__(0, "Atlantis"),
    "kind": lambda p: p["inputs"][0].__setitem__("kind", "pickle"),
    "huge name": lambda p: p["inputs"][0].__setitem__("name", "x" * 5000),
    "width": lambda p: (p["categories"][0].append("Zzz"), p["output_names"].append("island_Zzz")),
    "version": lambda p: p.__setitem__("version", 99),
    "target task": lambda p: p["target"].__setitem__("task", "clustering"),
}


@pytest.mark.parametrize("problem", sorted(HOSTILE))
def test_hostile_preprocessing_block_refused(saved, problem):
    path = saved[0]

    def change(meta):
        block = meta["preprocessing"]
        result = HOSTILE[problem](block)
        if isinstance(result, str):
            meta["preprocessing"] = result

    forged = _rewrite_meta(path, change)
    with pytest.raises(ModelFileError, match="preprocessing"):
        load_with_preprocessing(forged)
    with pytest.raises(ModelFileError, match="preprocessing"):
        ln.load(forged)


def test_save_refuses_a_block_that_does_not_fit_the_network(saved, tmp_path):
    _, _, pre, _, _ = saved
    small = ln.build_mlp(3, [4], 2, loss="categorical_cross_entropy", seed=0)
    with pytest.raises(ConfigError, match="features but the network takes 3"):
        save(small, tmp_path / "bad.npz", preprocessing=copy.deepcopy(pre.to_state()))
    assert not (tmp_path / "bad.npz").exists()
