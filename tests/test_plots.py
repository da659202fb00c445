"""The lab's plots: what each figure shows, read back from the matplotlib objects."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from leannet import plots as P  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_save_figure_writes_a_png_and_returns_its_name(tmp_path):
    fig, (ax,) = P.new_figure()
    ax.plot([0, 1], [1, 0])
    assert P.save_figure(fig, tmp_path / "a.png") == "a.png"
    assert (tmp_path / "a.png").read_bytes()[:8] == PNG_MAGIC
    fig2, _ = P.new_figure()
    assert P.save_figure(fig2, None) is fig2  # no path: the figure itself


def test_training_curves_have_one_panel_per_quantity():
    history = {
        "loss": [1.0, 0.5, 0.025],  # spans more than a factor of 10: log axis
        "val_loss": [1.1, 0.7, 0.6],
        "data_loss": [0.9, 0.4, 0.2],
        "reg_loss": [0.1, 0.1, 0.05],
        "accuracy": [0.5, 0.7, 0.9],
        "lr": [0.1, 0.05, 0.025],
    }
    fig = P.plot_training_curves(history, None, val_label="test")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    titles = [ax.get_title() for ax in visible]
    assert titles == ["loss (data + penalty)", "data loss vs penalty", "accuracy", "learning rate"]
    loss_ax = visible[0]
    assert [line.get_label() for line in loss_ax.get_lines()] == ["train", "test"]
    np.testing.assert_allclose(loss_ax.get_lines()[1].get_ydata(), history["val_loss"])
    assert loss_ax.get_yscale() == "log"
    # without a penalty or a metric only the loss panel is drawn
    fig = P.plot_training_curves({"loss": [1.0, 0.0]}, None)
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["loss (data + penalty)"]
    assert fig.axes[0].get_yscale() == "linear"  # a zero loss has no log scale


def test_confusion_matrix_counts_each_pair():
    y_true = np.array([0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2])
    fig = P.plot_confusion_matrix(y_true, y_pred, None, class_names=["a", "b", "c"])
    ax = fig.axes[0]
    cm = ax.get_images()[0].get_array()
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 2, 1], [0, 0, 1]])
    assert [t.get_text() for t in ax.texts] == ["1", "1", "0", "0", "2", "1", "0", "0", "1"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]


def test_predicted_vs_actual_shows_the_fit_over_one_feature():
    X = np.array([[2.0], [0.0], [1.0]])
    y, pred = np.array([4.0, 0.0, 1.0]), np.array([3.5, 0.5, 1.0])
    fig = P.plot_predicted_vs_actual(y, pred, None, X=X)
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "fit over the input"
    # without the model's curve, predictions are points: never joined by straight lines
    assert fig.axes[1].get_lines() == []
    grid = np.linspace(0, 2, 50)
    fig = P.plot_predicted_vs_actual(y, pred, None, X=X, curve=(grid, grid**2))
    line = fig.axes[1].get_lines()[0]  # the model on a dense grid
    np.testing.assert_array_equal(line.get_xdata(), grid)
    np.testing.assert_array_equal(line.get_ydata(), grid**2)
    fig = P.plot_predicted_vs_actual(y, pred, None, X=np.ones((3, 2)))
    assert len(fig.axes) == 1  # several features: only predicted vs actual


def test_weight_histograms_name_each_matrix_and_its_norm():
    w = np.array([[3.0, 4.0]])
    fig = P.plot_weight_histograms([("dense_0.W", w), ("dense_1.W", np.zeros((2, 2)))], None)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["dense_0.W  (||W||=5)", "dense_1.W  (||W||=0)"]


def test_mean_std_bars_draw_the_means():
    fig = P.plot_mean_std_bars(
        ["a", "b"], {"L2": ([0.5, 0.25], [0.1, 0.1]), "none": ([0.75, 1.0], [0.0, 0.2])}, None
    )
    heights = [round(p.get_height(), 6) for p in fig.axes[0].patches]
    assert heights == [0.5, 0.25, 0.75, 1.0]


def test_activations_plot_each_function_and_derivative():
    fig = P.plot_activations({"relu": (lambda x: np.maximum(x, 0), lambda x: x > 0)}, None)
    assert [ax.get_title() for ax in fig.axes] == ["activation f(x)", "derivative f'(x)"]
    line = fig.axes[0].get_lines()[0]
    assert line.get_label() == "relu" and line.get_ydata().min() == 0.0
