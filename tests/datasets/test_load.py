"""load_dataset: names, paths, the task override."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.datasets import (
    load_csv,
    load_dataset,
)
from leannet.errors import ConfigError, DataError


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_task_override(tmp_path):
    p = _write(tmp_path / "d.csv", "x,y\n1,0\n2,1\n3,2\n")
    assert load_dataset(p).task == "classification"
    ds = load_dataset(p, task="regression")
    assert ds.task == "regression"
    np.testing.assert_array_equal(ds.y, [0.0, 1.0, 2.0])


def test_missing_file_and_unknown_name():
    with pytest.raises(DataError, match=r"data file not found: nope\.csv; .*built-in dataset name"):
        load_dataset("nope.csv")


def test_target_with_builtin_is_a_config_error():
    with pytest.raises(ConfigError, match="--target applies to CSV files only"):
        load_dataset("iris", target="x")


def test_empty_missing_and_unreadable_paths(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match=r"empty\.csv: the file is empty"):
        load_csv(tmp_path / "empty.csv")
    with pytest.raises(DataError, match=r"data file not found: .*nope\.csv"):
        load_dataset(str(tmp_path / "nope.csv"))
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DataError, match=r"dir\.csv"):
        load_dataset(str(tmp_path / "dir.csv"))
