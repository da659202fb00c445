"""``leannet demo xor``: the 2-4-1 network of seed 000, with L1 and L2, learns XOR.

Seed 000 trains a 2-4-1 sigmoid network on the four XOR points with both an L1
and an L2 penalty (``l1·Σ|w| + l2·Σw²``). This demo trains the same network
(binary cross-entropy on the sigmoid output, Adam) in rounds of epochs until all
four points are classified correctly, then draws the decision boundary.
"""

from __future__ import annotations

import numpy as np

from ...datasets import make_xor
from ..config import TrainConfig
from ..run_record import RunRecord
from ..training import (
    build_network,
    check_interrupted,
    fit_targets,
    make_optimizer,
    split_data,
    weight_stats,
)
from ._base import DemoContext, DemoResult

NAME = "xor"
TITLE = "leannet demo xor"
SUMMARY = "2-4-1 sigmoid network with L1 and L2 trained until it solves XOR (seed 000)"

L1 = 1e-3
L2 = 1e-3


def run(ctx: DemoContext) -> DemoResult:
    ds = make_xor()
    cfg = TrainConfig(
        hidden=[4],
        activation="sigmoid",
        loss="binary_cross_entropy",
        init="glorot_uniform",
        optimizer="adam",
        lr=0.05,
        l1=L1,
        l2=L2,
        batch_size=0,
        epochs=100,
        val_split=0.0,
        test_split=0.0,
        standardize=False,
        seed=0,
    ).validate()
    splits = split_data(ds, cfg)
    net = build_network(cfg, 2, 1, "binary_cross_entropy")
    opt = make_optimizer(cfg, 1)
    y = fit_targets(splits.y_train, "binary_cross_entropy", 1, net.dtype)
    max_rounds = 5 if ctx.quick else 50
    merged: dict[str, list] = {}
    solved_at = None
    for round_ in range(max_rounds):
        hist = net.fit(
            splits.X_train,
            y,
            loss="binary_cross_entropy",
            optimizer=opt,
            epochs=cfg.epochs,
            batch_size=None,
            seed=cfg.seed + round_,
        )
        check_interrupted(hist)
        for k, v in hist.history.items():
            merged.setdefault(k, []).extend(v)
        out = net.predict(ds.X)[:, 0]
        correct = int(np.sum((out > 0.5) == (ds.y == 1)))
        ctx.log(
            f"  epoch {(round_ + 1) * cfg.epochs}: loss {merged['loss'][-1]:.4f}, "
            f"{correct}/4 correct"
        )
        if correct == 4:
            solved_at = (round_ + 1) * cfg.epochs
            break
    epochs_run = len(merged["loss"])
    out = net.predict(ds.X)[:, 0]
    # the trained weights scored once: the same numbers as the report's final metrics
    final = net.evaluate(splits.X_train, y, loss="binary_cross_entropy")
    rows = [
        [f"({int(a)}, {int(b)})", str(t), f"{p:.3f}", str(int(p > 0.5))]
        for (a, b), t, p in zip(ds.X, ds.y, out, strict=True)
    ]
    columns = ["input", "target", "output", "predicted"]
    conclusions = [
        f"Solved XOR after {solved_at} epochs (all four points on the right side of 0.5)."
        if solved_at
        else f"Not solved within {epochs_run} epochs ({int(np.sum((out > 0.5) == (ds.y == 1)))}/4 "
        "correct); run without --quick, or lower the penalties.",
        f"Final loss {final['loss']:.4f} = data loss {final['data_loss']:.4f} + "
        f"penalty {final['reg_loss']:.4f} (L1 {L1:g}, L2 {L2:g} on the weights).",
        f"The least confident point has output {out[np.argmin(np.abs(out - 0.5))]:.3f}; weight "
        "norms "
        + ", ".join(f"{k} {v['l2_norm']:.2f}" for k, v in weight_stats(net).items())
        + f"; the penalty on them is {100 * final['reg_loss'] / final['loss']:.0f}% "
        "of the final loss.",
    ]

    config = {"data": "xor", **cfg.to_dict(), "epochs": epochs_run, "loss": "binary_cross_entropy"}
    sections = [
        {
            "heading": "Experiment",
            "paragraphs": [
                "Network 2-4-1 with sigmoid units (seed 000), binary cross-entropy, Adam (lr 0.05), "
                f"full batch, L1 = {L1:g} and L2 = {L2:g} on the weights; trained in rounds of "
                f"{cfg.epochs} epochs until all four XOR points are classified correctly."
            ],
            "tables": [{"title": "The four XOR points", "columns": columns, "rows": rows}],
        }
    ]
    loss = "binary_cross_entropy"
    description = "XOR with a 2-4-1 network and L1 + L2 (seed 000)."
    # merged: the history of the rounds joined, epochs 1..epochs_run
    record = RunRecord(net, ds, splits, loss, config, merged, title=TITLE, description=description)
    record.extra_metrics = {"solved_at_epoch": solved_at}
    return ctx.finish(record, sections, conclusions, ("XOR after training", columns, rows))
