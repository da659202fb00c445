"""Real-shaped messy tables: missing cells, text columns, an id column, dates, imbalance."""

from __future__ import annotations

import csv

import numpy as np
import pytest


def messy_rows(n: int, seed: int, *, regression: bool = False) -> list[dict]:
    """Penguin-like rows with the problems real files have."""
    rng = np.random.default_rng(seed)
    islands = np.array(["Biscoe", "Dream", "Torgersen"])
    rows = []
    for i in range(n):
        island = islands[rng.integers(3)]
        bill = rng.normal(44 + 3 * (island == "Dream"), 4)
        mass = rng.normal(4200 + 500 * (island == "Biscoe"), 300)
        day = f"2021-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        if regression:
            target = f"{1000 * bill + 3 * mass + rng.normal(0, 500):.1f}"  # large scale
        else:  # imbalanced: about 10 % in the rare class
            target = "rare" if bill + rng.normal(0, 2) > 50 else "common"
        rows.append(
            {
                "row_id": str(i + 1),
                "island": island if rng.random() > 0.1 else "",
                "bill_length_mm": f"{bill:.1f}" if rng.random() > 0.1 else "NA",
                "body_mass_g": f"{mass:.0f}",
                "observed": day,
                "sex": ["male", "female"][rng.integers(2)] if rng.random() > 0.05 else "?",
                "study": "PAL0708",
                "target": target,
            }
        )
    return rows


def write_csv(path, rows: list[dict]):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def messy_csv(tmp_path):
    """Training file and a file of new rows with the same problems (and an unseen island)."""
    train = messy_rows(200, seed=1)
    new = messy_rows(40, seed=2)
    new[0]["island"] = "Atlantis"
    new[1]["island"] = "Atlantis"
    return write_csv(tmp_path / "train.csv", train), write_csv(tmp_path / "new.csv", new)
