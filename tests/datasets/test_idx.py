"""MNIST-style IDX files and directories."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from leannet.datasets import (
    load_dataset,
    load_idx_dir,
    read_idx,
)
from leannet.errors import DataError


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


def idx_bytes(shape, data: bytes, type_code: int = 0x08) -> bytes:
    header = bytes([0, 0, type_code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
    return header + data


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
