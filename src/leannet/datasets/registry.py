"""The table of built-in data sets: name -> loader, kind, task and description."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import generators as gen
from .bundled import _SKLEARN_DESCRIPTIONS, _sklearn_loader
from .types import Dataset


@dataclass(frozen=True)
class BuiltinDataset:
    """An entry of `BUILTIN_DATASETS`."""

    name: str
    loader: Callable[..., Dataset]
    kind: str  # "generator" or "real"
    task: str
    description: str


def _entry(name: str, loader: Callable[..., Dataset], kind: str, task: str, desc: str):
    return name, BuiltinDataset(name, loader, kind, task, desc)


BUILTIN_DATASETS: dict[str, BuiltinDataset] = dict(
    [
        _entry(
            "xor",
            gen.make_xor,
            "generator",
            "classification",
            "XOR truth table: 4 points (2 features, 2 classes)",
        ),
        _entry(
            "spiral",
            gen.make_spiral,
            "generator",
            "classification",
            "3 interleaved spirals: 300 points (2 features)",
        ),
        _entry(
            "quadratic",
            gen.make_quadratic,
            "generator",
            "regression",
            "y = 2x^2 + N(0, 0.5): 100 points (1 feature)",
        ),
        _entry(
            "teacher",
            gen.make_teacher,
            "generator",
            "classification",
            "random 10-15-4 teacher net labels: 200 train + 40 test (10 features, 4 classes)",
        ),
        _entry(
            "binary1d",
            gen.make_binary1d,
            "generator",
            "classification",
            "class 1 when |x| < 1: 200 points (1 feature, 2 classes)",
        ),
        _entry(
            "blobs",
            gen.make_blobs,
            "generator",
            "classification",
            "Gaussian blobs: 300 points (2 features, 3 classes)",
        ),
    ]
    + [
        _entry(n, _sklearn_loader(n, t), "real", t, _SKLEARN_DESCRIPTIONS[n])
        for n, t in [
            ("digits", "classification"),
            ("breast_cancer", "classification"),
            ("iris", "classification"),
            ("wine", "classification"),
            ("diabetes", "regression"),
        ]
    ]
)


def list_datasets() -> list[BuiltinDataset]:
    """The built-in datasets, generators first."""
    return list(BUILTIN_DATASETS.values())
