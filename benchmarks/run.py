"""Benchmark leannet against PyTorch (CPU, eager), scikit-learn and plain NumPy.

Usage (from the repository root)::

    python benchmarks/run.py            # full run: 1-3 minutes on a quiet 2-core machine
    python benchmarks/run.py --quick    # small sizes, a smoke test (about 30 s)

Prints a Markdown report on stdout (progress goes to stderr): median of several repeats,
time ratios, the GEMM floor, peak memory and accuracy for workloads W1-W4 of issue 5,
and whether each target is met. Every measurement runs in its own process
(``worker.py``) with the same thread count for every library. Peers come from the
``bench`` extra: ``pip install "leannet[bench]"``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import workloads as wl  # noqa: E402

ALL_IMPLS = ("leannet", "torch", "torch_fused", "sklearn", "numpy", "gemm")
ALL_WORKLOADS = ("W1", "W2", "W3", "W4")
SETTLE_S = 0.3  # pause before each timed training (see run_interleaved); none in --quick


def _worker_env(threads: int) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    # Run leannet from this checkout's src/ without installing it.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def run_worker(job: dict, threads: int, timeout: float = 900.0) -> dict:
    """Run one measurement in a fresh process; returns its result or ``{"error": ...}``."""
    label = " ".join(str(job[k]) for k in ("kind", "workload", "impl", "n") if k in job)
    print(f"  {label} ...", file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(
            [sys.executable, str(HERE / "worker.py"), json.dumps(job)],
            capture_output=True,
            text=True,
            env=_worker_env(threads),
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    message = proc.stderr.strip() or proc.stdout.strip() or f"exit code {proc.returncode}"
    return {"error": message.splitlines()[-1]}


class _TrainWorker:
    """A persistent training worker process (see ``worker.serve``)."""

    def __init__(self, job: dict, threads: int) -> None:
        self.impl = job["impl"]
        self.error: str | None = None
        self.times: list[float] = []
        self.accuracies: list[float] = []
        self._stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "worker.py"), json.dumps(job)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=_worker_env(threads),
        )

    def _read(self, prefix: str) -> str | None:
        """The next stdout line starting with ``prefix`` (its remainder), or None if it died."""
        for line in self.proc.stdout:
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
        self._stderr.seek(0)
        lines = self._stderr.read().strip().splitlines() or [f"exit code {self.proc.wait()}"]
        self.error = lines[-1]
        return None

    def ready(self) -> None:
        self._read("READY")

    def _ask(self, command: str) -> str | None:
        """Send one command line; the answer, or None if the worker has died."""
        try:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # it died: _read collects its last error line
        return self._read("RESULT ")

    def run_once(self, timed: bool) -> None:
        if self.error:
            return
        answer = self._ask("run")
        if answer is not None and timed:
            result = json.loads(answer)
            self.times.append(result["time"])
            if result["accuracy"] is not None:
                self.accuracies.append(result["accuracy"])

    def finish(self) -> dict:
        answer = None if self.error else self._ask("finish")
        self.proc.wait()
        self._stderr.close()
        if self.error:
            return {"error": self.error}
        result = json.loads(answer)
        result.update(
            times=self.times,
            median_s=statistics.median(self.times),
            min_s=min(self.times),
            accuracy=statistics.median(self.accuracies) if self.accuracies else None,
        )
        return result


def run_interleaved(
    jobs: list[dict], rounds: int, threads: int, settle: float = SETTLE_S
) -> list[dict]:
    """Time every job in turn, round after round, each in its own process.

    Round 0 is a warm-up. Interleaving makes a change in the machine's load (other jobs
    on a shared machine) hit every implementation and size alike instead of whichever
    ran then; the order rotates every round. Returns one result per job, in order.
    """
    names = ", ".join(f"{j['impl']}" + (f" n={j['n']:,}" if "n" in j else "") for j in jobs)
    print(f"  {jobs[0]['workload']}: starting {names}", file=sys.stderr, flush=True)
    workers = [_TrainWorker(job, threads) for job in jobs]
    for worker in workers:
        worker.ready()
    for round_ in range(rounds + 1):
        print(f"  {jobs[0]['workload']}: round {round_}/{rounds}", file=sys.stderr, flush=True)
        shift = round_ % len(workers)
        for worker in workers[shift:] + workers[:shift]:
            # Let the previous worker's BLAS threads stop spinning first: OpenBLAS keeps
            # them busy-waiting for about 0.1 s after its last call, which would steal
            # a core from whichever worker runs next.
            time.sleep(settle)
            worker.run_once(timed=round_ > 0)
    return [worker.finish() for worker in workers]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument(
        "--threads",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="threads for every library (default: the cores available)",
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="timed runs (default 7, W4 5; --quick 2, W4 1)"
    )
    parser.add_argument("--workloads", default=",".join(ALL_WORKLOADS), help="e.g. W1,W3")
    parser.add_argument("--impls", default=",".join(ALL_IMPLS), help="e.g. leannet,torch")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)

    workloads = [w.strip().upper() for w in args.workloads.split(",") if w.strip()]
    impls = [i.strip() for i in args.impls.split(",") if i.strip()]
    unknown = sorted(set(workloads) - set(ALL_WORKLOADS)) + sorted(set(impls) - set(ALL_IMPLS))
    if unknown or args.threads < 1:
        parser.error(f"unknown workloads/implementations {unknown} or --threads < 1")
    repeats = args.repeats or (2 if args.quick else 7)
    grow_repeats = args.repeats or (1 if args.quick else 5)
    base = {"quick": args.quick, "seed": args.seed}
    settle = 0.0 if args.quick else SETTLE_S
    results: dict = {"meta": report.machine(args.threads, args.quick, repeats, grow_repeats)}
    started = time.perf_counter()

    for workload in [w for w in workloads if w != "W4"]:
        print(f"{workload}:", file=sys.stderr)
        jobs = [{**base, "kind": "serve", "workload": workload, "impl": i} for i in impls]
        results[workload] = dict(
            zip(impls, run_interleaved(jobs, repeats, args.threads, settle), strict=True)
        )

    if "W4" in workloads:
        print("W4:", file=sys.stderr)
        grow_impls = [i for i in impls if i in ("leannet", "torch", "gemm")]
        samples = wl.W4_SAMPLES_QUICK if args.quick else wl.W4_SAMPLES
        jobs = [
            {**base, "kind": "serve", "workload": "W4", "impl": impl, "n": n}
            for impl in grow_impls
            for n in samples
            if impl != "torch" or n <= wl.W4_TORCH_MAX_SAMPLES
        ]
        grown = run_interleaved(jobs, grow_repeats, args.threads, settle)
        results["W4_samples"] = {
            impl: [r for job, r in zip(jobs, grown, strict=True) if job["impl"] == impl]
            for impl in grow_impls
        }
        widths = wl.W4_WIDTHS_QUICK if args.quick else wl.W4_WIDTHS
        n_width = wl.W4_WIDTH_SAMPLES_QUICK if args.quick else wl.W4_WIDTH_SAMPLES
        results["W4_width"] = {
            impl: run_worker(
                {
                    **base,
                    "kind": "width",
                    "impl": impl,
                    "n": n_width,
                    "widths": list(widths),
                    "repeats": grow_repeats,
                },
                args.threads,
            )
            for impl in grow_impls
        }
        if "leannet" in impls:
            results["W4_mmap"] = _mmap(args, base)

    results["meta"]["total_s"] = time.perf_counter() - started
    results["meta"]["load_end"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    text, errors = report.render(results)
    print(text)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


def _mmap(args: argparse.Namespace, base: dict) -> dict:
    """Write a float32 ``.npy`` larger than the private-memory cap, then train on it."""
    import data

    rows = wl.MMAP_ROWS_QUICK if args.quick else wl.MMAP_ROWS
    with tempfile.TemporaryDirectory(prefix="leannet-bench-") as tmp:
        print(f"  writing a {rows * wl.W4_FEATURES * 4 / 2**20:.0f} MB .npy ...", file=sys.stderr)
        x_path, y_path = data.write_npy_dataset(Path(tmp), rows, wl.W4_FEATURES, 10, seed=0)
        job = {
            **base,
            "kind": "mmap",
            "impl": "leannet",
            "x_path": str(x_path),
            "y_path": str(y_path),
            "data_limit_mb": wl.MMAP_DATA_LIMIT_MB,
        }
        return run_worker(job, args.threads)


if __name__ == "__main__":
    sys.exit(main())
