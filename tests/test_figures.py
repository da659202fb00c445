"""The lab's plots as figures from Python."""

import numpy as np
import pytest

import leannet as ln
from leannet import figures

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2)).astype(np.float32)
    y = (X[:, 0] > X[:, 1]).astype(int)
    net = ln.Sequential([ln.Dense(2, 6), ln.ReLU(), ln.Dense(6, 2), ln.Softmax()], seed=0)
    hist = net.fit(
        X, y, loss="categorical_cross_entropy", epochs=5, validation_data=(X[:20], y[:20])
    )
    return net, hist, X, y


def test_history_plot_returns_a_figure_with_the_curves(fitted):
    from matplotlib.figure import Figure

    net, hist, X, y = fitted
    fig = hist.plot(title="mine")
    assert isinstance(fig, Figure)
    loss_ax = fig.axes[0]
    assert loss_ax.get_title() == "loss (data + penalty)"
    xs, ys = loss_ax.lines[0].get_data()
    assert list(ys) == pytest.approx(hist["loss"])
    assert [line.get_label() for line in loss_ax.lines] == ["train", "validation"]


def test_other_figures(fitted):
    net, hist, X, y = fitted
    assert figures.plot_weights(net).axes[0].get_title().startswith("layers.0.W")
    boundary = figures.plot_decision_boundary(net, X, y, class_names=["a", "b"])
    assert [t.get_text() for t in boundary.axes[0].get_legend().get_texts()] == ["a", "b"]
    cm = figures.plot_confusion_matrix(net, X, y)
    counts = sorted(int(t.get_text()) for t in cm.axes[0].texts)
    assert sum(counts) == len(X)
    pred = figures.predict_classes(net, X)
    assert np.array_equal(pred, net.predict(X).argmax(axis=1))
    reg = ln.Sequential([ln.Dense(1, 4), ln.Tanh(), ln.Dense(4, 1)], seed=0)
    Xr = np.linspace(-1, 1, 30, dtype=np.float32)[:, None]
    reg.fit(Xr, Xr**2, loss="mse", epochs=2)
    assert len(figures.plot_predicted_vs_actual(reg, Xr, Xr**2).axes) == 2
