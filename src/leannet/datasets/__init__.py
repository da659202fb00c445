"""Built-in datasets and file loaders, behind one function: [`load_dataset`][leannet.datasets.load_dataset].

``load_dataset(spec)`` accepts either the name of a built-in dataset or a path:

* generators (no download, seeded): ``xor``, ``spiral``, ``quadratic``,
  ``teacher``, ``binary1d``, ``blobs``;
* scikit-learn's bundled real data sets (shipped inside the scikit-learn wheel,
  never downloaded): ``digits``, ``breast_cancer``, ``iris``, ``wine``, ``diabetes``;
* a CSV file with a header row (the target column is chosen by name; class
  labels may be strings), a ``.npz`` file holding ``X`` and ``y``, or a
  directory of MNIST-style IDX files.

Every loader returns a [`Dataset`][leannet.datasets.Dataset]. Classification targets are always
integer class indices ``0..k-1``; the original labels are kept in
``class_names`` so predictions can be written back in the user's own labels.
Problems with the data raise `DataError` with a message
that names the file, row and column and says how to fix it.

Modules: ``types`` (the Dataset), ``targets`` (task inference and label
encoding), ``generators``, ``bundled`` (scikit-learn sets), ``registry`` (the
name table), ``csvfile`` / ``npzfile`` / ``idx`` (file readers), ``load``
(the entry point).
"""

from .csvfile import load_csv, load_csv_features, read_csv_rows
from .generators import (
    make_binary1d,
    make_blobs,
    make_quadratic,
    make_spiral,
    make_teacher,
    make_xor,
    teacher_network_weights,
)
from .idx import load_idx_dir, read_idx
from .load import load_dataset
from .npzfile import load_npz
from .registry import BUILTIN_DATASETS, BuiltinDataset, list_datasets
from .targets import MAX_CLASSES_INFERRED, encode_labels, infer_task
from .types import TASKS, Dataset

__all__ = [
    "BUILTIN_DATASETS",
    "MAX_CLASSES_INFERRED",
    "TASKS",
    "BuiltinDataset",
    "Dataset",
    "encode_labels",
    "infer_task",
    "list_datasets",
    "load_csv",
    "load_csv_features",
    "load_dataset",
    "load_idx_dir",
    "load_npz",
    "make_binary1d",
    "make_blobs",
    "make_quadratic",
    "make_spiral",
    "make_teacher",
    "make_xor",
    "read_csv_rows",
    "read_idx",
    "teacher_network_weights",
]
