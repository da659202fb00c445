"""HTML views: valid HTML (parsed) carrying the object's own numbers."""

import json
import math
from html.parser import HTMLParser

import numpy as np
import pytest

import leannet as ln
from leannet import display
from leannet.sweep.result import SweepResult


class Page(HTMLParser):
    """Collects table rows (cell texts), all text, and checks that tags balance."""

    VOID = {"br", "img", "polyline", "meta"}

    def __init__(self, markup: str):
        super().__init__()
        self.rows, self.row_classes, self.text, self.stack, self.tags = [], [], [], [], []
        self._cell = None
        self.feed(markup)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "tr":
            self.rows.append([])
            self.row_classes.append(dict(attrs).get("class", ""))
        if tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag in ("td", "th"):
            self.rows[-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell += data

    def all_text(self):
        return "".join(self.text)


@pytest.fixture(scope="module")
def trained():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    net = ln.Sequential(
        [ln.Dense(2, 8, weight_regularizer=ln.L2(1e-3)), ln.Tanh(), ln.Dense(8, 1), ln.Sigmoid()],
        seed=0,
    )
    hist = net.fit(
        X[:60],
        y[:60],
        loss="binary_cross_entropy",
        optimizer=ln.Adam(lr=0.05),
        epochs=15,
        validation_data=(X[60:], y[60:]),
    )
    return net, hist, X, y


def test_network_html_lists_layers_shapes_counts_and_regularizers(trained):
    net = trained[0]
    page = Page(net._repr_html_())
    body = page.rows[1:]
    assert [r[1] for r in body] == ["Dense", "Tanh", "Dense", "Sigmoid"]
    assert body[0][4] == str(2 * 8 + 8) and body[2][4] == str(8 + 1)
    assert body[0][2] == "W 2×8, b 8"
    assert "L2" in body[0][5] and body[2][5] == ""
    assert f"{net.n_params:,}" in page.all_text() and net.n_params == 33


def test_history_html_and_text_show_the_last_and_best_numbers(trained):
    hist = trained[1]
    page = Page(hist._repr_html_())
    table = {r[0]: r[1:] for r in page.rows[1:]}
    last = hist.last()
    assert table["loss"] == [format(last["loss"], ".4g"), format(last["val_loss"], ".4g")]
    assert table["reg_loss"][0] == format(last["reg_loss"], ".4g")
    best = int(np.argmin(hist["val_loss"]))
    assert (
        f"lowest val_loss {min(hist['val_loss']):.4g} at epoch {hist.epoch[best]}"
        in page.all_text()
    )
    polylines = [a for t, a in page.tags if t == "polyline"]
    assert len(polylines) == 2 and all(len(p["points"].split()) == 15 for p in polylines)
    assert repr(hist) == (
        f"History(epochs=15, loss={last['loss']:.4g}, val_loss={last['val_loss']:.4g}, "
        f"accuracy={last['accuracy']:.4g}, val_accuracy={last['val_accuracy']:.4g})"
    )


def test_empty_history_and_non_finite_values():
    assert "no completed epoch" in Page(ln.History()._repr_html_()).all_text()
    hist = ln.History()
    for i, v in enumerate([1.0, math.nan, 0.5], start=1):
        hist.append(i, {"loss": v, "val_loss": v})
    page = Page(hist._repr_html_())
    assert "lowest val_loss 0.5 at epoch 3" in page.all_text()


def _row(setting, val, std):
    return {
        "params": {"l2": setting},
        "train_mean": val + 0.05,
        "train_std": 0.01,
        "val_mean": val,
        "val_std": std,
        "val_se": std / 2,
        "weight_norm": 3.0,
        "zero_share": 0.0,
        "n_iter": 50,
        "fit_time": 0.1,
        "n_folds": 3,
    }


def test_sweep_html_marks_best_and_one_standard_error_rows():
    table = [_row(0.0, 0.80, 0.02), _row(1e-3, 0.90, 0.02), _row(1e-2, 0.89, 0.02)]
    result = SweepResult(
        grid={"l2": [0.0, 1e-3, 1e-2]},
        names=["l2"],
        strength="l2",
        table=table,
        best=table[1],
        simplest=table[2],
        refits={},
        warm=None,
        records=[],
        sweep_id="x",
        cv=3,
        task="classification",
        scoring="accuracy",
        results_path=None,
        n_fits_run=9,
        n_fits_reused=0,
        elapsed_s=1.0,
        estimator="LeanClassifier",
    )
    page = Page(result._repr_html_())
    body = page.rows[1:]
    assert [r[-1] for r in body] == ["", "best", "1-SE"]
    assert page.row_classes[1:] == ["", "chosen", "chosen"]
    assert body[1][2] == "0.9000 ± 0.0200"
    assert "3 settings × 3 folds" in page.all_text()
    assert repr(result) == (
        "SweepResult(3 settings × 3 folds, accuracy; best l2=0.001 0.9000 ± 0.0200; "
        "1-SE l2=0.01 0.8900 ± 0.0200)"
    )


def test_run_html_reads_metrics_and_escapes(tmp_path, trained):
    net, hist, X, y = trained
    run = ln.report(
        net,
        hist,
        X=X[:60],
        y=y[:60],
        loss="binary_cross_entropy",
        validation_data=(X[60:], y[60:]),
        out=tmp_path / "run",
        pdf=False,
    )
    page = Page(run._repr_html_())
    rows = {r[0]: r[1:] for r in page.rows[1:]}
    want = net.evaluate(
        X[60:], y[60:].reshape(-1, 1).astype(np.float32), loss="binary_cross_entropy"
    )
    assert rows["accuracy"][1] == format(want["accuracy"], ".4g")
    assert rows["n"] == ["60", "20"]
    assert any(t == "img" and a["src"].startswith("data:image/png;base64,") for t, a in page.tags)
    assert {a.get("href", "").rsplit("/", 1)[-1] for t, a in page.tags if t == "a"} >= {
        "report.html",
        "report.md",
        "report.tex",
    }
    # a hostile run.json title is escaped, a garbage metrics.json is not read
    (run.path / "run.json").write_text(json.dumps({"title": "<script>x</script>"}))
    (run.path / "metrics.json").write_bytes(b"\x00garbage")
    page = Page(display.run_html(run.path))
    assert "<script>x</script>" in page.all_text()
    assert not any(t == "script" for t, _ in page.tags)
    assert "could not be read" in page.all_text()


def test_oversized_metrics_are_not_read(tmp_path, monkeypatch):
    (tmp_path / "metrics.json").write_text(json.dumps({"metrics": {"train": {"loss": 1.0}}}))
    assert "1" in Page(display.run_html(tmp_path)).rows[1][1]
    monkeypatch.setattr(display, "MAX_JSON_BYTES", 10)
    assert "could not be read" in Page(display.run_html(tmp_path)).all_text()


def test_html_table_left_aligns_and_marks_rows_and_escape_quotes():
    page = Page(display.html_table(["a", "b"], [["x", "1"], ["y", "2"]], left=1, marked={1}))
    assert page.rows == [["a", "b"], ["x", "1"], ["y", "2"]]
    assert page.row_classes[1:] == ["", "chosen"]
    assert display.escape('<b a="1">') == "&lt;b a=&quot;1&quot;&gt;"
