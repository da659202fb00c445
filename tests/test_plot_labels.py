"""Issue 14 items 13 and 18: plots take any class names and any number of classes."""

from __future__ import annotations

import json

import numpy as np

from leannet.cli import main
from leannet.plots import (
    MAX_MATRIX_CLASSES,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_text,
)

NASTY = ["$\\undefinedmacro$", "\ud800lone surrogate", "_hidden", "tab\there"]


def test_nasty_labels_render(tmp_path):
    rng = np.random.default_rng(0)
    y = np.arange(40) % 4
    path = plot_confusion_matrix(y, rng.permutation(y), tmp_path / "c.png", class_names=NASTY)
    assert (tmp_path / path).read_bytes().startswith(b"\x89PNG")
    X = rng.normal(size=(40, 2))
    fig = plot_decision_boundary(
        lambda G: (G[:, 0] > 0).astype(int) + 2 * (G[:, 1] > 0), X, y, None, class_names=NASTY
    )
    fig.canvas.draw()  # mathtext parses here: an unescaped $\undefinedmacro$ raises
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(texts) == 4 and texts[0] == "\\$\\undefinedmacro\\$"


def test_plot_text():
    assert plot_text("$x$") == "\\$x\\$"
    assert plot_text("_a").endswith("_a") and not plot_text("_a").startswith("_")
    assert plot_text("\ud800").encode("utf-8")
    assert len(plot_text("x" * 500)) == 40


def test_ten_thousand_classes_show_the_most_frequent_and_other():
    rng = np.random.default_rng(0)
    k = 10_000
    y_true = rng.integers(0, k, size=20_000)
    y_true[:500] = 7  # the most frequent class
    y_pred = rng.integers(0, k, size=20_000)
    fig = plot_confusion_matrix(y_true, y_pred, None, class_names=[f"c{i}" for i in range(k)])
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == MAX_MATRIX_CLASSES
    assert labels[0] == "c7" and labels[-1] == f"other {k - MAX_MATRIX_CLASSES + 1}"
    assert f"{MAX_MATRIX_CLASSES - 1} most frequent of {k} classes" in ax.get_title()
    shown = ax.get_images()[0].get_array()
    assert shown.shape == (MAX_MATRIX_CLASSES, MAX_MATRIX_CLASSES)
    assert shown.sum() == len(y_true)  # every row counted once


def test_train_with_nasty_class_names_finishes_with_report(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2))
    y = (X[:, 0] > 0).astype(int) + 2 * (X[:, 1] > 0)
    data = tmp_path / "d.npz"
    np.savez(data, X=X, y=y, class_names=np.array(NASTY))
    run = tmp_path / "run"
    args = ["train", "--data", str(data), "--epochs", "3", "--out", str(run)]
    assert main([*args, "--quiet", "--no-pdf"]) == 0
    figures = [f["file"] for f in json.loads((run / "run.json").read_text())["figures"]]
    assert "confusion.png" in figures and "boundary.png" in figures
    assert (run / "report.html").exists()
