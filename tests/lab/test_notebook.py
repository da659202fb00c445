"""ln.report: the lab's run directory and reports for a network trained in Python."""

import json

import numpy as np
import pytest

import leannet as ln
from leannet.errors import ConfigError, DataError


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3)).astype(np.float32)
    y = (X[:, 0] - X[:, 2] > 0).astype(int) + (X[:, 1] > 1)
    net = ln.Sequential(
        [ln.Dense(3, 8, weight_regularizer=ln.L2(1e-3)), ln.ReLU(), ln.Dense(8, 3), ln.Softmax()],
        seed=0,
    )
    hist = net.fit(
        X[:60],
        y[:60],
        loss="categorical_cross_entropy",
        epochs=8,
        validation_data=(X[60:75], y[60:75]),
    )
    return net, hist, X, y


def test_report_writes_the_run_directory_and_reports(tmp_path, fitted):
    net, hist, X, y = fitted
    run = ln.report(
        net,
        hist,
        X=X[:60],
        y=y[:60],
        loss="categorical_cross_entropy",
        validation_data=(X[60:75], y[60:75]),
        test_data=(X[75:], y[75:]),
        out=tmp_path / "r",
        title="my network",
        class_names=["a", "b", "c"],
        config={"optimizer": "adam", "lr": 0.001},
        pdf=False,
    )
    assert {"html", "md", "tex"} <= set(run.files) and run.files["tex"].exists()
    metrics = json.loads((run.path / "metrics.json").read_text())
    want = net.evaluate(X[75:], y[75:], loss="categorical_cross_entropy")
    assert metrics["metrics"]["test"]["accuracy"] == pytest.approx(want["accuracy"])
    assert metrics["epochs_run"] == 8
    tex = run.files["tex"].read_text()
    assert "my network" in tex and "adam" in tex
    assert (run.path / "history.csv").read_text().count("\n") == 9  # header + 8 epochs
    reopened = ln.open_run(run.path)
    assert reopened.metrics["metrics"] == metrics["metrics"] and reopened.files == run.files
    loaded = ln.load(run.path / "model.npz")
    assert np.array_equal(loaded.params, net.params)


def test_report_refuses_bad_input(tmp_path, fitted):
    net, hist, X, y = fitted
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("keep")
    with pytest.raises(ConfigError, match="already exists"):
        ln.report(net, hist, X=X, y=y, loss="categorical_cross_entropy", out=tmp_path / "full")
    assert (tmp_path / "full" / "x").read_text() == "keep"
    with pytest.raises(DataError, match="rows"):
        ln.report(net, hist, X=X, y=y[:10], loss="categorical_cross_entropy", out=tmp_path / "a")
    with pytest.raises(ConfigError, match="pair"):
        ln.report(
            net, X=X, y=y, loss="categorical_cross_entropy", validation_data=X, out=tmp_path / "b"
        )
    with pytest.raises(ConfigError, match="not a directory"):
        ln.open_run(tmp_path / "missing")


def test_cli_evaluate_reads_a_run_written_from_python(tmp_path, capsys):
    from leannet.cli import main

    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 2)).astype(np.float32)
    y = (X[:, 0] > X[:, 1]).astype(int)
    net = ln.Sequential([ln.Dense(2, 4), ln.Tanh(), ln.Dense(4, 1), ln.Sigmoid()], seed=0)
    hist = net.fit(X[:80], y[:80], loss="binary_cross_entropy", epochs=20)
    run = ln.report(
        net, hist, X=X[:80], y=y[:80], loss="binary_cross_entropy", out=tmp_path / "run", pdf=False
    )
    rows = ["x1,x2,label"] + [f"{a},{b},{c}" for (a, b), c in zip(X[80:], y[80:])]
    (tmp_path / "test.csv").write_text("\n".join(rows) + "\n")
    capsys.readouterr()
    code = main(
        ["evaluate", str(run.path), "--data", str(tmp_path / "test.csv"), "--target", "label"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    want = net.evaluate(
        X[80:], y[80:].reshape(-1, 1).astype(np.float32), loss="binary_cross_entropy"
    )
    line = next(li for li in out.splitlines() if li.startswith("accuracy"))
    assert float(line.split()[-1]) == pytest.approx(want["accuracy"], abs=5e-5)
