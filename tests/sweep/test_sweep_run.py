"""Running sweeps: selection on real data, determinism, resume, warm path, errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leannet.errors import ConfigError
from leannet.sweep import select, sweep

from ._helpers import FAST, SRC, comparable


def test_a_penalty_is_selected_where_one_helps():
    """Breast cancer (bundled) with 200 pure-noise features and 200 samples:
    an unpenalised 32-unit network fits the noise; cross-validation must pick l2 > 0."""
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(y))[:200]
    X = np.hstack([X, rng.normal(size=(len(y), 200))])[idx]
    y = y[idx]
    result = sweep(
        X,
        y,
        grid={"l2": [0.0, 1e-3, 1e-2, 1e-1]},
        params={"hidden_layer_sizes": (32,), "max_iter": 100, "tol": 0.0, "learning_rate": 0.01},
        standardize=True,
        cv=4,
        test_size=0.25,
        n_jobs=1,
    )
    unpenalised = result.table[0]
    assert result.best["params"]["l2"] > 0
    assert result.best["val_mean"] - unpenalised["val_mean"] > result.best["val_se"]
    # The penalty visibly shrinks the weights, monotonically in l2.
    norms = [row["weight_norm"] for row in result.table]
    assert norms == sorted(norms, reverse=True)
    assert result.refits["best"]["test_score"] > 0.8
    assert result.simplest["params"]["l2"] >= result.best["params"]["l2"]


def test_results_do_not_depend_on_worker_count(cancer):
    X, y = cancer
    kwargs = dict(grid={"l2": [0.0, 1e-2], "dropout": [0.0, 0.2]}, params=FAST, cv=3)
    one = sweep(X, y, n_jobs=1, **kwargs)
    two = sweep(X, y, n_jobs=2, **kwargs)
    assert comparable(one) == comparable(two)
    for a, b in zip(one.table, two.table):
        assert {k: v for k, v in a.items() if k != "fit_time"} == {
            k: v for k, v in b.items() if k != "fit_time"
        }


def test_rerun_skips_finished_fits_and_resumes_a_partial_file(cancer, tmp_path):
    X, y = cancer
    path = tmp_path / "results.jsonl"
    kwargs = dict(grid={"l1": [0.0, 1e-3, 1e-2]}, params=FAST, cv=3, n_jobs=1, results=path)
    full = sweep(X, y, **kwargs)
    lines = path.read_text().splitlines()
    assert (
        len(lines)
        == full.n_fits_run
        == 3 * 3 + len({json.dumps(r["params"]) for r in full.refits.values()})
    )
    again = sweep(X, y, **kwargs)
    assert again.n_fits_run == 0 and again.n_fits_reused == full.n_fits_run
    # Keep 4 complete lines and half of the fifth, as a crash would.
    path.write_text("\n".join(lines[:4]) + "\n" + lines[4][:20])
    with pytest.warns(UserWarning, match="incomplete"):
        resumed = sweep(X, y, **kwargs)
    assert resumed.n_fits_reused == 4
    assert resumed.n_fits_run == full.n_fits_run - 4
    assert comparable(resumed) == comparable(full)
    assert len(path.read_text().splitlines()) == full.n_fits_run


def test_a_results_file_of_another_sweep_is_refused(cancer, tmp_path):
    X, y = cancer
    path = tmp_path / "results.jsonl"
    sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, n_jobs=1, results=path, refit=False)
    with pytest.raises(ConfigError, match="different sweep"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, n_jobs=1, results=path, seed=1)


@pytest.mark.slow
def test_a_killed_sweep_resumes_to_the_same_result(cancer, tmp_path):
    """SIGKILL a sweep running in another process, then finish it here."""
    X, y = cancer
    data = tmp_path / "data.npz"
    np.savez(data, X=X, y=y)
    path = tmp_path / "results.jsonl"
    params = dict(FAST, max_iter=60)
    grid = {"l2": [0.0, 1e-4, 1e-3, 1e-2, 1e-1], "dropout": [0.0, 0.3]}
    script = textwrap.dedent(
        f"""
        import numpy as np
        from leannet.sweep import sweep
        d = np.load({str(data)!r})
        sweep(d["X"], d["y"], grid={grid!r}, params={params!r}, cv=3, n_jobs=1,
              results={str(path)!r})
        """
    )
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if path.exists() and path.read_text().count("\n") >= 3:
                break
            if proc.poll() is not None:
                pytest.fail("the sweep process ended before it could be interrupted")
            time.sleep(0.05)
        else:
            pytest.fail("no results appeared within 60 s")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    done_before = len(path.read_text().splitlines())
    assert 3 <= done_before < 30
    resumed = sweep(X, y, grid=grid, params=params, cv=3, n_jobs=1, results=path)
    assert resumed.n_fits_reused >= 3
    reference = sweep(X, y, grid=grid, params=params, cv=3, n_jobs=1)
    assert comparable(resumed) == comparable(reference)


def test_warm_path_starts_like_the_strongest_cold_fit(cancer):
    X, y = cancer
    result = sweep(
        X,
        y,
        grid={"l2": [0.0, 1e-3, 1e-1]},
        params=dict(FAST, tol=1e-3),
        cv=3,
        n_jobs=1,
        warm_path=True,
    )
    warm = result.warm
    assert [row["params"]["l2"] for row in warm["rows"]] == [1e-1, 1e-3, 0.0]
    strongest = next(r for r in result.table if r["params"]["l2"] == 1e-1)
    assert warm["rows"][0]["warm_val_mean"] == strongest["val_mean"]
    assert warm["rows"][0]["warm_epochs"] == strongest["n_iter"]
    assert warm["warm_epochs"] > 0 and warm["cold_epochs"] > 0
    with pytest.raises(ConfigError, match="one penalty"):
        sweep(X, y, grid={"l2": [0.0], "l1": [0.0]}, params=FAST, cv=2, n_jobs=1, warm_path=True)


def test_select_picks_best_and_simplest_within_one_standard_error():
    def row(l2, mean, se):
        return {"params": {"l2": l2}, "val_mean": mean, "val_se": se}

    table = [
        row(0.0, 0.90, 0.01),
        row(1e-3, 0.95, 0.02),
        row(1e-2, 0.94, 0.01),
        row(1e-1, 0.92, 0.01),
    ]
    best, simplest = select(table, ["l2"])
    assert best["params"]["l2"] == 1e-3
    assert simplest["params"]["l2"] == 1e-2  # 0.94 >= 0.95 - 0.02; 0.92 is not
    table.append(row(1.0, float("nan"), float("nan")))  # diverged settings are never chosen
    assert select(table, ["l2"])[0]["params"]["l2"] == 1e-3


def test_report_files(cancer, tmp_path):
    X, y = cancer
    result = sweep(X, y, grid={"l2": [0.0, 1e-2, 1e-1]}, params=FAST, cv=2, n_jobs=1)
    paths = result.write_report(tmp_path / "rep", pdf=False)
    md = paths["md"].read_text()
    for row in result.table:
        assert f"l2={row['params']['l2']}" in md
    assert "best" in md and "1-SE" in md and "(sweep.png)" in md
    assert paths["figure"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "data:image/png;base64," in paths["html"].read_text()
    assert "\\begin{tabular}" in paths["tex"].read_text()
    assert not list((tmp_path / "rep").glob(".*tmp"))  # atomic writes leave no temp files


@pytest.mark.slow
def test_report_pdf_when_a_tex_engine_is_installed(cancer, tmp_path):
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    X, y = cancer
    result = sweep(X, y, grid={"l2": [0.0, 1e-2]}, params=FAST, cv=2, n_jobs=1, warm_path=True)
    paths = result.write_report(tmp_path / "rep")
    assert paths["pdf"].read_bytes()[:5] == b"%PDF-", paths["pdf_message"]


def test_folds_larger_than_a_class_count_are_refused(cancer):
    X, y = cancer
    y = y.copy()
    y[:3] = 2  # a third class with 3 samples
    with pytest.raises(ConfigError, match=r"cv=5 folds but class 2 has only \d+ training samples"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=5, test_size=0.0, n_jobs=1)
    with pytest.raises(ConfigError, match="cv must be"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=1, n_jobs=1)


def test_unknown_grid_parameter_is_refused_before_fitting(cancer):
    X, y = cancer
    with pytest.raises(ConfigError, match="'dropuot'.*did you mean 'dropout'"):
        sweep(X, y, grid={"dropuot": [0.1]}, cv=2, n_jobs=1)


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_fast_and_clearly(cancer):
    X, y = cancer
    port = _free_loopback_port()
    start = time.monotonic()
    with pytest.raises(
        ConfigError, match=rf"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"
    ):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, scheduler=f"tcp://127.0.0.1:{port}")
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    "address", ["127.0.0.1:8786", "tcp://127.0.0.1", "http://x:1", "tcp://h:99999"]
)
def test_malformed_scheduler_address(cancer, address):
    X, y = cancer
    with pytest.raises(ConfigError, match="tcp://HOST:PORT"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, scheduler=address)


def test_scheduler_and_local_cluster_are_exclusive(cancer):
    X, y = cancer
    with pytest.raises(ConfigError, match="not both"):
        sweep(
            X,
            y,
            grid={"l2": [0.0]},
            params=FAST,
            cv=2,
            scheduler="tcp://127.0.0.1:1",
            dask_workers=2,
        )


def test_regression_sweep_standardises_targets_and_scores_on_the_original_scale():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)  # targets 25..346: raw, a network barely moves
    kw = dict(
        grid={"l2": [0.0, 1e-1]},
        params={"hidden_layer_sizes": (16,), "max_iter": 100, "learning_rate": 0.01},
        cv=3,
        n_jobs=1,
        warm_path=True,
    )
    scaled = sweep(X, y, standardize=True, **kw)
    assert scaled.task == "regression" and scaled.scoring == "r2"
    assert scaled.estimator == "standardised target: StandardScaler → LeanRegressor"
    assert scaled.best["val_mean"] > 0.3
    raw = sweep(X, y, standardize=False, **kw)
    assert raw.best["val_mean"] < scaled.best["val_mean"] - 0.2
    # The warm path runs through the target wrapper (its first step is the cold fit).
    strongest = next(r for r in scaled.table if r["params"]["l2"] == 1e-1)
    assert scaled.warm["rows"][0]["warm_val_mean"] == strongest["val_mean"]
    assert scaled.warm["rows"][1]["warm_val_mean"] != scaled.table[0]["val_mean"]


@pytest.mark.parametrize(
    ("y", "task"),
    [
        (np.array(["a", "b", "a"]), "classification"),
        (np.array([0, 1, 2, 1]), "classification"),
        (np.array([1.0, 2.0, 1.0]), "classification"),
        (np.arange(30.0), "regression"),  # 30 distinct whole numbers: a quantity
        (np.array([0.5, 1.0, 2.0]), "regression"),
    ],
)
def test_task_inference(y, task):
    from leannet.datasets import infer_task

    assert infer_task(y) == task


def test_unknown_scorer_is_refused(cancer):
    X, y = cancer
    with pytest.raises(ConfigError, match="scoring='acuracy' is not a scikit-learn scorer"):
        sweep(X, y, grid={"l2": [0.0]}, params=FAST, cv=2, n_jobs=1, scoring="acuracy")


def test_sweeping_the_seed_keeps_the_given_seeds(cancer):
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    from leannet.sklearn import LeanClassifier
    from leannet.sweep.tasks import weight_stats

    X, y = cancer
    result = sweep(X, y, grid={"random_state": [1, 2]}, params=FAST, cv=2, n_jobs=1, test_size=0)
    chosen = result.refits["best"]["params"]["random_state"]
    with threadpool_limits(1):  # as in the sweep's workers
        with pytest.warns(ConvergenceWarning):
            direct = LeanClassifier(**FAST, random_state=chosen).fit(X, y)
    assert result.refits["best"]["weight_norm"] == weight_stats(direct)[0]


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 0.2)), min_size=1, max_size=8, unique_by=lambda t: t
    )
)
def test_select_properties(scores):
    table = [
        {"params": {"l2": 10.0**-i}, "val_mean": mean, "val_se": se}
        for i, (mean, se) in enumerate(scores)
    ]
    best, simplest = select(table, ["l2"])
    assert best["val_mean"] == max(r["val_mean"] for r in table)
    assert simplest["val_mean"] >= best["val_mean"] - best["val_se"]
    assert simplest["params"]["l2"] >= best["params"]["l2"]  # never less regularised
    # No setting within one SE of the best is more regularised than the choice.
    within = [r for r in table if r["val_mean"] >= best["val_mean"] - best["val_se"]]
    assert simplest["params"]["l2"] == max(r["params"]["l2"] for r in within)
