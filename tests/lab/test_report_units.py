"""A regression report on a standardised target says which numbers are in which units."""

from __future__ import annotations

import pytest

from leannet.cli import main

pytest.importorskip("sklearn")


@pytest.mark.parametrize("scale", [True, False])
def test_final_metrics_note_names_the_standardised_loss(tmp_path, scale):
    path = tmp_path / "r.csv"
    path.write_text("a,b,price\n" + "".join(f"{i % 7},{i % 5},{1000 * (i % 7) + 50 * (i % 5)}\n"
                                            for i in range(60)))  # fmt: skip
    out = tmp_path / "run"
    argv = ["train", "--data", str(path), "--target", "price", "--epochs", "2", "--out", str(out),
            "-q", "--no-pdf", "--scale-target" if scale else "--no-scale-target"]  # fmt: skip
    assert main(argv) == 0
    md = (out / "report.md").read_text()
    note = "the loss is the MSE of the standardised target (RMSE and MAE in the target's units"
    assert (note in md) is scale
    assert ("MSE (standardised target)" in md) is scale
