"""Every demo runs (--quick) and writes a run directory whose reports hold real content."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

import leannet as ln
from leannet.cli import main
from leannet.lab.demos import DEMO_MODULES
from leannet.lab.training import fit_targets

# figures each demo must show, beyond the standard curves/weights/task plots
EXTRA_FIGURES = {
    "overfit": {"accuracy.png", "norms.png", "compare_curves.png"},
    "xor": {"boundary.png"},
    "regression": {"fits.png", "predicted.png"},
    "binary": {"confusion.png"},
    "spiral": {"boundary.png"},
    "digits": {"confusion.png"},
    "l1": {"confusion.png"},
    "activations": {"activations.png"},
}


def check_metrics_match_model(run_dir):
    """metrics.json holds what model.npz scores on the saved splits, re-evaluated here."""
    metrics = json.loads((run_dir / "metrics.json").read_text())
    info = json.loads((run_dir / "data.json").read_text())
    net = ln.load(run_dir / "model.npz")
    with np.load(run_dir / "splits.npz", allow_pickle=False) as npz:
        splits = {k: npz[k] for k in npz.files}
    assert set(metrics["metrics"]) == {k[2:] for k in splits if k.startswith("X_")}
    for name, recorded in metrics["metrics"].items():
        X, y = splits[f"X_{name}"], splits[f"y_{name}"]
        y_fit = fit_targets(y, info["loss"], info["n_outputs"], net.dtype)
        fresh = net.evaluate(X, y_fit, loss=info["loss"])
        assert recorded["n"] == len(X)
        for key in ("loss", "data_loss", "reg_loss", "accuracy", "r2"):
            if key in fresh:
                assert recorded[key] == pytest.approx(float(fresh[key]), rel=1e-5, abs=1e-7), key
        if "accuracy" in fresh:  # and the accuracy really is the share of correct predictions
            out = net.predict(X)
            pred = (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(1)
            assert recorded["accuracy"] == pytest.approx(np.mean(pred == y))
    for key, stats in metrics["weights"].items():
        W = dict(net.parameters())[key]
        assert stats["l2_norm"] == pytest.approx(float(np.linalg.norm(W)), rel=1e-5)


@pytest.mark.parametrize("name", DEMO_MODULES)
def test_demo_quick(name, tmp_path, capsys, reports_ok, pdf_ok):
    out = tmp_path / name
    code = main(["demo", name, "--quick", "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    assert f"run directory: {out}" in stdout
    found = reports_ok(out, expect_figures=len(EXTRA_FIGURES[name]))
    assert EXTRA_FIGURES[name] <= set(found["figures"])
    run = json.loads((out / "run.json").read_text())
    # the conclusions printed on the terminal are the ones in every report
    assert run["conclusions"]
    for c in run["conclusions"]:
        assert f"* {c}" in stdout
        assert c in found["html_text"] and c in found["md"]
    if name != "activations":
        for f in ("model.npz", "data.json", "config.json", "config.toml", "history.csv"):
            assert (out / f).exists(), f
        check_metrics_match_model(out)
    pdf_ok(out, tmp_path)


def test_overfit_table_numbers_come_from_the_experiment(tmp_path, capsys):
    out = tmp_path / "of"
    assert main(["demo", "--quick", "--seeds", "3", "--out", str(out), "--no-pdf"]) == 0
    capsys.readouterr()
    metrics = json.loads((out / "metrics.json").read_text())
    exp = metrics["experiment"]
    assert list(exp) == ["no L2", "L2 λ=0.01"]
    for r in exp.values():
        assert len(r["train"]) == len(r["test"]) == 3
    # the paired change in the gap reported in the JSON equals the per-seed numbers
    gap0 = np.subtract(exp["no L2"]["train"], exp["no L2"]["test"])
    gap1 = np.subtract(exp["L2 λ=0.01"]["train"], exp["L2 λ=0.01"]["test"])
    change = metrics["changes_vs_no_l2"]["L2 λ=0.01"]
    assert change["gap_change"] == pytest.approx(np.mean(gap0 - gap1))
    run = json.loads((out / "run.json").read_text())
    table = run["sections"][0]["tables"][0]
    test_mean = 100 * np.mean(exp["no L2"]["test"])
    assert table["rows"][0][2].startswith(f"{test_mean:.1f} ± ")
    # L2 shrinks the weights: the one claim every seed must support
    assert np.all(np.array(exp["L2 λ=0.01"]["W1"]) < np.array(exp["no L2"]["W1"]))


def test_demo_rerun_needs_force(tmp_path, capsys):
    out = tmp_path / "act"
    assert main(["demo", "activations", "--quick", "--out", str(out), "--no-pdf"]) == 0
    assert main(["demo", "activations", "--quick", "--out", str(out), "--no-pdf"]) == 2
    assert main(["demo", "activations", "--quick", "--out", str(out), "--no-pdf", "--force"]) == 0
    capsys.readouterr()


def _idx(path, arr):
    arr = np.asarray(arr, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    path.write_bytes(header + arr.tobytes())


def test_digits_demo_on_mnist_idx_files(tmp_path, capsys):
    """--data DIR trains the assignment's 784-128-10 network on MNIST-format files."""
    rng = np.random.default_rng(0)
    labels = np.arange(300) % 10
    images = rng.integers(0, 40, size=(300, 28, 28))
    for k in range(10):  # a bright bar per class, so there is something to learn
        images[labels == k, 2 * k : 2 * k + 3, :] = 255
    mnist = tmp_path / "mnist"
    mnist.mkdir()
    _idx(mnist / "train-images-idx3-ubyte", images[:240])
    _idx(mnist / "train-labels-idx1-ubyte", labels[:240])
    _idx(mnist / "t10k-images-idx3-ubyte", images[240:])
    _idx(mnist / "t10k-labels-idx1-ubyte", labels[240:])
    out = tmp_path / "run"
    assert (
        main(["demo", "digits", "--quick", "--data", str(mnist), "--out", str(out), "--no-pdf"])
        == 0
    )
    stdout = capsys.readouterr().out
    assert "network 784-128-10" in stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["architecture"]["layers"][0]["shape"] == "784 -> 128"
    assert metrics["metrics"]["test"]["n"] == 60  # the t10k files are the test split
    check_metrics_match_model(out)


def test_data_is_for_the_digits_demo_only(capsys):
    assert main(["demo", "xor", "--data", "somewhere"]) == 2
    assert capsys.readouterr().err.strip() == (
        "leannet demo: error: --data applies to the digits demo only (MNIST IDX directory)"
    )


def test_binary_demo_chooses_on_validation_never_on_test(tmp_path, capsys):
    out = tmp_path / "bin"
    assert main(["demo", "binary", "--quick", "--out", str(out), "--no-pdf"]) == 0
    capsys.readouterr()
    run = json.loads((out / "run.json").read_text())
    tables = [t for s in run["sections"] for t in s.get("tables", [])]
    assert tables and all("test" not in " ".join(t["columns"]) for t in tables)
    assert all("validation" in (t["title"] + " ".join(t["columns"])) for t in tables[:1])
    assert any("chosen on the validation" in p for s in run["sections"] for p in s["paragraphs"])
    assert "validation" in json.loads((out / "metrics.json").read_text())["metrics"]
    # the learning-rate sentence agrees with its table (train / validation % per cell)
    cells = [c for r in tables[0]["rows"] for c in r[1:]]
    train_acc = {c.split(" / ")[0] for c in cells}
    val_acc = {c.split(" / ")[1] for c in cells}
    text = " ".join(run["conclusions"])
    assert ("every setting reached the same validation accuracy" in text) is (len(val_acc) == 1)
    if len(train_acc) == 1:  # all at one training accuracy: none left the plateau
        assert "a larger rate or more iterations left that plateau" not in text


def test_regression_demo_benchmarks_against_the_true_curve(tmp_path, capsys):
    out = tmp_path / "reg"
    assert main(["demo", "regression", "--quick", "--out", str(out), "--no-pdf"]) == 0
    capsys.readouterr()
    run = json.loads((out / "run.json").read_text())
    info = json.loads((out / "data.json").read_text())
    with np.load(out / "splits.npz") as npz:
        x = npz["X_test"][:, 0] * info["std"][0] + info["mean"][0]
        truth_mse = float(np.mean((2 * x**2 - npz["y_test"]) ** 2))
    text = " ".join(run["conclusions"])
    assert f"the true curve 2x² itself has MSE {truth_mse:.3f}" in text
    assert "lowest test MSE any model can expect" not in text
    assert json.loads((out / "metrics.json").read_text())["monitor"] == "test"


@pytest.mark.parametrize("name", ["xor", "spiral"])
def test_one_number_per_quantity(name, tmp_path, capsys):
    """The demo's sentences and tables quote the final metrics, not the last epoch's log."""
    out = tmp_path / name
    assert main(["demo", name, "--quick", "--out", str(out), "--no-pdf"]) == 0
    capsys.readouterr()
    train = json.loads((out / "metrics.json").read_text())["metrics"]["train"]
    run = json.loads((out / "run.json").read_text())
    text = " ".join(run["conclusions"]) + json.dumps(run["sections"])
    if name == "xor":
        assert f"Final loss {train['loss']:.4f} = data loss {train['data_loss']:.4f}" in text
    else:
        assert f"{100 * train['accuracy']:.1f}" in text
