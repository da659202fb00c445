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
# # 1. Forward and backward by hand, then with leannet
#
# The seed documents build a network from scratch: `Z = X·W + b`, a sigmoid, a loss, the
# chain rule backwards, and an update. This tutorial writes exactly that in NumPy for the
# XOR problem of seed 000 (a 2-4-1 network), then shows that leannet computes **the same
# numbers**, and finally trains the network with leannet.
#
# Layout: one example per row, `X` is `(m, n_in)`, `W` is `(n_in, n_out)` (seeds 000–002, 004).

# %%
import numpy as np

import leannet as ln

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)

rng = np.random.default_rng(0)
W1, b1 = rng.normal(0, 1, size=(2, 4)), np.zeros((1, 4))
W2, b2 = rng.normal(0, 1, size=(4, 1)), np.zeros((1, 1))
l2 = 0.01  # penalty l2·Σw² on the weights (seed 000's convention), biases free


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% [markdown]
# ## Forward pass
#
# $Z_1 = X W_1 + b_1,\; A_1 = \sigma(Z_1),\; Z_2 = A_1 W_2 + b_2,\; A_2 = \sigma(Z_2)$, and the
# loss: binary cross-entropy averaged over the $m$ examples plus the penalty
# $J = -\frac1m\sum [y\log a + (1-y)\log(1-a)] + l_2\sum w^2$.

# %%
Z1 = X @ W1 + b1
A1 = sigmoid(Z1)
Z2 = A1 @ W2 + b2
A2 = sigmoid(Z2)
m = len(X)
data_loss = -np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2))
penalty = l2 * (np.sum(W1**2) + np.sum(W2**2))
print(f"data loss {data_loss:.6f}, penalty {penalty:.6f}, total {data_loss + penalty:.6f}")

# %% [markdown]
# ## Backward pass
#
# With a sigmoid output and cross-entropy the output error is simply $\delta_2 = A_2 - y$
# (seed 000's `delta = activations[-1] - y`). Then
# $\partial J/\partial W_2 = \frac1m A_1^\top \delta_2 + 2 l_2 W_2$,
# $\partial J/\partial b_2 = \frac1m \sum \delta_2$,
# $\delta_1 = (\delta_2 W_2^\top) \odot \sigma'(Z_1)$ and the same for layer 1.

# %%
delta2 = A2 - y
dW2 = A1.T @ delta2 / m + 2 * l2 * W2
db2 = delta2.sum(axis=0, keepdims=True) / m
delta1 = (delta2 @ W2.T) * A1 * (1 - A1)  # σ'(z) = σ(z)(1 − σ(z))
dW1 = X.T @ delta1 / m + 2 * l2 * W1
db1 = delta1.sum(axis=0, keepdims=True) / m

# %% [markdown]
# ## The same with leannet
#
# A `Sequential` network with the same weights. `ln.L2(l2)` is the penalty `l2·Σw²`
# added to the loss; `leannet.gradcheck.gradients` runs leannet's forward pass, loss,
# backward pass and penalty and returns the objective and the flat gradient (every
# weight matrix first, then every bias, in the order of the layers).

# %%
from leannet.gradcheck import gradients

net = ln.Sequential(
    [ln.Dense(2, 4, weight_regularizer=ln.L2(l2)), ln.Sigmoid(),
     ln.Dense(4, 1, weight_regularizer=ln.L2(l2)), ln.Sigmoid()],
    dtype="float64",
)
for layer, W, b in zip(net.dense_layers, (W1, W2), (b1, b2)):
    layer.W[...] = W
    layer.b[...] = b.ravel()
net

# %%
objective, flat = gradients(net, X, y, loss="binary_cross_entropy")
mine = np.concatenate([dW1.ravel(), dW2.ravel(), db1.ravel(), db2.ravel()])
print(f"objective: by hand {data_loss + penalty:.12f}, leannet {objective:.12f}")
print(f"largest gradient difference: {np.abs(mine - flat).max():.2e}")
assert np.allclose(mine, flat, rtol=1e-10, atol=1e-12)

# %% [markdown]
# And both agree with finite differences: `ln.gradcheck` perturbs every parameter by
# ±h and compares; a relative error around 1e-9 means the calculus is right.

# %%
print(f"gradcheck relative error: {ln.gradcheck(net, X, y, loss='binary_cross_entropy'):.1e}")

# %% [markdown]
# ## Training with leannet
#
# `fit` runs the loop: forward, loss + penalty, backward, update. The returned `History`
# shows itself as a small curve with the last numbers.

# %%
history = net.fit(X, y, loss="binary_cross_entropy", optimizer=ln.Adam(lr=0.05), epochs=500)
print("predictions:", net.predict(X).ravel().round(3))
history

# %% [markdown]
# With `l2 = 0.01` the penalty wins on four examples: every output is 0.5 and the
# penalty shrank the weights towards zero (`reg_loss` is small, the data loss stays at
# log 2 ≈ 0.693). A ten times weaker penalty solves XOR:

# %%
weak = ln.Sequential(
    [ln.Dense(2, 4, weight_regularizer=ln.L2(1e-3)), ln.Sigmoid(),
     ln.Dense(4, 1, weight_regularizer=ln.L2(1e-3)), ln.Sigmoid()],
    dtype="float64",
)
history = weak.fit(X, y, loss="binary_cross_entropy", optimizer=ln.Adam(lr=0.05), epochs=500)
print("predictions:", weak.predict(X).ravel().round(3))
print("weight norms, l2=0.01 vs l2=0.001:",
      [round(float(np.linalg.norm(a.W)), 3) for a in net.dense_layers],
      [round(float(np.linalg.norm(a.W)), 3) for a in weak.dense_layers])

# %% [markdown]
# `history.plot()` draws the full training curves (loss, data loss vs penalty, accuracy,
# learning rate) as a matplotlib figure:

# %%
history.plot()
