"""The one entry point: [`load_dataset`][leannet.datasets.load_dataset] takes a built-in name or a path."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ConfigError, DataError
from .csvfile import load_csv
from .idx import load_idx_dir
from .npzfile import load_npz
from .registry import BUILTIN_DATASETS
from .targets import apply_task
from .types import TASKS, Dataset


def load_dataset(
    spec: str | os.PathLike,
    target: str | None = None,
    *,
    task: str | None = None,
    n_samples: int | None = None,
    seed: int = 0,
) -> Dataset:
    """Load a built-in dataset by name, or a CSV / ``.npz`` file / IDX directory.

    Parameters
    ----------
    spec : str or path
        A name from `BUILTIN_DATASETS` (see ``leannet datasets``) or a path.
    target : str, optional
        CSV only: the name of the target column. Default: the last column.
    task : {"classification", "regression"}, optional
        Override the inferred task. Inference: string labels, or whole numbers with
        at most 20 distinct values, mean classification; anything else regression.
    n_samples : int, optional
        Built-in generators: how many samples to make; real sets: a random subset.
    seed : int
        Seed of generators and subsets.

    Raises
    ------
    DataError
        Missing or unreadable file, missing target column, NaN cells, non-numeric
        feature columns, unusable labels.
    ConfigError
        Unknown task name, or ``target`` given where it does not apply.
    """
    if task is not None and task not in TASKS:
        raise ConfigError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    spec_str = os.fspath(spec)
    if spec_str in BUILTIN_DATASETS:
        if target is not None:
            raise ConfigError(
                f"--target applies to CSV files only; the built-in dataset {spec_str!r} "
                "already defines its target"
            )
        ds = BUILTIN_DATASETS[spec_str].loader(n_samples, seed=seed)
        return apply_task(ds, task) if task else ds
    path = Path(spec_str)
    if not path.exists():
        names = ", ".join(BUILTIN_DATASETS)
        raise DataError(
            f"data file not found: {spec_str}; give a CSV or .npz file, a directory of IDX "
            f"files, or a built-in dataset name ({names})"
        )
    if path.is_dir():
        ds = load_idx_dir(path)
        if target is not None:
            raise ConfigError("--target applies to CSV files only, not to an IDX directory")
    elif path.suffix.lower() == ".npz":
        if target is not None:
            raise ConfigError("--target applies to CSV files only; a .npz file holds X and y")
        ds = load_npz(path)
    else:
        ds = load_csv(path, target)
    return apply_task(ds, task) if task else ds
