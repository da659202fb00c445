"""Atomic writes: the target holds the old file or the new one, never a mix."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leannet import _atomic
from leannet._atomic import atomic_open, atomic_write_bytes, atomic_write_text
from leannet.errors import FileWriteError, LeannetError

SRC = Path(__file__).resolve().parents[1] / "src"


def leftovers(directory: Path) -> list[str]:
    """Temporary files the writer left behind."""
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_creates_and_replaces(tmp_path):
    target = tmp_path / "out.bin"
    assert atomic_write_bytes(target, b"first") == target
    assert target.read_bytes() == b"first"
    atomic_write_bytes(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    atomic_write_text(tmp_path / "note.txt", "héllo\n")
    assert (tmp_path / "note.txt").read_text(encoding="utf-8") == "héllo\n"
    assert leftovers(tmp_path) == []


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=5000))
def test_any_bytes_round_trip(tmp_path_factory, data):
    target = tmp_path_factory.mktemp("rt") / "blob"
    atomic_write_bytes(target, data)
    assert target.read_bytes() == data


def test_relative_path_in_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    atomic_write_text("plain.txt", "x")
    assert (tmp_path / "plain.txt").read_text() == "x"


def test_new_file_gets_umask_permissions(tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    target = tmp_path / "perm.txt"
    atomic_write_text(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_failure_inside_block_keeps_previous_file(tmp_path, error):
    target = tmp_path / "model.npz"
    target.write_bytes(b"previous")
    with pytest.raises(type(error)):
        with atomic_open(target) as handle:
            handle.write(b"half of the new con")
            raise error
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


def test_disk_full_during_fsync_gives_clean_error(tmp_path, monkeypatch):
    target = tmp_path / "ckpt.npz"
    target.write_bytes(b"previous")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_atomic.os, "fsync", full_disk)
    with pytest.raises(FileWriteError, match="disk is full") as info:
        atomic_write_bytes(target, b"new content")
    assert str(target) in str(info.value)
    assert "previous file is unchanged" in str(info.value)
    assert info.value.errno == errno.ENOSPC
    assert isinstance(info.value, OSError) and isinstance(info.value, LeannetError)
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


def test_read_only_directory_mocked(tmp_path, monkeypatch):
    """EROFS from creating the temp file (works even when the tests run as root)."""

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(_atomic.tempfile, "mkstemp", read_only)
    with pytest.raises(FileWriteError, match="read-only"):
        atomic_write_text(tmp_path / "report.md", "text")
    assert not (tmp_path / "report.md").exists()


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root can write to a 0555 directory"
)
def test_read_only_directory_real(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    (out / "old.txt").write_text("kept")
    out.chmod(0o555)
    try:
        with pytest.raises(FileWriteError, match="permission denied"):
            atomic_write_text(out / "old.txt", "new")
        assert (out / "old.txt").read_text() == "kept"
    finally:
        out.chmod(0o755)


def test_missing_directory(tmp_path):
    with pytest.raises(FileWriteError, match="does not exist"):
        atomic_write_text(tmp_path / "no" / "such" / "dir.txt", "x")


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        with atomic_open("x", "ab"):
            pass


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE behaviour is Linux's")
def test_real_file_size_limit_keeps_previous_file(tmp_path):
    """A genuine write failure from the kernel (EFBIG under RLIMIT_FSIZE, like a full disk)."""
    target = tmp_path / "big.bin"
    target.write_bytes(b"previous")
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        sys.path.insert(0, {str(SRC)!r})
        from leannet._atomic import atomic_write_bytes
        from leannet.errors import FileWriteError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            atomic_write_bytes({str(target)!r}, b"x" * 100_000)
        except FileWriteError as exc:
            print("FileWriteError:", exc)
            sys.exit(0)
        sys.exit("no error raised")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "FileWriteError: could not write" in proc.stdout
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []
