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
# # 2. L1, L2, proximal L1 and decoupled weight decay, side by side
#
# Four ways to keep weights small, on the same data, the same network and the same
# optimizer; only the penalty changes. We compare the weights (size, exact zeros) and the
# decision boundaries.
#
# * **L2** (`ln.L2(l2)`): adds `l2·Σw²` to the loss; its gradient `2·l2·w` pulls every
#   weight towards zero in proportion to its size.
# * **L1** (`ln.L1(l1)`): adds `l1·Σ|w|`; its subgradient `l1·sign(w)` pushes with constant
#   force, so weights reach zero's neighbourhood and then **oscillate around it**: they are
#   small but almost never exactly 0.
# * **Proximal L1** (`ln.L1(l1, proximal=True)`): after each update, soft-threshold:
#   `w ← sign(w)·max(|w| − lr·l1, 0)`. Weights that the data does not need become
#   **exactly** zero.
# * **Decoupled weight decay** (`weight_decay=` on the optimizer, seed 002's "alternative
#   approach", PyTorch's AdamW): `w ← w − lr·wd·w` in the update, outside the loss. With
#   Adam this differs from L2, because Adam rescales the L2 gradient but not the decay.

# %%
import numpy as np

import leannet as ln
from leannet import figures

data = ln.datasets.make_xor(300, seed=0)  # seed 000's XOR corners, 300 noisy points
X = data.X.astype(np.float32)
y = data.y
print(X.shape, np.bincount(y))

# %% [markdown]
# Plain mini-batch SGD for every run: with SGD the proximal step is exact proximal
# gradient descent, and coupled L2 and decoupled decay differ only by a factor
# (`2·l2` versus `wd`). With Adam they would differ in kind.

# %%
def train(penalty=None, weight_decay=0.0):
    net = ln.Sequential(
        [ln.Dense(2, 16, weight_regularizer=penalty), ln.Tanh(),
         ln.Dense(16, 1, weight_regularizer=penalty), ln.Sigmoid()],
        seed=0,
    )
    opt = ln.SGD(lr=0.3, weight_decay=weight_decay)
    history = net.fit(X, y, loss="binary_cross_entropy", optimizer=opt, epochs=300,
                      batch_size=32)
    return net, history


runs = {
    "none": train(),
    "L2 (l2=1e-3)": train(ln.L2(1e-3)),
    "L1 subgradient (l1=1e-3)": train(ln.L1(1e-3)),
    "L1 proximal (l1=1e-3)": train(ln.L1(1e-3, proximal=True)),
    "weight decay (wd=2e-3)": train(weight_decay=2e-3),
}

# %% [markdown]
# ## Weights: size and exact zeros

# %%
import pandas as pd

rows = []
for name, (net, hist) in runs.items():
    W = np.concatenate([layer.W.ravel() for layer in net.dense_layers])
    rows.append({
        "penalty": name,
        "train accuracy": hist["accuracy"][-1],
        "‖W‖": np.linalg.norm(W),
        "largest |w|": np.abs(W).max(),
        "exact zeros": int(np.sum(W == 0)),
        "|w| < 1e-3": int(np.sum(np.abs(W) < 1e-3)),
        "weights": W.size,
    })
table = pd.DataFrame(rows).set_index("penalty")
table.round(4)

# %% [markdown]
# The subgradient L1 run has many tiny weights but no exact zeros (they oscillate around
# zero); the proximal run sets them to exactly zero. With SGD, `weight_decay=2e-3` and
# `L2(1e-3)` give the same shrinkage (`2·l2 = wd`): compare their norms.

# %%
sub, prox = table.loc["L1 subgradient (l1=1e-3)"], table.loc["L1 proximal (l1=1e-3)"]
print(f"subgradient L1: {int(sub['exact zeros'])} exact zeros; proximal L1: {int(prox['exact zeros'])}")
assert prox["exact zeros"] > sub["exact zeros"]
l2_norm, wd_norm = table.loc["L2 (l2=1e-3)", "‖W‖"], table.loc["weight decay (wd=2e-3)", "‖W‖"]
print(f"‖W‖ with L2(1e-3): {l2_norm:.4f}; with weight_decay=2e-3: {wd_norm:.4f}")

# %% [markdown]
# Histograms of the weights of the L2 and the proximal-L1 networks:

# %%
figures.plot_weights(runs["L2 (l2=1e-3)"][0])

# %%
figures.plot_weights(runs["L1 proximal (l1=1e-3)"][0])

# %% [markdown]
# ## Decision boundaries
#
# All of them separate XOR; the proximal-L1 network does it with far fewer non-zero
# weights.

# %%
figures.plot_decision_boundary(runs["none"][0], X, y, title="no penalty")

# %%
figures.plot_decision_boundary(runs["L2 (l2=1e-3)"][0], X, y, title="L2, l2=1e-3")

# %%
figures.plot_decision_boundary(runs["L1 proximal (l1=1e-3)"][0], X, y, title="proximal L1, l1=1e-3")

# %% [markdown]
# ## Data loss against penalty
#
# The history records both parts of the objective, so you can watch the penalty's share:

# %%
runs["L2 (l2=1e-3)"][1].plot(title="L2: loss = data loss + penalty")
