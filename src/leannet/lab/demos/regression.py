"""``leannet demo regression``: the noisy quadratic of the course text (seed 004).

``y = 2x² + N(0, 0.5)`` on 100 points. The course trains a 1-10-1 network
(sigmoid hidden layer, linear output, plain gradient descent, lr 0.01, 1000
iterations) and notes that the fit is poor; it invites the reader to try more
hidden units, other learning rates and activations. This demo runs the course's
settings and a tuned network side by side and reports both honestly.
"""

from __future__ import annotations

import numpy as np

from ...datasets import make_quadratic
from ..config import TrainConfig
from ..run_record import RunRecord
from ..training import fit_config, split_data
from ._base import DemoContext, DemoResult

NAME = "regression"
TITLE = "leannet demo regression"
SUMMARY = "noisy quadratic y = 2x² + N(0, 0.5): the course's 1-10-1 net vs a tuned one (seed 004)"


def run(ctx: DemoContext) -> DemoResult:
    ds = make_quadratic(seed=0)
    epochs = 100 if ctx.quick else 1000
    common = dict(loss="mse", val_split=0.0, test_split=0.2, batch_size=0, epochs=epochs, seed=0)
    settings = [
        (
            "course: 1-10-1 sigmoid, GD lr 0.01",
            TrainConfig(
                hidden=[10], activation="sigmoid", optimizer="sgd", lr=0.01, init="normal", **common
            ),
        ),
        (
            "tuned: 1-16-1 tanh, Adam lr 0.05",
            TrainConfig(hidden=[16], activation="tanh", optimizer="adam", lr=0.05, **common),
        ),
    ]
    rows, fits = [], []
    for name, cfg in settings:
        cfg.validate()
        splits = split_data(ds, cfg)
        net, hist, loss = fit_config(ds, cfg, splits, monitor=(splits.X_test, splits.y_test))
        tr = net.evaluate(splits.X_train, splits.y_train.reshape(-1, 1), loss="mse")
        te = net.evaluate(splits.X_test, splits.y_test.reshape(-1, 1), loss="mse")
        rows.append(
            [
                name,
                f"{tr['data_loss']:.3f}",
                f"{te['data_loss']:.3f}",
                f"{tr['r2']:.3f}",
                f"{te['r2']:.3f}",
            ]
        )
        fits.append((name, cfg, splits, net, hist, te))
        ctx.log(f"  {name}: train MSE {tr['data_loss']:.3f}, test MSE {te['data_loss']:.3f}")
    noise_var = 0.5**2
    (n0, *_, te0), (n1, _cfg1, splits1, *_, te1) = fits
    better = te1["data_loss"] < te0["data_loss"]
    # the true curve scored on the same test points: the benchmark these 20 points allow
    x_test = (splits1.X_test * splits1.std + splits1.mean)[:, 0]
    truth_mse = float(np.mean((2 * x_test**2 - splits1.y_test) ** 2))
    conclusions = [
        f"The course's settings reach test MSE {te0['data_loss']:.3f} (R² {te0['r2']:.3f}); "
        f"the tuned network {te1['data_loss']:.3f} (R² {te1['r2']:.3f}): the tuned one is "
        f"{'better' if better else 'not better'}.",
        f"On the same {len(x_test)} test points the true curve 2x² itself has MSE "
        f"{truth_mse:.3f} (the noise variance is {noise_var:.2f}; over {len(x_test)} points "
        f"the average squared noise varies by chance); the tuned network's test MSE is "
        f"{te1['data_loss'] / truth_mse:.2f}x the true curve's.",
    ]
    columns = ["setting", "train MSE", "test MSE", "train R²", "test R²"]
    from ... import plots as P

    fig, (ax,) = P.new_figure(size=(6.5, 4.5))
    grid = np.linspace(-2, 2, 200)[:, None]
    ax.scatter(ds.X[:, 0], ds.y, s=12, color="tab:blue", alpha=0.6, label="data")
    ax.plot(grid[:, 0], 2 * grid[:, 0] ** 2, "k:", label="2x² (truth)")
    for (name, _cfg, splits, net, *_), colour in zip(fits, ("tab:orange", "tab:red"), strict=True):
        Z = ((grid - splits.mean) / splits.std).astype(net.dtype)
        ax.plot(grid[:, 0], net.predict(Z)[:, 0], color=colour, lw=2, label=name)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=8)
    ax.set_title("fits of the noisy quadratic")
    compare = P.save_figure(fig, ctx.run_dir / "fits.png")
    name, cfg, splits, net, hist, _ = fits[1]
    sections = [
        {
            "heading": "Experiment",
            "paragraphs": [
                "100 points x ~ U(-2, 2), y = 2x² + noise of standard deviation 0.5; 80 for "
                f"training, 20 held out as the test set (watched in the curves, never used to "
                f"choose). Both networks train full batch for {epochs} epochs on the mean "
                "squared error."
            ],
            "tables": [{"title": "Course settings vs tuned", "columns": columns, "rows": rows}],
            "figures": [{"file": compare, "caption": "Data, the true curve and both fits"}],
        }
    ]
    config = {"data": "quadratic", **cfg.to_dict()}
    loss = "mse"
    description = "The noisy quadratic of seed 004. The saved model is the tuned network."
    record = RunRecord(
        net,
        ds,
        splits,
        loss,
        config,
        hist,
        title=TITLE,
        description=description,
        extra_metrics={"monitor": "test"},  # the curves watch the test set (nothing is chosen)
    )
    return ctx.finish(record, sections, conclusions, ("Noisy quadratic", columns, rows))
