"""Issue 14 item 2: class labels from the data never become spreadsheet formulas."""

from __future__ import annotations

import csv

import numpy as np

from leannet.cli import main
from leannet.lab.runs import spreadsheet_safe

LABELS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1"]


def test_predict_csv_neutralises_formula_labels(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = [LABELS[int(2 * (a > 0) + (b > 0))] for a, b in X]
    data = tmp_path / "d.csv"
    with open(data, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b", "label"])
        writer.writerows([[a, b, t] for (a, b), t in zip(X, y, strict=True)])
    run = tmp_path / "run"
    args = ["--data", str(data), "--target", "label", "--epochs", "30", "--hidden", "8"]
    assert main(["train", *args, "--out", str(run), "--quiet", "--no-pdf"]) == 0
    out = tmp_path / "pred.csv"
    assert main(["predict", str(run), "--data", str(data), "--out", str(out)]) == 0
    rows = list(csv.reader(open(out, newline="")))
    cells = [c for r in rows for c in r]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "@") and not _number(c)]
    assert dangerous == [], dangerous
    predicted = {r[1] for r in rows[1:]}
    assert predicted <= {spreadsheet_safe(t) for t in LABELS}
    assert any(c.startswith("'") for c in predicted)  # a formula label was predicted
    assert "-1" in {spreadsheet_safe(t) for t in LABELS}  # numbers are left alone


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_spreadsheet_safe():
    assert spreadsheet_safe("=1+2") == "'=1+2"
    assert spreadsheet_safe("+cmd|x") == "'+cmd|x"
    assert spreadsheet_safe("\t=x") == "'\t=x"
    assert spreadsheet_safe("-2.5e3") == "-2.5e3"
    assert spreadsheet_safe("setosa") == "setosa"
