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
# # 7. Exercises: check your own implementation
#
# The assignment of seed 003 asks you to implement, from scratch: activation functions and
# their derivatives, forward propagation, the loss with L2 regularization, backward
# propagation, gradient descent and Adam updates, and to write a LaTeX report.
# `leannet.exercises` checks each piece you write against leannet's verified reference on
# random cases, and when something is off it says **what** in plain words.
#
# Every check returns a result that is truthy when your code is right; in a notebook it
# shows as a green or red line. A teacher can hand this page out as it is.

# %%
import numpy as np

import leannet as ln
from leannet import exercises as ex

# %% [markdown]
# ## 1. The sigmoid's derivative

# %%
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1 - s)


ex.check_sigmoid_derivative(sigmoid_derivative)

# %% [markdown]
# A typical slip: applying `s·(1 − s)` to `z` itself. The check recognises it:

# %%
ex.check_sigmoid_derivative(lambda z: z * (1 - z))

# %% [markdown]
# ## 2. The L2 penalty's gradient
#
# Seed 003 adds `λ/(2m)·Σw²` to the loss, so the gradient is `λ·w/m` (`convention="per_m"`;
# `"sum"` is `λ·Σw²` as in seed 000, `"half"` is `λ/2·Σw²` as in seeds 002 and 004).

# %%
def l2_gradient(W, lambd, m):
    return (lambd / m) * W


ex.check_l2_gradient(l2_gradient, convention="per_m")

# %%
ex.check_l2_gradient(lambda W, lambd, m: lambd * W, convention="per_m")  # forgot the 1/m

# %% [markdown]
# ## 3. The loss with its penalty
#
# Cross-entropy averaged over the examples plus `λ/(2m)·Σw²`, in seed 003's layout: one
# example per **column** (`layout="columns"`: `A2` is `(K, m)`, `W` is `(n_out, n_in)`).

# %%
def compute_loss_with_regularization(A2, Y, weights, biases, l1, lambd):
    m = Y.shape[1]
    cross_entropy = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
    l2_loss = (lambd / (2 * m)) * sum(np.sum(np.square(W)) for W in weights)
    return cross_entropy + l2_loss


ex.check_loss(compute_loss_with_regularization, data="bce", convention="per_m",
              layout="columns", l1=False)

# %% [markdown]
# Penalising the biases too is a frequent mistake:

# %%
def loss_with_biases(A2, Y, weights, biases, l1, lambd):
    return compute_loss_with_regularization(A2, Y, weights + biases, [], l1, lambd)


ex.check_loss(loss_with_biases, data="bce", convention="per_m", layout="columns", l1=False)

# %% [markdown]
# ## 4. A dense layer, forward and backward
#
# Forward: `Z = W·X + b`. Backward, given the error signal `dZ` of each example:
# `dW = (1/m)·dZ·Xᵀ + (λ/m)·W`, `db = (1/m)·Σ dZ`, and `dX = Wᵀ·dZ` for the layer below.

# %%
def dense_forward(X, W, b):
    return np.dot(W, X) + b


def dense_backward(X, W, b, dZ, lambd):
    m = X.shape[1]
    dW = (1 / m) * np.dot(dZ, X.T) + (lambd / m) * W
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    return dW, db, np.dot(W.T, dZ)


print(ex.check_dense_forward(dense_forward, layout="columns"))
print(ex.check_dense_backward(dense_backward, layout="columns", convention="per_m"))

# %% [markdown]
# ## 5. A whole network's gradients
#
# Seed 003's `backward_propagation`: ReLU hidden layer, linear output, squared error
# `(1/(2m))·Σ‖Z2 − Y‖²` (`loss="half_mse"`) and `λ/(2m)·Σw²`.

# %%
def backward_propagation(X, Y, W1, b1, W2, b2, lambd):
    m = X.shape[1]
    Z1 = np.dot(W1, X) + b1
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(W2, A1) + b2
    dZ2 = Z2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T) + (lambd / m) * W2
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (Z1 > 0)  # derivative of ReLU
    dW1 = (1 / m) * np.dot(dZ1, X.T) + (lambd / m) * W1
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return dW1, db1, dW2, db2


ex.check_network_gradients(
    lambda X, Y, Ws, bs: backward_propagation(X, Y, Ws[0], bs[0], Ws[1], bs[1], 0.01),
    sizes=(4, 6, 3), hidden="relu", output="linear", loss="half_mse", l2=0.01,
    convention="per_m", layout="columns",
)

# %% [markdown]
# ## 6. The updates: gradient descent and Adam

# %%
def gradient_descent_step(w, grad, learning_rate):
    return w - learning_rate * grad


def adam_step(w, grad, v, s, t, learning_rate, beta1, beta2, epsilon):
    v = beta1 * v + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad**2
    v_corrected = v / (1 - beta1**t)
    s_corrected = s / (1 - beta2**t)
    w = w - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return w, v, s


print(ex.check_sgd_step(gradient_descent_step))
print(ex.check_adam_step(adam_step))

# %% [markdown]
# Without the bias correction:

# %%
def adam_without_correction(w, grad, v, s, t, learning_rate, beta1, beta2, epsilon):
    v = beta1 * v + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad**2
    return w - learning_rate * v / (np.sqrt(s) + epsilon), v, s


ex.check_adam_step(adam_without_correction)

# %% [markdown]
# ## 7. The report
#
# The assignment ends with a LaTeX report: architecture, implementation, loss curves,
# results. Train the assignment's design with leannet (ReLU hidden layer, softmax output,
# Adam, L2) on scikit-learn's bundled 8×8 digits, and let `ln.report` write the lab's
# report (HTML, Markdown, LaTeX; PDF too when `pdflatex` is installed).

# %%
import tempfile
from pathlib import Path

from sklearn.datasets import load_digits

digits = load_digits()
X = (digits.data / 16.0).astype(np.float32)
y = digits.target
X_train, y_train, X_val, y_val = X[:1400], y[:1400], X[1400:], y[1400:]
net = ln.Sequential(
    [ln.Dense(64, 128, weight_regularizer=ln.L2(1e-4)), ln.ReLU(),
     ln.Dense(128, 10, weight_regularizer=ln.L2(1e-4)), ln.Softmax()],
    seed=0,
)
history = net.fit(X_train, y_train, loss="categorical_cross_entropy",
                  optimizer=ln.Adam(lr=1e-3), epochs=15, batch_size=32,
                  validation_data=(X_val, y_val), callbacks=[ln.ProgressBar()])

# %%
out = Path(tempfile.mkdtemp(prefix="leannet-tutorial-")) / "assignment"
run = ln.report(net, history, X=X_train, y=y_train, loss="categorical_cross_entropy",
                validation_data=(X_val, y_val), out=out,
                title="Problem set 3: a neural network from scratch",
                config={"optimizer": "Adam", "lr": 1e-3, "epochs": 15, "batch size": 32,
                        "L2": 1e-4})
run

# %%
print(run.files["tex"].read_text()[:800])
