"""Which start should ``build_mlp(init="auto")`` use? Prints a table; takes ~15 seconds.

Three starts for the same networks, seeds and optimizer (Adam, lr 1e-3, batches
of min(200, n), as scikit-learn's MLP defaults), each averaged over 20 seeds:

* ``glorot+bias``: Glorot-uniform weights and biases (scikit-learn's start);
* ``he_uniform``: He-uniform weights, zero biases (the estimators' old start);
* ``he_normal``: He-normal weights, zero biases (the lab's old start).

Tasks: scikit-learn's ``check_regressors_train`` data (200 x 10, y standardised;
training R² after 10/50/200 epochs, one hidden layer of 100 ReLU units), digits
(training accuracy after 10 epochs, same network) and two-moons (training
accuracy after 50 epochs, [16, 16] tanh). scikit-learn's own MLP is the reference.

Run: ``python benchmarks/init_choice.py``.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.datasets import load_digits, make_moons, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler, scale

import leannet as ln

STARTS = {"glorot+bias": "auto", "he_uniform": "he_uniform", "he_normal": "he_normal"}
SEEDS = range(20)


def regression_data():
    X, y = make_regression(200, 10, n_informative=1, bias=5.0, noise=20, random_state=42)
    return StandardScaler().fit_transform(X), scale(y)


def leannet_score(X, y, loss, hidden, activation, init, epochs, seed):
    n_out = 1 if loss != "categorical_cross_entropy" else int(y.max()) + 1
    net = ln.build_mlp(
        X.shape[1], hidden, n_out, loss=loss, activation=activation, init=init, seed=seed
    )
    net.fit(X, y, loss=loss, optimizer=ln.Adam(1e-3), epochs=epochs,
            batch_size=min(200, len(X)), seed=seed)  # fmt: skip
    result = net.evaluate(X, y, loss=loss)
    return result.get("r2", result.get("accuracy"))


def sklearn_score(X, y, regression, hidden, activation, epochs, seed):
    cls = MLPRegressor if regression else MLPClassifier
    model = cls(hidden_layer_sizes=hidden, activation=activation, max_iter=epochs, random_state=seed,
                n_iter_no_change=10**9, tol=0)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return model.score(X, y)


def main() -> None:
    Xr, yr = regression_data()
    digits = load_digits()
    Xd, yd = digits.data / 16.0, digits.target
    Xm, ym = make_moons(300, noise=0.2, random_state=0)
    tasks = [(f"regression R², {e} epochs", Xr, yr, "mse", [100], "relu", e) for e in (10, 50, 200)]
    tasks.append(("digits accuracy, 10 epochs", Xd, yd, "categorical_cross_entropy", [100],
                  "relu", 10))  # fmt: skip
    tasks.append(("moons accuracy, 50 epochs", Xm, ym, "binary_cross_entropy", [16, 16],
                  "tanh", 50))  # fmt: skip
    print(f"{'task (training score, 20 seeds)':<34}" + "".join(
        f"{name:>13}" for name in [*STARTS, "scikit-learn"]), flush=True)  # fmt: skip
    for title, X, y, loss, hidden, act, epochs in tasks:
        row = [np.mean([leannet_score(X, y, loss, hidden, act, init, epochs, s) for s in SEEDS])
               for init in STARTS.values()]  # fmt: skip
        sk_act = "logistic" if act == "sigmoid" else act
        row.append(np.mean([sklearn_score(X, y, loss == "mse", tuple(hidden), sk_act, epochs, s)
                            for s in SEEDS]))  # fmt: skip
        print(f"{title:<34}" + "".join(f"{v:>13.3f}" for v in row), flush=True)


if __name__ == "__main__":
    main()
