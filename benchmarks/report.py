"""Markdown report of the benchmark results (tables, ratios and the issue-5 targets)."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
from importlib import metadata
from pathlib import Path

NAMES = {
    "leannet": "leannet",
    "torch": "PyTorch (eager)",
    "torch_fused": "PyTorch, fused optimizer",
    "sklearn": "scikit-learn MLP",
    "numpy": "NumPy loop",
    "gemm": "GEMM floor",
}
TITLES = {
    "W1": "W1 MNIST-shaped 60k×784, 784-128-10, Adam, batch 128, 1 epoch",
    "W2": "W2 seeds' 10-8-4 tanh, 200 samples, full-batch SGD + L2, 500 epochs",
    "W3": "W3 digits 64-128-10, Adam, batch 32, 50 epochs",
}
#: Training memory allowed above the data set in W4: a constant plus index arrays.
W4_MEM_CONST_MB, W4_MEM_BYTES_PER_SAMPLE = 64.0, 16
W4_LINEAR_MAX = 1.25  # best µs/sample at the largest n ÷ at the smallest n
MMAP_MIN_RATIO = 3.0  # file size ÷ peak private memory


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(threads: int, quick: bool, repeats: int, grow_repeats: int) -> dict:
    """What the numbers depend on: hardware, thread count, library versions, mode."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "threads": threads,
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "torch": _version("torch"),
        "sklearn": _version("scikit-learn"),
        "commit": _commit(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": os.getloadavg()[0],
        "quick": quick,
        "repeats": repeats,
        "grow_repeats": grow_repeats,
    }


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _ok(result: dict | None) -> bool:
    return bool(result) and "error" not in result


class _Targets:
    """Collects (target, measured, status) rows; status says by how much a miss is."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def time_ratio(self, label: str, ratio: float | None, bound: float, faster: bool) -> None:
        """``ratio`` is leannet ÷ peer (``faster=False``, must be ≤ bound) or peer ÷ leannet
        (``faster=True``, must be ≥ bound). A miss reports how much time leannet must lose."""
        if ratio is None:
            self.rows.append([label, "n/a", "not measured"])
            return
        met = ratio >= bound if faster else ratio <= bound
        shown = f"{ratio:.2f}×"
        cut = (1 - ratio / bound) if faster else (1 - bound / ratio)
        status = "met" if met else f"**missed**: needs {cut:.0%} less time"
        self.rows.append([label, shown, status])

    def check(self, label: str, shown: str, met: bool | None, why: str = "") -> None:
        status = "n/a" if met is None else ("met" if met else f"**missed** {why}".rstrip())
        self.rows.append([label, shown, status])


def render(results: dict) -> tuple[str, list[str]]:
    """The Markdown report and a list of errors (failed measurements)."""
    meta = results["meta"]
    errors: list[str] = []
    out = [
        "# leannet benchmarks" + (" (--quick: small sizes, not comparable)" * meta["quick"]),
        "",
        f"Machine: {meta['cpu']}, {meta['cores']} cores, {meta['threads']} threads for every "
        f"library · Python {meta['python']} · NumPy {meta['numpy']} · PyTorch {meta['torch']} · "
        f"scikit-learn {meta['sklearn']} · leannet {meta['commit']} · {meta['date']}",
        "",
        f"Times are medians of {meta['repeats']} runs (W4: {meta['grow_repeats']}) after a "
        "warm-up. Each implementation runs in its own process; in W1-W3 (and across W4's "
        "sizes) they take turns, one training each per round after a 0.3 s pause, so that "
        "load from other jobs hits all alike, and "
        "*leannet ÷ this* is the median over rounds of leannet's time ÷ this one's in the "
        "same round (below 1: leannet is faster). *Training memory* is the peak "
        "resident memory during training "
        "minus the resident memory before it (libraries and data already loaded).",
        "",
    ]
    targets = _Targets()
    for workload in ("W1", "W2", "W3"):
        if workload in results:
            out += _train_table(workload, results[workload], targets, errors)
    if "W4_samples" in results:
        out += _w4_tables(results, targets, errors)
    if targets.rows:
        out += ["## Targets (issue 5)", ""]
        out += _table(["target", "measured", "status"], targets.rows)
    if "total_s" in meta:
        out.append(
            f"Total benchmark time: {meta['total_s']:.0f} s. One-minute load average of the "
            f"machine: {meta['load_start']:.1f} at the start, {meta['load_end']:.1f} at the end "
            f"({meta['cores']} cores; above that, other processes competed for the CPU)."
        )
    return "\n".join(out).rstrip() + "\n", errors


def _train_table(workload: str, res: dict, targets: _Targets, errors: list[str]) -> list[str]:
    lean = res.get("leannet")
    lean_t = lean["median_s"] if _ok(lean) else None

    def paired(peer: dict) -> float:
        """leannet ÷ peer: the median of the per-round ratios (both ran in the same round,
        under the same machine load), or of the medians where rounds don't pair up."""
        a, b = lean.get("times", []), peer.get("times", [])
        if a and len(a) == len(b):
            return statistics.median(x / y for x, y in zip(a, b, strict=True))
        return lean_t / peer["median_s"]

    rows = []
    for impl, r in res.items():
        name = NAMES[impl]
        if not _ok(r):
            errors.append(f"{workload} {impl}: {r.get('error')}")
            rows.append([name] + ["error"] * 6)
            continue
        t = r["median_s"]
        rows.append(
            [
                name,
                f"{t:.4f}",
                f"{1e6 * t / r['steps']:.1f}",
                f"{paired(r):.2f}" if lean_t else "—",
                f"{r['peak_rss_mb']:.0f}",
                f"{max(0.0, r['peak_rss_mb'] - r['rss_setup_mb']):.1f}",
                "—" if r["accuracy"] is None else f"{100 * r['accuracy']:.1f} %",
            ]
        )
    header = [
        "implementation",
        "time (s)",
        "µs / step",
        "leannet ÷ this",
        "peak RSS (MB)",
        "training memory (MB)",
        "test accuracy",
    ]
    n, steps = next(((r["n_train"], r["steps"]) for r in res.values() if _ok(r)), (None, None))
    lines = [f"## {TITLES[workload]}", ""]
    if n:
        lines += [f"{n} training samples, {steps} optimizer steps.", ""]

    def ratio(peer: str, inverse: bool = False) -> float | None:
        r = res.get(peer)
        if not (lean_t and _ok(r)):
            return None
        return 1.0 / paired(r) if inverse else paired(r)

    if workload == "W1":
        targets.time_ratio("W1 leannet ≤ 0.67 × PyTorch", ratio("torch"), 0.67, False)
        targets.time_ratio("W1 leannet ≤ 0.67 × scikit-learn", ratio("sklearn"), 0.67, False)
        targets.time_ratio("W1 leannet ≤ 1.5 × GEMM floor", ratio("gemm"), 1.5, False)
    elif workload == "W2":
        targets.time_ratio("W2 leannet ≥ 4× faster than PyTorch", ratio("torch", True), 4.0, True)
        targets.time_ratio(
            "W2 leannet ≥ 4× faster than scikit-learn", ratio("sklearn", True), 4.0, True
        )
    elif workload == "W3":
        targets.time_ratio("W3 leannet ≤ 1 × PyTorch", ratio("torch"), 1.0, False)
        targets.time_ratio("W3 leannet ≤ 1 × scikit-learn", ratio("sklearn"), 1.0, False)
        for peer in ("torch", "sklearn"):
            r = res.get(peer)
            if _ok(lean) and _ok(r):
                a, b = 100 * lean["accuracy"], 100 * r["accuracy"]
                targets.check(
                    f"W3 accuracy within 1 point of {NAMES[peer]}",
                    f"{a:.1f} % vs {b:.1f} %",
                    a >= b - 1.0,
                    f"by {b - 1.0 - a:.1f} points",
                )
    return lines + _table(header, rows)


def _w4_tables(results: dict, targets: _Targets, errors: list[str]) -> list[str]:
    samples = results["W4_samples"]
    lines = ["## W4 growth: 100 features, 100-128-10, Adam, batch 128, one epoch", ""]
    for impl, runs in samples.items():
        for r in runs:
            if not _ok(r):
                errors.append(f"W4 samples {impl}: {r.get('error')}")
    lean = [r for r in samples.get("leannet", []) if _ok(r)]
    by_n: dict[int, dict[str, dict]] = {}
    for impl, runs in samples.items():
        for r in runs:
            if _ok(r):
                by_n.setdefault(r["n"], {})[impl] = r
    rows = []
    for n in sorted(by_n):
        cell = by_n[n]
        lr = cell.get("leannet")

        def t(impl: str, cell: dict = cell) -> str:
            return f"{cell[impl]['median_s']:.3f}" if impl in cell else "—"

        any_r = next(iter(cell.values()))
        overhead = (
            lr["peak_rss_mb"] - lr["rss_start_mb"] - lr["data_mb"] if lr is not None else None
        )
        rows.append(
            [
                f"{n:,}",
                f"{any_r['data_mb']:.1f}",
                t("leannet"),
                f"{lr.get('min_s', lr['median_s']):.3f}" if lr else "—",
                f"{1e6 * lr.get('min_s', lr['median_s']) / n:.2f}" if lr else "—",
                t("torch"),
                t("gemm"),
                f"{lr['peak_rss_mb']:.0f}" if lr else "—",
                f"{overhead:.1f}" if overhead is not None else "—",
            ]
        )
    lines += ["Time per epoch as the number of samples grows:", ""]
    lines += _table(
        [
            "samples",
            "data (MB)",
            "leannet (s)",
            "leannet best (s)",
            "leannet best µs / sample",
            "PyTorch (s)",
            "GEMM floor (s)",
            "leannet peak RSS (MB)",
            "leannet peak − (libraries + data) (MB)",
        ],
        rows,
    )
    if len(lean) >= 2:
        # The fastest run at each size: the one least disturbed by other jobs on the machine.
        per = [r.get("min_s", r["median_s"]) / r["n"] for r in sorted(lean, key=lambda r: r["n"])]
        growth = per[-1] / per[0]
        targets.check(
            f"W4 linear in samples (best µs/sample, largest ÷ smallest n ≤ {W4_LINEAR_MAX})",
            f"{growth:.2f}",
            growth <= W4_LINEAR_MAX,
        )
        worst = max(
            r["peak_rss_mb"]
            - r["rss_start_mb"]
            - r["data_mb"]
            - r["n"] * W4_MEM_BYTES_PER_SAMPLE / 2**20
            for r in lean
        )
        targets.check(
            f"W4 memory ≤ data + {W4_MEM_CONST_MB:.0f} MB + {W4_MEM_BYTES_PER_SAMPLE} B/sample",
            f"worst excess over data and indices {worst:.1f} MB",
            worst <= W4_MEM_CONST_MB,
            f"by {worst - W4_MEM_CONST_MB:.0f} MB",
        )

    widths = results.get("W4_width", {})
    for impl, r in widths.items():
        if not _ok(r):
            errors.append(f"W4 width {impl}: {r.get('error')}")
    ok_widths = {impl: r for impl, r in widths.items() if _ok(r)}
    if ok_widths:
        n = next(iter(ok_widths.values()))["n"]
        keys = sorted({int(w) for r in ok_widths.values() for w in r["median_s"]})
        rows = []
        for w in keys:

            def tw(impl: str, w: int = w) -> float | None:
                r = ok_widths.get(impl)
                return r["median_s"].get(str(w)) if r else None

            lean_w, gemm_w = tw("leannet"), tw("gemm")
            rows.append(
                [
                    str(w),
                    f"{lean_w:.4f}" if lean_w else "—",
                    f"{tw('torch'):.4f}" if tw("torch") else "—",
                    f"{gemm_w:.4f}" if gemm_w else "—",
                    f"{lean_w / gemm_w:.2f}" if lean_w and gemm_w else "—",
                ]
            )
        lines += [f"Time per epoch ({n:,} samples) as the hidden layer widens:", ""]
        lines += _table(
            ["hidden width", "leannet (s)", "PyTorch (s)", "GEMM floor (s)", "leannet ÷ GEMM"], rows
        )

    mm = results.get("W4_mmap")
    if mm is not None:
        if not _ok(mm):
            errors.append(f"W4 mmap: {mm.get('error')}")
            targets.check("W4 trains from a memory-mapped .npy", "error", False)
        else:
            ratio = mm["file_mb"] / mm["peak_anon_mb"]
            lines += [
                'Training one epoch straight from `np.load(path, mmap_mode="r")`, with the '
                f"process's private memory capped at {mm['data_limit_mb']} MB (`RLIMIT_DATA`; "
                "a read-only file mapping does not count against it, a copy of the data would):",
                "",
            ]
            lines += _table(
                [
                    "rows",
                    "file (MB)",
                    "epoch (s)",
                    "peak private RSS (MB)",
                    "peak RSS incl. cached file pages (MB)",
                    "file ÷ private peak",
                    "np.array(X) under the cap",
                ],
                [
                    [
                        f"{mm['n']:,}",
                        f"{mm['file_mb']:.0f}",
                        f"{mm['median_s']:.2f}",
                        f"{mm['peak_anon_mb']:.0f}",
                        f"{mm['peak_rss_mb']:.0f}",
                        f"{ratio:.1f}",
                        "refused (MemoryError)" if mm.get("copy_refused") else "allowed",
                    ]
                ],
            )
            targets.check(
                f"W4 memory-mapped file ≥ {MMAP_MIN_RATIO:.0f}× the peak private memory",
                f"{ratio:.1f}×",
                ratio >= MMAP_MIN_RATIO,
            )
    return lines
