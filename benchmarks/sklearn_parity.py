"""LeanClassifier/LeanRegressor against scikit-learn's MLP at equal settings: time and score.

Each row trains both estimators with the same hyperparameters (architecture, solver,
learning rate, batch size, alpha converted with ``l2_from_alpha``, a fixed number of
epochs: ``tol=0`` and ``n_iter_no_change=inf``) on the same data, in the same process,
alternating the two, and prints the best of ``--repeats`` wall times, the ratio
scikit-learn time / leannet time (above 1: leannet is faster) and both training scores.

Run: ``python benchmarks/sklearn_parity.py [--repeats 3] [--quick]``; on a shared machine
pin BLAS to one thread (``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1``), as both libraries
run on the same NumPy BLAS and oversubscribed threads make the times swing.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from scipy import sparse
from sklearn.datasets import load_digits, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler, scale

from leannet.sklearn import LeanClassifier, LeanRegressor, l2_from_alpha


def workloads(quick: bool):
    """(title, X, y, solver, epochs, options); ``quick``: smaller data, 5 epochs (a smoke test)."""
    digits = load_digits()
    Xd, yd = digits.data / 16.0, digits.target
    if quick:
        Xd, yd = Xd[:400], yd[:400]
    n_reg, n_sparse = (1000, 600) if quick else (5000, 3000)
    Xr, yr = make_regression(n_reg, 20, n_informative=10, noise=10, random_state=0)
    Xr, yr = StandardScaler().fit_transform(Xr), scale(yr)
    Xs = sparse.random(n_sparse, 500, density=0.02, format="csr", random_state=0)
    row_sums = np.asarray(Xs.sum(axis=1)).ravel()
    ys = (row_sums > np.median(row_sums)).astype(int)
    epochs = 5 if quick else 30
    yield "digits, adam, (100,), float64", Xd, yd, "adam", epochs, {}
    yield "digits, adam, (100,), float32", Xd.astype(np.float32), yd, "adam", epochs, {}
    yield "digits, sgd+nesterov, (100,)", Xd, yd, "sgd", epochs, {"learning_rate_init": 0.1}
    yield f"regression {n_reg}x20, adam, (64, 64)", Xr, yr, "adam", epochs, {"hidden": (64, 64)}
    yield (
        f"regression {n_reg}x20, lbfgs, (64, 64)",
        Xr,
        yr,
        "lbfgs",
        4 * epochs,
        {"hidden": (64, 64)},
    )
    yield f"sparse {n_sparse}x500 CSR, adam, (100,)", Xs, ys, "adam", epochs, {}


def pair(X, y, solver, epochs, options):
    regression = y.dtype.kind == "f"
    hidden = options.get("hidden", (100,))
    lr = options.get("learning_rate_init", 1e-3)
    n = X.shape[0]
    batch = n if solver == "lbfgs" else min(200, n)
    common = dict(hidden_layer_sizes=hidden, max_iter=epochs, tol=0.0, n_iter_no_change=np.inf,
                  random_state=0, batch_size=min(200, n))  # fmt: skip
    loss = "squared_error" if regression else "log_loss"
    lean_cls, sk_cls = (
        (LeanRegressor, MLPRegressor) if regression else (LeanClassifier, MLPClassifier)
    )
    lean = lean_cls(optimizer=solver, learning_rate="constant", learning_rate_init=lr,
                    l2=l2_from_alpha(1e-4, batch, 1, loss=loss), **common)  # fmt: skip
    ref = sk_cls(solver=solver, learning_rate_init=lr, alpha=1e-4, **common)
    return lean, ref


def best_times(estimators, X, y, repeats):
    """Best wall time and training score of each estimator, fitting them in turn."""
    times = [[] for _ in estimators]
    for _ in range(repeats):
        for est, spent in zip(estimators, times):
            start = time.perf_counter()
            est.fit(X, y)
            spent.append(time.perf_counter() - start)
    return [(min(t), est.score(X, y)) for est, t in zip(estimators, times)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="5 epochs per run (a smoke test)")
    args = parser.parse_args(argv)
    print(f"{'workload':<38}{'leannet s':>10}{'sklearn s':>10}{'ratio':>7}"
          f"{'leannet score':>15}{'sklearn score':>15}", flush=True)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for title, X, y, solver, epochs, options in workloads(args.quick):
            lean, ref = pair(X, y, solver, epochs, options)
            (t_lean, s_lean), (t_ref, s_ref) = best_times([lean, ref], X, y, args.repeats)
            print(f"{title:<38}{t_lean:>10.3f}{t_ref:>10.3f}{t_ref / t_lean:>7.2f}"
                  f"{s_lean:>15.4f}{s_ref:>15.4f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
