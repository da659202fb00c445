"""Figures of a sweep: scores, weight norm and exact-zero share against the strength."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np


def _x_values(result) -> tuple[list, str, bool]:
    """x positions, axis label and whether the axis is numeric."""
    name = result.strength
    if name is None:
        return list(range(len(result.table))), "setting", False
    return [row["params"][name] for row in result.table], name, True


def _set_log_axis(ax, xs) -> None:
    """Log axis; 0 (no penalty) gets a linear stretch below the smallest positive value."""
    positive = [x for x in xs if x is not None and x > 0]
    if not positive:
        return
    if any(x is not None and x <= 0 for x in xs):
        ax.set_xscale("symlog", linthresh=min(positive))
    else:
        ax.set_xscale("log")


def plot_sweep(result, path) -> Path:
    """Save a three-panel figure (PNG or SVG by the suffix of ``path``) and return its path.

    Panels: mean ± std training and validation score, mean weight norm
    $\\|w\\|_2$, and mean share of weights exactly 0, each against the
    first numeric grid parameter on a log axis (symlog when 0 is in the grid).
    Other grid parameters give one line each.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = result.strength
    others = [n for n in result.names if n != name]
    groups: dict[str, list[dict]] = {}
    for row in result.table:
        label = ", ".join(f"{n}={row['params'][n]}" for n in others)
        groups.setdefault(label, []).append(row)

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2), constrained_layout=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, rows) in enumerate(groups.items()):
        if name is None:
            xs = [result.table.index(r) for r in rows]
        else:
            xs = [r["params"][name] if r["params"][name] is not None else math.nan for r in rows]
        suffix = f" ({label})" if label else ""
        # One colour per group: dashed training, solid validation, ±1 std bands.
        color = colors[i % len(colors)] if len(groups) > 1 else None
        for key, style in (("train", "--"), ("val", "-")):
            mean = np.array([r[f"{key}_mean"] for r in rows])
            std = np.array([r[f"{key}_std"] for r in rows])
            (line,) = axes[0].plot(
                xs,
                mean,
                style,
                marker="o",
                color=color,
                label=f"{'validation' if key == 'val' else 'training'}{suffix}",
            )
            axes[0].fill_between(xs, mean - std, mean + std, color=line.get_color(), alpha=0.12)
        axes[1].plot(
            xs, [r["weight_norm"] for r in rows], marker="o", color=color, label=label or None
        )
        axes[2].plot(
            xs, [r["zero_share"] for r in rows], marker="o", color=color, label=label or None
        )
    # The 1-SE diamond first, so that the best star stays visible when they coincide.
    for row, text, marker, size in (
        (result.simplest, "simplest within 1 SE", "D", 12),
        (result.best, "best", "*", 14),
    ):
        x = result.table.index(row) if name is None else row["params"][name]
        axes[0].plot(
            [x],
            [row["val_mean"]],
            marker,
            color="black" if text == "best" else "0.6",
            markersize=size,
            label=text,
            linestyle="none",
            zorder=5,
        )

    xs_all, xlabel, numeric = _x_values(result)
    for ax, title in zip(
        axes,
        (
            f"{result.scoring} ({result.cv}-fold CV)",
            "weight norm ‖w‖₂",
            "share of weights exactly 0",
        ),
    ):
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.grid(alpha=0.3)
        if numeric:
            _set_log_axis(ax, xs_all)
        else:
            ax.set_xticks(range(len(result.table)))
            ax.set_xticklabels(
                [", ".join(str(v) for v in r["params"].values()) for r in result.table],
                rotation=30,
                ha="right",
                fontsize=8,
            )
    axes[0].legend(fontsize=8)
    if len(groups) > 1:
        axes[1].legend(fontsize=8)
    from .._atomic import atomic_open

    try:
        with atomic_open(path) as fh:
            fig.savefig(fh, dpi=110, format=path.suffix.lstrip(".") or "png")
    finally:
        plt.close(fig)
    return path
