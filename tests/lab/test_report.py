"""Reports built from a run directory's files (no training needed)."""

from __future__ import annotations

import numpy as np
import pytest

from leannet import plots as P
from leannet.lab.report import build_document, write_reports
from leannet.lab.runs import atomic_write_json, write_history_csv


@pytest.fixture
def run_dir(tmp_path):
    d = tmp_path / "run"
    d.mkdir()
    hist = {
        "loss": list(np.linspace(1.0, 0.2, 20)),
        "data_loss": list(np.linspace(0.9, 0.15, 20)),
        "reg_loss": [0.05] * 20,
        "accuracy": list(np.linspace(0.5, 0.97, 20)),
        "lr": [0.01] * 20,
        "val_loss": list(np.linspace(1.0, 0.4, 10)) + [0.45] * 10,
        "val_accuracy": list(np.linspace(0.5, 0.8, 20)),
    }
    write_history_csv(d / "history.csv", hist)
    curves = P.plot_training_curves(hist, d / "curves.png")
    weights = P.plot_weight_histograms(
        [("layers.0.W", np.random.default_rng(0).normal(size=(4, 8)))], d / "weights.png"
    )
    atomic_write_json(d / "config.json", {"lr": 0.01, "l1": 0.0, "l2": 1e-3, "hidden": [8]})
    atomic_write_json(
        d / "metrics.json",
        {
            "task": "classification",
            "epochs_run": 20,
            "metrics": {
                "train": {
                    "loss": 0.2,
                    "data_loss": 0.15,
                    "reg_loss": 0.05,
                    "accuracy": 0.97,
                    "n": 100,
                },
                "test": {
                    "loss": 0.5,
                    "data_loss": 0.45,
                    "reg_loss": 0.05,
                    "accuracy": 0.81,
                    "n": 25,
                },
            },
            "architecture": {
                "layers": [
                    {
                        "name": "Dense",
                        "shape": "4 -> 8",
                        "params": 40,
                        "regularization": "W: L2=0.001",
                    },
                    {"name": "ReLU", "shape": "", "params": 0},
                ],
                "n_params": 40,
                "dtype": "float32",
            },
            "weights": {
                "layers.0.W": {
                    "shape": "4x8",
                    "l2_norm": 5.5,
                    "mean_abs": 0.8,
                    "max_abs": 2.5,
                    "n_zero": 0,
                    "size": 32,
                }
            },
        },
    )
    atomic_write_json(
        d / "run.json",
        {
            "title": "A test run & its 100% report_",
            "description": "desc with $ and ±",
            "sections": [
                {
                    "heading": "Experiment",
                    "paragraphs": ["para λ"],
                    "tables": [{"title": "T", "columns": ["a", "b"], "rows": [["x|y", "1.5"]]}],
                }
            ],
            "conclusions": ["A computed conclusion."],
            "figures": [
                {"file": curves, "caption": "curves", "kind": "curves"},
                {"file": weights, "caption": "weights", "kind": "weights"},
            ],
        },
    )
    return d


def test_reports_embed_images_and_hold_the_numbers(run_dir, reports_ok, pdf_ok, tmp_path):
    written = write_reports(run_dir)
    found = reports_ok(run_dir, expect_figures=2)
    assert found["figures"] == ["curves.png", "weights.png"]
    text = found["html_text"]
    for expected in (
        "A test run & its 100% report_",
        "97.0%",
        "81.0%",
        "+16.0 points",
        "A computed conclusion.",
        "4 -> 8",
        "W: L2=0.001",
        "5.5",
    ):
        assert expected in text, expected
    assert "| x\\|y | 1.5 |" in found["md"]
    assert r"A test run \& its 100\% report\_" in found["tex"]
    assert "Overfitting since epoch 10: the validation loss was lowest there (0.4)" in text
    if "pdf" in written:
        assert pdf_ok(run_dir, tmp_path) >= 1
    else:
        pdf_ok(run_dir, tmp_path)  # skips with the reason when no TeX engine is installed


def test_document_skips_missing_figures(run_dir):
    (run_dir / "weights.png").unlink()
    doc = build_document(run_dir)
    files = [f.file for s in doc.sections for f in s.figures]
    assert files == ["curves.png"]
