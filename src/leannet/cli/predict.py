"""``leannet predict MODEL --data FILE --out preds.csv``: predictions in the original labels."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ._common import add_command

EPILOG = """\
examples:
  leannet predict runs/my-run --data new.csv --out preds.csv
  leannet predict runs/iris-run --data iris --out iris-preds.csv --force

The CSV has one row per input row: the prediction (classification: in the labels
of the training data, e.g. its strings, plus one probability column per class;
regression: the predicted values, in the target's units). The target column may be
absent from --data. A model trained on a CSV file applies that file's preprocessing:
missing cells are filled in and unseen categories encoded as zeros, and both are
counted in the message. `--out -` writes the CSV to standard output.
"""


def register(sub) -> None:
    p = add_command(
        sub,
        "predict",
        run,
        help="write predictions of a saved model to CSV",
        description="Predict with a trained model and write a CSV file.",
        epilog=EPILOG,
    )
    p.add_argument("model", metavar="MODEL", help="run directory or model.npz")
    p.add_argument("--data", required=True, metavar="FILE|DIR|NAME", help="inputs to predict")
    p.add_argument(
        "--out", required=True, metavar="FILE.csv", help="where to write predictions ('-': stdout)"
    )
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")


def run(args) -> int:
    import sys

    import numpy as np

    from ..errors import ConfigError
    from ..lab.inference import in_target_units, load_inputs, scale
    from ..lab.runs import atomic_write_text, spreadsheet_safe
    from ..lab.training import load_run_model

    to_stdout = args.out == "-"
    out = Path(args.out)
    if to_stdout:
        pass
    elif out.exists() and not args.force:
        raise ConfigError(f"{out} already exists; choose another --out or pass --force")
    if out.parent and not out.parent.exists():
        raise ConfigError(f"the directory of --out {out} does not exist; create it first")
    net, info = load_run_model(args.model)
    X, _, desc = load_inputs(args.data, info, need_target=False)
    P = np.asarray(net.predict(scale(X, info, net.dtype)), dtype=float)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if info["task"] == "classification":
        classes = list(info["class_names"])
        if info["loss"] == "binary_cross_entropy":
            P = np.column_stack([1.0 - P[:, 0], P[:, 0]])
        # cross-entropy outputs are probabilities; MSE on classes gives raw scores
        prefix = "score_" if info["loss"] == "mse" else "p_"
        safe = [spreadsheet_safe(c) for c in classes]  # labels come from the data
        w.writerow(["row", "prediction", *[spreadsheet_safe(f"{prefix}{c}") for c in classes]])
        for i, p in enumerate(P):
            w.writerow([i, safe[int(np.argmax(p))], *(f"{v:.6g}" for v in p)])
    else:
        P = in_target_units(P, info)
        cols = ["prediction"] if P.shape[1] == 1 else [f"prediction_{k}" for k in range(P.shape[1])]
        w.writerow(["row", *cols])
        for i, p in enumerate(P):
            w.writerow([i, *(repr(float(v)) for v in p)])
    if to_stdout:
        sys.stdout.write(buf.getvalue())
        print(f"wrote {len(P)} predictions for {desc} to standard output", file=sys.stderr)
        return 0
    atomic_write_text(out, buf.getvalue())
    print(f"wrote {len(P)} predictions for {desc} to {out}")
    return 0
