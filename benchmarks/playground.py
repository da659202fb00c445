"""Playground speed: training steps per second while the page gets 10+ snapshots a second.

Issue 10's target: a 2-8-8-1 network on 500 training points trains at least 200 steps
per second while snapshots (boundary heat map, unit maps, weights, curves) go out at 10
or more per second. The playground's own training thread (:class:`Runner`) runs at full
speed ("max") with batch size 10; each snapshot is encoded to JSON exactly as the server
sends it, and the next one is allowed as soon as it is encoded (a page that keeps up).

For comparison, the same network trains on the same data with plain ``net.fit`` (the
same engine, no snapshots, no thread) in the same run; rounds alternate so that a busy
machine affects both alike. Printed: medians and the ratio playground / fit.

    python benchmarks/playground.py            # about 20 s
    python benchmarks/playground.py --quick    # a few seconds (smoke run)
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from leannet.builder import build_mlp, build_optimizer
from leannet.lab.training import fit_targets
from leannet.playground.runner import Runner
from leannet.playground.session import Session
from leannet.playground.settings import Settings

SETTINGS = Settings().updated(
    {
        "dataset": "circle",
        "n_points": 1000,
        "train_ratio": 0.5,  # 500 training points
        "hidden": [8, 8],
        "features": ["x1", "x2"],
        "batch_size": 10,
        "optimizer": "sgd",
        "lr": 0.03,
    }
)


def playground_round(seconds: float) -> tuple[float, float, float]:
    """(steps/s, snapshots/s, mean snapshot bytes) of the playground's thread for ``seconds``."""
    session = Session(SETTINGS)
    assert len(session.main.X) == 500 and session.main.net.n_params == 2 * 8 + 8 * 8 + 8 + 8 + 8 + 1
    sizes = []
    runner = None

    def publish(message: dict) -> None:
        if message.get("type") == "snapshot":
            sizes.append(len(json.dumps(message, allow_nan=False)))
            runner.snapshot_sent()

    runner = Runner(session, publish, runs_dir=None)
    runner.start()
    runner.submit({"type": "play"})
    time.sleep(0.3)  # warm up
    steps0, snaps0, t0 = session.main.step_count, len(sizes), time.perf_counter()
    time.sleep(seconds)
    steps1, snaps1, t1 = session.main.step_count, len(sizes), time.perf_counter()
    runner.stop()
    elapsed = t1 - t0
    return (steps1 - steps0) / elapsed, (snaps1 - snaps0) / elapsed, float(np.mean(sizes))


def fit_round(epochs: int) -> float:
    """Steps per second of plain ``net.fit`` on the same network and data."""
    session = Session(SETTINGS)
    sp, loss = session.data.splits, session.data.loss
    net = build_mlp(2, [8, 8], 1, loss=loss, activation="tanh", seed=0)
    y = fit_targets(sp.y_train, loss, 1, net.dtype)
    start = time.perf_counter()
    net.fit(
        sp.X_train,
        y,
        loss=loss,
        optimizer=build_optimizer("sgd", lr=0.03),
        epochs=epochs,
        batch_size=10,
        seed=0,
    )
    return epochs * 50 / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    args = parser.parse_args()
    rounds, seconds, epochs = (1, 1.0, 20) if args.quick else (5, 3.0, 100)
    play, snaps, size, plain = [], [], [], []
    for _ in range(rounds):
        s, n, b = playground_round(seconds)
        play.append(s)
        snaps.append(n)
        size.append(b)
        plain.append(fit_round(epochs))
    p, f = statistics.median(play), statistics.median(plain)
    print("playground benchmark: 2-8-8-1 tanh network, 500 training points, batch size 10, SGD")
    print(f"  rounds: {rounds} x {seconds:g} s (playground) alternating with {epochs}-epoch fits")
    print(f"  playground: {p:,.0f} steps/s (rounds: {', '.join(f'{x:,.0f}' for x in play)})")
    print(
        f"  snapshots:  {statistics.median(snaps):.1f} per second, "
        f"{statistics.median(size) / 1024:.1f} KiB of JSON each"
    )
    print(f"  plain fit:  {f:,.0f} steps/s (same engine, no snapshots)")
    print(f"  ratio playground / fit: {p / f:.2f}")
    target = p >= 200 and statistics.median(snaps) >= 10
    print(f"  target (>= 200 steps/s with >= 10 snapshots/s): {'met' if target else 'NOT met'}")


if __name__ == "__main__":
    main()
