"""Take the page home: "Save run" (an ordinary leannet run directory) and "Show as code".

The run directory is written by the lab's `leannet.lab.training.save_run`, so
``leannet report``, ``evaluate`` and ``predict`` read it like any other run. Beside
the usual files it holds ``data.csv`` (every row, with the input features as
columns, exact to the bit) and ``test.csv`` (the page's test points), so that::

    leannet train --config RUN/config.toml --data RUN/data.csv
    leannet evaluate RUN --data RUN/test.csv

repeat the training and the page's test numbers.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path

from ..lab.run_record import RunRecord, write_run
from ..lab.runs import atomic_write_text, create_run_dir
from . import data as data_module


def reproducibility(trainee) -> tuple[bool, str]:
    """Whether ``leannet train`` on the exported config gives these weights, and why (not).

    True only when no setting changed after the first step, the page stopped at
    the end of an epoch, early stopping did not stop it (and restore other weights)
    and a cosine schedule ran its whole span.
    """
    epochs, steps = trainee.epoch, trainee.step_count
    if trainee.changes:
        return False, (
            "settings were changed while training ran ("
            + "; ".join(trainee.changes[:5])
            + ("; ..." if len(trainee.changes) > 5 else "")
            + "), so training this config from scratch gives other weights than the page reached"
        )
    if trainee.stopped_early:
        return False, (
            f"early stopping restored the weights of epoch {trainee.best[1]} after epoch "
            f"{epochs}; leannet train has no such stop here, so its weights differ from the page's"
        )
    s = trainee.settings
    if s.lr_schedule == "cosine" and epochs != s.lr_epochs and steps:
        return False, (
            f"the cosine schedule spans {s.lr_epochs} epochs but the page stopped after {epochs}; "
            f"this config's cosine spans the {max(epochs, 1)} epoch(s) it trains, "
            "so its weights differ from the page's"
        )
    if steps == 0:
        return False, "the network was not trained; the saved model holds its initial weights"
    if steps != epochs * trainee.steps_per_epoch:
        return False, (
            f"the page stopped after {steps} steps, inside epoch {epochs + 1}; this config "
            f"trains {max(epochs, 1)} whole epoch(s), so its weights differ from the page's"
        )
    return True, (
        f"training this config from scratch (seed {trainee.settings.seed}, {epochs} epochs = "
        f"{steps} steps) gives bitwise the weights the page reached"
    )


def _config(session, trainee) -> dict:
    s = trainee.settings
    cfg = s.train_config(epochs=max(trainee.epoch, 1))
    same, note = reproducibility(trainee)
    config = {
        "data": "data.csv",
        **cfg.to_dict(),
        "target": session.data.ds.target_name or "y",
        "loss": session.data.loss,
        "playground": note,
    }
    if s.early_stopping:
        config["playground_early_stopping"] = (
            f"the page watched the test loss with patience {s.early_stopping}; "
            "leannet train watches a validation split, so it is off here"
        )
    return config


def save(session, base: str | Path, which: int = 0) -> dict:
    """Write a run directory for network ``which`` under ``base`` (chosen by the server).

    Returns the directory and the test metrics, as the page shows them.
    """
    trainee = session.trainees[which]
    prepared = session.data
    ds = replace(prepared.ds, name="data.csv", target_name=prepared.ds.target_name or "y")
    label = session.settings.dataset if session.settings.dataset != "upload" else "upload"
    run_dir = create_run_dir(None, f"playground-{label}", base=base)
    atomic_write_text(run_dir / "data.csv", data_module.to_csv(ds))
    if len(prepared.test_rows):
        atomic_write_text(run_dir / "test.csv", data_module.to_csv(ds, prepared.test_rows))
    config = _config(session, trainee)
    same, note = reproducibility(trainee)
    record = RunRecord(
        trainee.net,
        replace(prepared.model_ds, name="data.csv"),
        prepared.splits,
        prepared.loss,
        config,
        trainee.history if len(trainee.history) else None,
        title=f"leannet playground: {data_module.LABELS.get(label, label)}",
        description=f"Saved from the playground after {trainee.step_count} steps. {note}.",
        preprocessing=prepared.table.preprocessor.to_state(),
    )
    metrics = write_run(run_dir, record, pdf=False)
    atomic_write_text(run_dir / "train.py", python_code(session, which))
    return {
        "run_dir": str(run_dir),
        "reproducible": same,
        "note": note,
        "metrics": metrics["metrics"],
        "command": f"leannet train --config {shlex.quote(str(run_dir / 'config.toml'))} "
        f"--data {shlex.quote(str(run_dir / 'data.csv'))}",
    }


def command(session, which: int = 0) -> str:
    """The ``leannet train`` command that repeats network ``which`` on ``data.csv``."""
    t = session.trainees[which]
    s = t.settings
    cfg = s.train_config(epochs=max(t.epoch, 1))
    parts = [
        "leannet train --data data.csv",
        f"--target {shlex.quote(session.data.ds.target_name or 'y')}",
    ]
    if cfg.hidden:
        parts.append("--hidden " + " ".join(map(str, cfg.hidden)))
    parts.append(f"--activation {cfg.activation}")
    for name in ("l1", "l2", "bias_l1", "bias_l2", "weight_decay", "dropout", "noise"):
        v = getattr(cfg, name)
        if v:
            parts.append(f"--{name.replace('_', '-')} {v!r}")
    if cfg.l1_proximal:
        parts.append("--l1-proximal")
    if cfg.max_norm:
        parts.append(f"--max-norm {cfg.max_norm!r}")
    parts.append(f"--optimizer {cfg.optimizer} --lr {cfg.lr!r}")
    if cfg.momentum:
        parts.append(f"--momentum {cfg.momentum!r}")
    if cfg.lr_schedule == "cosine":
        parts.append("--lr-schedule cosine")
    elif cfg.lr_schedule != "constant":
        parts.append(
            f"--lr-schedule {cfg.lr_schedule} --lr-decay {cfg.lr_decay!r} --lr-every {cfg.lr_every}"
        )
    parts.append(f"--batch-size {cfg.batch_size or 'full'} --epochs {cfg.epochs}")
    parts.append(f"--val-split 0 --test-split {cfg.test_split!r} --seed {cfg.seed}")
    return " \\\n    ".join(parts)


def python_code(session, which: int = 0) -> str:
    """Python that repeats network ``which`` with the library (same engine, same numbers)."""
    t = session.trainees[which]
    s = t.settings
    cfg = s.train_config(epochs=max(t.epoch, 1))
    prepared = session.data
    _, note = reproducibility(t)
    target = prepared.ds.target_name or "y"
    regs = {
        k: getattr(cfg, k)
        for k in ("l1", "l2", "bias_l1", "bias_l2", "dropout", "max_norm")
        if getattr(cfg, k)
    }
    if cfg.l1_proximal:
        regs["proximal"] = True
    if cfg.noise:
        regs["input_noise"] = cfg.noise
    reg_args = "".join(f", {k}={v!r}" for k, v in regs.items())
    opt_args = f"lr={cfg.lr!r}"
    if cfg.optimizer == "sgd":
        opt_args += f", momentum={cfg.momentum!r}"
    if cfg.weight_decay:
        opt_args += f", weight_decay={cfg.weight_decay!r}"
    schedule = ""
    if cfg.lr_schedule == "inverse-time":
        schedule = f", schedule=ln.InverseTimeDecay({cfg.lr!r}, {cfg.lr_decay!r})"
    elif cfg.lr_schedule == "step":
        schedule = f", schedule=ln.StepDecay({cfg.lr!r}, {cfg.lr_decay!r}, {cfg.lr_every})"
    elif cfg.lr_schedule == "exponential":
        schedule = (
            f", schedule=ln.ExponentialDecay({cfg.lr!r}, {cfg.lr_decay!r}, every={cfg.lr_every})"
        )
    elif cfg.lr_schedule == "cosine":  # leannet train anneals over all its updates
        steps = cfg.epochs * t.steps_per_epoch
        schedule = f", schedule=ln.CosineDecay({cfg.lr!r}, steps={steps})"
    return f'''"""The playground's experiment as a script ({note}).

Run it next to the data.csv that "Save run" wrote.
"""

import leannet as ln
from leannet.builder import build_mlp, build_optimizer
from leannet.lab.config import TrainConfig
from leannet.lab.tabular import prepare_table
from leannet.lab.training import fit_targets

# leannet train's preprocessing and seeded split of the CSV file
config = TrainConfig(target={target!r}, val_split=0.0, test_split={cfg.test_split!r}, seed={cfg.seed})
splits = prepare_table("data.csv", config).splits
loss = {prepared.loss!r}
net = build_mlp(
    splits.X_train.shape[1], {cfg.hidden!r}, {prepared.n_out}, loss=loss,
    activation={cfg.activation!r}{reg_args}, seed={cfg.seed},
)
optimizer = build_optimizer({cfg.optimizer!r}, {opt_args}{schedule})
history = net.fit(
    splits.X_train, fit_targets(splits.y_train, loss, {prepared.n_out}, net.dtype),
    loss=loss, optimizer=optimizer, epochs={cfg.epochs}, batch_size={cfg.batch_size or None},
    seed={cfg.seed},
)
if splits.X_test is not None:
    test = net.evaluate(
        splits.X_test, fit_targets(splits.y_test, loss, {prepared.n_out}, net.dtype), loss=loss
    )
    print("test:", test)
print(net.summary())
'''


def code(session, which: int = 0) -> dict:
    """What "Show as code" displays."""
    same, note = reproducibility(session.trainees[which])
    return {
        "python": python_code(session, which),
        "command": command(session, which),
        "reproducible": same,
        "note": note,
    }
