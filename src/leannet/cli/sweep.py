"""``leannet sweep``: cross-validate a grid of regularisation settings.

Example::

    leannet sweep --data breast_cancer --grid l2=0,1e-4,1e-3,1e-2 --cv 5 --hidden 32
    leannet sweep --data digits --grid dropout=0,0.2,0.5 --scheduler tcp://scheduler-host:8786

Each finished fit is appended to ``OUT/results.jsonl``; running the same command
again skips the fits already there, so an interrupted sweep resumes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from ._common import (
    add_command,
    add_data_flags,
    add_output_flags,
    add_training_flags,
    number,
    positive_int,
)
from ._sweep_inputs import _load, _params
from ._table import add_table_flags

EPILOG = """\
grid values:
  --grid l2=0,1e-4,1e-3          a list (repeat --grid for a product of several)
  --grid l2=log0:1e-5:1e-1:5     0 and 5 values evenly spaced on a log scale
  --grid hidden_layer_sizes='(32,);(64,)'   values holding commas: separate with ;
  any hyperparameter of LeanClassifier/LeanRegressor can be swept

parallel:
  --jobs 2                       local worker processes (default: one per core)
  --dask-workers 4               start a local Dask cluster with 4 workers
  --scheduler tcp://HOST:8786    use a running cluster (`dask scheduler`, `dask worker`)

examples:
  leannet sweep --data breast_cancer --grid l2=log0:1e-4:1e-1:4 --hidden 32 --epochs 100
  leannet sweep --data digits --grid dropout=0,0.1,0.3,0.5 --warm-path --out runs/dropout
"""


def _folds(text: str) -> int:
    value = positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"needs at least 2 folds, got {text}")
    return value


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``sweep`` subcommand to ``subparsers``; it runs `run`."""
    p = add_command(
        subparsers,
        "sweep",
        run,
        help="cross-validate a grid of regularisation settings (locally or on Dask)",
        description="Grid of regularisation settings x k-fold cross-validation: table of "
        "mean ± std scores, best and simplest-within-1-SE settings, refit with test "
        "score, plots and a report.",
        epilog=EPILOG,
    )
    data = p.add_argument_group("data")
    add_data_flags(data, required=True)
    data.add_argument(
        "--n-samples",
        type=positive_int,
        metavar="N",
        help="generators: how many samples; real sets: a random subset",
    )
    add_table_flags(data, split_files=False, weights=False)
    data.add_argument(
        "--no-standardize",
        action="store_true",
        help="do not standardise features (default: a StandardScaler fitted per fold)",
    )

    grid = p.add_argument_group("grid and cross-validation")
    grid.add_argument(
        "--grid",
        action="append",
        required=True,
        metavar="NAME=VALUES",
        help="hyperparameter values to sweep (repeatable)",
    )
    grid.add_argument("--cv", type=_folds, default=5, metavar="K", help="folds (default 5)")
    grid.add_argument(
        "--test-size",
        "--test-split",
        dest="test_size",
        type=number,
        default=0.2,
        metavar="F",
        help="fraction held out for the final test score (default 0.2; 0: none)",
    )
    grid.add_argument(
        "--scoring", metavar="NAME", help="scikit-learn scorer (default accuracy or r2)"
    )
    grid.add_argument(
        "--warm-path",
        action="store_true",
        help="also fit strongest-to-weakest with warm starts and compare",
    )
    grid.add_argument("--no-refit", action="store_true", help="skip the refit on all training data")

    net = p.add_argument_group(
        "network (fixed for every fit; the options and defaults of leannet train)"
    )
    add_training_flags(net)
    net.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other estimator hyperparameter (repeatable)",
    )

    run_group = p.add_argument_group("where to run and what to write")
    run_group.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="local worker processes (default: one per core; -1: all)",
    )
    run_group.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run on an existing Dask cluster"
    )
    run_group.add_argument(
        "--dask-workers",
        type=positive_int,
        metavar="N",
        help="start a local Dask cluster with N workers",
    )
    run_group.add_argument(
        "--results", metavar="FILE", help="JSONL results (default OUT/results.jsonl)"
    )
    add_output_flags(
        run_group,
        out_help="report directory (default runs/sweep-DATA-HASH: the same "
        "command resumes into the same place)",
        force=False,
        quiet_help="print only the summary",
        log_every=False,
    )
    return p


def run(args) -> int:
    """Run the sweep described by ``args``; print the table and write the report."""
    from ..errors import ConfigError
    from ..sweep import sweep
    from ..sweep.format import CV_COLUMNS, cv_table_rows
    from ..sweep.grid import parse_grid_arg
    from ._common import print_table

    grid: dict = {}
    for text in args.grid:
        name, values = parse_grid_arg(text)
        if name in ("lr", "epochs", "seed"):  # train's names for the estimator's
            from ..sweep.grid import TRAIN_NAMES

            name = TRAIN_NAMES[name]
        if name in grid:
            raise ConfigError(f"--grid {name} is given twice; put all its values in one --grid")
        grid[name] = values
    params = _params(args)  # reads --config too (target, task, seed, ...)
    if args.seed is None:
        args.seed = 0
    params = {k: v for k, v in params.items() if k not in grid}
    X, y, task, X_test, y_test, info = _load(args)
    if params.get("batch_size") == 0:  # full batch: every training row (a fold clips it)
        params["batch_size"] = len(X)

    if args.out:
        out = Path(args.out)
    else:
        key = json.dumps(
            [
                args.data,
                args.target,
                args.n_samples,
                grid,
                params,
                args.cv,
                args.test_size,
                args.seed,
                args.scoring,
                args.no_standardize,
            ],
            default=repr,
            sort_keys=True,
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:8]
        out = Path("runs") / f"sweep-{Path(str(args.data)).stem}-{digest}"
    results = Path(args.results) if args.results else out / "results.jsonl"
    if not args.quiet:
        n_settings = 1
        for values in grid.values():
            n_settings *= len(values)
        print(
            f"sweep: {n_settings} settings x {args.cv} folds, results in {results}",
            file=sys.stderr,
            flush=True,
        )

    try:
        result = sweep(
            X,
            y,
            grid=grid,
            params=params,
            task=task or "auto",
            cv=args.cv,
            test_size=args.test_size if X_test is None else 0.0,
            X_test=X_test,
            y_test=y_test,
            scoring=args.scoring,
            seed=args.seed,
            n_jobs=args.jobs,
            scheduler=args.scheduler,
            dask_workers=args.dask_workers,
            results=results,
            warm_path=args.warm_path,
            refit=not args.no_refit,
            standardize=not args.no_standardize,
            verbose=not args.quiet,
        )
    except KeyboardInterrupt:
        from ..sweep.results import ResultsFile

        saved = len(ResultsFile(results).load()) if results.exists() else 0
        print(
            f"leannet sweep: interrupted; {saved} finished fits are in {results}; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        raise
    paths = result.write_report(out, pdf=not args.no_pdf)
    model_dir = None
    if not args.no_refit:
        from ..sweep.refit_run import save_refit_run

        model_dir = save_refit_run(
            out / "best-model",
            result,
            X,
            y,
            params=params,
            standardize=not args.no_standardize,
            seed=args.seed,
            feature_names=info["feature_names"],
            class_names=info["class_names"],
            target_name=info["target_name"],
            source=str(args.data),
            preprocessing=info["preprocessing"],
        )
    if not args.quiet:
        print_table(
            f"{result.cv}-fold cross-validation ({result.scoring})",
            CV_COLUMNS,
            cv_table_rows(result),
        )
    print(result.summary())
    print(f"{result.n_fits_run} fits run, {result.n_fits_reused} reused; report: {paths['html']}")
    if model_dir is not None:
        print(
            f"best setting refitted on all training rows: {model_dir} (leannet predict {model_dir} ...)"
        )
    return 0
