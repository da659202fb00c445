"""The one reader of run directories: every file in one is untrusted.

A run directory is something people send each other (a student hands in a run,
a teacher runs ``leannet report`` on it), so ``run.json``, ``metrics.json``,
``config.json``, ``data.json``, ``history.csv`` and the figures are read here,
and only here, under these rules:

* **names stay inside the directory**: a file name taken from a file (a figure
  listed in ``run.json``) must be a plain name such as ``curves.png`` (letters,
  digits, ``_ . -``; no ``/``, no ``..``), and the file must be a regular file,
  not a symbolic link, so ``../../root/.bashrc`` or a link to ``/etc/hostname``
  can neither be written outside a temporary directory nor embedded in a report;
* **sizes are bounded** before a file is read (`LIMITS`);
* **the schema is validated**: every field the reports, ``evaluate`` and
  ``predict`` use has its type checked, and a problem is one
  `DataError` naming the directory, the file and the field.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from .._safe_io import read_text
from ..errors import DataError
from .document.files import check_figure_name

__all__ = [
    "LIMITS",
    "check_data_info",
    "read_history",
    "read_json",
    "read_run_files",
]

#: The largest file of each kind leannet reads from a run directory (bytes).
LIMITS = {
    "run.json": 16 * 2**20,
    "metrics.json": 16 * 2**20,
    "config.json": 2**20,
    "data.json": 64 * 2**20,
    "history.csv": 64 * 2**20,
}


def _fail(run_dir: Path, name: str, problem: str) -> DataError:
    return DataError(f"run directory {run_dir}: {name}: {problem}")


def read_json(run_dir: str | Path, name: str, *, required: bool = False) -> dict:
    """``run_dir/name`` as a JSON object (``{}`` if absent and not required)."""
    run_dir = Path(run_dir)
    path = run_dir / name
    if not path.exists() and not path.is_symlink():
        if required:
            raise _fail(run_dir, name, "is missing")
        return {}
    text = read_text(
        path, what="run file", max_bytes=LIMITS.get(name, 2**20), follow_symlinks=False
    )
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _fail(run_dir, name, f"is not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(value, dict):
        raise _fail(run_dir, name, f"must hold a JSON object, not {type(value).__name__}")
    return value


def read_history(run_dir: str | Path) -> dict[str, list[float]]:
    """``history.csv``: a header, then one row of numbers per epoch (``{}`` if absent)."""
    run_dir = Path(run_dir)
    path = run_dir / "history.csv"
    if not path.exists() and not path.is_symlink():
        return {}
    text = read_text(path, what="run file", max_bytes=LIMITS["history.csv"], follow_symlinks=False)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise _fail(run_dir, "history.csv", f"is not valid CSV ({exc})") from None
    if not rows:
        return {}
    header, data = rows[0], rows[1:]
    if len(set(header)) != len(header) or not all(isinstance(h, str) and h for h in header):
        raise _fail(run_dir, "history.csv", "the header must name each column once")
    out: dict[str, list[float]] = {h: [] for h in header}
    for line, row in enumerate(data, start=2):
        if len(row) != len(header):
            raise _fail(
                run_dir, "history.csv", f"line {line} has {len(row)} cells, not {len(header)}"
            )
        for h, cell in zip(header, row, strict=True):
            try:
                out[h].append(float(cell) if cell not in ("", "nan") else math.nan)
            except ValueError:
                raise _fail(
                    run_dir, "history.csv", f"line {line}: {cell[:40]!r} is not a number"
                ) from None
    return out


# -- schema checks -----------------------------------------------------------------------------


class _Checker:
    """Type checks that name the file and the field (``sections[2].tables[0].rows``)."""

    def __init__(self, run_dir: Path, name: str):
        self.run_dir, self.name = run_dir, name

    def fail(self, where: str, problem: str) -> DataError:
        return _fail(self.run_dir, self.name, f"{where} {problem}")

    def text(self, value: Any, where: str, *, optional: bool = True) -> str:
        if value is None and optional:
            return ""
        if not isinstance(value, str):
            raise self.fail(where, f"must be text, got {type(value).__name__}")
        return value

    def number(self, value: Any, where: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"must be a number, got {type(value).__name__}")
        return value

    def whole(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(where, "must be a whole number >= 0")
        return value

    def items(self, value: Any, where: str, kind: type = object) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list, got {type(value).__name__}")
        for i, item in enumerate(value):
            if kind is not object and not isinstance(item, kind):
                raise self.fail(f"{where}[{i}]", f"must be {kind.__name__}")
        return value

    def mapping(self, value: Any, where: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a JSON object, got {type(value).__name__}")
        return value

    def scalar(self, value: Any, where: str) -> None:
        if value is not None and not isinstance(value, str | int | float | bool):
            raise self.fail(where, "must be text or a number")

    def figure(self, value: Any, where: str) -> None:
        fig = self.mapping(value, where)
        check_figure_name(fig.get("file"), f"run directory {self.run_dir}: {self.name} {where}")
        self.text(fig.get("caption"), f"{where}.caption")
        self.text(fig.get("kind"), f"{where}.kind")

    def table(self, value: Any, where: str) -> None:
        table = self.mapping(value, where)
        self.text(table.get("title"), f"{where}.title")
        self.text(table.get("note"), f"{where}.note")
        columns = self.items(table.get("columns"), f"{where}.columns")
        for j, column in enumerate(columns):
            self.scalar(column, f"{where}.columns[{j}]")
        for i, row in enumerate(self.items(table.get("rows"), f"{where}.rows")):
            for j, cell in enumerate(self.items(row, f"{where}.rows[{i}]")):
                self.scalar(cell, f"{where}.rows[{i}][{j}]")


def _check_run(run: dict, check: _Checker) -> None:
    for key in ("title", "description", "model_heading"):
        check.text(run.get(key), key)
    check.items(run.get("conclusions"), "conclusions", str)
    for i, fig in enumerate(check.items(run.get("figures"), "figures")):
        check.figure(fig, f"figures[{i}]")
    for i, section in enumerate(check.items(run.get("sections"), "sections")):
        where = f"sections[{i}]"
        section = check.mapping(section, where)
        check.text(section.get("heading"), f"{where}.heading")
        check.items(section.get("paragraphs"), f"{where}.paragraphs", str)
        check.items(section.get("bullets"), f"{where}.bullets", str)
        for j, table in enumerate(check.items(section.get("tables"), f"{where}.tables")):
            check.table(table, f"{where}.tables[{j}]")
        for j, fig in enumerate(check.items(section.get("figures"), f"{where}.figures")):
            check.figure(fig, f"{where}.figures[{j}]")


def _check_metrics(metrics: dict, check: _Checker) -> None:
    check.text(metrics.get("task"), "task")
    check.text(metrics.get("loss"), "loss")
    check.text(metrics.get("monitor"), "monitor")
    for split, values in check.mapping(metrics.get("metrics"), "metrics").items():
        for key, value in check.mapping(values, f"metrics.{split}").items():
            check.number(value, f"metrics.{split}.{key}")
    arch = check.mapping(metrics.get("architecture"), "architecture")
    if arch:
        check.whole(arch.get("n_params", 0), "architecture.n_params")
        check.text(arch.get("dtype"), "architecture.dtype")
        for i, layer in enumerate(check.items(arch.get("layers"), "architecture.layers")):
            layer = check.mapping(layer, f"architecture.layers[{i}]")
            check.text(layer.get("name"), f"architecture.layers[{i}].name", optional=False)
            check.text(layer.get("shape"), f"architecture.layers[{i}].shape")
            check.whole(layer.get("params", 0), f"architecture.layers[{i}].params")
            check.text(layer.get("regularization"), f"architecture.layers[{i}].regularization")
    for name, stats in check.mapping(metrics.get("weights"), "weights").items():
        stats = check.mapping(stats, f"weights.{name}")
        check.text(stats.get("shape"), f"weights.{name}.shape")
        for key in ("l2_norm", "mean_abs", "max_abs"):
            if check.number(stats.get(key), f"weights.{name}.{key}") is None:
                raise check.fail(f"weights.{name}.{key}", "is missing")
        check.whole(stats.get("n_zero"), f"weights.{name}.n_zero")
        check.whole(stats.get("size"), f"weights.{name}.size")
    for key, value in check.mapping(metrics.get("hyperparameters"), "hyperparameters").items():
        if not isinstance(value, list | dict):
            check.scalar(value, f"hyperparameters.{key}")
    early = metrics.get("early_stopping")
    if early is not None:
        check.mapping(early, "early_stopping")
    for key in ("interrupted",):
        if key in metrics and not isinstance(metrics[key], bool):
            raise check.fail(key, "must be true or false")
    if metrics.get("diverged") is not None:
        check.whole(metrics["diverged"], "diverged")
    prov = check.mapping(metrics.get("provenance"), "provenance")
    for key in ("leannet_version", "date", "command_line"):
        check.scalar(prov.get(key), f"provenance.{key}")
    for i, item in enumerate(check.items(prov.get("data"), "provenance.data")):
        item = check.mapping(item, f"provenance.data[{i}]")
        check.scalar(item.get("data"), f"provenance.data[{i}].data")
        check.text(item.get("sha256"), f"provenance.data[{i}].sha256")


def _check_config(config: dict, check: _Checker) -> None:
    for key, value in config.items():
        if key in ("hidden",):
            check.items(value, key)
        elif not isinstance(value, list | dict):
            check.scalar(value, key)
    if "epochs" in config and config["epochs"] is not None:
        check.whole(config["epochs"], "epochs")
    for key in ("l1", "l2"):
        if key in config:
            check.number(config[key], key)


def read_run_files(run_dir: str | Path) -> tuple[dict, dict, dict, dict]:
    """``(run, metrics, config, history)`` of a run directory, each validated."""
    run_dir = Path(run_dir)
    run = read_json(run_dir, "run.json")
    _check_run(run, _Checker(run_dir, "run.json"))
    metrics = read_json(run_dir, "metrics.json")
    _check_metrics(metrics, _Checker(run_dir, "metrics.json"))
    config = read_json(run_dir, "config.json")
    _check_config(config, _Checker(run_dir, "config.json"))
    return run, metrics, config, read_history(run_dir)


_TASKS = ("classification", "regression")


def check_data_info(info: dict, run_dir: Path, *, n_inputs: int, n_outputs: int) -> dict:
    """``data.json`` checked against the model it sits beside.

    Returns ``info`` with ``mean``/``std`` as lists of ``n_inputs`` finite
    numbers (std > 0), ``feature_names`` as ``n_inputs`` texts and, for
    classification, ``class_names`` as texts, one per class the model outputs.
    """
    check = _Checker(run_dir, "data.json")
    task = info.get("task")
    if task not in _TASKS:
        raise check.fail("task", f"must be one of {', '.join(_TASKS)}, got {str(task)[:40]!r}")
    names = check.items(info.get("feature_names"), "feature_names", str)
    if len(names) != n_inputs:
        raise check.fail(
            "feature_names", f"lists {len(names)} features but the model takes {n_inputs}"
        )
    check.text(info.get("target_name"), "target_name")
    loss = check.text(info.get("loss"), "loss", optional=False)
    from ..losses import get as get_loss

    try:
        get_loss(loss)
    except Exception:  # noqa: BLE001 - any unknown loss name
        raise check.fail("loss", f"{loss[:40]!r} is not a leannet loss") from None
    if task == "classification":
        classes = check.items(info.get("class_names"), "class_names", str)
        expected = 2 if loss == "binary_cross_entropy" and n_outputs == 1 else n_outputs
        if len(classes) != expected:
            raise check.fail(
                "class_names", f"lists {len(classes)} classes but the model predicts {expected}"
            )
    for key, default in (("mean", 0.0), ("std", 1.0)):
        value = info.get(key, default)
        values = value if isinstance(value, list) else [value] * n_inputs
        if len(values) != n_inputs or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in values
        ):
            raise check.fail(key, f"must be {n_inputs} finite numbers (one per feature)")
        if key == "std" and any(v <= 0 for v in values):
            raise check.fail(key, "must be > 0 for every feature")
        info[key] = list(values)
    scaling = info.get("target_scaling")
    if scaling is not None:
        numbers = [scaling.get(k) for k in ("mean", "scale")] if isinstance(scaling, dict) else []
        if (
            task != "regression"
            or set(scaling) != {"mean", "scale"}
            or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in numbers
            )
            or numbers[1] <= 0
        ):
            raise check.fail(
                "target_scaling",
                "must be null or, for regression, {mean, scale} with finite numbers, scale > 0",
            )
    return info
