"""Issue 14: data files are untrusted input (items 10, 11, 17, 20, 24)."""

from __future__ import annotations

import gzip
import io
import os
import struct
import subprocess
import sys
import tracemalloc
import zipfile

import numpy as np
import pytest

from leannet.datasets import load_dataset, load_idx_dir, read_idx
from leannet.errors import DataError


def _idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


# -- item 10: FIFOs and devices as --data ------------------------------------------------------


def test_fifo_as_data_is_refused_without_hanging(tmp_path):
    for name in ("pipe.csv", "pipe.npz"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        code = (
            "import sys\nfrom leannet.datasets import load_dataset\n"
            "try:\n    load_dataset(sys.argv[1])\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60
        )
        assert done.stdout.startswith("DataError") and "FIFO" in done.stdout, done.stdout


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_as_data_is_refused_before_reading(device):
    with pytest.raises(DataError, match="is a device, not a regular file"):
        load_dataset(device)


def test_device_as_idx_file_is_refused():
    with pytest.raises(DataError, match="is a device"):
        read_idx("/dev/zero")


# -- item 11: IDX .gz header before inflating; NPZ size guards -----------------------------------


def test_idx_gz_header_is_checked_before_inflating(tmp_path):
    # A bad magic number in front of 200 MB of zeros: refused after reading 4 bytes.
    path = tmp_path / "train-images-idx3-ubyte.gz"
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(b"\x01\x02\x03\x04")
        chunk = bytes(2**20)
        for _ in range(200):
            handle.write(chunk)
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="bad magic number"):
            read_idx(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20, peak


def test_idx_gz_claiming_more_than_deflate_can_hold_is_refused(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    header = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 60000, 280, 280)  # 4.7 GB
    path.write_bytes(gzip.compress(header + bytes(10_000)))
    with pytest.raises(DataError, match="more than this .*-byte .gz file can inflate to"):
        read_idx(path)


def test_npz_header_claiming_huge_rows_is_refused_before_allocating(tmp_path):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.zeros((4, 3)))
    raw = buffer.getvalue()
    forged = raw.replace(b"(4, 3), }" + b" " * 12, b"(1000000000000, 3), }")
    assert len(forged) == len(raw) and forged != raw
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("X.npy", forged)
        archive.writestr("y.npy", raw)
    with pytest.raises(DataError, match="does not match the stored size"):
        load_dataset(path)


def test_npz_compressed_data_still_loads(tmp_path):
    path = tmp_path / "ok.npz"
    X = np.arange(12.0).reshape(6, 2)
    np.savez_compressed(path, X=X, y=np.array([0, 1, 0, 1, 0, 1]))
    ds = load_dataset(path)
    assert np.array_equal(ds.X, X)


# -- item 17: NPZ shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        (
            {"X": np.zeros((6, 2)), "X_test": np.zeros((3, 5)), "y_test": np.zeros(3)},
            "X_test has 5",
        ),
        ({"X": np.array(3.0)}, "0-d array"),
        ({"X": np.zeros((6, 0))}, "no feature columns"),
        ({"X": np.zeros((6, 2)), "X_test": np.zeros((3, 2)), "y_test": np.zeros(4)}, "y_test has"),
        ({"X": np.zeros((6, 2)), "X_test": np.zeros((3, 2))}, "no y_test"),
        ({"X": np.zeros((6, 2)), "y": np.array(1.0)}, "y has shape"),
    ],
)
def test_npz_shape_problems_are_clear(tmp_path, arrays, message):
    arrays = {"y": np.array([0, 1, 0, 1, 0, 1]), **arrays}
    path = tmp_path / "d.npz"
    np.savez(path, **arrays)
    with pytest.raises(DataError, match=message):
        load_dataset(path)


# -- item 20: CSV line numbers with blank lines -------------------------------------------------


def test_csv_line_numbers_count_blank_lines(tmp_path):
    lines = ["a,b,y"] + ["1,2,0"] * 5 + [""] * 29 + ["1,2,0"] * 5 + ["1,,1"]
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"row 11 \(line 41\), column 'b' is missing"):
        load_dataset(path)
    lines[-1] = "1,2"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"row 11 \(line 41\) has 2 fields"):
        load_dataset(path)


# -- item 24: NaN IDX labels, features beyond float32 ----------------------------------------------


def test_nan_float_idx_labels_are_refused(tmp_path):
    images = np.zeros((3, 2, 2), dtype=np.uint8)
    labels = np.array([0.0, np.nan, 1.0], dtype=">f8")
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx_bytes(images))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(labels, 0x0E))
    with pytest.raises(DataError, match="label 1 is nan; IDX labels must be whole numbers"):
        load_idx_dir(tmp_path)


def test_idx_features_beyond_float32_are_refused(tmp_path):
    images = np.full((3, 2, 2), 1e300, dtype=">f8")
    labels = np.array([0, 1, 1], dtype=np.uint8)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx_bytes(images, 0x0E))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(labels))
    with pytest.raises(DataError, match="beyond the float32 range"):
        load_idx_dir(tmp_path)
