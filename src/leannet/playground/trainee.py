"""One network being trained in the playground, one step at a time, on the real engine.

A `Trainee` builds its network and optimizer as ``leannet train`` does
(`leannet.lab.modeling.build_network` and ``make_optimizer``, calls to the one
builder) from the playground's settings' ``TrainConfig``, and takes steps with `leannet.trainer.Trainer.train_step`. It keeps
the batch order and random generator exactly as [`leannet.training.fit`][leannet.training.fit] does
(``default_rng([seed, 1])``, one permutation per epoch, dropout masks from the same
generator), so that with no setting changed mid-run it reaches bitwise the weights
that ``leannet train`` reaches after the same number of epochs.

A live change (regularization, optimizer, learning rate, batch size) rebuilds the
network object with the new settings and copies the current weights into it; the
optimizer keeps its state when its kind is unchanged. The change applies from the
next step.
"""

from __future__ import annotations

import math

import numpy as np

from .. import losses as losses_module
from ..errors import ConfigError, TrainingDiverged
from ..history import History
from ..lab import modeling
from ..metrics import accuracy as accuracy_metric
from ..trainer import Trainer
from .settings import Settings


def build_network(s: Settings, n_in: int, n_out: int, loss: str):
    """The network of ``s`` for ``n_in`` inputs and ``n_out`` outputs (``leannet train``'s)."""
    return modeling.build_network(s.train_config(), n_in, n_out, loss)


def build_opt(s: Settings, steps_per_epoch: int = 1):
    """The optimizer and learning-rate schedule of ``s`` (as ``leannet train`` makes them).

    The cosine schedule anneals over ``s.lr_epochs`` epochs of ``steps_per_epoch``
    updates: ``leannet train`` with ``epochs = lr_epochs`` builds the same schedule.
    """
    return modeling.make_optimizer(s.train_config(epochs=s.lr_epochs), steps_per_epoch)


_NET_KEYS = ("l1", "l2", "bias_l1", "bias_l2", "l1_proximal", "dropout", "noise", "max_norm")
_OPT_KEYS = (
    "optimizer",
    "lr",
    "momentum",
    "lr_schedule",
    "lr_decay",
    "lr_every",
    "lr_epochs",
    "weight_decay",
)


class Trainee:
    """A network, its optimizer and its position in training.

    Args:
        settings: validated playground settings.
        X_train, y_train: standardised training inputs and targets as the loss wants them.
        loss: loss name; n_out: output units.
    """

    def __init__(self, settings: Settings, X_train, y_train, loss: str, n_out: int):
        self.settings = settings
        self.loss_name = loss
        self.loss = losses_module.get(loss)
        self.n_out = n_out
        self.net = build_network(settings, X_train.shape[1], n_out, loss)
        self.X = self.net.check_input(X_train)
        self.y = self.net.check_target(y_train, self.loss, len(self.X))
        self.initial = self.net.params.copy()
        self.optimizer = build_opt(settings, self.steps_per_epoch)
        self.rng = np.random.default_rng([settings.seed, 1])  # as fit(seed=...)
        self.trainer = self._trainer()
        self.step_count = 0
        self.epoch = 0
        self.history = History()
        self.changes: list[str] = []  # live changes made after the first step
        self._order = None
        self._batch = 0
        self._partial = np.zeros(4)
        self.last_step = None  # (params before, grads, params after) of the last step
        self.best = (math.inf, 0)  # early stopping: best monitored loss and its epoch
        self.best_params = None  # the weights of that epoch (restored when it stops)
        self.stopped_early = False

    def _trainer(self) -> Trainer:
        trainer = Trainer(self.net, self.loss, self.optimizer, seed=self.settings.seed)
        trainer.rng = self.rng
        for layer in self.net.layers:
            if layer.stochastic:
                layer.rng = self.rng
        return trainer

    # -- training -------------------------------------------------------------------------------
    @property
    def batch_size(self) -> int:
        n = len(self.X)
        b = self.settings.batch_size
        return n if not b or b >= n else b

    @property
    def steps_per_epoch(self) -> int:
        return -(-len(self.X) // self.batch_size)

    def step(self) -> bool:
        """One update on the next batch; True when it finished an epoch.

        Raises:
            TrainingDiverged: the loss or weights became NaN/inf (weights are reset
                to their last finite values by the engine).
        """
        n, bs = len(self.X), self.batch_size
        full = bs >= n
        if self._order is None:
            self._order = None if full else self.rng.permutation(n)
            self._batch = 0
            self._partial[:] = 0.0
            if full:
                self._order = False  # marks "epoch started" for full batches
        if full:
            xb, yb = self.X, self.y
        else:
            idx = self._order[self._batch * bs : (self._batch + 1) * bs]
            xb, yb = np.take(self.X, idx, axis=0), self.y[idx]
        before = self.net.params.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            data_loss, penalty, out = self.trainer.train_step(xb, yb)
        self.last_step = (before, self.net.grads.copy(), self.net.params.copy())
        m = len(xb)
        self._partial += (
            data_loss * m,
            penalty * m,
            accuracy_metric(out, yb, logits=self.trainer.fused) * m
            if self.loss.classification
            else 0.0,
            m,
        )
        self.step_count += 1
        self._batch += 1
        n_batches = 1 if full else -(-n // bs)
        if self._batch < n_batches:
            return False
        if not np.isfinite(self.net.params).all():
            self.trainer.diverged("the parameters became NaN or infinite")
        self._end_epoch()
        return True

    def _end_epoch(self) -> None:
        total = self._partial[3]
        logs = {
            "loss": (self._partial[0] + self._partial[1]) / total,
            "data_loss": self._partial[0] / total,
            "reg_loss": self._partial[1] / total,
        }
        if self.loss.classification:
            logs["accuracy"] = self._partial[2] / total
        logs["lr"] = self.optimizer.current_lr
        self.epoch += 1
        self.history.append(self.epoch, logs)
        self._order = None

    def check_early_stopping(self, monitored: float) -> bool:
        """Record the monitored loss of the epoch just ended; True when patience ran out.

        As ``leannet.EarlyStopping(restore_best=True)``: an epoch improves when its
        loss is below the best so far; its weights are kept, and when ``patience``
        epochs pass without improvement they are put back into the network.
        """
        patience = self.settings.early_stopping
        if monitored < self.best[0]:
            self.best = (monitored, self.epoch)
            if self.best_params is None:
                self.best_params = self.net.params.copy()
            else:
                np.copyto(self.best_params, self.net.params)
        if patience and not self.stopped_early and self.epoch - self.best[1] >= patience:
            self.stopped_early = True
            self.net.params[...] = self.best_params
        return self.stopped_early

    # -- live changes ---------------------------------------------------------------------------
    def apply(self, new: Settings) -> list[str]:
        """Switch to the live settings of ``new`` from the next step; return what changed."""
        old = self.settings
        changed = [k for k in (*_NET_KEYS, *_OPT_KEYS, "batch_size", "early_stopping")]
        changed = [k for k in changed if getattr(old, k) != getattr(new, k)]
        if not changed:
            return []
        self.settings = new
        if any(k in _NET_KEYS for k in changed):
            params = self.net.params.copy()
            self.net = build_network(new, self.X.shape[1], self.n_out, self.loss_name)
            if self.net.params.shape != params.shape:  # cannot happen: same architecture
                raise ConfigError("internal error: a regularization change altered the layout")
            self.net.params[...] = params
        cosine_horizon = new.lr_schedule == "cosine" and "batch_size" in changed
        if cosine_horizon or any(k in _OPT_KEYS for k in changed):
            optimizer = build_opt(new, self.steps_per_epoch)
            # Same kind: keep the moments and the update count (and so the schedule's
            # position). Another kind starts fresh (t = 0), as its bias corrections need.
            if type(optimizer) is type(self.optimizer):
                try:
                    optimizer.load_state_dict(self.optimizer.state_dict())
                except ConfigError:  # e.g. momentum switched on: a fresh buffer, same t
                    optimizer.t = self.optimizer.t
            self.optimizer = optimizer
        if "batch_size" in changed and self._order is not None:
            self._order = None  # the new batch size starts a fresh epoch
        self.trainer = self._trainer()
        if "early_stopping" in changed:
            self.stopped_early = False
        if self.step_count:
            self.changes += [
                f"step {self.step_count}: {k} {getattr(old, k)!r} -> {getattr(new, k)!r}"
                for k in changed
            ]
        return changed

    def reset(self) -> None:
        """Back to the initial weights and a fresh optimizer, generator and history."""
        self.__init__(self.settings, self.X, self.y, self.loss_name, self.n_out)


__all__ = ["Trainee", "build_network", "build_opt", "TrainingDiverged"]
