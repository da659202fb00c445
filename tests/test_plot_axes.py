"""Readable axes: whole-number colour bars for counts, log scale only across decades."""

from __future__ import annotations

import numpy as np
import pytest

from leannet import plots as P

pytest.importorskip("matplotlib")


def test_confusion_colour_bar_counts_in_whole_numbers():
    fig = P.plot_confusion_matrix(
        np.array([0, 0, 1, 1, 1]), np.array([0, 1, 1, 1, 1]), None, class_names=["a", "b"]
    )
    labels = [t.get_text() for t in fig.axes[-1].get_yticklabels() if t.get_text()]
    assert labels and all(label.lstrip("−-").isdigit() for label in labels)


@pytest.mark.parametrize(
    ("loss", "scale"), [([1.0, 0.8, 0.6], "linear"), ([10.0, 1.0, 0.5], "log")]
)
def test_log_loss_axis_only_across_decades(loss, scale):
    fig = P.plot_training_curves({"loss": loss, "lr": [0.1] * 3}, None)
    assert fig.axes[0].get_yscale() == scale
