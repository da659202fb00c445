# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3. Overfitting and the train/test gap: the teacher–student experiment
#
# Seed 002's experiment: a random "teacher" network 10-15-4 with weights uniform in
# ±9.9 labels random inputs; a small 10-8-4 tanh/softmax "student" learns 200 of them
# and is tested on 40 others. Trained long enough, the student fits the training items
# much better than new ones: the gap between training and test accuracy is overfitting.
# An L2 penalty `λ·Σw²` on the weights should narrow it.
#
# One run on 40 test items is noisy (one item is 2.5 points), so we repeat over several
# data seeds and look at means and paired differences. (`leannet demo overfit` runs the
# full experiment and writes a report.)

# %%
import numpy as np
import pandas as pd

import leannet as ln

SEEDS = range(4)
LAMBDAS = [0.0, 1e-3, 1e-2]
EPOCHS = 300  # the demo uses 500; fewer keeps this page quick


def student(l2, seed):
    return ln.build_mlp(10, [8], 4, loss="categorical_cross_entropy", activation="tanh",
                        init="glorot_uniform", l2=l2, seed=seed)


rows = []
for seed in SEEDS:
    data = ln.datasets.make_teacher(seed=seed)
    X, y = data.X.astype(np.float32), data.y
    X_test, y_test = data.X_test.astype(np.float32), data.y_test
    for l2 in LAMBDAS:
        net = student(l2, seed)
        net.fit(X, y, loss="categorical_cross_entropy", optimizer=ln.SGD(lr=0.05),
                epochs=EPOCHS, batch_size=10, seed=seed)
        train = net.evaluate(X, y, loss="categorical_cross_entropy")["accuracy"]
        test = net.evaluate(X_test, y_test, loss="categorical_cross_entropy")["accuracy"]
        norm = np.sqrt(sum(float(np.sum(layer.W**2)) for layer in net.dense_layers))
        rows.append({"seed": seed, "λ": l2, "train %": 100 * train, "test %": 100 * test,
                     "gap (points)": 100 * (train - test), "‖W‖": norm})
results = pd.DataFrame(rows)
summary = results.groupby("λ")[["train %", "test %", "gap (points)", "‖W‖"]].agg(["mean", "std"])
summary.round(2)

# %% [markdown]
# ## What the numbers say
#
# The sentences below are computed from the table above, not written in advance. A
# difference is called real only when it exceeds twice its standard error over the seeds.

# %%
def paired(metric, l2):
    base = results[results["λ"] == 0.0].set_index("seed")[metric]
    other = results[results["λ"] == l2].set_index("seed")[metric]
    diff = other - base
    return diff.mean(), diff.std(ddof=1) / np.sqrt(len(diff))


for l2 in LAMBDAS[1:]:
    gap, gap_se = paired("gap (points)", l2)
    test, test_se = paired("test %", l2)
    verdict = "narrowed" if gap < -2 * gap_se else ("widened" if gap > 2 * gap_se else "did not clearly change")
    print(f"L2 λ={l2:g}: the gap {verdict} ({gap:+.1f} ± {gap_se:.1f} points); "
          f"test accuracy changed by {test:+.1f} ± {test_se:.1f} points")

# %% [markdown]
# ## Watching one run live
#
# `ln.LivePlot` redraws the loss curves (training and validation, data loss against
# penalty) while `fit` runs, with a progress bar. Here the 40 test items serve as the
# validation data, so the widening gap is visible as it happens.

# %%
data = ln.datasets.make_teacher(seed=0)
net = student(0.0, 0)
live = ln.LivePlot(every=0.5)
history = net.fit(data.X.astype(np.float32), data.y, loss="categorical_cross_entropy",
                  optimizer=ln.SGD(lr=0.05), epochs=EPOCHS, batch_size=10,
                  validation_data=(data.X_test.astype(np.float32), data.y_test),
                  callbacks=[live])
history
