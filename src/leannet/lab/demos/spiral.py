"""``leannet demo spiral``: book-style spiral data, L2 on the hidden layer (seed 001).

As in the book-style seed: a dense hidden layer with an L2 penalty on its
weights and biases (5e-4 each), none on the output layer, Adam with a decaying
learning rate ``lr_t = 0.02 / (1 + 5e-7·t)``, and a separately generated
validation set. The three-class problem is trained without and with the
penalty, and the binary (two spirals, sigmoid output) variant with it.
"""

from __future__ import annotations

from ...builder import build_mlp
from ...datasets import make_spiral
from ..config import TrainConfig
from ..modeling import make_optimizer
from ..run_record import RunRecord
from ..training import check_interrupted, fit_targets, split_data, weight_stats
from ._base import DemoContext, DemoResult

NAME = "spiral"
TITLE = "leannet demo spiral"
SUMMARY = "spiral data, L2 on the hidden layer, Adam with decay, validation set (seed 001)"

L2 = 5e-4


def _net(cfg: TrainConfig, n_out: int, loss: str):
    """The book's network: He-normal hidden layer, L2 on its weights and biases only."""
    return build_mlp(
        2,
        cfg.hidden,
        n_out,
        loss=loss,
        activation=cfg.activation,
        init="he_normal",
        l2=cfg.l2,
        bias_l2=cfg.bias_l2,
        penalized_layers=[0],
        seed=cfg.seed,
    )


def run(ctx: DemoContext) -> DemoResult:
    per_class = 60 if ctx.quick else 300
    epochs = 150 if ctx.quick else 1500
    hidden = 64
    settings = [
        ("3 classes, no L2", 3, 0.0),
        (f"3 classes, L2 {L2:g}", 3, L2),
        (f"2 classes (binary), L2 {L2:g}", 2, L2),
    ]
    rows, keep = [], None
    for name, k, l2 in settings:
        ds = make_spiral(per_class * k, classes=k, seed=0)
        val = make_spiral(per_class * k, classes=k, seed=1)  # a fresh draw, as in the book
        ds.X_test, ds.y_test = val.X, val.y
        cfg = TrainConfig(
            hidden=[hidden],
            activation="relu",
            optimizer="adam",
            lr=0.02,
            lr_schedule="inverse-time",
            lr_decay=5e-7,
            l2=l2,
            bias_l2=l2,
            batch_size=0,
            epochs=epochs,
            val_split=0.0,
            test_split=0.0,
            standardize=False,
            seed=0,
        ).validate()
        splits = split_data(ds, cfg)
        loss = "binary_cross_entropy" if k == 2 else "categorical_cross_entropy"
        n_out = 1 if k == 2 else k
        net = _net(cfg, n_out, loss)
        opt = make_optimizer(cfg, steps_per_epoch=1)  # Adam, lr 0.02 / (1 + 5e-7·t)
        hist = net.fit(
            splits.X_train,
            fit_targets(splits.y_train, loss, n_out, net.dtype),
            loss=loss,
            optimizer=opt,
            epochs=epochs,
            batch_size=None,
            validation_data=(splits.X_test, fit_targets(splits.y_test, loss, n_out, net.dtype)),
            seed=cfg.seed,
        )
        check_interrupted(hist)
        # the trained weights scored once (the report's final metrics), not the running
        # mean over the last epoch's batches
        tr = net.evaluate(
            splits.X_train, fit_targets(splits.y_train, loss, n_out, net.dtype), loss=loss
        )
        va = net.evaluate(
            splits.X_test, fit_targets(splits.y_test, loss, n_out, net.dtype), loss=loss
        )
        w1 = next(iter(weight_stats(net).values()))["l2_norm"]
        rows.append(
            [
                name,
                f"{100 * tr['accuracy']:.1f}",
                f"{100 * va['accuracy']:.1f}",
                f"{tr['data_loss']:.3f}",
                f"{va['data_loss']:.3f}",
                f"{w1:.2f}",
            ]
        )
        ctx.log(f"  {name}: train acc {tr['accuracy']:.3f}, validation acc {va['accuracy']:.3f}")
        if k == 3 and l2:
            keep = (net, hist, ds, splits, cfg, loss, tr, va)
        if k == 3 and not l2:
            plain = (tr["accuracy"], va["accuracy"], w1)
    columns = [
        "setting",
        "train acc %",
        "validation acc %",
        "train loss",
        "validation loss",
        "||W1||",
    ]
    net, hist, ds, splits, cfg, loss, tr, va = keep
    h = hist.history
    gap_plain = plain[0] - plain[1]
    gap_l2 = tr["accuracy"] - va["accuracy"]
    conclusions = [
        f"Three classes: the gap between training and validation accuracy is "
        f"{100 * gap_plain:.1f} points without L2 and {100 * gap_l2:.1f} with it; the hidden "
        f"layer's weight norm goes from {plain[2]:.2f} to {rows[1][-1]}.",
        f"Validation accuracy {'rose' if va['accuracy'] > plain[1] else 'did not rise'} "
        f"with L2 ({100 * plain[1]:.1f}% -> {100 * va['accuracy']:.1f}%). This is one "
        f"seed and one validation draw of {len(splits.X_test)} points (one point = "
        f"{100 / len(splits.X_test):.2f} points of accuracy), so small differences are noise.",
        f"The learning rate decayed from 0.02 to {h['lr'][-1]:.5f} over {epochs} full-batch "
        "updates (decay 5e-7 is tiny at this number of steps, as in the book).",
    ]
    sections = [
        {
            "heading": "Experiment",
            "paragraphs": [
                f"Spiral data with {per_class} points per class; the validation set is a separate draw of "
                f"the same size. Network 2-{hidden}-k, ReLU, L2 {L2:g} on the hidden layer's weights and "
                "biases only, Adam lr 0.02/(1 + 5e-7 t), full batch, "
                f"{epochs} epochs."
            ],
            "tables": [{"title": "Spiral results", "columns": columns, "rows": rows}],
        }
    ]
    config = {"data": "spiral", **cfg.to_dict(), "loss": loss}
    description = (
        "Book-style spiral data with L2 on the hidden layer. The "
        "saved model is the three-class network with L2; its 'test' split is the "
        "separately drawn validation set."
    )
    record = RunRecord(net, ds, splits, loss, config, hist, title=TITLE, description=description)
    return ctx.finish(record, sections, conclusions, ("Spiral data", columns, rows))
