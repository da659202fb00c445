"""A playground session: the data, one network (or two in compare mode) and its controls.

Everything the page can do goes through `Session` (no browser needed to test
it): change settings, step, run an epoch, reset, upload a CSV, take a snapshot for
the page, save a run, show the code. The server only moves messages to and from it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..datasets import Dataset
from ..errors import ConfigError, DataError, LeannetError, TrainingDiverged
from ..lab.splits import Splits
from ..lab.tabular import TableRun, prepare_table
from ..lab.training import fit_targets, output_size, resolve_loss
from . import data as data_module
from . import views
from .settings import LIVE, REGULARIZATION, Settings
from .trainee import Trainee

MAX_STEPS_PER_CALL = 100_000  # bounded work: one message can ask for at most this many steps


@dataclass
class Prepared:
    """The data of the current experiment, prepared exactly as ``leannet train`` prepares
    the exported ``data.csv``: the same preprocessing, split and scaling."""

    raw: Dataset  # the raw inputs (1 or 2 columns for drawing) and targets
    ds: Dataset  # the input features as columns, all rows (what data.csv holds)
    table: TableRun  # leannet train's preprocessing of data.csv
    splits: Splits
    loss: str
    n_out: int
    train_rows: np.ndarray
    test_rows: np.ndarray
    grids: dict = field(default_factory=dict)  # network inputs on the drawing grids, by size

    @property
    def model_ds(self) -> Dataset:
        """The data set as the model sees it (names after preprocessing, classes)."""
        return self.table.ds

    def inputs(self, features: np.ndarray, dtype) -> np.ndarray:
        """Network inputs for rows of input features (the fitted preprocessing applied)."""
        columns = {name: features[:, j] for j, name in enumerate(self.ds.feature_names)}
        return self.table.preprocessor.transform(columns, ignore_target=True).X.astype(dtype)

    def outputs_in_target_units(self, out: np.ndarray) -> np.ndarray:
        return self.table.preprocessor.inverse_transform_target(out)


def prepare(ds: Dataset, settings: Settings) -> TableRun:
    """``leannet train``'s preprocessing and split of ``ds`` written as a CSV file."""
    cfg = settings.train_config()
    cfg.target = ds.target_name or "y"
    with tempfile.TemporaryDirectory(prefix="leannet-playground-") as tmp:
        path = Path(tmp) / "data.csv"
        path.write_text(data_module.to_csv(ds), encoding="utf-8")
        try:
            return prepare_table(path, cfg)
        except LeannetError as exc:
            raise type(exc)(str(exc).replace(str(path), ds.name or "the data")) from None


class Session:
    """The state behind one page.

    Args:
        settings: initial settings (validated); an upload must be given with
            ``dataset="upload"`` (see `use_upload`).
    """

    def __init__(self, settings: Settings | None = None, *, upload: Dataset | None = None):
        self.settings = (settings or Settings()).validate()
        self.upload = upload
        self.compare: dict | None = None  # the second network's regularization overrides
        self.message = ""
        self.paused_reason = ""
        self._prepare()

    # -- building -------------------------------------------------------------------------------
    def _raw(self) -> Dataset:
        s = self.settings
        if s.dataset == "upload":
            if self.upload is None:
                raise DataError("no CSV file has been uploaded; choose a file first")
            return self.upload
        return data_module.generate(s.dataset, s.n_points, s.data_noise, s.data_seed)

    def _prepare(self) -> None:
        s = self.settings
        raw = self._raw()
        ds = data_module.with_features(raw, s.features)
        ds = replace(ds, target_name=ds.target_name or "y")
        cfg = s.train_config()
        table = prepare(ds, s)
        model_ds = table.ds
        loss = resolve_loss(cfg.loss, model_ds.task, model_ds.n_classes)
        splits = table.splits
        n_out = output_size(loss, model_ds)
        train_rows = np.asarray(table.train_rows, dtype=np.intp)
        test_rows = np.setdiff1d(np.arange(ds.n_samples), train_rows)
        self.data = Prepared(raw, ds, table, splits, loss, n_out, train_rows, test_rows)
        y_train = fit_targets(splits.y_train, loss, n_out, np.dtype(cfg.dtype))
        self.trainees = [Trainee(s, splits.X_train, y_train, loss, n_out)]
        if self.compare is not None:
            other = s.updated(self.compare)
            self.trainees.append(Trainee(other, splits.X_train, y_train, loss, n_out))
        self.curves = [views.Curves() for _ in self.trainees]
        self.paused_reason = ""
        self.record()

    @property
    def main(self) -> Trainee:
        return self.trainees[0]

    # -- settings -------------------------------------------------------------------------------
    def update(self, changes: dict, which: str = "a") -> str:
        """Apply setting ``changes``; ``which`` is "a" (the first network; shared
        settings go to both) or "b" (compare mode's second network, regularization only).

        Live settings apply at the next step; any other change restarts the
        experiment with fresh data and initial weights. Returns "live" or "restart".
        """
        if which == "b":
            if self.compare is None:
                raise ConfigError("compare mode is off; switch it on to set the second network")
            bad = set(changes) - set(REGULARIZATION)
            if bad:
                raise ConfigError(
                    f"the second network differs only in regularization; {', '.join(sorted(bad))} "
                    "is shared, set it on the first network"
                )
            new = self.trainees[1].settings.updated(changes)
            self.compare = {k: getattr(new, k) for k in REGULARIZATION}
            self.trainees[1].apply(new)
            return "live"
        new = self.settings.updated(changes)
        structural = [
            k for k in changes if k not in LIVE and getattr(self.settings, k) != changes[k]
        ]
        if structural:
            old = self.settings
            self.settings = new
            try:
                self._prepare()
            except LeannetError:
                self.settings = old
                self._prepare()
                raise
            return "restart"
        self.settings = new
        self.main.apply(new)
        if len(self.trainees) > 1:  # shared live settings (optimizer, lr, batch) go to both
            shared = {k: v for k, v in changes.items() if k not in REGULARIZATION}
            if shared:
                self.trainees[1].apply(self.trainees[1].settings.updated(shared))
        return "live"

    def set_compare(self, overrides: dict | None) -> None:
        """Compare mode on (second network = this one with ``overrides`` of regularization) or off."""
        if overrides is not None:
            bad = set(overrides) - set(REGULARIZATION)
            if bad:
                raise ConfigError(
                    f"compare mode varies regularization only, not {', '.join(sorted(bad))}"
                )
            self.settings.updated(overrides)  # validates
        self.compare = None if overrides is None else dict(overrides)
        self._prepare()

    def use_upload(self, ds: Dataset, features: list[str] | None = None) -> None:
        """Train on an uploaded data set (from `data.upload_dataset`)."""
        old = (self.upload, self.settings)
        self.upload = ds
        changes = {"dataset": "upload"}
        if ds.n_features <= 2:
            changes["features"] = features or (["x1", "x2"] if ds.n_features == 2 else ["x1"])
        try:
            self.settings = self.settings.updated(changes)
            self._prepare()
        except LeannetError:
            self.upload, self.settings = old
            self._prepare()
            raise

    # -- training -------------------------------------------------------------------------------
    def step(self, n: int = 1) -> int:
        """Up to ``n`` steps of every network in lockstep; returns the steps taken.

        Stops early (and sets `paused_reason`) on divergence or early stopping.
        """
        n = min(int(n), MAX_STEPS_PER_CALL)
        done = 0
        for _ in range(n):
            if self.paused_reason:
                break
            ended = False
            for t in self.trainees:
                try:
                    ended = t.step() or ended
                except TrainingDiverged as exc:
                    self.paused_reason = str(exc)
                    return done
            done += 1
            if ended:
                self._after_epoch()
                self.record()  # one curve point per epoch (thinned when there are many)
        return done

    def run_epoch(self) -> int:
        """Steps up to the end of the current epoch (of the first network)."""
        t = self.main
        remaining = t.steps_per_epoch - (t._batch if t._order is not None else 0)
        return self.step(max(1, remaining))

    def _after_epoch(self) -> None:
        for t in self.trainees:
            if t.settings.early_stopping and t._order is None:
                monitored = self.evaluate(t)
                key = "test" if "test" in monitored else "train"
                if t.check_early_stopping(monitored[key]["data_loss"]):
                    self.paused_reason = (
                        f"early stopping: the {key} loss has not improved for "
                        f"{t.settings.early_stopping} epochs; the weights of its best epoch "
                        f"{t.best[1]} ({key} loss {t.best[0]:.4g}) are restored"
                    )
        t = self.main
        if (
            t.settings.lr_schedule == "cosine"
            and t._order is None
            and t.epoch == t.settings.lr_epochs
        ):
            self.paused_reason = self.paused_reason or (
                f"the cosine schedule has ended after {t.epoch} epochs: its next learning rate "
                "is 0 (set more epochs or another schedule to go on)"
            )

    def reset(self) -> None:
        """Every network back to its initial weights; data and settings are kept."""
        for t in self.trainees:
            t.reset()
        self.curves = [views.Curves() for _ in self.trainees]
        self.paused_reason = ""
        self.record()

    def regenerate(self, data_seed: int) -> None:
        """New data (same generator, another seed) and fresh networks."""
        self.update({"data_seed": int(data_seed)})

    # -- views ----------------------------------------------------------------------------------
    def evaluate(self, t: Trainee) -> dict:
        """Data loss, penalty and accuracy or R² on the train and test splits (inference mode)."""
        out = {}
        sp, loss = self.data.splits, self.data.loss
        for name, X, y in (("train", sp.X_train, sp.y_train), ("test", sp.X_test, sp.y_test)):
            if X is None:
                continue
            target = fit_targets(y, loss, self.data.n_out, t.net.dtype)
            out[name] = {k: float(v) for k, v in t.net.evaluate(X, target, loss=loss).items()}
        return out

    def record(self) -> None:
        """Add the current metrics of every network to its curves."""
        for t, c in zip(self.trainees, self.curves):
            c.add(t, self.evaluate(t))

    def snapshot(self, *, record: bool = True, full: bool = True) -> dict:
        """Everything the page draws, as JSON-able data (see `views`)."""
        if record:
            self.record()
        return views.snapshot(self, full=full)

    def inspect(self, which: int, layer: int, i: int, j: int | None) -> dict:
        """Value, gradient (data part, penalty part) and last update of one weight or bias."""
        return views.inspect(self.trainees[which], layer, i, j)


__all__ = ["Session", "MAX_STEPS_PER_CALL"]
