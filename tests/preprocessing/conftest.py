"""Fixtures: a messy training CSV and new rows with the same problems."""

from __future__ import annotations

import pytest

from .tables import messy_rows, write_csv


@pytest.fixture
def messy_csv(tmp_path):
    """Training file and a file of new rows with the same problems (and an unseen island)."""
    train = messy_rows(200, seed=1)
    new = messy_rows(40, seed=2)
    new[0]["island"] = "Atlantis"
    new[1]["island"] = "Atlantis"
    return write_csv(tmp_path / "train.csv", train), write_csv(tmp_path / "new.csv", new)
