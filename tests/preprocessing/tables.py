"""Real-shaped messy tables (missing cells, text columns, an id column, dates, imbalance,
a large-scale regression target) and the scikit-learn pipeline leannet's preprocessing
stands for; shared by the preprocessing and lab tests."""

from __future__ import annotations

import csv

import numpy as np


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


def sklearn_pipeline(numeric: list[str], text: list[str], dates: list[str]):
    """The scikit-learn pipeline leannet's preprocessing stands for."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    def parts(frame):
        cols = []
        for name in frame.columns:
            d = _pandas().to_datetime(frame[name], errors="coerce")
            cols += [d.dt.year, d.dt.month, d.dt.day, d.dt.day_of_week]
        return np.column_stack(cols).astype(float)

    numeric_steps = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    date_steps = make_pipeline(FunctionTransformer(parts), SimpleImputer(strategy="median"))
    return ColumnTransformer(
        [
            ("num", numeric_steps, numeric),
            ("date", make_pipeline(date_steps, StandardScaler()), dates),
            (
                "text",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ),
                text,
            ),
        ]
    )


def _pandas():
    import pandas

    return pandas
