"""Resuming from the results file: reruns, partial files, foreign files, a killed sweep."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from leannet.errors import ConfigError
from leannet.sweep import sweep

from ._helpers import FAST, SRC, comparable


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
