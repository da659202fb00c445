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
from ..run_record import RunRecord
from ..training import fit_config, split_data, weight_stats
from ._base import DemoContext, DemoResult, mean_std, paired_difference, pm

NAME = "overfit"
TITLE = "leannet demo overfit: does L2 reduce overfitting?"
SUMMARY = "L2 vs no L2 on a 10-8-4 student of a random 10-15-4 teacher (seed 002), over seeds"

TEACHER_SEED = 3  # the article's generator seed: random.Random(3)
# A small grid of penalty strengths fixed in advance (penalty λ·Σw² per weight matrix, added
# to the mean cross-entropy); every one is reported, none is picked on the test set.
L2_GRID = (1e-3, 3e-3, 1e-2)
BASE = dict(
    hidden=[8],
    activation="tanh",
    loss="categorical_cross_entropy",
    init="glorot_uniform",
    optimizer="sgd",
    lr=0.05,
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


def _verdict(d: float, se: float, n: int, better: str, worse: str, same: str) -> str:
    if n < 2:
        return "cannot be judged from a single seed"
    return better if d > 2 * se else (worse if d < -2 * se else same)


def run(ctx: DemoContext) -> DemoResult:
    n_seeds = ctx.seeds or (2 if ctx.quick else 8)
    grid = (L2_GRID[-1],) if ctx.quick else L2_GRID
    settings = [("no L2", 0.0)] + [(f"L2 λ={lam:g}", lam) for lam in grid]
    results = {name: {"train": [], "test": [], "W1": [], "W2": []} for name, _ in settings}
    keep = {}
    with ctx.steps(n_seeds * len(settings), "overfit") as step:
        for seed in range(n_seeds):
            ds = make_teacher(seed=seed, teacher_seed=TEACHER_SEED)
            for name, l2 in settings:
                cfg = _config(seed, l2, ctx.quick)
                splits = split_data(ds, cfg)
                net, hist, loss = fit_config(
                    ds, cfg, splits, monitor=(splits.X_test, splits.y_test)
                )
                acc_train = float(
                    net.evaluate(splits.X_train, splits.y_train, loss=loss)["accuracy"]
                )
                acc_test = float(net.evaluate(splits.X_test, splits.y_test, loss=loss)["accuracy"])
                norms = [v["l2_norm"] for v in weight_stats(net).values()]
                r = results[name]
                r["train"].append(acc_train)
                r["test"].append(acc_test)
                r["W1"].append(norms[0])
                r["W2"].append(norms[1])
                step(
                    f"  seed {seed + 1}/{n_seeds}, {name:>12}: train acc {acc_train:.3f}, "
                    f"test acc {acc_test:.3f}, ||W1|| {norms[0]:.2f}, ||W2|| {norms[1]:.2f}"
                )
                if seed == 0:
                    keep[name] = (net, hist, splits, ds, cfg, loss)

    # ----- the table and the conclusions, computed from the numbers
    base_name = settings[0][0]
    r0 = results[base_name]
    gap = {name: np.subtract(results[name]["train"], results[name]["test"]) for name, _ in settings}
    columns = ["setting", "train acc %", "test acc %", "gap (train-test) pts", "||W1||", "||W2||"]
    rows = [
        [
            name,
            pm(results[name]["train"]),
            pm(results[name]["test"]),
            pm(gap[name]),
            pm(results[name]["W1"], 1.0, 2),
            pm(results[name]["W2"], 1.0, 2),
        ]
        for name, _ in settings
    ]
    conclusions = []
    changes = {}
    for name, _ in settings[1:]:
        r = results[name]
        d_gap, se_gap = paired_difference(gap[base_name], gap[name])  # > 0: narrower with L2
        d_test, se_test = paired_difference(r["test"], r0["test"])  # > 0: L2 raised test acc
        changes[name] = {
            "gap_change": d_gap,
            "gap_se": se_gap,
            "test_change": d_test,
            "test_se": se_test,
        }
        conclusions.append(
            f"{name}: "
            + _verdict(
                d_gap,
                se_gap,
                n_seeds,
                "narrowed the generalization gap",
                "widened the generalization gap",
                "made no clear difference to the gap",
            )
            + f" ({100 * gap[base_name].mean():.1f} -> {100 * gap[name].mean():.1f} points, paired "
            f"change {100 * d_gap:+.1f} ± {100 * se_gap:.1f}) and "
            + _verdict(
                d_test,
                se_test,
                n_seeds,
                "raised test accuracy",
                "lowered test accuracy",
                "did not clearly change test accuracy",
            )
            + f" ({100 * d_test:+.1f} ± {100 * se_test:.1f} points); training accuracy "
            f"{100 * (np.mean(r['train']) - np.mean(r0['train'])):+.1f} points."
        )
    strongest = settings[-1][0]
    w0 = (np.mean(r0["W1"]), np.mean(r0["W2"]))
    w1 = (np.mean(results[strongest]["W1"]), np.mean(results[strongest]["W2"]))
    conclusions.append(
        f"L2 {'shrank' if sum(w1) < sum(w0) else 'did not shrink'} the weights: with "
        f"{strongest} ||W1|| {w0[0]:.2f} -> {w1[0]:.2f} and ||W2|| {w0[1]:.2f} -> {w1[1]:.2f} "
        "(means over seeds)."
    )
    if len(settings) > 2:
        best = max(settings[1:], key=lambda s: np.mean(results[s[0]]["test"]))[0]
        conclusions.append(
            f"Across the λ grid the highest mean test accuracy was with {best}; that λ was seen "
            "to do best on these test sets, so its number is optimistic: choose λ on a "
            "validation split (leannet sweep) for an unbiased estimate."
        )
    s_test0 = mean_std(r0["test"])[1]
    n_test = len(keep[base_name][2].X_test)
    conclusions.append(
        f"Seed-to-seed spread of test accuracy without L2 is ±{100 * s_test0:.1f} points (one test "
        f"item = {100 / n_test:.1f} points): a single run could not tell the settings apart "
        "reliably, hence the repeats and the paired comparison."
    )
    if ctx.quick:
        conclusions.append(
            "Quick mode: few seeds and epochs; run without --quick for the real experiment."
        )

    # ----- plots and the run directory (model.npz = the student of seed 1 with the strongest L2)
    from ... import plots as P

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
    for name in (base_name, strongest):
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
            "caption": f"Seed 1: training and test curves, no L2 vs {strongest} (the test "
            "set is only watched, never used to choose anything)",
        }
    )

    net, hist, splits, ds, cfg, loss = keep[strongest]
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
                "Student: 10-8-4, tanh hidden layer, softmax output, cross-entropy loss, plain "
                f"SGD (lr {BASE['lr']}, batches of {BASE['batch_size']}), {cfg.epochs} epochs. "
                "With L2 the loss gains λ·Σw² over both weight matrices, for each λ of a grid "
                f"fixed in advance ({', '.join(f'{lam:g}' for _, lam in settings[1:])}); biases "
                "are not penalised.",
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
    description = (
        "The L2 overfitting experiment of the L2 article (seed 002), repeated over "
        f"seeds. The model saved in this run is the student of seed 1 with {strongest}."
    )
    record = RunRecord(net, ds, splits, loss, config, hist, title=TITLE, description=description)
    record.extra_metrics = {
        "experiment": experiment,
        "changes_vs_no_l2": changes,
        "monitor": "test",
    }
    return ctx.finish(
        record,
        sections,
        conclusions,
        (f"Overfitting demo: mean ± std over {n_seeds} seeds", columns, rows),
    )
