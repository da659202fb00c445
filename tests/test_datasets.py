"""Built-in datasets and the CSV / npz / IDX loaders behind load_dataset."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leannet.datasets import (
    BUILTIN_DATASETS,
    load_csv_features,
    load_dataset,
    make_teacher,
    read_idx,
    teacher_network_weights,
)
from leannet.errors import ConfigError, DataError


@pytest.mark.parametrize("name", sorted(BUILTIN_DATASETS))
def test_builtin_datasets_are_consistent(name):
    ds = load_dataset(name)
    entry = BUILTIN_DATASETS[name]
    assert ds.task == entry.task
    assert ds.X.ndim == 2 and ds.X.shape[0] == ds.y.shape[0] > 0
    assert np.all(np.isfinite(ds.X))
    assert len(ds.feature_names) == ds.n_features
    if ds.task == "classification":
        assert ds.y.dtype.kind == "i"
        assert set(np.unique(ds.y)) == set(range(ds.n_classes))
    else:
        assert ds.class_names is None and ds.y.dtype.kind == "f"


def test_generators_are_seeded():
    a, b, c = (load_dataset("spiral", seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)


def test_teacher_matches_the_article_setup():
    ds = make_teacher(seed=0, teacher_seed=3)
    assert ds.X.shape == (200, 10) and ds.X_test.shape == (40, 10)
    W1, b1, W2, b2 = teacher_network_weights(seed=3)
    assert W1.shape == (10, 15) and W2.shape == (15, 4)
    assert np.abs(np.concatenate([W1.ravel(), b1, W2.ravel(), b2])).max() <= 9.9
    # labels are the arg-max of the teacher's tanh/softmax output
    expected = np.argmax(np.tanh(ds.X @ W1 + b1) @ W2 + b2, axis=1)
    np.testing.assert_array_equal(ds.y, expected)
    # the same teacher labels the test inputs, which are fresh draws
    assert not np.allclose(ds.X[:40], ds.X_test)


def test_quadratic_follows_its_formula():
    ds = load_dataset("quadratic")
    resid = ds.y - 2 * ds.X[:, 0] ** 2
    assert ds.X.shape == (100, 1)
    assert 0.3 < resid.std() < 0.7  # noise N(0, 0.5)


def test_n_samples_subsets_real_data():
    ds = load_dataset("iris", n_samples=30, seed=0)
    assert ds.n_samples == 30


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_string_labels_and_target_by_name(tmp_path):
    p = _write(tmp_path / "d.csv", "a,species,b\n1,cat,2\n3,dog,4\n5,cat,6\n")
    ds = load_dataset(p, target="species")
    assert ds.task == "classification"
    assert ds.feature_names == ["a", "b"]
    assert ds.class_names == ["cat", "dog"]
    np.testing.assert_array_equal(ds.y, [0, 1, 0])
    np.testing.assert_array_equal(ds.X, [[1, 2], [3, 4], [5, 6]])


def test_csv_semicolon_and_regression_inference(tmp_path):
    p = _write(tmp_path / "d.csv", "x;y\n" + "".join(f"{i};{i * 0.37}\n" for i in range(30)))
    ds = load_dataset(p)
    assert ds.task == "regression" and ds.target_name == "y"
    np.testing.assert_allclose(ds.y, np.arange(30) * 0.37)


def test_csv_task_override(tmp_path):
    p = _write(tmp_path / "d.csv", "x,y\n1,0\n2,1\n3,2\n")
    assert load_dataset(p).task == "classification"
    ds = load_dataset(p, task="regression")
    assert ds.task == "regression"
    np.testing.assert_array_equal(ds.y, [0.0, 1.0, 2.0])


def test_csv_missing_target_column_lists_columns(tmp_path):
    p = _write(tmp_path / "d.csv", "a,b,c\n1,2,3\n4,5,6\n")
    with pytest.raises(DataError, match=r"no column named 'label'; the columns are: a, b, c"):
        load_dataset(p, target="label")


def test_csv_nan_cell_names_row_and_column(tmp_path):
    p = _write(tmp_path / "d.csv", "a,b,y\n1,2,0\n3,NaN,1\n")
    with pytest.raises(DataError, match=r"row 2 \(line 3\), column 'b' is missing \(NaN\)"):
        load_dataset(p)


def test_csv_empty_cell(tmp_path):
    p = _write(tmp_path / "d.csv", "a,b,y\n1,,0\n3,4,1\n")
    with pytest.raises(DataError, match=r"row 1 \(line 2\), column 'b' is missing \(empty\)"):
        load_dataset(p)


def test_csv_non_numeric_features_are_named(tmp_path):
    p = _write(tmp_path / "d.csv", "a,color,city,y\n1,red,x,0\n2,blue,y,1\n")
    with pytest.raises(
        DataError,
        match=r"'color' \(e.g. 'red'\), 'city' \(e.g. 'x'\) are not "
        r"numeric; encode categories as numbers",
    ):
        load_dataset(p)


def test_csv_ragged_row(tmp_path):
    p = _write(tmp_path / "d.csv", "a,y\n1,0\n2,1,5\n")
    with pytest.raises(DataError, match=r"row 2 \(line 3\) has 3 fields but the header has 2"):
        load_dataset(p)


def test_csv_empty_and_not_utf8(tmp_path):
    with pytest.raises(DataError, match="the file is empty"):
        load_dataset(_write(tmp_path / "e.csv", ""))
    bad = tmp_path / "b.csv"
    bad.write_bytes(b"a,y\n\xff\xfe,1\n")
    with pytest.raises(DataError, match="not a UTF-8 text file"):
        load_dataset(bad)


def test_single_class_target_is_refused(tmp_path):
    p = _write(tmp_path / "d.csv", "a,y\n1,x\n2,x\n")
    with pytest.raises(DataError, match="single class"):
        load_dataset(p)


def test_missing_file_and_unknown_name():
    with pytest.raises(DataError, match=r"data file not found: nope\.csv; .*built-in dataset name"):
        load_dataset("nope.csv")


def test_target_with_builtin_is_a_config_error():
    with pytest.raises(ConfigError, match="--target applies to CSV files only"):
        load_dataset("iris", target="x")


def test_load_csv_features_in_model_order(tmp_path):
    p = _write(tmp_path / "d.csv", "b,a\n1,2\n3,4\n")
    np.testing.assert_array_equal(load_csv_features(p, ["a", "b"]), [[2, 1], [4, 3]])
    with pytest.raises(DataError, match=r"needs column 'c', which the file lacks"):
        load_csv_features(p, ["a", "c"])


@settings(max_examples=25, deadline=None)
@given(
    X=st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=2),
        min_size=2,
        max_size=15,
    ),
    labels=st.lists(st.sampled_from(["setosa", "virginica", "b c"]), min_size=15, max_size=15),
)
def test_csv_round_trip(tmp_path_factory, X, labels):
    labels = labels[: len(X)]
    if len(set(labels)) < 2:
        labels = ["setosa", "virginica"] + labels[2:]
    path = tmp_path_factory.mktemp("csv") / "d.csv"
    lines = ["f1,f2,label"] + [f"{r[0]!r},{r[1]!r},{lab}" for r, lab in zip(X, labels, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = load_dataset(path, target="label")
    np.testing.assert_array_equal(ds.X, np.array(X))
    assert [ds.class_names[i] for i in ds.y] == labels


def test_npz_with_onehot_labels_and_test_split(tmp_path):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 20)
    p = tmp_path / "d.npz"
    np.savez(
        p,
        X=rng.normal(size=(20, 4)),
        y=np.eye(3)[y],
        X_test=rng.normal(size=(5, 4)),
        y_test=np.eye(3)[[0, 1, 2, 1, 0]],
    )
    ds = load_dataset(p)
    assert ds.task == "classification"
    np.testing.assert_array_equal(ds.y, y)
    np.testing.assert_array_equal(ds.y_test, [0, 1, 2, 1, 0])


def test_npz_errors(tmp_path):
    p = tmp_path / "d.npz"
    np.savez(p, X=np.zeros((3, 2)))
    with pytest.raises(DataError, match="no array named 'y'"):
        load_dataset(p)
    np.savez(p, X=np.array([[1.0, np.nan]]), y=np.array([1.0]))
    with pytest.raises(DataError, match=r"NaN or inf \(first at row 0, column 1\)"):
        load_dataset(p)
    np.savez(p, X=np.array([[1, 2]], dtype=object), y=np.array([1]))
    with pytest.raises(DataError, match="pickles"):
        load_dataset(p)


def _idx(path, arr, gz=False):
    arr = np.asarray(arr, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    data = header + arr.tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def test_idx_directory(tmp_path):
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 256, size=(12, 4, 4))
    labels = rng.integers(0, 10, size=12)
    labels[:10] = np.arange(10)
    _idx(tmp_path / "train-images-idx3-ubyte", imgs, gz=True)
    _idx(tmp_path / "train-labels-idx1-ubyte", labels, gz=True)
    _idx(tmp_path / "t10k-images-idx3-ubyte", imgs[:3])
    _idx(tmp_path / "t10k-labels-idx1-ubyte", labels[:3])
    ds = load_dataset(tmp_path)
    assert ds.X.shape == (12, 16) and ds.X.max() <= 1.0
    np.testing.assert_allclose(ds.X[0], imgs[0].ravel() / 255.0, rtol=1e-6)
    assert [ds.class_names[i] for i in ds.y] == [str(v) for v in labels]
    assert ds.X_test.shape == (3, 16)


def test_idx_truncated_file_is_reported(tmp_path):
    p = _idx(tmp_path / "train-images-idx3-ubyte", np.zeros((2, 3, 3)))
    p.write_bytes(p.read_bytes()[:-4])
    with pytest.raises(DataError, match="truncated or corrupt"):
        read_idx(p)


def test_idx_directory_without_files(tmp_path):
    with pytest.raises(DataError, match="no IDX training files found"):
        load_dataset(tmp_path)


def test_teacher_is_fixed_across_seeds():
    """Seeds draw new inputs; the labelling function (the article's teacher) stays."""
    a, b = make_teacher(seed=0), make_teacher(seed=1)
    assert not np.allclose(a.X, b.X)
    W1, b1, W2, b2 = teacher_network_weights(seed=3)
    for ds in (a, b):
        np.testing.assert_array_equal(ds.y, np.argmax(np.tanh(ds.X @ W1 + b1) @ W2 + b2, axis=1))
