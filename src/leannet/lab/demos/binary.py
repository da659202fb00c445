"""``leannet demo binary``: the course task of seed 004, with its experiments run.

The task: a binary classifier on one feature with one hidden layer of four
nodes, trained by back-propagation (plain gradient descent); then experiment
with learning rates and numbers of iterations, hidden-layer sizes and
activation functions, and comment. The data (``binary1d``) is class 1 when
``|x| < 1``: not linearly separable, so the hidden layer is needed.
Every experiment is run and tabulated; the comments are computed from the table.
"""

from __future__ import annotations

import numpy as np

from ...datasets import make_binary1d
from ..config import TrainConfig
from ..run_record import RunRecord
from ..training import fit_config, split_data
from ._base import DemoContext, DemoResult

NAME = "binary"
TITLE = "leannet demo binary"
SUMMARY = (
    "1-4-1 binary classifier of the course task (seed 004): lr, iterations, sizes, activations"
)


def _cfg(**kw) -> TrainConfig:
    base = dict(
        hidden=[4],
        activation="sigmoid",
        loss="binary_cross_entropy",
        optimizer="sgd",
        lr=0.5,
        epochs=2000,
        batch_size=0,
        val_split=0.2,
        test_split=0.2,
        seed=0,
    )
    base.update(kw)
    return TrainConfig(**base).validate()


def run(ctx: DemoContext) -> DemoResult:
    ds = make_binary1d(seed=0)
    q = ctx.quick
    lrs = [0.05, 0.5] if q else [0.01, 0.1, 0.5, 2.0]
    iters = [50, 200] if q else [100, 1000, 5000]
    sizes = [1, 4] if q else [1, 2, 4, 8, 16]
    acts = ["sigmoid", "relu"] if q else ["sigmoid", "tanh", "relu", "leaky_relu"]
    splits = split_data(ds, _cfg())

    def trial(**kw):
        cfg = _cfg(**kw)
        net, hist, loss = fit_config(ds, cfg, splits)
        tr = net.evaluate(splits.X_train, splits.y_train[:, None].astype(net.dtype), loss=loss)
        va = net.evaluate(splits.X_val, splits.y_val[:, None].astype(net.dtype), loss=loss)
        return cfg, net, hist, tr, va  # settings are chosen on validation, never on test

    with ctx.steps(len(lrs) * len(iters) + len(sizes) + len(acts), "binary") as step:
        grid_rows, best, grid, val_grid = [], None, {}, {}
        for lr in lrs:
            row = [f"lr {lr:g}"]
            for it in iters:
                cfg, net, hist, tr, va = trial(lr=lr, epochs=it)
                row.append(f"{100 * tr['accuracy']:.1f} / {100 * va['accuracy']:.1f}")
                step(
                    f"  lr {lr:g}, {it} iterations: train {tr['accuracy']:.3f}, "
                    f"validation {va['accuracy']:.3f}"
                )
                grid[(lr, it)] = tr["accuracy"]
                val_grid[(lr, it)] = va["accuracy"]
                key = (va["accuracy"], tr["accuracy"], -it)
                if best is None or key > best[0]:
                    best = (key, lr, it)
            grid_rows.append(row)
        _, best_lr, best_it = best
        size_rows, size_acc = [], {}
        for h in sizes:
            cfg, net, hist, tr, va = trial(lr=best_lr, epochs=best_it, hidden=[h])
            size_acc[h] = va["accuracy"]
            size_rows.append(
                [
                    str(h),
                    f"{100 * tr['accuracy']:.1f}",
                    f"{100 * va['accuracy']:.1f}",
                    f"{tr['data_loss']:.3f}",
                ]
            )
            step(f"  {h} hidden units: validation {va['accuracy']:.3f}")
        act_rows, act_acc, keep = [], {}, None
        for a in acts:
            cfg, net, hist, tr, va = trial(lr=best_lr, epochs=best_it, activation=a)
            act_acc[a] = va["accuracy"]
            act_rows.append(
                [
                    a,
                    f"{100 * tr['accuracy']:.1f}",
                    f"{100 * va['accuracy']:.1f}",
                    f"{tr['data_loss']:.3f}",
                ]
            )
            step(f"  activation {a}: validation {va['accuracy']:.3f}")
            if a == "sigmoid":
                keep = (cfg, net, hist)

    best_size = max(size_acc, key=lambda h: (size_acc[h], -h))
    best_act = max(act_acc, key=act_acc.get)
    majority = max(np.mean(splits.y_train), 1 - np.mean(splits.y_train))
    stuck = [f"lr {lr:g} with {it}" for (lr, it), acc in grid.items() if abs(acc - majority) < 1e-9]
    escaped = [k for k in grid if abs(grid[k] - majority) >= 1e-9]
    # "a small rate needs more iterations" only when a larger rate or more iterations escaped
    slow = any(
        e[0] >= lr and e[1] >= it and e != (lr, it)
        for lr, it in grid
        if abs(grid[(lr, it)] - majority) < 1e-9
        for e in escaped
    )
    tied = len(set(val_grid.values())) == 1
    conclusions = [
        "Learning rate and iterations: "
        + (
            f"every setting reached the same validation accuracy "
            f"({100 * val_grid[(best_lr, best_it)]:.1f}%); lr {best_lr:g} with {best_it} "
            "iterations is kept (ties go to the higher training accuracy, then fewer iterations). "
            if tied
            else f"the best validation accuracy came from lr {best_lr:g} with "
            f"{best_it} iterations. "
        )
        + (
            f"Stuck at the majority-class share of the training set ({100 * majority:.1f}%, "
            f"i.e. one class predicted for every input): {', '.join(stuck)} iterations"
            + (
                "; a larger rate or more iterations left that plateau."
                if slow
                else "; none of the settings tried left that plateau."
            )
            if stuck
            else "No setting stayed at the majority-class plateau."
        ),
        f"Hidden units: validation accuracy {', '.join(f'{h}: {100 * a:.1f}%' for h, a in size_acc.items())}"
        f". Fewest units reaching the best: {best_size}"
        + (
            " (one unit cannot carve out |x| < 1, which needs two thresholds)."
            if 1 in size_acc and size_acc[1] < max(size_acc.values())
            else "."
        ),
        f"Activations (validation accuracy): "
        f"{', '.join(f'{a}: {100 * v:.1f}%' for a, v in act_acc.items())}; best: {best_act}.",
    ]
    sections = [
        {
            "heading": "Experiments",
            "paragraphs": [
                f"Data: {ds.n_samples} points, one feature, class 1 when |x| < 1 (noisy), "
                f"{len(splits.X_train)} for training, {len(splits.X_val)} for validation and "
                f"{len(splits.X_test)} for testing. Every setting is chosen on the validation "
                "accuracy; the test rows are used once, for the saved model. Network 1-H-1, "
                "sigmoid output, binary cross-entropy, full-batch gradient descent (one iteration = one "
                "epoch).",
                f"Sizes and activations are compared at the best learning rate/iterations ({best_lr:g}, "
                f"{best_it}).",
            ],
            "tables": [
                {
                    "title": "Accuracy % train / validation by learning rate and iterations",
                    "columns": ["learning rate", *[f"{it} it." for it in iters]],
                    "rows": grid_rows,
                },
                {
                    "title": "Hidden-layer size",
                    "columns": ["hidden units", "train acc %", "validation acc %", "train loss"],
                    "rows": size_rows,
                },
                {
                    "title": "Activation function (4 hidden units)",
                    "columns": ["activation", "train acc %", "validation acc %", "train loss"],
                    "rows": act_rows,
                },
            ],
        }
    ]
    cfg, net, hist = keep
    config = {"data": "binary1d", **cfg.to_dict(), "loss": "binary_cross_entropy"}
    loss = "binary_cross_entropy"
    description = (
        "The one-feature binary classifier of the course task "
        "(seed 004). The saved model is the 1-4-1 sigmoid network at the best "
        "learning rate and iteration count."
    )
    record = RunRecord(net, ds, splits, loss, config, hist, title=TITLE, description=description)
    return ctx.finish(
        record,
        sections,
        conclusions,
        (
            "Learning rate x iterations: accuracy % train / validation",
            ["learning rate", *[f"{it} it." for it in iters]],
            grid_rows,
        ),
    )
