"""``leannet demo overfit`` (the default demo): does L2 regularization reduce overfitting?

The experiment of the L2 article (seed 002). A random "teacher" network 10-15-4
with weights uniform in ±9.9 labels random inputs: its large weights make the
labelling function wiggly, so a small student memorises 200 training items
better than it generalises to 40 test items. A 10-8-4 tanh/softmax student is
trained for 500 epochs without and with an L2 penalty ``λ·Σw²`` on its weights
(biases unpenalised, as in the article).

One run on 40 test items is noise (one item = 2.5 points), so the pair of runs
is repeated over several seeds (new inputs and a new student initialisation
each time, the same teacher) and the table reports mean ± std. The conclusion
is computed from the paired differences: it says "narrowed" only when the mean
change in the gap is larger than twice its standard error.
"""

from __future__ import annotations

import numpy as np

from ...datasets import make_teacher
from ..config import TrainConfig
from ..report import fmt
from ..training import fit_config, save_run, split_data, weight_stats
from ._base import DemoContext, DemoResult, mean_std, paired_difference, pm

NAME = "overfit"
SUMMARY = "L2 vs no L2 on a 10-8-4 student of a random 10-15-4 teacher (seed 002), over seeds"

TEACHER_SEED = 3  # the article's generator seed: random.Random(3)
L2 = 1e-3  # penalty λ·Σw² per weight matrix, added to the mean cross-entropy
BASE = dict(
    hidden=[8],
    activation="tanh",
    loss="categorical_cross_entropy",
    init="glorot_uniform",
    optimizer="sgd",
    lr=0.1,
    momentum=0.9,
    batch_size=10,
    epochs=500,
    val_split=0.0,
    test_split=0.0,
    standardize=False,
)


def _config(seed: int, l2: float, quick: bool) -> TrainConfig:
    cfg = TrainConfig(**BASE, l2=l2, seed=seed)
    if quick:
        cfg.epochs = 40
    return cfg.validate()


def run(ctx: DemoContext) -> DemoResult:
    n_seeds = ctx.seeds or (2 if ctx.quick else 5)
    settings = [("no L2", 0.0), (f"L2 λ={L2:g}", L2)]
    results = {name: {"train": [], "test": [], "W1": [], "W2": []} for name, _ in settings}
    keep = {}
    for seed in range(n_seeds):
        ds = make_teacher(seed=seed, teacher_seed=TEACHER_SEED)
        for name, l2 in settings:
            cfg = _config(seed, l2, ctx.quick)
            splits = split_data(ds, cfg)
            net, hist, loss = fit_config(ds, cfg, splits, monitor=(splits.X_test, splits.y_test))
            acc_train = float(net.evaluate(splits.X_train, splits.y_train, loss=loss)["accuracy"])
            acc_test = float(net.evaluate(splits.X_test, splits.y_test, loss=loss)["accuracy"])
            norms = [v["l2_norm"] for v in weight_stats(net).values()]
            r = results[name]
            r["train"].append(acc_train)
            r["test"].append(acc_test)
            r["W1"].append(norms[0])
            r["W2"].append(norms[1])
            ctx.log(
                f"  seed {seed + 1}/{n_seeds}, {name:>12}: train acc {acc_train:.3f}, "
                f"test acc {acc_test:.3f}, ||W1|| {norms[0]:.2f}, ||W2|| {norms[1]:.2f}"
            )
            if seed == 0:
                keep[name] = (net, hist, splits, ds, cfg, loss)

    # ----- the table and the conclusion, computed from the numbers
    (n0, _), (n1, _) = settings
    r0, r1 = results[n0], results[n1]
    gap0 = np.subtract(r0["train"], r0["test"])
    gap1 = np.subtract(r1["train"], r1["test"])
    columns = ["setting", "train acc %", "test acc %", "gap (train-test) pts", "||W1||", "||W2||"]
    rows = []
    for name, _ in settings:
        r = results[name]
        gap = np.subtract(r["train"], r["test"])
        rows.append(
            [name, pm(r["train"]), pm(r["test"]), pm(gap), pm(r["W1"], 1.0, 2), pm(r["W2"], 1.0, 2)]
        )
    d_gap, se_gap = paired_difference(gap0, gap1)  # > 0: L2 narrowed the gap
    d_test, se_test = paired_difference(r1["test"], r0["test"])  # > 0: L2 raised test accuracy
    conclusions = []
    if n_seeds < 2:
        verdict = "cannot be judged from a single seed (run with --seeds 2 or more)"
    elif d_gap > 2 * se_gap:
        verdict = "narrowed the generalization gap"
    elif d_gap < -2 * se_gap:
        verdict = "widened the generalization gap"
    else:
        verdict = "made no clear difference to the generalization gap"
    conclusions.append(
        f"Over {n_seeds} seeds, L2 (λ={L2:g}) {verdict}: the gap went from "
        f"{100 * gap0.mean():.1f} to {100 * gap1.mean():.1f} points "
        f"(paired change {100 * d_gap:+.1f} ± {100 * se_gap:.1f} points, mean ± standard error)."
    )
    if n_seeds >= 2:
        clear = abs(d_test) > 2 * se_test
        conclusions.append(
            f"Test accuracy changed by {100 * d_test:+.1f} ± {100 * se_test:.1f} points with L2 "
            f"({'larger' if clear else 'not larger'} than twice its standard error); "
            f"training accuracy by {100 * (np.mean(r1['train']) - np.mean(r0['train'])):+.1f} points."
        )
    w0 = np.mean(r0["W1"]) + np.mean(r0["W2"])
    w1 = np.mean(r1["W1"]) + np.mean(r1["W2"])
    conclusions.append(
        f"L2 {'shrank' if w1 < w0 else 'did not shrink'} the weights: ||W1|| "
        f"{np.mean(r0['W1']):.2f} -> {np.mean(r1['W1']):.2f}, ||W2|| {np.mean(r0['W2']):.2f} -> "
        f"{np.mean(r1['W2']):.2f} (mean over seeds)."
    )
    m_test0, s_test0 = mean_std(r0["test"])
    conclusions.append(
        f"Seed-to-seed spread of test accuracy without L2 is ±{100 * s_test0:.1f} points "
        f"(one test item = {100 / len(keep[n0][2].X_test):.1f} points): a single run could not "
        "have told the two settings apart reliably."
    )
    if ctx.quick:
        conclusions.append(
            "Quick mode: few seeds and epochs; run without --quick for the real experiment."
        )

    # ----- plots and the run directory (model.npz = the L2 student of seed 1)
    from .. import plots as P

    run_dir = ctx.run_dir
    figures = [
        {
            "file": P.plot_mean_std_bars(
                ["train accuracy", "test accuracy"],
                {
                    name: (
                        [np.mean(results[name]["train"]), np.mean(results[name]["test"])],
                        [mean_std(results[name]["train"])[1], mean_std(results[name]["test"])[1]],
                    )
                    for name, _ in settings
                },
                run_dir / "accuracy.png",
                ylabel="accuracy",
                title=f"mean ± std over {n_seeds} seeds",
            ),
            "caption": "Train and test accuracy without and with L2 (mean ± std over seeds)",
        },
        {
            "file": P.plot_mean_std_bars(
                ["||W1|| (input-hidden)", "||W2|| (hidden-output)"],
                {
                    name: (
                        [np.mean(results[name]["W1"]), np.mean(results[name]["W2"])],
                        [mean_std(results[name]["W1"])[1], mean_std(results[name]["W2"])[1]],
                    )
                    for name, _ in settings
                },
                run_dir / "norms.png",
                ylabel="Frobenius norm",
                title="weight norms per layer",
            ),
            "caption": "Weight norms per layer without and with L2 (mean ± std over seeds)",
        },
    ]
    fig, axes = P.new_figure(1, 2, size=(10.0, 3.8))
    for name, _ in settings:
        h = keep[name][1].history
        axes[0].plot(h["data_loss"], label=f"{name}: train")
        axes[0].plot(h["val_data_loss"], "--", label=f"{name}: test")
        axes[1].plot(h["accuracy"], label=f"{name}: train")
        axes[1].plot(h["val_accuracy"], "--", label=f"{name}: test")
    axes[0].set_title("cross-entropy (data loss)")
    axes[0].set_yscale("log")
    axes[1].set_title("accuracy")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    figures.append(
        {
            "file": P.save_figure(fig, run_dir / "compare_curves.png"),
            "caption": "Seed 1: training and test curves without and with L2 (the test "
            "set is only watched, never used to choose anything)",
        }
    )

    net, hist, splits, ds, cfg, loss = keep[n1]
    per_seed = [
        [str(s + 1)]
        + [f"{100 * results[name][k][s]:.1f}" for name, _ in settings for k in ("train", "test")]
        for s in range(n_seeds)
    ]
    sections = [
        {
            "heading": "Experiment",
            "paragraphs": [
                "Teacher: 10-15-4 tanh/softmax network, every weight and bias uniform in [-9.9, 9.9] "
                f"(seed {TEACHER_SEED}); it labels inputs uniform in [-1, 1]^10 with the arg-max of its "
                "output. 200 training and 40 test items per seed.",
                f"Student: 10-8-4, tanh hidden layer, softmax output, cross-entropy loss, SGD with "
                f"momentum {BASE['momentum']} (lr {BASE['lr']}, batches of {BASE['batch_size']}), "
                f"{cfg.epochs} epochs. With L2 the loss gains λ·Σw² over both weight matrices "
                f"(λ = {L2:g}); biases are not penalised.",
                f"Repeated for {n_seeds} seeds (new inputs and student initialisation; same teacher). "
                "mean ± std are over seeds; the gap is train minus test accuracy, in points.",
            ],
            "tables": [
                {
                    "title": f"Without and with L2, mean ± std over {n_seeds} seeds",
                    "columns": columns,
                    "rows": rows,
                },
                {
                    "title": "Accuracy (%) per seed",
                    "columns": ["seed"]
                    + [f"{name} {k}" for name, _ in settings for k in ("train", "test")],
                    "rows": per_seed,
                },
            ],
            "figures": figures,
        },
    ]
    config = {
        "data": "teacher",
        **cfg.to_dict(),
        "loss": loss,
        "seeds": n_seeds,
        "teacher_seed": TEACHER_SEED,
    }
    experiment = {
        name: {k: [float(v) for v in vals] for k, vals in results[name].items()}
        for name, _ in settings
    }
    metrics = save_run(
        run_dir,
        net=net,
        ds=ds,
        splits=splits,
        loss=loss,
        config=config,
        history=hist,
        title="leannet demo overfit: does L2 reduce overfitting?",
        description="The L2 overfitting experiment of the L2 article (seed 002), repeated over "
        "seeds. The model saved in this run is the L2 student of seed 1.",
        sections=sections,
        conclusions=conclusions,
        pdf=ctx.pdf,
        extra_metrics={
            "experiment": experiment,
            "gap_change": {"mean": d_gap, "se": se_gap},
            "test_change": {"mean": d_test, "se": se_test},
        },
    )
    metrics_rows = rows
    return DemoResult(
        f"Overfitting demo: mean ± std over {n_seeds} seeds (λ={fmt(L2)})",
        columns,
        metrics_rows,
        conclusions,
        run_dir,
        metrics["reports"],
    )
