"""Run directories and atomic writes."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from leannet.errors import ConfigError
from leannet.lab import runs
from leannet.lab.runs import (
    atomic_write_json,
    atomic_write_text,
    create_run_dir,
    read_history_csv,
    write_history_csv,
)


def test_atomic_write_leaves_no_temp_files(tmp_path):
    p = atomic_write_text(tmp_path / "a.txt", "hello")
    atomic_write_text(p, "again")
    assert p.read_text() == "again"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_atomic_write_keeps_old_file_when_writing_fails(tmp_path, monkeypatch):
    p = atomic_write_text(tmp_path / "a.txt", "old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(runs.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(p, "new")
    assert p.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_json_converts_numpy_and_nan(tmp_path):
    p = atomic_write_json(
        tmp_path / "m.json", {"a": np.float32(1.5), "b": np.arange(2), "c": float("nan")}
    )
    assert json.loads(p.read_text()) == {"a": 1.5, "b": [0, 1], "c": None}


def test_run_dir_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "run"
    create_run_dir(out, "x")
    (out / "model.npz").write_text("keep")
    with pytest.raises(
        ConfigError, match="already exists and is not empty; choose another --out or pass --force"
    ):
        create_run_dir(out, "x")
    assert create_run_dir(out, "x", force=True) == out
    assert (out / "model.npz").read_text() == "keep"  # force replaces files one by one only


def test_default_run_dirs_are_unique(tmp_path):
    a = create_run_dir(None, "demo overfit", base=tmp_path)
    b = create_run_dir(None, "demo overfit", base=tmp_path)
    assert a != b and a.parent == b.parent == tmp_path
    assert "demo-overfit" in a.name


def test_out_that_is_a_file(tmp_path):
    f = tmp_path / "f"
    f.write_text("")
    with pytest.raises(ConfigError, match="is a file, not a directory"):
        create_run_dir(f, "x")


def test_history_csv_round_trip(tmp_path):
    hist = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.3]}
    write_history_csv(tmp_path / "h.csv", hist)
    back = read_history_csv(tmp_path / "h.csv")
    assert back["epoch"] == [1, 2, 3]
    assert back["loss"] == hist["loss"] and back["val_loss"] == hist["val_loss"]


def test_run_dir_that_cannot_be_created_is_a_clear_error(tmp_path):
    from leannet.errors import FileWriteError

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(FileWriteError, match="cannot create the run directory"):
        create_run_dir(blocker / "run", "x")
    with pytest.raises(FileWriteError, match="cannot create the run directory"):
        create_run_dir(None, "x", base=blocker)
