"""Helpers shared by the sweep tests: fast settings, comparable records, subprocess env."""

from __future__ import annotations

import os
from pathlib import Path

import leannet

# Small enough that one fit takes a few hundredths of a second.
FAST = {"hidden_layer_sizes": (8,), "max_iter": 15, "tol": 0.0, "learning_rate": 0.01}

# The src/ directory this leannet was imported from, for subprocesses.
SRC = str(Path(leannet.__file__).resolve().parents[1])
SRC_ENV = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))


def comparable(result) -> list[tuple]:
    """Everything a fit produced except its wall time and process, sorted by task id."""
    keys = ("train_score", "val_score", "weight_norm", "zero_share", "n_iter")
    rows = []
    for rec in sorted(result.records, key=lambda r: r["task"]):
        if "steps" in rec:
            rows.append((rec["task"], tuple(tuple(s[k] for k in keys) for s in rec["steps"])))
        else:
            rows.append((rec["task"], *(rec[k] for k in keys)))
    return rows
