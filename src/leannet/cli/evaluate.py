"""``leannet evaluate MODEL --data FILE``: metrics of a saved model on data."""

from __future__ import annotations

import json

from ._common import add_command, print_table

EPILOG = """\
examples:
  leannet evaluate runs/my-run --data test.csv
  leannet evaluate runs/my-run/model.npz --data test.csv --target label --json

MODEL is a run directory (or its model.npz); the data needs the training columns
and the target column. Built-in datasets with a test split are evaluated on it.
"""


def register(sub) -> None:
    p = add_command(
        sub,
        "evaluate",
        run,
        help="metrics of a saved model on a data set",
        description="Evaluate a trained model (loss, accuracy or R²) on data.",
        epilog=EPILOG,
    )
    p.add_argument("model", metavar="MODEL", help="run directory or model.npz")
    p.add_argument("--data", required=True, metavar="FILE|DIR|NAME", help="data to evaluate on")
    p.add_argument("--target", metavar="COLUMN", help="CSV target column (default: as in training)")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")


def run(args) -> int:
    from ..lab.inference import load_inputs, scale
    from ..lab.report import fmt
    from ..lab.training import evaluate_splits, load_run_model

    net, info = load_run_model(args.model)
    X, y, desc = load_inputs(args.data, info, need_target=True, target=args.target)
    metrics = evaluate_splits(
        net,
        [("data", scale(X, info, net.dtype), y)],
        info["loss"],
        int(info["n_outputs"]),
        info["task"],
    )["data"]
    from ..lab.inference import target_scaling_of

    scaling = target_scaling_of(info)
    if (info.get("preprocessor") is not None or scaling) and info["task"] == "regression":
        import numpy as np

        from ..lab.inference import in_target_units

        pred = in_target_units(net.predict(scale(X, info, net.dtype)), info).reshape(np.shape(y))
        truth = in_target_units(y, info)
        metrics["rmse (target units)"] = float(np.sqrt(np.mean((pred - truth) ** 2)))
        metrics["mae (target units)"] = float(np.mean(np.abs(pred - truth)))
    if args.json:
        print(json.dumps(metrics, indent=2))
        return 0
    scaled = (scaling or {}).get("mean") is not None
    # a standardised target: the network's loss is in its standard deviations, not its units
    label = {k: f"{k} (standardised target)" for k in ("loss", "data_loss")} if scaled else {}
    print_table(
        f"Evaluation on {desc}",
        ["metric", "value"],
        [[label.get(k, k), fmt(v)] for k, v in metrics.items()],
    )
    return 0
