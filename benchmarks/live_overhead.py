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


def fit(X, y, epochs: int, live: ln.LivePlot | None) -> float:
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
    start = time.perf_counter()
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
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n, epochs, repeats = (300, 20, 1) if args.quick else (1500, 300, args.repeats)
    X, y = spiral(n)
    plain, watched, redraws, drawing = [], [], [], []
    from rich.console import Console

    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats):
            plain.append(fit(X, y, epochs, None))
            live = ln.LivePlot(data=(X, y), path=Path(tmp) / "live.png")
            live._bar.console = Console(file=io.StringIO())  # the bar runs, its text is dropped
            watched.append(fit(X, y, epochs, live))
            redraws.append(live.redraws)
            drawing.append(live.draw_seconds)
    t0, t1 = statistics.median(plain), statistics.median(watched)
    print(
        f"workload: 3-class spiral, {len(X)} rows (80% train), 2-64-64-3, Adam, batch 64, "
        f"{epochs} epochs; {repeats} runs each, alternating"
    )
    print(f"without LivePlot: {t0:.3f} s (median)   with LivePlot: {t1:.3f} s (median)")
    print(
        f"ratio with/without: {t1 / t0:.3f}  -> overhead {100 * (t1 / t0 - 1):.1f} % "
        f"(target: under 10 %)"
    )
    print(
        f"redraws per run: {redraws}; drawing time per run: "
        + ", ".join(f"{d:.3f} s" for d in drawing)
        + f" ({100 * statistics.median(drawing) / t1:.1f} % of the watched run)"
    )


if __name__ == "__main__":
    main()
