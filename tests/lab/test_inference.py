"""Using a model: labels from outputs, metrics per split, a saved run loaded back."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leannet.builder import build_mlp
from leannet.errors import DataError, ModelFileError
from leannet.lab.inference import (
    evaluate_splits,
    load_run_model,
    map_labels,
    predict_labels,
    scale,
)


class _Fixed:
    """A stand-in network that returns given outputs."""

    def __init__(self, out):
        self.out = np.asarray(out, dtype=float)

    def predict(self, X):
        return self.out[: len(X)]


def test_predict_labels_thresholds_bce_takes_argmax_otherwise():
    X = np.zeros((3, 1))
    assert predict_labels(_Fixed([[0.2], [0.5], [0.9]]), X, "binary_cross_entropy").tolist() == [
        0,
        0,
        1,
    ]
    out = [[0.1, 0.7, 0.2], [0.5, 0.4, 0.1], [0.0, 0.0, 1.0]]
    assert predict_labels(_Fixed(out), X, "categorical_cross_entropy").tolist() == [1, 0, 2]
    raw = predict_labels(_Fixed([[1.5], [2.5], [3.5]]), X, "mse", task="regression")
    np.testing.assert_array_equal(raw, [[1.5], [2.5], [3.5]])


def test_map_labels_reindexes_by_label_text_and_names_unknown_labels():
    # the new data knows only b and c (its indices 0, 1); the model knows a, b, c
    y = map_labels(["b", "c"], np.array([1, 0, 1]), ["a", "b", "c"], "new.csv")
    assert y.tolist() == [2, 1, 2]
    with pytest.raises(DataError, match=r"new.csv: labels 'z' were not seen in training"):
        map_labels(["a", "z"], np.array([0, 1]), ["a", "b"], "new.csv")


def test_scale_uses_the_saved_training_statistics():
    X = np.array([[1.0, 10.0], [3.0, 30.0]])
    Z = scale(X, {"mean": [2.0, 20.0], "std": [1.0, 10.0]}, np.float32)
    assert Z.dtype == np.float32
    np.testing.assert_array_equal(Z, [[-1.0, -1.0], [1.0, 1.0]])


def test_evaluate_splits_adds_accuracy_for_mse_on_classes():
    net = build_mlp(2, [4], 2, loss="mse", seed=0)
    X = np.random.default_rng(0).normal(size=(10, 2)).astype(net.dtype)
    y = np.arange(10) % 2
    result = evaluate_splits(
        net, [("train", X, y), ("test", X[:4], y[:4])], "mse", 2, "classification"
    )
    assert list(result) == ["train", "test"]
    assert result["train"]["n"] == 10 and result["test"]["n"] == 4
    expected = float(np.mean(np.argmax(net.predict(X), axis=1) == y))
    assert result["train"]["accuracy"] == pytest.approx(expected)


def test_load_run_model_needs_the_model_and_its_data_json(tmp_path):
    with pytest.raises(ModelFileError, match="model not found"):
        load_run_model(tmp_path / "nothing")
    net = build_mlp(2, [3], 1, loss="mse", seed=0)
    net.save(tmp_path / "model.npz")
    with pytest.raises(ModelFileError, match="data.json is missing"):
        load_run_model(tmp_path)
    (tmp_path / "data.json").write_text("{not json")
    with pytest.raises(DataError, match="data.json: is not valid JSON"):
        load_run_model(tmp_path)
    (tmp_path / "data.json").write_text('{"task": "regression"}')  # validated (issue 14)
    with pytest.raises(DataError, match="data.json: feature_names lists 0 features"):
        load_run_model(tmp_path)
    info = {"task": "regression", "feature_names": ["a", "b"], "loss": "mse"}
    (tmp_path / "data.json").write_text(json.dumps(info))
    loaded, info = load_run_model(tmp_path / "model.npz")
    assert info["task"] == "regression"
    np.testing.assert_array_equal(loaded.params, net.params)
