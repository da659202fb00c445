"""The JSONL results file: atomic appends, interrupted lines, foreign files."""

from __future__ import annotations

import json

import pytest

from leannet.errors import ConfigError
from leannet.sweep.results import ResultsFile


def test_append_then_load_one_line_per_record(tmp_path):
    store = ResultsFile(tmp_path / "sub" / "r.jsonl")
    store.append({"task": "a", "val_score": 0.5})
    store.append({"task": "b", "val_score": float("nan")})
    lines = (tmp_path / "sub" / "r.jsonl").read_text().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])["val_score"] is None  # NaN is written as null
    assert [r["task"] for r in store.load()] == ["a", "b"]


def test_a_cut_off_last_line_is_skipped_and_then_replaced(tmp_path):
    path = tmp_path / "r.jsonl"
    store = ResultsFile(path)
    store.append({"task": "a"})
    with open(path, "a") as fh:
        fh.write('{"task": "b", "val')  # killed in the middle of a write
    with pytest.warns(UserWarning, match="incomplete"):
        assert [r["task"] for r in store.load()] == ["a"]
    store.append({"task": "c"})
    assert [r["task"] for r in store.load()] == ["a", "c"]
    assert path.read_text().count("\n") == 2


def test_a_foreign_or_edited_file_is_refused(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("not json\n{}\n")
    with pytest.raises(ConfigError, match="line 1"):
        ResultsFile(path).load()
    path.write_text('{"no_task": 1}\n')
    with pytest.raises(ConfigError, match="not a leannet sweep record"):
        ResultsFile(path).load()
    with pytest.raises(ConfigError, match="directory"):
        ResultsFile(tmp_path)
