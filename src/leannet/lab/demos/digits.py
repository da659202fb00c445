"""``leannet demo digits``: the MNIST-shaped experiment of the assignment (seed 003).

The assignment builds a 784-128-10 network: ReLU hidden layer, softmax output,
L2 regularization and Adam. Without data of your own this runs the same design
on scikit-learn's bundled 8x8 digits (64-128-10); with ``--data DIR`` it trains
784-128-10 on real MNIST IDX files.
"""

from __future__ import annotations

import numpy as np

from ...datasets import load_dataset
from ..config import TrainConfig
from ..run_record import RunRecord
from ..training import fit_config, split_data
from ._base import DemoContext, DemoResult

NAME = "digits"
TITLE = "leannet demo digits"
SUMMARY = "ReLU + softmax + Adam + L2 on handwritten digits (seed 003); --data DIR for MNIST"

L2 = 1e-4


def run(ctx: DemoContext) -> DemoResult:
    mnist = ctx.data is not None
    ds = load_dataset(ctx.data) if mnist else load_dataset("digits")
    if mnist and ctx.quick:  # a subset so that --quick stays quick
        keep = np.random.default_rng(0).permutation(ds.n_samples)[:3000]
        ds.X, ds.y = ds.X[keep], ds.y[keep]
        if ds.X_test is not None:
            ds.X_test, ds.y_test = ds.X_test[:1000], ds.y_test[:1000]
    epochs = (2 if ctx.quick else 5) if mnist else (5 if ctx.quick else 40)
    cfg = TrainConfig(
        hidden=[128],
        activation="relu",
        loss="categorical_cross_entropy",
        optimizer="adam",
        lr=1e-3,
        l2=L2,
        epochs=epochs,
        batch_size=128 if mnist else 32,
        val_split=0.1 if mnist else 0.2,
        test_split=0.2,
        standardize=not mnist,
        seed=0,
    ).validate()
    splits = split_data(ds, cfg)
    ctx.log(
        f"  {ds.name}: {len(splits.X_train)} training images of {ds.n_features} pixels, "
        f"network {ds.n_features}-128-10"
    )
    progress = ctx.progress(epochs, "digits")
    net, hist, loss = fit_config(ds, cfg, splits, callbacks=[progress] if progress else [])
    ev = {name: net.evaluate(X, y, loss=loss) for name, X, y in splits.items()}
    rows = [
        [name, f"{100 * m['accuracy']:.2f}", f"{m['data_loss']:.4f}", f"{m['reg_loss']:.4f}"]
        for name, m in ev.items()
    ]
    columns = ["split", "accuracy %", "data loss", "penalty"]
    h = hist.history
    best_epoch = int(np.argmin(h["val_loss"])) + 1
    conclusions = [
        f"Test accuracy {100 * ev['test']['accuracy']:.2f}% on {len(splits.X_test)} held-out "
        f"images after {epochs} epochs (training {100 * ev['train']['accuracy']:.2f}%).",
        f"Validation loss was lowest at epoch {best_epoch} of {epochs}"
        + (
            "; it rose afterwards, so fewer epochs or early stopping would do as well."
            if best_epoch < epochs and h["val_loss"][-1] > 1.02 * min(h["val_loss"])
            else "."
        ),
        f"The L2 penalty ({L2:g}·Σw²) is {100 * ev['train']['reg_loss'] / ev['train']['loss']:.1f}% "
        "of the final training objective.",
    ]
    sections = [
        {
            "heading": "Experiment",
            "paragraphs": [
                f"{'MNIST IDX files from ' + ctx.data if mnist else 'scikit-learn digits (8x8, bundled)'}: "
                f"{ds.n_features}-128-10 network, ReLU hidden layer (He init), softmax output, "
                f"cross-entropy, Adam lr 1e-3, L2 {L2:g} on the weights, batches of {cfg.batch_size}, "
                f"{epochs} epochs."
            ],
            "tables": [{"title": "Final metrics", "columns": columns, "rows": rows}],
        }
    ]
    config = {"data": ctx.data or "digits", **cfg.to_dict(), "loss": loss}
    description = "The MNIST-shaped experiment of the assignment (seed 003)."
    record = RunRecord(net, ds, splits, loss, config, hist, title=TITLE, description=description)
    return ctx.finish(
        record, sections, conclusions, (f"Digits ({ds.n_features}-128-10)", columns, rows)
    )
