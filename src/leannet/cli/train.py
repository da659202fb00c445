"""``leannet train``: train a network on a built-in dataset or your own file."""

from __future__ import annotations

import argparse
import dataclasses

from ..lab import config
from ._common import (
    add_command,
    add_data_flags,
    add_output_flags,
    add_training_flags,
    fraction,
    nonnegative_float,
    positive_float,
    positive_int,
    print_table,
)
from ._table import add_table_flags, check_table_flags

EPILOG = """\
examples:
  leannet train --data iris
  leannet train --data spiral --hidden 64 64 --l2 5e-4 --lr 0.02 --lr-schedule inverse-time \\
                --lr-decay 1e-3 --epochs 500 --batch-size full
  leannet train --data data.csv --target species --dropout 0.2 --early-stopping 20
  leannet train --data mnist_dir/ --hidden 128 --l2 1e-4 --epochs 5 --batch-size 128
  leannet train --config runs/old-run/config.toml --data data.csv --lr 0.01 --out runs/new

--data takes a CSV file (header row; --target names the target column, default the
last; string class labels are fine), a .npz file with arrays X and y, a directory of
MNIST IDX files, or a built-in dataset name (see `leannet datasets`).
Settings come from the defaults, then --config FILE.toml, then the flags given.
"""


def register(sub) -> None:
    p = add_command(
        sub,
        "train",
        run,
        help="train a network and write a run directory with a report",
        description="Train a fully connected network and write a run directory "
        "(model, config, history, metrics, plots, reports).",
        epilog=EPILOG,
    )
    d = p.add_argument_group("data")
    add_data_flags(
        d, data_help="CSV, .npz, IDX directory, or built-in dataset name (required unless --resume)"
    )
    d.add_argument("--val-split", type=fraction, metavar="F", help="validation share (default 0.2)")
    d.add_argument(
        "--test-split",
        type=fraction,
        metavar="F",
        help="test share when the data has no test split (default 0.2)",
    )
    d.add_argument(
        "--standardize",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="scale features to mean 0, std 1 with training statistics (default on)",
    )
    add_table_flags(p.add_argument_group("CSV tables (the preprocessing is saved with the model)"))
    n = p.add_argument_group("network")
    r = p.add_argument_group("regularization")
    o = p.add_argument_group("optimization")
    add_training_flags(n, r, o)  # shared with leannet sweep, TrainConfig's defaults
    n.add_argument(
        "--loss",
        choices=config.LOSSES,
        help="default auto: BCE for 2 classes, CCE for more, MSE for regression",
    )
    n.add_argument(
        "--init",
        choices=config.INITS,
        help="weight init (default auto: Glorot-uniform weights and biases, scikit-learn's start)",
    )
    n.add_argument("--dtype", choices=["float32", "float64"], help="default float32")
    r.add_argument("--bias-l1", type=nonnegative_float, metavar="λ", help="L1 on biases")
    r.add_argument("--bias-l2", type=nonnegative_float, metavar="λ", help="L2 on biases")
    r.add_argument(
        "--l1-proximal",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="proximal (soft-threshold) L1 step: gives exact zeros",
    )
    o.add_argument("--momentum", type=nonnegative_float, help="SGD momentum")
    o.add_argument(
        "--lr-schedule",
        choices=config.SCHEDULES,
        help="default constant",
    )
    o.add_argument(
        "--lr-decay",
        type=nonnegative_float,
        metavar="D",
        help="inverse-time: lr/(1+D·t); step/exponential: factor per --lr-every updates",
    )
    o.add_argument("--lr-every", type=positive_int, metavar="N", help="updates per decay step")
    o.add_argument("--clip-norm", type=positive_float, metavar="C", help="clip the gradient norm")
    c = p.add_argument_group("checkpoints")
    c.add_argument(
        "--checkpoint-every",
        type=positive_int,
        metavar="N",
        help="write RUN_DIR/checkpoint.npz every N epochs (it is always written at Ctrl-C)",
    )
    c.add_argument(
        "--resume",
        metavar="RUN_DIR",
        help="continue an interrupted run from RUN_DIR/checkpoint.npz with its settings "
        "(flags given override them, e.g. --epochs to train longer); bitwise the same "
        "result as an uninterrupted run",
    )
    add_output_flags(p)


# every TrainConfig setting has the flag of the same name (saved in config.toml, read by --config)
_CONFIG_FLAGS = [f.name for f in dataclasses.fields(config.TrainConfig)]


def resolve(args):
    """The TrainConfig of these arguments (defaults < --config < flags)."""
    from ..lab.config import load_toml, resolve_config

    file_values = load_toml(args.config) if args.config else {}
    return resolve_config(file_values, {k: getattr(args, k) for k in _CONFIG_FLAGS})


def resolve_resume(args):
    """``--resume RUN_DIR``: the run's saved settings (< flags given) and its data."""
    from pathlib import Path

    from ..errors import ConfigError
    from ..lab.config import TrainConfig, resolve_config
    from ..lab.run_files import read_json

    run_dir = Path(args.resume)
    saved_path = run_dir / "config.json"
    if args.out is not None or args.config is not None:
        raise ConfigError("--resume continues the run in RUN_DIR; drop --out and --config")
    if not saved_path.exists():
        raise ConfigError(
            f"--resume {run_dir}: cannot read {saved_path} (it does not exist); give the "
            "directory of a run started by leannet train"
        )
    saved = read_json(run_dir, "config.json")  # bounded and validated: run files are untrusted
    known = {f for f in TrainConfig.__dataclass_fields__}
    file_values = {k: v for k, v in saved.items() if k in known}
    cfg = resolve_config(file_values, {k: getattr(args, k) for k in _CONFIG_FLAGS})
    return run_dir, cfg, args.data or saved.get("data")


def run(args) -> int:
    import sys

    from .._signals import exit_code, signal_name
    from ..datasets import load_dataset
    from ..errors import ConfigError, TrainingDiverged
    from ..lab.report import fmt
    from ..lab.training import train_run

    if args.resume:
        out, cfg, data = resolve_resume(args)
    else:
        if not args.data:
            raise ConfigError("--data is required (or --resume RUN_DIR to continue a run)")
        out, cfg, data = args.out, resolve(args), args.data
    from ..lab.provenance import provenance
    from ..lab.tabular import is_table_file, prepare_table

    val_data, test_data = getattr(args, "val_data", None), getattr(args, "test_data", None)
    table = None
    if is_table_file(data):
        table = prepare_table(data, cfg, val_data=val_data, test_data=test_data)
        ds = table.ds
    else:
        check_table_flags(args, False)
        if cfg.sample_weight or cfg.features or cfg.drop:
            raise ConfigError("--features, --drop and --sample-weight apply to CSV files only")
        ds = load_dataset(data, cfg.target, task=cfg.task, seed=cfg.seed)
        if cfg.class_weight and ds.task != "classification":
            raise ConfigError(
                f"--class-weight applies to classification; --data {data} is a regression "
                "dataset (drop --class-weight)"
            )
    files = [data, *(f for f in (val_data, test_data) if f)]
    try:
        run_dir, metrics = train_run(
            ds,
            cfg,
            out=out,
            force=args.force,
            quiet=args.quiet,
            log_every=args.log_every,
            pdf=not args.no_pdf,
            checkpoint_every=args.checkpoint_every,
            resume=bool(args.resume),
            table=table,
            provenance=provenance(files),
        )
    except TrainingDiverged as exc:
        saved = getattr(exc, "model_path", None)
        where = f"; the last finite weights are saved in {saved}" if saved else ""
        largest = _largest_value(ds)
        if cfg.dtype == "float32" and largest > _FLOAT32_SAFE:
            advice = (
                f"The data hold values up to {largest:.3g}, whose squares overflow float32 "
                "(max 3.4e38): train with --dtype float64, or rescale the data"
            )
        else:
            advice = f"Try a lower --lr (now {cfg.lr:g}) or gradient clipping (--clip-norm 1.0)"
        print(
            f"leannet train: training diverged in epoch {exc.epoch} (the loss or the weights "
            f"became NaN or infinite){where}. {advice}.",
            file=sys.stderr,
        )
        return 3
    splits = metrics["metrics"]
    keys = [
        k
        for k in ("loss", "data_loss", "reg_loss", "accuracy", "r2")
        if any(k in m for m in splits.values())
    ]
    scaled = table is not None and table.summary.get("target_scaled")
    print_table(
        f"Final metrics ({ds.name}{'; loss on the standardised target' if scaled else ''})",
        ["split", *keys],
        [[name] + [fmt(m.get(k)) for k in keys] for name, m in splits.items()],
    )
    if table is not None:
        _print_scores(metrics["scores"], ds.task)
    print(f"run directory: {run_dir}")
    print(f"report: {run_dir / 'report.html'}")
    if not args.quiet and "pdf" not in metrics["reports"]:
        print(metrics["reports"]["pdf_message"])
    signum = metrics.get("stop_signal")
    if metrics.get("interrupted"):
        print(
            f"leannet train: interrupted ({signal_name(signum)}) after epoch "
            f"{metrics.get('epochs_run')}; the model, checkpoint and report are in {run_dir}. "
            f"Continue with: leannet train --resume {run_dir}",
            file=sys.stderr,
        )
        return exit_code(signum)
    if signum is not None:  # the signal came while the finished run was being written
        print(
            f"leannet train: {signal_name(signum)} received while writing the run; it was "
            f"finished first and is complete in {run_dir}",
            file=sys.stderr,
        )
        return exit_code(signum)
    return 0


#: Beyond this magnitude a squared error overflows float32 (sqrt(3.4e38) / 10).
_FLOAT32_SAFE = 1.8e18


def _largest_value(ds) -> float:
    """The largest magnitude among the features and (regression) targets."""
    import numpy as np

    arrays = [ds.X] + ([ds.y] if ds.task == "regression" else [])
    finite = [np.abs(np.asarray(a, dtype=float)) for a in arrays if np.size(a)]
    return float(max((a[np.isfinite(a)].max(initial=0.0) for a in finite), default=0.0))


def _print_scores(scores: dict, task: str) -> None:
    """The practitioner's scores next to the baseline, per split."""
    from ..lab.report import fmt

    keys = ["accuracy", "balanced_accuracy"] if task == "classification" else ["rmse", "mae", "r2"]
    rows = [
        [name, *(f"{fmt(s.get(k))} ({fmt(s['baseline'].get(k))})" for k in keys)]
        for name, s in scores.items()
    ]
    print_table("Scores (baseline in brackets)", ["split", *keys], rows)
