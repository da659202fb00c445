"""Built-in datasets and file loaders, behind one function: :func:`load_dataset`.

``load_dataset(spec)`` accepts either the name of a built-in dataset or a path:

* generators (no download, seeded): ``xor``, ``spiral``, ``quadratic``,
  ``teacher``, ``binary1d``, ``blobs``;
* scikit-learn's bundled real data sets (shipped inside the scikit-learn wheel,
  never downloaded): ``digits``, ``breast_cancer``, ``iris``, ``wine``, ``diabetes``;
* a CSV file with a header row (the target column is chosen by name; class
  labels may be strings), a ``.npz`` file holding ``X`` and ``y``, or a
  directory of MNIST-style IDX files.

Every loader returns a :class:`Dataset`. Classification targets are always
integer class indices ``0..k-1``; the original labels are kept in
``class_names`` so predictions can be written back in the user's own labels.
Problems with the data raise :class:`~leannet.errors.DataError` with a message
that names the file, row and column and says how to fix it.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .errors import ConfigError, DataError

__all__ = ["Dataset", "load_dataset", "list_datasets", "BUILTIN_DATASETS", "TASKS"]

TASKS = ("classification", "regression")

# Cells that mean "no value" in CSV files written by spreadsheets, pandas and R.
_MISSING = {"", "na", "nan", "n/a", "null", "none", "?"}
# A numeric target with at most this many distinct whole-number values is read as classes.
_MAX_CLASSES_INFERRED = 20


@dataclass
class Dataset:
    """A data set ready for training.

    Attributes
    ----------
    X : ndarray, shape (n_samples, n_features)
        Features as floats.
    y : ndarray
        Integer class indices ``0..k-1`` (classification, shape ``(n,)``) or
        float targets (regression, shape ``(n,)`` or ``(n, n_outputs)``).
    task : {"classification", "regression"}
    feature_names : list of str
    class_names : list of str or None
        Original label of each class index (classification only).
    name : str
        Built-in name or file path it came from.
    target_name : str or None
        Name of the target column (CSV), else None.
    X_test, y_test : ndarray or None
        A fixed test split when the source defines one (``teacher``, MNIST IDX).
    description : str
        One line for listings and reports.
    """

    X: np.ndarray
    y: np.ndarray
    task: str
    feature_names: list[str]
    class_names: list[str] | None = None
    name: str = ""
    target_name: str | None = None
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    description: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int | None:
        """Number of classes, or None for regression."""
        return None if self.class_names is None else len(self.class_names)

    @property
    def n_outputs(self) -> int:
        """Regression outputs (1 for a 1-D target), or the number of classes."""
        if self.task == "classification":
            return int(self.n_classes)
        return 1 if self.y.ndim == 1 else int(self.y.shape[1])


# --------------------------------------------------------------------------- generators


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def make_xor(n_samples: int | None = None, *, seed: int = 0, noise: float = 0.1) -> Dataset:
    """The XOR truth table (seed 000). ``n_samples=None`` gives exactly the 4 corners;
    otherwise ``n_samples`` points jittered around the corners by ``N(0, noise)``."""
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    labels = np.array([0, 1, 1, 0])
    if n_samples is None:
        X, y = corners, labels
    else:
        idx = _rng(seed).integers(0, 4, size=n_samples)
        X = corners[idx] + _rng(seed + 1).normal(0.0, noise, size=(n_samples, 2))
        y = labels[idx]
    return Dataset(
        X,
        y,
        "classification",
        ["x1", "x2"],
        ["0", "1"],
        name="xor",
        description="XOR of two binary inputs (4 points, or noisy copies)",
    )


def make_spiral(
    n_samples: int | None = None, *, classes: int = 3, seed: int = 0, noise: float = 0.2
) -> Dataset:
    """Interleaved spirals, as in the book-style seed (001): ``n_samples`` points
    per class, radius ``r`` in [0, 1], angle ``4 (k + r) + N(0, noise)``."""
    per_class = 100 if n_samples is None else max(1, n_samples // classes)
    rng = _rng(seed)
    X = np.zeros((per_class * classes, 2))
    y = np.zeros(per_class * classes, dtype=int)
    for k in range(classes):
        r = np.linspace(0.0, 1.0, per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, per_class) + rng.normal(0, noise, per_class)
        sl = slice(k * per_class, (k + 1) * per_class)
        X[sl] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[sl] = k
    return Dataset(
        X,
        y,
        "classification",
        ["x1", "x2"],
        [str(k) for k in range(classes)],
        name="spiral",
        description=f"{classes} interleaved spirals in 2-D",
    )


def make_quadratic(n_samples: int | None = None, *, seed: int = 0, noise: float = 0.5) -> Dataset:
    """The noisy quadratic of the course text (004): ``x ~ U(-2, 2)``,
    ``y = 2 x^2 + N(0, noise)``, 100 points by default."""
    n = 100 if n_samples is None else n_samples
    rng = _rng(seed)
    X = rng.uniform(-2.0, 2.0, size=(n, 1))
    y = 2.0 * X[:, 0] ** 2 + rng.normal(0.0, noise, size=n)
    return Dataset(
        X,
        y,
        "regression",
        ["x"],
        None,
        name="quadratic",
        target_name="y",
        description="y = 2x^2 + N(0, 0.5) on x in [-2, 2] (100 points)",
    )


def teacher_network_weights(
    sizes: tuple[int, int, int] = (10, 15, 4), *, weight_range: float = 9.9, seed: int = 3
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weights of the random "teacher" network of seed 002: every weight and bias
    uniform in ``[-weight_range, weight_range]``. Returns ``W1, b1, W2, b2``."""
    n_in, n_hid, n_out = sizes
    rng = _rng(seed)
    lo, hi = -weight_range, weight_range
    W1 = rng.uniform(lo, hi, size=(n_in, n_hid))
    b1 = rng.uniform(lo, hi, size=n_hid)
    W2 = rng.uniform(lo, hi, size=(n_hid, n_out))
    b2 = rng.uniform(lo, hi, size=n_out)
    return W1, b1, W2, b2


def make_teacher(
    n_samples: int | None = None,
    *,
    n_test: int = 40,
    seed: int = 0,
    teacher_seed: int = 3,
    sizes: tuple[int, int, int] = (10, 15, 4),
    weight_range: float = 9.9,
    input_range: float = 1.0,
) -> Dataset:
    """Synthetic classification data labelled by a random teacher network (seed 002).

    A 10-15-4 tanh/softmax network with weights uniform in ±9.9 labels inputs drawn
    uniformly from ``[-input_range, input_range]^10`` with the arg-max of its output.
    The large weights make the labelling function wiggly, so a small student
    network trained on 200 items can memorise them: the overfitting setting of the
    L2 article. ``n_samples`` (default 200) training items and ``n_test`` (40) test
    items come from independent input draws (``seed``); ``teacher_seed`` fixes the
    teacher (default 3, the seed of the article's generator), so every ``seed`` is a
    new sample from the same labelling function.
    """
    n = 200 if n_samples is None else n_samples
    W1, b1, W2, b2 = teacher_network_weights(sizes, weight_range=weight_range, seed=teacher_seed)

    def label(X: np.ndarray) -> np.ndarray:
        return np.argmax(np.tanh(X @ W1 + b1) @ W2 + b2, axis=1)

    rng = _rng(seed + 1000)
    X = rng.uniform(-input_range, input_range, size=(n, sizes[0]))
    X_test = rng.uniform(-input_range, input_range, size=(n_test, sizes[0]))
    return Dataset(
        X,
        label(X),
        "classification",
        [f"x{i + 1}" for i in range(sizes[0])],
        [str(k) for k in range(sizes[2])],
        name="teacher",
        X_test=X_test,
        y_test=label(X_test),
        description="labels from a random 10-15-4 teacher net with weights in ±9.9 "
        "(200 train + 40 test)",
    )


def make_binary1d(n_samples: int | None = None, *, seed: int = 0, noise: float = 0.25) -> Dataset:
    """One feature, two classes, not linearly separable (the course task of seed 004):
    class 1 when ``|x| < 1`` for ``x ~ U(-3, 3)``, with ``N(0, noise)`` jitter on
    the input so that the classes overlap a little."""
    n = 200 if n_samples is None else n_samples
    rng = _rng(seed)
    x_true = rng.uniform(-3.0, 3.0, size=n)
    y = (np.abs(x_true) < 1.0).astype(int)
    X = (x_true + rng.normal(0.0, noise, size=n))[:, None]
    return Dataset(
        X,
        y,
        "classification",
        ["x"],
        ["0", "1"],
        name="binary1d",
        description="one feature, class 1 when |x| < 1 (200 points, noisy)",
    )


def make_blobs(
    n_samples: int | None = None, *, classes: int = 3, seed: int = 0, spread: float = 1.0
) -> Dataset:
    """Gaussian blobs in 2-D, one per class, centres on a circle of radius 3."""
    n = 300 if n_samples is None else n_samples
    rng = _rng(seed)
    y = rng.integers(0, classes, size=n)
    angles = 2 * np.pi * np.arange(classes) / classes
    centres = 3.0 * np.c_[np.cos(angles), np.sin(angles)]
    X = centres[y] + rng.normal(0.0, spread, size=(n, 2))
    return Dataset(
        X,
        y,
        "classification",
        ["x1", "x2"],
        [str(k) for k in range(classes)],
        name="blobs",
        description=f"{classes} Gaussian blobs in 2-D (300 points)",
    )


def _sklearn_loader(name: str, task: str) -> Callable[..., Dataset]:
    def load(n_samples: int | None = None, *, seed: int = 0) -> Dataset:
        try:
            from sklearn import datasets as skd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigError(
                f"the built-in dataset {name!r} comes with scikit-learn; "
                "install it with: pip install 'leannet[cli]'"
            ) from None
        bunch = getattr(skd, f"load_{name}")()
        X = np.asarray(bunch.data, dtype=float)
        y = np.asarray(bunch.target)
        class_names = None
        if task == "classification":
            names = getattr(bunch, "target_names", None)
            class_names = [str(c) for c in names] if names is not None else None
            y = y.astype(int)
            if class_names is None:
                class_names = [str(c) for c in range(int(y.max()) + 1)]
        else:
            y = y.astype(float)
        if n_samples is not None and n_samples < len(X):
            keep = np.sort(_rng(seed).permutation(len(X))[:n_samples])
            X, y = X[keep], y[keep]
        feature_names = [str(f) for f in getattr(bunch, "feature_names", [])] or [
            f"x{i + 1}" for i in range(X.shape[1])
        ]
        return Dataset(
            X,
            y,
            task,
            feature_names,
            class_names,
            name=name,
            target_name="target",
            description=_SKLEARN_DESCRIPTIONS[name],
        )

    return load


_SKLEARN_DESCRIPTIONS = {
    "digits": "8x8 handwritten digits, 1797 images, 10 classes (scikit-learn, bundled)",
    "breast_cancer": "Wisconsin breast cancer, 569 samples, 30 features, 2 classes (bundled)",
    "iris": "Fisher's iris flowers, 150 samples, 4 features, 3 classes (bundled)",
    "wine": "wine cultivars, 178 samples, 13 features, 3 classes (bundled)",
    "diabetes": "diabetes progression, 442 samples, 10 features, regression (bundled)",
}


@dataclass(frozen=True)
class BuiltinDataset:
    """An entry of :data:`BUILTIN_DATASETS`."""

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
            make_xor,
            "generator",
            "classification",
            "XOR truth table: 4 points (2 features, 2 classes)",
        ),
        _entry(
            "spiral",
            make_spiral,
            "generator",
            "classification",
            "3 interleaved spirals: 300 points (2 features)",
        ),
        _entry(
            "quadratic",
            make_quadratic,
            "generator",
            "regression",
            "y = 2x^2 + N(0, 0.5): 100 points (1 feature)",
        ),
        _entry(
            "teacher",
            make_teacher,
            "generator",
            "classification",
            "random 10-15-4 teacher net labels: 200 train + 40 test (10 features, 4 classes)",
        ),
        _entry(
            "binary1d",
            make_binary1d,
            "generator",
            "classification",
            "class 1 when |x| < 1: 200 points (1 feature, 2 classes)",
        ),
        _entry(
            "blobs",
            make_blobs,
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


# --------------------------------------------------------------------------- the entry point


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
        A name from :data:`BUILTIN_DATASETS` (see ``leannet datasets``) or a path.
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
        return _apply_task(ds, task) if task else ds
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
    return _apply_task(ds, task) if task else ds


# --------------------------------------------------------------------------- targets


def _infer_task(values: np.ndarray) -> str:
    if values.dtype.kind in "OUSb":
        return "classification"
    if values.ndim == 1 and values.dtype.kind in "iu":
        return "classification" if len(np.unique(values)) <= _MAX_CLASSES_INFERRED else "regression"
    if values.ndim == 1 and np.all(values == np.round(values)):
        return "classification" if len(np.unique(values)) <= _MAX_CLASSES_INFERRED else "regression"
    return "regression"


def _encode_labels(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Map labels to 0..k-1; class names are the labels as text, sorted
    numerically for numbers and alphabetically for strings."""
    uniq, inverse = np.unique(values, return_inverse=True)
    names = []
    for u in uniq.tolist():
        if isinstance(u, float) and u == int(u):
            u = int(u)
        names.append(str(u))
    return inverse.astype(np.int64).reshape(-1), names


def _make_targets(
    raw: np.ndarray, task: str | None, source: str, min_classes: int = 2
) -> tuple[np.ndarray, list[str] | None, str]:
    task = task or _infer_task(raw)
    if task == "classification":
        if raw.ndim != 1:
            raise DataError(f"{source}: class labels must be one column, got shape {raw.shape}")
        y, names = _encode_labels(raw)
        if len(names) < min_classes:
            raise DataError(
                f"{source}: the target has a single class ({names[0]!r}); "
                "classification needs at least two"
            )
        return y, names, task
    if raw.dtype.kind in "OUS":
        raise DataError(
            f"{source}: the target holds text, so it cannot be used for regression; "
            "use --task classification or pick a numeric target column"
        )
    return raw.astype(float), None, task


def _apply_task(ds: Dataset, task: str) -> Dataset:
    if task == ds.task:
        return ds
    if task == "regression":
        if ds.class_names is None or not all(_is_number(c) for c in ds.class_names):
            raise DataError(
                f"{ds.name}: the class labels are not numbers, so the target cannot "
                "be used for regression"
            )
        lut = np.array([float(c) for c in ds.class_names])
        y_test = None if ds.y_test is None else lut[ds.y_test]
        return replace(ds, y=lut[ds.y], y_test=y_test, task="regression", class_names=None)
    y, names, _ = _make_targets(np.asarray(ds.y), "classification", ds.name)
    if ds.y_test is not None:
        raise DataError(
            f"{ds.name}: cannot turn a regression target with a fixed test split "
            "into classes; use the default task"
        )
    return replace(ds, y=y, class_names=names, task="classification")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- CSV


def _read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a CSV file; the delimiter (``,``, ``;``, tab) is detected."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}: not a UTF-8 text file; save it as CSV (UTF-8) (line {line} "
            f"has byte {raw[exc.start]:#04x})"
        ) from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty; a CSV needs a header row and data rows")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(f"{path}: line {line} holds a NUL byte; this is not a text CSV file")
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        rows = [r for r in reader if r]
    except csv.Error as exc:
        raise DataError(
            f"{path}: line {reader.line_num}: not valid CSV ({exc}); check for an unclosed quote"
        ) from None
    for r in rows:
        for cell in r:
            if "\n" in cell or "\r" in cell:
                raise DataError(
                    f"{path}: a quoted cell spans several lines ({cell[:20]!r}...); "
                    "check for an unclosed quote"
                )
    if not rows:
        raise DataError(f"{path}: the file is empty; a CSV needs a header row and data rows")
    header = [h.strip() for h in rows[0]]
    data = rows[1:]
    if not data:
        raise DataError(f"{path}: the header is there but no data rows follow")
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise DataError(
            f"{path}: duplicate column names {', '.join(map(repr, dup))}; "
            "give every column a unique name"
        )
    for i, r in enumerate(data):
        if len(r) != len(header):
            raise DataError(
                f"{path}: row {i + 1} (line {i + 2}) has {len(r)} fields but the "
                f"header has {len(header)}; fix the row or the header"
            )
    return header, data


def _numeric_features(
    path: Path, header: list[str], data: list[list[str]], columns: list[int]
) -> np.ndarray:
    """The given columns as a float matrix; missing cells, inf and text are errors."""
    for i, r in enumerate(data):
        for j in columns:
            cell = r[j]
            if cell.strip().lower() in _MISSING:
                raise DataError(
                    f"{path}: row {i + 1} (line {i + 2}), column {header[j]!r} is "
                    f"missing ({cell.strip() or 'empty'}); fill in or drop "
                    "incomplete rows"
                )
    features, bad = [], []
    for j in columns:
        col = [r[j] for r in data]
        try:
            values = np.array([float(c) for c in col])
        except ValueError:
            example = next(c for c in col if not _is_number(c))
            bad.append(f"{header[j]!r} (e.g. {example.strip()!r})")
            continue
        if not np.all(np.isfinite(values)):
            i = int(np.argmin(np.isfinite(values)))
            raise DataError(
                f"{path}: row {i + 1} (line {i + 2}), column {header[j]!r} is "
                f"{col[i].strip()}; use finite numbers"
            )
        features.append(values)
    if bad:
        raise DataError(
            f"{path}: feature column{'s' if len(bad) > 1 else ''} {', '.join(bad)} "
            f"{'are' if len(bad) > 1 else 'is'} not numeric; encode categories as "
            "numbers (e.g. one-hot columns) or drop those columns"
        )
    return np.column_stack(features) if features else np.zeros((len(data), 0))


def load_csv(
    path: str | os.PathLike,
    target: str | None = None,
    *,
    task: str | None = None,
    min_classes: int = 2,
) -> Dataset:
    """Read a CSV file with a header row.

    The delimiter (``,``, ``;`` or tab) is detected. ``target`` names the target
    column (default: the last). Every other column must be numeric; empty,
    ``NA`` and ``NaN`` cells are rejected with their row and column.
    ``min_classes=1`` accepts a single class (evaluating a model on part of the data).
    """
    path = Path(path)
    header, data = _read_csv_rows(path)
    if len(header) < 2:
        raise DataError(
            f"{path}: found {len(header)} column; a CSV needs at least one feature "
            "column and a target column, with a header row naming them"
        )
    if target is None:
        t_idx = len(header) - 1
    elif target in header:
        t_idx = header.index(target)
    else:
        raise DataError(f"{path}: no column named {target!r}; the columns are: {', '.join(header)}")
    # missing target cells are reported like missing features
    for i, r in enumerate(data):
        if r[t_idx].strip().lower() in _MISSING:
            raise DataError(
                f"{path}: row {i + 1} (line {i + 2}), column {header[t_idx]!r} is "
                f"missing ({r[t_idx].strip() or 'empty'}); fill in or drop "
                "incomplete rows"
            )
    X = _numeric_features(path, header, data, [j for j in range(len(header)) if j != t_idx])
    raw_t = [r[t_idx].strip() for r in data]
    if all(_is_number(c) for c in raw_t):
        t_values = np.array([float(c) for c in raw_t])
        if not np.all(np.isfinite(t_values)):
            i = int(np.argmin(np.isfinite(t_values)))
            raise DataError(
                f"{path}: row {i + 1} (line {i + 2}), target {header[t_idx]!r} is "
                f"{raw_t[i]}; use finite numbers"
            )
    else:
        t_values = np.array(raw_t, dtype=str)
    y, class_names, task = _make_targets(t_values, task, str(path), min_classes)
    feature_names = [h for j, h in enumerate(header) if j != t_idx]
    return Dataset(
        X,
        y,
        task,
        feature_names,
        class_names,
        name=str(path),
        target_name=header[t_idx],
        description=f"CSV file {path.name}",
    )


def load_csv_features(path: str | os.PathLike, feature_names: list[str]) -> np.ndarray:
    """The named feature columns of a CSV file, in the given order (for prediction)."""
    path = Path(path)
    header, data = _read_csv_rows(path)
    missing = [f for f in feature_names if f not in header]
    if missing:
        raise DataError(
            f"{path}: the model needs column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}, which the file lacks; its columns are: "
            f"{', '.join(header)}"
        )
    return _numeric_features(path, header, data, [header.index(f) for f in feature_names])


# --------------------------------------------------------------------------- npz


def load_npz(path: str | os.PathLike) -> Dataset:
    """Read ``X`` (n, d) and ``y`` (n,) or (n, k) from a ``.npz`` file (no pickles).

    Optional arrays: ``X_test``/``y_test``, ``feature_names``, ``class_names``.
    A 2-D one-hot ``y`` is read as class labels.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except ValueError as exc:
        if "pickle" in str(exc):
            raise DataError(
                f"{path}: holds Python objects (pickles), which leannet never loads; "
                "save plain numeric arrays with np.savez"
            ) from None
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise DataError(
            f"{path}: not a readable .npz file ({exc}); it may be truncated or corrupted"
        ) from None
    for key in ("X", "y"):
        if key not in arrays:
            raise DataError(
                f"{path}: no array named {key!r} (found: "
                f"{', '.join(arrays) or 'none'}); save with np.savez(path, X=X, y=y)"
            )
    X = _check_features(arrays["X"], f"{path}: X")
    y_raw = arrays["y"]
    if y_raw.shape[0] != X.shape[0]:
        raise DataError(
            f"{path}: X has {X.shape[0]} rows but y has {y_raw.shape[0]}; they must match"
        )
    y_raw = _onehot_to_labels(y_raw)
    if y_raw.dtype.kind in "fc" and not np.all(np.isfinite(y_raw)):
        i = int(np.argwhere(~np.isfinite(y_raw))[0][0])
        raise DataError(f"{path}: y contains NaN or inf (first at row {i}); remove those rows")
    y, class_names, task = _make_targets(y_raw, None, f"{path}: y")
    if "class_names" in arrays and class_names is not None:
        given = [str(c) for c in arrays["class_names"].tolist()]
        if len(given) == len(class_names) and all(c.isdigit() for c in class_names):
            class_names = [given[int(c)] for c in class_names]
    ds = Dataset(
        X,
        y,
        task,
        _names(arrays, X.shape[1]),
        class_names,
        name=str(path),
        description=f"NumPy file {path.name}",
    )
    if "X_test" in arrays and "y_test" in arrays:
        ds.X_test = _check_features(arrays["X_test"], f"{path}: X_test")
        yt = _onehot_to_labels(arrays["y_test"])
        if task == "classification":
            lookup = {name: i for i, name in enumerate(_encode_labels(y_raw)[1])}
            _, test_names = _encode_labels(yt)
            unknown = [n for n in test_names if n not in lookup]
            if unknown:
                raise DataError(f"{path}: y_test has labels not in y: {', '.join(unknown)}")
            codes, names = _encode_labels(yt)
            ds.y_test = np.array([lookup[names[c]] for c in codes], dtype=np.int64)
        else:
            ds.y_test = yt.astype(float)
    return ds


def _names(arrays: dict, d: int) -> list[str]:
    if "feature_names" in arrays and len(arrays["feature_names"]) == d:
        return [str(f) for f in arrays["feature_names"].tolist()]
    return [f"x{i + 1}" for i in range(d)]


def _onehot_to_labels(y: np.ndarray) -> np.ndarray:
    if y.ndim == 2 and y.shape[1] > 1 and np.all((y == 0) | (y == 1)) and np.all(y.sum(1) == 1):
        return np.argmax(y, axis=1)
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0]
    return y


def _check_features(X: np.ndarray, what: str) -> np.ndarray:
    if X.dtype.kind not in "biuf":
        raise DataError(f"{what} must hold numbers, got dtype {X.dtype}; encode text as numbers")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim > 2:  # images: flatten each sample
        X = X.reshape(X.shape[0], -1)
    if X.shape[0] == 0:
        raise DataError(f"{what} is empty; it needs at least one row")
    X = X.astype(float, copy=False)
    if not np.all(np.isfinite(X)):
        r, c = np.argwhere(~np.isfinite(X))[0]
        raise DataError(
            f"{what} contains NaN or inf (first at row {r}, column {c}); "
            "remove or impute those values"
        )
    return X


# --------------------------------------------------------------------------- IDX (MNIST)

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (optionally gzipped), the format of the MNIST files."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            raw = fh.read()
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise DataError(f"{path}: not an IDX file (bad magic number)")
    ndim = raw[3]
    if ndim == 0 or len(raw) < 4 + 4 * ndim:
        raise DataError(f"{path}: truncated IDX header")
    shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = math.prod(shape) * dtype.itemsize
    body = raw[4 + 4 * ndim :]
    if len(body) != expected:
        raise DataError(
            f"{path}: IDX header promises {expected} bytes of data for shape "
            f"{shape} but the file has {len(body)}; the file is truncated or corrupt"
        )
    return np.frombuffer(body, dtype=dtype).reshape(shape)


def _find_idx(directory: Path, split: str, kind: str) -> Path | None:
    tags = ("train",) if split == "train" else ("t10k", "test")
    for p in sorted(directory.iterdir()):
        low = p.name.lower()
        if kind in low and any(low.startswith(t) or f"-{t}" in low or f"_{t}" in low for t in tags):
            if "idx" in low or low.endswith(".gz") or "ubyte" in low:
                return p
    return None


def load_idx_dir(directory: str | os.PathLike) -> Dataset:
    """Load MNIST-style IDX files from a directory.

    Expects ``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte`` (``.gz``
    allowed; dots instead of dashes too), and optionally the ``t10k-`` test pair.
    Pixels are scaled to [0, 1] and each image is flattened to one row.
    """
    directory = Path(directory)
    found = {
        (s, k): _find_idx(directory, s, k) for s in ("train", "test") for k in ("images", "labels")
    }
    if found[("train", "images")] is None or found[("train", "labels")] is None:
        raise DataError(
            f"{directory}: no IDX training files found; expected "
            "train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]"
        )

    def pair(split: str) -> tuple[np.ndarray, np.ndarray]:
        images = read_idx(found[(split, "images")])
        labels = read_idx(found[(split, "labels")]).reshape(-1)
        if images.shape[0] != labels.shape[0]:
            raise DataError(
                f"{directory}: {split} images ({images.shape[0]}) and labels "
                f"({labels.shape[0]}) differ in number"
            )
        X = images.reshape(images.shape[0], -1).astype(np.float32)
        if images.dtype == np.uint8:
            X /= 255.0
        return X, labels.astype(np.int64)

    X, y_raw = pair("train")
    y, names = _encode_labels(y_raw)
    ds = Dataset(
        X,
        y,
        "classification",
        [f"px{i}" for i in range(X.shape[1])],
        names,
        name=str(directory),
        description="IDX images (MNIST format)",
    )
    if found[("test", "images")] is not None and found[("test", "labels")] is not None:
        Xt, yt_raw = pair("test")
        lookup = {int(n): i for i, n in enumerate(names)}
        bad = sorted(set(yt_raw.tolist()) - set(lookup))
        if bad:
            raise DataError(f"{directory}: test labels {bad} never occur in the training labels")
        ds.X_test, ds.y_test = Xt, np.array([lookup[int(v)] for v in yt_raw], dtype=np.int64)
    return ds
