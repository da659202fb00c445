"""The bounded reader (leannet._safe_io) and the model/checkpoint readers built on it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tracemalloc
import zipfile

import numpy as np
import pytest

import leannet as ln
from leannet import serialization
from leannet._safe_io import BoundedArchive, open_regular, read_bytes, read_text
from leannet.errors import MAX_MESSAGE_CHARS, DataError, ModelFileError


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.npz"
    os.mkfifo(path)
    return path


def test_fifo_as_model_is_refused_without_hanging(fifo):
    # Opening a FIFO for reading blocks until a writer appears: run in a child with a deadline.
    code = (
        "import sys, leannet as ln\n"
        "try:\n    ln.load(sys.argv[1])\n"
        "except ln.ModelFileError as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert "FIFO" in done.stdout and "not a regular file" in done.stdout


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_before_reading(device):
    with pytest.raises(ModelFileError, match="is a device, not a regular file"):
        ln.load(device)
    with pytest.raises(DataError, match="is a device, not a regular file"):
        read_bytes(device, what="data file", max_bytes=10)


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="is a directory"):
        open_regular(tmp_path, what="data file", max_bytes=None)
    with pytest.raises(DataError, match="does not exist"):
        open_regular(tmp_path / "nope", what="data file", max_bytes=None)


def test_read_is_bounded_by_size(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 1001)
    with pytest.raises(DataError, match="1001 bytes, more than the 1000 bytes"):
        read_text(path, what="config file", max_bytes=1000)
    assert read_text(path, what="config file", max_bytes=1001) == "x" * 1001


def test_read_text_names_the_bad_byte(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(DataError, match=r"not utf-8 text \(byte 7 is 0xff\)"):
        read_text(path, what="run file", max_bytes=100)


def test_header_announcing_huge_array_is_refused_before_allocating(tmp_path):
    # A .npy header claiming 10**12 rows in a tiny member: refused from the sizes alone.
    header = _npy_bytes(np.zeros((2, 3)))
    forged = header.replace(b"(2, 3)", b"(1000000000000, 3)".ljust(6))
    path = tmp_path / "forged.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("X.npy", forged)
    with BoundedArchive(path, what="data file", error=DataError) as npz:
        with pytest.raises(DataError, match="does not match the stored size"):
            npz.read("X")


def test_deflate_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    import leannet._safe_io as safe_io

    monkeypatch.setattr(safe_io, "_BOMB_FLOOR", 1_000_000)  # 1 MB stands for 256 MB here
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, X=np.zeros((2_000_000,), dtype=np.uint8))
    assert path.stat().st_size < 20_000
    with BoundedArchive(path, what="data file", error=DataError, allow_compressed=True) as npz:
        with pytest.raises(DataError, match="compression bomb"):
            npz.read("X")
    # an ordinary compressed file still reads
    np.savez_compressed(path, X=np.arange(1000.0))
    with BoundedArchive(path, what="data file", error=DataError, allow_compressed=True) as npz:
        assert np.array_equal(npz.read("X"), np.arange(1000.0))


def test_padded_model_file_is_refused_before_the_network_is_built(tmp_path):
    # Item 25: a file padded to 5 MB, describing 2.5M parameters it does not hold. The
    # network's buffers would cost 8-24 bytes per parameter (20-60 MB); the reader must
    # refuse from the member headers with memory near the file's own size.
    net = ln.Sequential([ln.Dense(2500, 1000)])
    meta = {"format": "leannet-model", "format_version": 1, "network": net.get_config()}
    del net
    path = tmp_path / "padded.npz"
    np.savez(
        path,
        __leannet__=np.array(json.dumps(meta)),
        pad=np.zeros(5_100_000, dtype=np.uint8),
    )
    file_size = path.stat().st_size
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match="missing arrays"):
            ln.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < file_size, f"peak {peak} bytes for a {file_size}-byte file"


def test_error_for_many_junk_members_is_bounded(tmp_path):
    # Item 23: 20k junk member names must not become a 300 kB error line.
    net = ln.Sequential([ln.Dense(2, 1)])
    path = tmp_path / "junk.npz"
    serialization.save(net, path)
    with zipfile.ZipFile(path, "a") as archive:
        member = _npy_bytes(np.zeros(1))
        for i in range(20_000):
            archive.writestr(f"junk_{i:05d}.npy", member)
    with pytest.raises(ModelFileError) as info:
        ln.load(path)
    text = str(info.value)
    assert "unknown arrays" in text and "more" in text
    assert len(text) <= MAX_MESSAGE_CHARS + 40


def test_every_leannet_error_message_is_bounded():
    from leannet.errors import ConfigError, FileWriteError

    assert len(str(ConfigError("x" * 10**6))) <= MAX_MESSAGE_CHARS + 40
    assert len(str(FileWriteError("y" * 10**6, filename="f"))) <= MAX_MESSAGE_CHARS + 40
    assert str(ConfigError("short")) == "short"
