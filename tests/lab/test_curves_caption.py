"""The training-curves caption names the panels drawn and says which curves carry loss weights."""

from __future__ import annotations

from leannet.lab.run_record import _curves_caption
from leannet.plots import training_curve_panels


def test_caption_names_only_the_panels_drawn():
    plain = {"loss": [1.0, 0.5], "reg_loss": [0.0, 0.0], "accuracy": [0.5, 0.6], "lr": [1, 1]}
    assert [k for k, _ in training_curve_panels(plain)] == ["loss", "accuracy", "lr"]
    assert _curves_caption(plain, {}) == "Training curves: loss, accuracy, learning rate"
    penalised = {"loss": [1.0], "reg_loss": [0.1], "r2": [0.3]}
    assert _curves_caption(penalised, {}) == "Training curves: loss, data loss vs penalty, R²"


def test_weighted_runs_say_which_curves_are_weighted():
    hist = {"loss": [1.0], "accuracy": [0.5]}
    caption = _curves_caption(hist, {"class_weight": "balanced", "sample_weight": None})
    assert caption.endswith(
        ". The training curves are weighted by class_weight (the loss the network "
        "minimises); the validation curves and the tables are not"
    )


def test_weighted_training_curve_differs_from_the_unweighted_table(tmp_path):
    """What the caption claims: the curve's last training accuracy is the weighted one,
    the table's the plain share of correct rows (so they differ on imbalanced data)."""
    import csv
    import json

    from leannet.cli import main

    path = tmp_path / "d.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["x", "y"])
        for i in range(200):
            w.writerow([i % 10, "rare" if i % 10 == 0 else "common"])
    out = tmp_path / "run"
    assert main(["train", "--data", str(path), "--target", "y", "--class-weight", "balanced",
                 "--epochs", "5", "--out", str(out), "-q", "--no-pdf"]) == 0  # fmt: skip
    run = json.loads((out / "run.json").read_text())
    caption = next(f["caption"] for f in run["figures"] if f.get("kind") == "curves")
    assert "weighted by class_weight" in caption
    last = list(csv.DictReader(open(out / "history.csv")))[-1]
    table = json.loads((out / "metrics.json").read_text())["metrics"]["train"]
    assert abs(float(last["accuracy"]) - table["accuracy"]) > 1e-3
