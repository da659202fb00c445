"""Issue 14 item 22: divergence from float32 overflow advises float64, and float64 works."""

from __future__ import annotations

import numpy as np

from leannet.cli import main


def test_huge_target_in_float32_advises_float64_which_trains(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2))
    data = tmp_path / "big.npz"
    np.savez(data, X=X, y=X[:, 0] * 1e25)
    # a raw target (a standardised one trains in float32)
    args = ["train", "--data", str(data), "--epochs", "3", "--quiet", "--no-pdf",
            "--no-scale-target"]  # fmt: skip
    assert main([*args, "--out", str(tmp_path / "a")]) == 3
    err = capsys.readouterr().err
    assert "train with --dtype float64" in err and "lower --lr" not in err, err
    assert err.count("\n") == 1
    assert main([*args, "--out", str(tmp_path / "b"), "--dtype", "float64"]) == 0


def test_ordinary_divergence_still_advises_the_learning_rate(tmp_path, capsys):
    args = ["--data", "quadratic", "--optimizer", "sgd", "--lr", "1e4", "--epochs", "50"]
    assert main(["train", *args, "--out", str(tmp_path / "r"), "--quiet", "--no-pdf"]) == 3
    err = capsys.readouterr().err
    assert "lower --lr" in err and "float64" not in err
