"""What watching training costs: the same fit with and without ``ln.LivePlot``.

The live view draws the loss curves, data loss vs penalty and the decision boundary of
a 2-D problem (rendered to PNG exactly as in Jupyter; here written to a temporary file,
since a script has no notebook to display in) and shows the rich progress bar. Runs
alternate (plain, live, plain, live, ...) so that a busy machine affects both alike;
the script prints the median times, their ratio and the live view's own count of
redraws and drawing time.

    python benchmarks/live_overhead.py            # about a minute
    python benchmarks/live_overhead.py --quick    # a few seconds (smoke run)
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import leannet as ln


def spiral(n_per_class: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k in range(3):
        r = np.linspace(0.05, 1, n_per_class)
        t = np.linspace(k * 4, (k + 1) * 4, n_per_class) + rng.normal(0, 0.2, n_per_class)
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y.append(np.full(n_per_class, k))
    return np.concatenate(X).astype(np.float32), np.concatenate(y)


def fit(X, y, epochs: int, live: ln.LivePlot | None) -> tuple[float, float]:
    """Train once; return (wall seconds, CPU seconds of this process)."""
    net = ln.Sequential(
        [
            ln.Dense(2, 64, weight_regularizer=ln.L2(1e-4)),
            ln.ReLU(),
            ln.Dense(64, 64),
            ln.ReLU(),
            ln.Dense(64, 3),
            ln.Softmax(),
        ],
        seed=0,
    )
    start, cpu = time.perf_counter(), time.process_time()
    net.fit(
        X,
        y,
        loss="categorical_cross_entropy",
        optimizer=ln.Adam(lr=3e-3),
        epochs=epochs,
        batch_size=64,
        validation_split=0.2,
        callbacks=[live] if live else None,
    )
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    n, epochs, repeats = (300, 20, 1) if args.quick else (1500, 300, args.repeats)
    X, y = spiral(n)
    times = {"plain": [], "live": []}
    cpus = {"plain": [], "live": []}
    redraws, drawing = [], []
    from rich.console import Console

    with tempfile.TemporaryDirectory() as tmp:
        # untimed warm-up: imports matplotlib and rich once, as a notebook session already has
        warm = ln.LivePlot(data=(X, y), path=Path(tmp) / "warm.png")
        warm._bar.console = Console(file=io.StringIO())
        fit(X, y, 2, warm)
        for _ in range(repeats):
            wall, cpu = fit(X, y, epochs, None)
            times["plain"].append(wall)
            cpus["plain"].append(cpu)
            live = ln.LivePlot(data=(X, y), path=Path(tmp) / "live.png")
            live._bar.console = Console(file=io.StringIO())  # the bar runs, its text is dropped
            wall, cpu = fit(X, y, epochs, live)
            times["live"].append(wall)
            cpus["live"].append(cpu)
            redraws.append(live.redraws)
            drawing.append(live.draw_seconds)
    t0, t1 = statistics.median(times["plain"]), statistics.median(times["live"])
    c0, c1 = statistics.median(cpus["plain"]), statistics.median(cpus["live"])
    print(
        f"workload: 3-class spiral, {len(X)} rows (80% train), 2-64-64-3, Adam, batch 64, "
        f"{epochs} epochs; {repeats} runs each, alternating"
    )
    print(
        f"wall time: without LivePlot {t0:.3f} s, with {t1:.3f} s (medians); "
        f"ratio {t1 / t0:.3f} -> overhead {100 * (t1 / t0 - 1):.1f} % (target: under 10 %)"
    )
    print(
        f"CPU time of this process (less sensitive to other work on the machine): "
        f"{c0:.3f} s vs {c1:.3f} s; ratio {c1 / c0:.3f} -> overhead {100 * (c1 / c0 - 1):.1f} %"
    )
    print(
        f"redraws per run: {redraws}; drawing time per run: "
        + ", ".join(f"{d:.3f} s" for d in drawing)
        + f" ({100 * statistics.median(drawing) / t1:.1f} % of the watched run's wall time)"
    )


if __name__ == "__main__":
    main()
