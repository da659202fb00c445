"""What ``leannet sweep`` fits: the data (a CSV file through the preprocessing) and the
estimator's fixed hyperparameters (defaults < a train run's ``--config`` < flags)."""

from __future__ import annotations


def _load(args):
    """The data as ``leannet train`` reads it: ``(X, y, task, X_test, y_test, info)``;
    ``info`` names the features and classes (and holds a CSV file's preprocessing)."""
    from ..datasets import load_dataset
    from ..lab.tabular import is_table_file

    if is_table_file(args.data):
        return _load_table(args)
    if args.features or args.drop:
        from ..errors import ConfigError

        raise ConfigError("--features and --drop apply to CSV files only")
    ds = load_dataset(
        args.data, args.target, task=args.task, n_samples=args.n_samples, seed=args.seed
    )
    info = {"feature_names": ds.feature_names, "class_names": ds.class_names,
            "target_name": ds.target_name, "preprocessing": None}  # fmt: skip
    return ds.X, ds.y, ds.task, ds.X_test, ds.y_test, info


def _load_table(args):
    """A CSV file: test rows held out first (as the sweep would), the preprocessing
    (columns, missing cells, text, dates; no scaling: the sweep scales per fold) fitted
    on the other rows only."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    from ..datasets import encode_labels, infer_task
    from ..preprocessing import Preprocessor, read_csv_table, target_values

    table = read_csv_table(args.data)
    target = args.target or list(table)[-1]
    pre = Preprocessor(
        target,
        features=args.features,
        drop=args.drop or (),
        missing=args.missing or "impute",
        dates=args.dates or "parts",
        standardize=False,
        scale_target=False,
        task=args.task,
    )
    kept = pre.select(table, source=args.data)
    raw = target_values(table[target][kept])
    task = args.task or infer_task(raw)
    class_names = None
    if task == "classification":
        y_all, class_names = encode_labels(raw)
    else:
        y_all = np.asarray(raw, dtype=float)
    strat = y_all if task == "classification" else None
    if args.test_size:
        train, test = train_test_split(
            np.arange(len(kept)), test_size=args.test_size, random_state=args.seed, stratify=strat
        )
    else:
        train, test = np.arange(len(kept)), np.arange(0)
    train, test = np.sort(train), np.sort(test)
    pre.task = task
    pre.fit(table, kept[train], source=args.data)
    X = pre.transform(table, kept, source=args.data).X
    info = {"feature_names": pre.output_names, "class_names": class_names,
            "target_name": target, "preprocessing": pre.to_state()}  # fmt: skip
    X_test = X[test] if len(test) else None
    y_test = y_all[test] if len(test) else None
    return X[train], y_all[train], task, X_test, y_test, info


def _from_config(args) -> dict:
    """Settings of ``--config`` (a train run's TOML) that a sweep uses; flags win later."""
    if not args.config:
        return {}
    from ..lab.config import ESTIMATOR_NAMES, load_toml

    values = load_toml(args.config)
    for key in ("target", "task", "seed", "features", "drop", "missing", "dates"):
        if values.get(key) is not None and getattr(args, key, None) is None:
            setattr(args, key, values[key])
    if values.get("standardize") is False and not args.no_standardize:
        args.no_standardize = True
    return {k: v for k, v in values.items() if k in ESTIMATOR_NAMES}


def _params(args) -> dict:
    """The estimator's fixed hyperparameters from ``--config`` and the flags given (train's
    names); the rest keep the defaults the sweep's estimator has (TrainConfig's)."""
    from ..errors import ConfigError
    from ..lab.config import ESTIMATOR_NAMES, estimator_params
    from ..sweep.grid import _parse_value

    settings = _from_config(args)
    for key in ESTIMATOR_NAMES:
        if getattr(args, key, None) is not None:
            settings[key] = getattr(args, key)
    if isinstance(settings.get("hidden"), int):
        settings["hidden"] = [settings["hidden"]]
    params = estimator_params(settings, defaults=False)
    for item in args.param:
        if "=" not in item:
            raise ConfigError(f"--param {item!r} must look like NAME=VALUE, e.g. tol=1e-5")
        name, value = item.split("=", 1)
        params[name.strip()] = _parse_value(value)
    return params
