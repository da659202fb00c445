"""The playground's data: 2-D and 1-D generators, input features, uploaded CSV files.

The seeds' own sets come from [`leannet.datasets`][leannet.datasets] (``xor4`` is the 4-point truth
table, ``binary1d`` and ``noisy_quadratic`` the course tasks); the TF-Playground-style
shapes (circle, XOR cloud, two Gaussians, moons, plane, curve) are generated here.
Every set is a [`Dataset`][leannet.datasets.Dataset] of *raw* inputs; `expand`
then adds the chosen input features (x1², x1·x2, sin x1 ...) as ordinary columns, so
the exported CSV holds exactly what the network was trained on.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .. import datasets as D
from ..errors import DataError

CLASSIFICATION = ("circle", "xor", "gaussians", "spiral", "moons", "xor4", "binary1d")
REGRESSION = ("plane", "curve", "noisy_quadratic")
DATASETS = CLASSIFICATION + REGRESSION
LABELS = {
    "circle": "Circle",
    "xor": "XOR",
    "gaussians": "Two Gaussians",
    "spiral": "Spiral",
    "moons": "Moons",
    "xor4": "4-point XOR (seed)",
    "binary1d": "One-feature binary (seed)",
    "plane": "Plane (regression)",
    "curve": "Quadratic curve (regression)",
    "noisy_quadratic": "Noisy quadratic (seed)",
}
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁·x₂",
    "sin(x1)": "sin x₁",
    "sin(x2)": "sin x₂",
}

# Upload limits: a page cannot make the server parse or train on more than this.
MAX_UPLOAD_BYTES = 2_000_000
MAX_UPLOAD_ROWS = 5_000
MAX_UPLOAD_COLUMNS = 50
MAX_FEATURE_COLUMNS = 10


def _classes(X: np.ndarray, y: np.ndarray, name: str) -> D.Dataset:
    return D.Dataset(X, y.astype(np.int64), "classification", ["x1", "x2"], ["0", "1"], name=name)


def generate(name: str, n: int, noise: float, seed: int) -> D.Dataset:
    """The raw data set ``name``: ``n`` points (ignored by ``xor4``), ``noise`` in [0, 1].

    Raises:
        DataError: for an unknown name.
    """
    rng = np.random.default_rng(seed)
    if name == "circle":  # inside radius 2: class 1; ring 3.5..5: class 0
        r = np.where(rng.random(n) < 0.5, rng.uniform(0, 2.0, n), rng.uniform(3.5, 5.0, n))
        angle = rng.uniform(0, 2 * np.pi, n)
        X = np.c_[r * np.cos(angle), r * np.sin(angle)] + rng.normal(0, 1.5 * noise, (n, 2))
        return _classes(X, (r < 2.75).astype(int), name)
    if name == "xor":  # sign of x1·x2, points kept away from the axes
        X = rng.uniform(-5, 5, (n, 2))
        X += np.sign(X) * 0.3
        y = (X[:, 0] * X[:, 1] > 0).astype(int)
        return _classes(X + rng.normal(0, 1.5 * noise, (n, 2)), y, name)
    if name == "gaussians":
        y = rng.integers(0, 2, n)
        centres = np.array([[-2.0, -2.0], [2.0, 2.0]])
        return _classes(centres[y] + rng.normal(0, 0.6 + 2.0 * noise, (n, 2)), y, name)
    if name == "spiral":
        ds = D.make_spiral(n, classes=2, seed=seed, noise=0.05 + noise)
        return replace(ds, X=ds.X * 5.0, name=name)
    if name == "moons":
        y = rng.integers(0, 2, n)
        t = rng.uniform(0, np.pi, n)
        X = np.where(
            y[:, None] == 0,
            np.c_[np.cos(t), np.sin(t)],
            np.c_[1.0 - np.cos(t), 0.5 - np.sin(t)],
        )
        X = (X - [0.5, 0.25]) * 3.0 + rng.normal(0, 0.1 + 1.0 * noise, (n, 2))
        return _classes(X, y, name)
    if name == "xor4":
        return replace(D.make_xor(None), name=name)
    if name == "binary1d":
        return replace(D.make_binary1d(n, seed=seed, noise=0.05 + noise), name=name)
    if name == "plane":
        X = rng.uniform(-5, 5, (n, 2))
        y = (X[:, 0] + 0.5 * X[:, 1]) / 3.0 + rng.normal(0, noise, n)
        return D.Dataset(X, y, "regression", ["x1", "x2"], None, name=name, target_name="y")
    if name == "curve":
        X = rng.uniform(-3, 3, (n, 1))
        y = 0.5 * X[:, 0] ** 2 - X[:, 0] + rng.normal(0, 0.1 + noise, n)
        return D.Dataset(X, y, "regression", ["x1"], None, name=name, target_name="y")
    if name == "noisy_quadratic":
        return replace(D.make_quadratic(n, seed=seed, noise=0.5 * (noise / 0.2)), name=name)
    raise DataError(f"dataset {name!r} is not known; choose one of {', '.join(DATASETS)}")


def feature_columns(features: list[str], raw_names: list[str]) -> list[str]:
    """Column names of the expanded inputs, e.g. ``x1^2`` -> ``age^2`` for a CSV column ``age``."""
    names = []
    for f in features:
        name = f
        for k in range(len(raw_names[:2])):
            name = name.replace(f"x{k + 1}", f"\0{k}")
        for k, raw in enumerate(raw_names[:2]):
            name = name.replace(f"\0{k}", raw)
        names.append(name)
    return names


def usable_features(features: list[str], n_raw: int) -> list[str]:
    """The chosen features that exist for ``n_raw`` raw inputs (x2 terms need two)."""
    if n_raw > 2:
        return []
    out = [f for f in features if n_raw == 2 or "x2" not in f]
    return out


def expand(X: np.ndarray, features: list[str]) -> np.ndarray:
    """The input features of raw inputs ``X`` (1 or 2 columns), in the order given."""
    x1 = X[:, 0]
    x2 = X[:, 1] if X.shape[1] > 1 else None
    table = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1^2": lambda: x1 * x1,
        "x2^2": lambda: x2 * x2,
        "x1*x2": lambda: x1 * x2,
        "sin(x1)": lambda: np.sin(x1),
        "sin(x2)": lambda: np.sin(x2),
    }
    return np.column_stack([table[f]() for f in features])


def with_features(raw: D.Dataset, features: list[str]) -> D.Dataset:
    """``raw`` with the chosen features as its columns (raw columns as they are if > 2)."""
    if raw.n_features > 2:
        return raw
    chosen = usable_features(features, raw.n_features)
    if not chosen:
        raise DataError(
            "no input feature is selected; tick at least one of "
            + ", ".join(usable_features(list(FEATURES), raw.n_features))
        )
    names = feature_columns(chosen, raw.feature_names)
    return replace(raw, X=expand(raw.X, chosen), feature_names=names)


# ------------------------------------------------------------------------------------ uploads
@dataclass
class Upload:
    """A CSV file sent by the page, parsed but not yet turned into a data set."""

    name: str
    header: list[str]
    text: str

    def columns(self) -> dict:
        return {"name": self.name, "columns": self.header}


def parse_upload(name: str, text: str) -> Upload:
    """Check size, rows and columns of an uploaded CSV; the target is picked afterwards.

    Raises:
        DataError: with one line naming the problem and the fix.
    """
    label = _display_name(name)
    size = len(text.encode("utf-8"))
    if size > MAX_UPLOAD_BYTES:
        raise DataError(
            f"{label}: {size / 1e6:.1f} MB is over the playground's limit of "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB; use `leannet train` for larger files"
        )
    rows = text.count("\n")
    if rows > MAX_UPLOAD_ROWS + 1:
        raise DataError(
            f"{label}: about {rows} rows, over the playground's limit of {MAX_UPLOAD_ROWS}; "
            "sample the file or use `leannet train`"
        )
    header, data = _read(label, text)
    if len(header) < 2:
        raise DataError(
            f"{label}: found {len(header)} column; a CSV needs a header row, at least one "
            "feature column and a target column"
        )
    if len(header) > MAX_UPLOAD_COLUMNS:
        raise DataError(
            f"{label}: {len(header)} columns, over the playground's limit of {MAX_UPLOAD_COLUMNS}"
        )
    if len(data) > MAX_UPLOAD_ROWS:
        raise DataError(
            f"{label}: {len(data)} rows, over the playground's limit of {MAX_UPLOAD_ROWS}; "
            "sample the file or use `leannet train`"
        )
    return Upload(label, header, text)


def upload_dataset(upload: Upload, target: str, features: list[str]) -> D.Dataset:
    """The data set of the chosen ``target`` and feature columns of ``upload``.

    The chosen columns are copied into a temporary CSV file (a name the server
    picks) and read by `leannet.datasets.load_csv`, so uploads get the same
    checks and label encoding as ``leannet train``.
    """
    if target not in upload.header:
        raise DataError(f"{upload.name}: no column named {target!r}; pick the target from the list")
    if not features:
        raise DataError(f"{upload.name}: pick at least one feature column")
    if len(features) > MAX_FEATURE_COLUMNS:
        raise DataError(
            f"{upload.name}: {len(features)} feature columns, over the limit of "
            f"{MAX_FEATURE_COLUMNS}; pick fewer"
        )
    unknown = [f for f in features if f not in upload.header]
    if unknown or target in features or len(set(features)) != len(features):
        raise DataError(
            f"{upload.name}: feature columns must be distinct columns of the file other "
            f"than the target {target!r}"
        )
    header, data = _read(upload.name, upload.text)
    idx = [header.index(c) for c in [*features, target]]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([header[j] for j in idx])
    writer.writerows([[r[j] for j in idx] for r in data])
    with tempfile.TemporaryDirectory(prefix="leannet-upload-") as tmp:
        path = Path(tmp) / "upload.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        try:
            ds = D.load_csv(path, target)
        except DataError as exc:
            raise DataError(str(exc).replace(str(path), upload.name)) from None
    if ds.task == "classification" and ds.n_classes > 10:
        raise DataError(
            f"{upload.name}: target {target!r} has {ds.n_classes} classes; the playground "
            "draws at most 10"
        )
    return replace(ds, name=upload.name, description=f"uploaded CSV {upload.name}")


def _display_name(name: str) -> str:
    """The file's base name, for messages only (it never becomes a path)."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable())[:60] or "upload.csv"


def _read(label: str, text: str) -> tuple[list[str], list[list[str]]]:
    with tempfile.TemporaryDirectory(prefix="leannet-upload-") as tmp:
        path = Path(tmp) / "upload.csv"
        path.write_text(text, encoding="utf-8")
        try:
            return D.read_csv_rows(path)
        except DataError as exc:
            raise DataError(str(exc).replace(str(path), label)) from None


def to_csv(ds: D.Dataset, rows: np.ndarray | None = None) -> str:
    """``ds`` (or its ``rows``) as CSV text: features, then the target, exact to the bit.

    Floats are written with ``repr`` so that reading the file back gives the same
    numbers; class indices are written as their class names.
    """
    idx = np.arange(ds.n_samples) if rows is None else rows
    target = ds.target_name or "y"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*ds.feature_names, target])
    for i in idx:
        cells = [repr(float(v)) for v in ds.X[i]]
        if ds.task == "classification":
            cells.append(ds.class_names[int(ds.y[i])])
        else:
            cells.append(repr(float(ds.y[i])))
        writer.writerow(cells)
    return buf.getvalue()
