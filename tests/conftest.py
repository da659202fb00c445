"""Shared fixtures for the engine tests: small data sets and an independent gradient check.

The gradient helpers here do not use ``ln.gradcheck``: they read the analytic gradient
from one plain SGD step (``p1 = p0 - lr * g``) and the numeric one from central
differences of ``net.evaluate(...)["loss"]``, so they also verify ``ln.gradcheck``.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

# .ci/run sets this: there every optional dependency of the dev extra is installed, so a test
# skipped because an import failed means a missing install step, and it fails instead of
# quietly not running (locally, without the extras, such tests still skip).
STRICT_IMPORTS = os.environ.get("LEANNET_STRICT_IMPORTS") == "1"


def _import_skip(report) -> bool:
    return report.skipped and "could not import" in str(report.longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    report = (yield).get_result()
    if STRICT_IMPORTS and _import_skip(report):
        report.outcome = "failed"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if STRICT_IMPORTS and _import_skip(report):
        report.outcome = "failed"


def numeric_grad(net, X, y, loss, eps=1e-6):
    """Central differences of the total objective (data loss + penalties) over ``net.params``."""
    p = net.params
    g = np.zeros(p.size, dtype=np.float64)
    for i in range(p.size):
        old = p[i]
        p[i] = old + eps
        fp = net.evaluate(X, y, loss=loss)["loss"]
        p[i] = old - eps
        fm = net.evaluate(X, y, loss=loss)["loss"]
        p[i] = old
        g[i] = (fp - fm) / (2 * eps)
    return g


def analytic_grad(net, X, y, loss):
    """Gradient the engine trains with: one full-batch SGD(lr=1) step, read back from the update."""
    import leannet as ln

    work = net.copy()
    p0 = work.params.copy()
    work.fit(X, y, loss=loss, optimizer=ln.SGD(lr=1.0), epochs=1, batch_size=None, shuffle=False)
    return p0 - work.params, work.grads.copy()


def array_slices(net):
    """(name, slice into net.params) for every parameter array, found through shared memory."""
    base = net.params
    out = []
    for name, view in net.parameters():
        offset = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
        start = offset // base.itemsize
        out.append((name, slice(start, start + view.size)))
    return out


def rel_error(a, n):
    """||a - n|| / (||a|| + ||n||), 0 when both are exactly zero."""
    den = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if den == 0 else float(np.linalg.norm(a - n) / den)


def max_rel_error(net, a, n):
    """Max over parameter arrays of :func:`rel_error` (ln.gradcheck's definition)."""
    return max(rel_error(a[s], n[s]) for _, s in array_slices(net))


class _Grad:
    numeric = staticmethod(numeric_grad)
    analytic = staticmethod(analytic_grad)
    slices = staticmethod(array_slices)
    rel_error = staticmethod(rel_error)
    max_rel_error = staticmethod(max_rel_error)


@pytest.fixture(scope="session")
def grad():
    """Independent central-difference gradient tools (see module docstring)."""
    return _Grad


@pytest.fixture
def clf_data():
    """60 samples, 4 features, 3 classes (integer labels), float64."""
    rng = np.random.default_rng(123)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(int) + (X[:, 2] > 0.8).astype(int)
    return X, y


@pytest.fixture
def bin_data():
    """50 samples, 3 features, binary labels of shape (n, 1), float64."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(50, 3))
    y = (X[:, :1] * X[:, 1:2] > 0).astype(float)
    return X, y


@pytest.fixture
def reg_data():
    """40 samples, 2 features, 2 regression targets, float64."""
    rng = np.random.default_rng(11)
    X = rng.uniform(-1, 1, size=(40, 2))
    y = np.column_stack([np.sin(2 * X[:, 0]) + X[:, 1], X[:, 0] * X[:, 1]])
    return X, y
