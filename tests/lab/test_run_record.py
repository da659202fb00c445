"""Writing a run directory from one RunRecord."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from leannet.datasets import make_xor  # noqa: E402
from leannet.lab.config import TrainConfig  # noqa: E402
from leannet.lab.modeling import fit_config  # noqa: E402
from leannet.lab.run_record import RunRecord, save_run, write_run  # noqa: E402
from leannet.lab.splits import split_data  # noqa: E402


@pytest.fixture(scope="module")
def fitted():
    ds = make_xor(40, seed=0)
    cfg = TrainConfig(hidden=[4], epochs=4, val_split=0.25, test_split=0.0, seed=1)
    splits = split_data(ds, cfg)
    net, history, loss = fit_config(ds, cfg, splits)
    return net, ds, splits, loss, cfg.to_dict(), history


def test_write_run_writes_every_file_from_the_record(fitted, tmp_path):
    record = RunRecord(
        *fitted,
        title="a title",
        description="a description",
        conclusions=["one conclusion"],
        extra_metrics={"extra": 7},
    )
    metrics = write_run(tmp_path, record, pdf=False)
    for name in ("model.npz", "data.json", "splits.npz", "config.json", "config.toml"):
        assert (tmp_path / name).exists(), name
    for name in ("history.csv", "metrics.json", "run.json", "report.html", "report.md"):
        assert (tmp_path / name).exists(), name
    data = json.loads((tmp_path / "data.json").read_text())
    net, ds, splits = fitted[:3]
    assert data["class_names"] == ds.class_names and data["loss"] == "binary_cross_entropy"
    np.testing.assert_allclose(data["mean"], splits.mean)
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["title"] == "a title" and run["conclusions"] == ["one conclusion"]
    assert {f["kind"] for f in run["figures"]} == {"curves", "weights", "task"}
    saved = json.loads((tmp_path / "metrics.json").read_text())
    assert saved["extra"] == 7 and saved["epochs_run"] == 4
    assert metrics["metrics"] == saved["metrics"]
    assert "a description" in (tmp_path / "report.md").read_text()


def test_save_run_is_write_run_with_named_fields(fitted, tmp_path):
    net, ds, splits, loss, config, history = fitted
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    m1 = write_run(a, RunRecord(*fitted, title="t"), plots=False, pdf=False)
    m2 = save_run(
        b,
        net=net,
        ds=ds,
        splits=splits,
        loss=loss,
        config=config,
        history=history,
        title="t",
        plots=False,
        pdf=False,
    )
    assert m1["metrics"] == m2["metrics"]
    assert (a / "run.json").read_text() == (b / "run.json").read_text()
    assert json.loads((a / "run.json").read_text())["figures"] == []  # plots=False
