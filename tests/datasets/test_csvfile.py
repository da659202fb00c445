"""CSV files: delimiters, targets, missing and broken cells, encodings."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leannet.datasets import (
    load_csv,
    load_csv_features,
    load_dataset,
)
from leannet.errors import DataError


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


GOOD_CSV = "a,b,label\n1.5,2.25,x\n3.5,4.75,y\n5,6,x\n"


def test_good_csv_loads(tmp_path):
    (tmp_path / "ok.csv").write_text(GOOD_CSV)
    ds = load_csv(tmp_path / "ok.csv")
    np.testing.assert_array_equal(ds.X, [[1.5, 2.25], [3.5, 4.75], [5, 6]])
    assert ds.class_names == ["x", "y"]


@pytest.mark.parametrize(
    ("text", "fields", "line"),
    [
        ("a,b,label\n1,2,x\n3,4\n5,6,x\n", 2, 3),  # a short row
        ("a,b,label\n1,2,x\n3,4,y,9\n5,6,x\n", 4, 3),  # a long row
    ],
)
def test_ragged_row_names_file_and_line(tmp_path, text, fields, line):
    path = tmp_path / "ragged.csv"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        load_csv(path)
    message = str(info.value)
    assert str(path) in message
    assert f"(line {line}) has {fields} fields but the header has 3" in message


@pytest.mark.parametrize("cut", [12, len(GOOD_CSV) - 5, len(GOOD_CSV) - 3])
def test_csv_truncated_mid_row_names_the_line(tmp_path, cut):
    path = tmp_path / "cut.csv"
    path.write_text(GOOD_CSV[:cut])
    with pytest.raises(DataError, match=r"cut\.csv: row \d+ \(line \d+\) has \d fields"):
        load_csv(path)


def test_csv_truncated_after_a_delimiter_names_row_and_column(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text("a,b,label\n1,2,x\n3,")
    with pytest.raises(DataError) as info:
        load_csv(path)
    assert re.search(r"cut\.csv: row 2 \(line 3\)", str(info.value))


@pytest.mark.parametrize(
    "data",
    [
        "a,b,label\n1,2,x\n3,4,caf\xe9\n".encode("latin-1"),
        "a,b,label\n1,2,x\n".encode("utf-16"),
        bytes(range(256)),
    ],
    ids=["latin-1", "utf-16", "binary"],
)
def test_mis_encoded_csv_names_file_and_encoding(tmp_path, data):
    path = tmp_path / "enc.csv"
    path.write_bytes(data)
    with pytest.raises(DataError, match=r"enc\.csv: not a UTF-8 text file; save it as CSV"):
        load_csv(path)


def test_mis_encoded_csv_names_the_line(tmp_path):
    path = tmp_path / "enc.csv"
    path.write_bytes("a,b,label\n1,2,x\n3,4,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="line 3"):
        load_csv(path)


def test_unclosed_quote_is_reported_with_its_line(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('a,b,label\n1,2,"x\n3,4,y\n5,6,z\n')
    with pytest.raises(DataError, match=r"quote\.csv.*(quote|line 2)"):
        load_csv(path)


@settings(max_examples=100, deadline=None)
@given(blob=st.binary(max_size=400))
def test_property_any_bytes_as_csv_load_or_raise_data_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("csv") / "any.csv"
    path.write_bytes(blob)
    try:
        ds = load_csv(path)
    except DataError as exc:
        assert "any.csv" in str(exc)
    else:
        assert ds.X.shape[0] == len(ds.y) and np.isfinite(ds.X).all()
