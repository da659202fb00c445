"""One benchmark measurement in a fresh process: ``python worker.py '<json job>'``.

The orchestrator (``run.py``) starts one worker per (workload, implementation), so that
imports of one library never inflate the memory or warm the caches of another, and the
peak resident memory belongs to that measurement alone. Results come back as lines
``RESULT {json}`` on stdout. Training workers (W1-W3, and W4 per data size) stay alive
and train on request (:func:`serve`); the W4 width and memory-map workers measure once
and exit.

Thread counts are fixed by the orchestrator through the environment
(``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``) before NumPy loads;
PyTorch additionally gets ``torch.set_num_threads``.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402
import impls  # noqa: E402
import memory  # noqa: E402
import workloads as wl  # noqa: E402

DATA_SEED = 0


def _timed(run: impls.Run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _load(job: dict) -> tuple[wl.Spec, tuple]:
    """The spec and ``(X, y, X_test, y_test)`` of a job (no test set for W4)."""
    workload, quick = job["workload"], job["quick"]
    if workload == "W1":
        n_train = wl.W1_N_TRAIN // 10 if quick else wl.W1_N_TRAIN
        X, y = data.prototype_classes(n_train + wl.W1_N_TEST, 784, 10, seed=DATA_SEED)
        # Views, not copies: train on the first rows, test on the last.
        return wl.W1, (X[:n_train], y[:n_train], X[n_train:], y[n_train:])
    if workload == "W2":
        return (wl.quick(wl.W2) if quick else wl.W2), data.seeds_tiny()
    if workload == "W3":
        return (wl.quick(wl.W3) if quick else wl.W3), data.digits()
    if workload == "W4":  # one epoch at job["n"] samples
        X, y = data.prototype_classes(job["n"], wl.W4_FEATURES, 10, seed=DATA_SEED)
        return wl.W4, (X, y, None, None)
    raise ValueError(f"unknown workload {workload!r}")


def serve(job: dict) -> None:
    """Load the data, then time one complete training per ``run`` line on stdin.

    The orchestrator keeps one such process per implementation (and, in W4, per data
    size) alive and sends ``run`` to each in turn, so that all see the same machine
    load (the machine may be shared) while each lives in its own process. Protocol
    (one line each): the worker prints ``READY``; each ``run`` answers ``RESULT
    {"time": s, "accuracy": a}`` (a fresh model per run, only the training timed);
    ``finish`` answers ``RESULT {...}`` with the memory readings and ends the worker.
    """
    impl = job["impl"]
    _preimport(impl)
    rss_start = memory.rss_mb()  # libraries loaded, no data yet
    spec, (X, y, X_test, y_test) = _load(job)
    rss_setup = memory.rss_mb()
    memory.reset_peak()
    print("READY", flush=True)
    seed = job["seed"]
    for line in sys.stdin:
        if line.strip() == "finish":
            break
        if impl == "gemm":
            run, predict = impls.gemm_floor(spec, len(X), seed), None
        else:
            run, predict = impls.TRAINERS[impl](spec, X, y, seed)
        elapsed = _timed(run)
        accuracy = None
        if predict is not None and X_test is not None:
            accuracy = float(np.mean(predict(X_test) == y_test))
        seed += 1
        _reply({"time": elapsed, "accuracy": accuracy})
    _reply(
        {
            "n": len(X),
            "steps": spec.steps(len(X)),
            "n_train": len(X),
            "rss_start_mb": rss_start,
            "rss_setup_mb": rss_setup,
            "peak_rss_mb": memory.peak_rss_mb(),
            "data_mb": (X.nbytes + y.nbytes) / memory.MB,
        }
    )


def _reply(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def _warmup(impl: str, spec: wl.Spec, X: np.ndarray, y: np.ndarray, seed: int) -> None:
    """One short untimed training on at most 5,000 rows (lazy imports, thread pools)."""
    rows = min(len(X), 5_000)
    if impl == "gemm":
        impls.gemm_floor(spec, rows, seed)()
    else:
        impls.TRAINERS[impl](spec, X[:rows], y[:rows], seed)[0]()


def _preimport(impl: str) -> None:
    """Import the implementation's library now, so that its code is not counted as data."""
    if impl in ("leannet", "torch", "torch_fused"):
        __import__(impl.removesuffix("_fused"))
    elif impl == "sklearn":
        __import__("sklearn.neural_network")


def width_job(job: dict) -> dict:
    """W4 width: time per epoch for each hidden width (one process, memory not measured)."""
    n, impl = job["n"], job["impl"]
    X, y = data.prototype_classes(n, wl.W4_FEATURES, 10, seed=DATA_SEED)
    medians = {}
    for width in job["widths"]:
        spec = wl.with_width(wl.W4, width)
        _warmup(impl, spec, X, y, job["seed"])
        times = []
        for repeat in range(job["repeats"]):
            if impl == "gemm":
                run = impls.gemm_floor(spec, n, repeat)
            else:
                run, _ = impls.TRAINERS[impl](spec, X, y, job["seed"] + repeat)
            times.append(_timed(run))
        medians[str(width)] = statistics.median(times)
    return {"n": n, "median_s": medians}


def mmap_job(job: dict) -> dict:
    """Train one epoch on a memory-mapped ``.npy`` under a cap on private memory.

    ``RLIMIT_DATA`` limits the process's private writable memory (heap, anonymous maps),
    not read-only file mappings: a read-only memory map of the data does not count, any
    copy of it would, and so would a NumPy buffer that grows with the data set.
    """
    limit = int(job["data_limit_mb"] * memory.MB)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    X = np.load(job["x_path"], mmap_mode="r", allow_pickle=False)
    y = np.load(job["y_path"], allow_pickle=False)
    run, _ = impls.TRAINERS[job["impl"]](wl.W4, X, y, job["seed"])
    memory.reset_peak()
    with memory.AnonPeakSampler() as sampler:
        elapsed = _timed(run)
    # The proof that the cap binds: an in-memory copy of the data is refused.
    try:
        copy = np.array(X)
        del copy
        copy_refused = False
    except MemoryError:
        copy_refused = True
    return {
        "copy_refused": copy_refused,
        "n": len(X),
        "file_mb": Path(job["x_path"]).stat().st_size / memory.MB,
        "median_s": elapsed,
        "peak_rss_mb": memory.peak_rss_mb(),
        "peak_anon_mb": sampler.peak_mb,
        "data_limit_mb": job["data_limit_mb"],
    }


JOBS = {"width": width_job, "mmap": mmap_job}


def main() -> None:
    job = json.loads(sys.argv[1])
    if job["impl"].startswith("torch"):
        import torch

        torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    if job["kind"] == "serve":
        serve(job)
    else:
        _reply(JOBS[job["kind"]](job))


if __name__ == "__main__":
    main()
