"""Broken data files: a DataError that names the file and the place, never a raw traceback."""

from __future__ import annotations

import gzip
import re
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leannet.datasets import load_csv, load_dataset, load_idx_dir, load_npz, read_idx
from leannet.errors import DataError

GOOD_CSV = "a,b,label\n1.5,2.25,x\n3.5,4.75,y\n5,6,x\n"


def idx_bytes(shape, data: bytes, type_code: int = 0x08) -> bytes:
    header = bytes([0, 0, type_code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
    return header + data


# ----------------------------------------------------------------------------- CSV


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


def test_empty_missing_and_unreadable_paths(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match=r"empty\.csv: the file is empty"):
        load_csv(tmp_path / "empty.csv")
    with pytest.raises(DataError, match=r"data file not found: .*nope\.csv"):
        load_dataset(str(tmp_path / "nope.csv"))
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DataError, match=r"dir\.csv"):
        load_dataset(str(tmp_path / "dir.csv"))


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


# ----------------------------------------------------------------------------- IDX


def test_good_idx(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(idx_bytes((3, 2, 2), bytes(range(12))))
    np.testing.assert_array_equal(read_idx(path).ravel(), np.arange(12))


@pytest.mark.parametrize(
    ("shape", "size"), [((3, 2, 2), 11), ((3, 2, 2), 13), ((60000, 28, 28), 100)]
)
def test_idx_header_disagreeing_with_size(tmp_path, shape, size):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(idx_bytes(shape, bytes(size)))
    expected = int(np.prod(shape))
    with pytest.raises(DataError) as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message
    assert f"promises {expected} bytes of data for shape {shape} but the file has {size}" in message


def test_idx_header_claiming_an_absurd_size_fails_fast(tmp_path):
    path = tmp_path / "x-idx"
    path.write_bytes(idx_bytes((2**31, 2**31, 2**31), b""))
    with pytest.raises(DataError, match="truncated or corrupt"):
        read_idx(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n", "not an IDX file"),
        (b"\x00\x00\x08\x03\x00\x00", "truncated IDX header"),
        (bytes([0, 0, 0x08, 0]), "truncated IDX header"),
    ],
)
def test_idx_bad_magic_and_header(tmp_path, data, message):
    path = tmp_path / "x-idx"
    path.write_bytes(data)
    with pytest.raises(DataError, match=message):
        read_idx(path)


def test_idx_broken_gzip(tmp_path):
    whole = gzip.compress(idx_bytes((3, 2, 2), bytes(12)))
    (tmp_path / "cut-idx.gz").write_bytes(whole[:-10])
    with pytest.raises(DataError, match=r"cut-idx\.gz: cannot be read"):
        read_idx(tmp_path / "cut-idx.gz")
    (tmp_path / "bad-idx.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match=r"bad-idx\.gz: cannot be read"):
        read_idx(tmp_path / "bad-idx.gz")


def test_idx_directory_with_mismatched_counts(tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(idx_bytes((3, 2, 2), bytes(12)))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes((2,), bytes([0, 1])))
    with pytest.raises(DataError, match=r"train images \(3\) and labels \(2\) differ"):
        load_idx_dir(tmp_path)


# ----------------------------------------------------------------------------- npz data


def test_npz_data_with_pickles_is_refused(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.array([object()] * 4, dtype=object), y=np.zeros(4))
    with pytest.raises(DataError, match=r"d\.npz: holds Python objects"):
        load_npz(path)


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_npz_data_truncated_or_corrupted(tmp_path, damage):
    good = tmp_path / "good.npz"
    np.savez(good, X=np.ones((4, 2)), y=np.array([0, 1, 0, 1]))
    data = bytearray(good.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[100] ^= 0xFF  # inside X's data: the CRC check fails
    path = tmp_path / "d.npz"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"d\.npz"):
        load_npz(path)
