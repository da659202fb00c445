"""The training loop (`Trainer`): one step is forward, loss + penalty, backward,
update, constraints. [`leannet.training.fit`][leannet.training.fit] checks the arguments and runs it.

One step on a batch, in order (`Trainer.train_step`):

1. forward pass in training mode (dropout and noise active); when the network
   ends in the loss's fused output layer (``Loss.fuses_with``: Softmax for
   categorical CE, Sigmoid for binary CE) it stops at the logits and the loss
   uses its fused form;
2. (weighted) mean data loss and its gradient with respect to the output;
3. backward pass through the layers (each writes ``dW``/``db`` in place);
4. coupled penalties: their sum joins the loss, their gradients ``dW``/``db``
   (steps 1-4 are `leannet.objective.Objective.gradients`);
5. the optimizer updates the flat parameter buffer (decoupled weight decay, if
   any, happens inside this step, on the entries of ``network.decay_mask``);
6. constraints after the update: proximal L1 soft-thresholding
   (`leannet.regularizers.proximal_step`), then max-norm.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from . import regularizers
from ._memory import check_step_fits
from ._signals import stop_requests
from ._validation import is_sparse
from .errors import ConfigError, TrainingDiverged
from .history import History
from .losses import normalized_weights
from .metrics import accuracy as accuracy_metric
from .objective import Objective

__all__ = ["Trainer"]


class Trainer:
    """Runs [`leannet.training.fit`][leannet.training.fit]; exposed to callbacks as ``trainer``.

    Attributes:
        network, optimizer, loss, history: what is being trained and how.
        objective: the `Objective` (loss + penalties) minimised.
        fused: True when the loss is computed from the logits (see ``Objective.fused``).
        epoch: epochs completed so far; ``epochs``: the total asked for.
        stop_training: set to True (e.g. by a callback) to stop after this epoch.
    """

    def __init__(self, network, loss, optimizer, *, callbacks=(), seed=None):
        self.network = network
        self.loss = loss
        self.optimizer = optimizer
        self.callbacks = list(callbacks)
        self.history = History()
        self.epoch = 0
        self.epochs = 0
        self.stop_training = False
        self.seed = network.seed if seed is None else seed
        self.rng = np.random.default_rng([self.seed, 1])
        self._interrupt_requested = False
        # position inside an epoch, so that a checkpoint taken mid-epoch resumes exactly
        self._order = None
        self._batch = 0
        # sums over the epoch's batches: data loss, penalty, correct, weight (samples)
        self._partial = np.zeros(4)
        self.objective = Objective(network, loss)
        self.fused = self.objective.fused
        self._max_norm = [layer for layer in network.dense_layers if layer.max_norm is not None]
        self._last_good = network.params.copy()

    # -- one update ---------------------------------------------------------------------------------
    def train_step(self, xb, yb, weights=None):
        """One step on a batch (see the module docstring); returns (data_loss, penalty, output).

        ``weights``: the batch's normalised sample weights (summing to 1), or None.
        """
        net = self.network
        data_loss, penalty, out = self.objective.gradients(xb, yb, weights)
        if not math.isfinite(data_loss + penalty):
            self.diverged(f"the loss became {data_loss + penalty}")
        np.copyto(self._last_good, net.params)
        self.optimizer.step(net.params, net.grads, decay_mask=net.decay_mask)
        regularizers.proximal_step(self.objective.penalty_terms, self.optimizer.current_lr)
        for layer in self._max_norm:
            layer.apply_max_norm()
        return data_loss, penalty, out

    @property
    def batch(self) -> int:
        """Batches done in the current epoch (a checkpoint's position inside it)."""
        return self._batch

    def diverged(self, what: str):
        """Reset the weights to their last finite copy and raise TrainingDiverged,
        naming ``what`` happened, the epoch and the last learning rate."""
        self.network.params[...] = self._last_good
        epoch = self.epoch + 1
        lr = self.optimizer.current_lr
        raise TrainingDiverged(
            f"training diverged in epoch {epoch}: {what}. The weights were reset to their last "
            f"finite state. Try a lower learning rate (the last one was {lr:.4g}) or gradient "
            "clipping (clip_norm=1.0 on the optimizer).",
            epoch=epoch,
            history=self.history,
        )

    # -- epochs ---------------------------------------------------------------------------------
    def run(self, X, y, *, epochs, batch_size, shuffle, validation=None, sample_weight=None):
        """Train up to epoch ``epochs`` on checked data; see [`leannet.training.fit`][leannet.training.fit].

        ``validation``: ``(X_val, y_val)`` or ``(X_val, y_val, sample_weight_val)``, checked.
        """
        net = self.network
        n = X.shape[0]
        full_batch = batch_size is None or batch_size >= n
        bs = n if full_batch else batch_size
        check_step_fits(bs, [d.n_out for d in net.dense_layers], net.dtype.itemsize)
        if self._order is not None and len(self._order) != n:  # resumed mid-epoch
            raise ConfigError(
                f"the checkpoint stopped inside an epoch over {len(self._order)} samples, but "
                f"this data has {n}; resume with the data the run was trained on"
            )
        for layer in net.layers:
            if layer.stochastic:
                layer.rng = self.rng
        self.epochs = epochs
        self.stop_training = False
        self.history.interrupted = False  # a run resumed after Ctrl-C is not interrupted (yet)
        for cb in self.callbacks:
            cb.on_train_begin(self)
        # Overflow and NaN are detected by the loop itself and reported as TrainingDiverged,
        # so NumPy's own warnings about them would only be noise.
        with self._sigint_flag(), np.errstate(over="ignore", invalid="ignore"):
            while self.epoch < epochs and not self.stop_training:
                if self._order is None:
                    if full_batch or not shuffle:
                        self._order = None if full_batch else np.arange(n)
                    else:
                        self._order = self.rng.permutation(n)
                    self._batch = 0
                    self._partial[:] = 0.0
                if not self._run_batches(X, y, sample_weight, bs, full_batch):
                    self.history.interrupted = True
                    break
                logs = self._epoch_logs()
                if validation is not None:
                    result = net.evaluate_checked(
                        validation[0], validation[1], self.loss, None, *validation[2:]
                    )
                    logs.update({f"val_{k}": v for k, v in result.items()})
                self.epoch += 1
                self._order = None
                self.history.append(self.epoch, logs)
                for cb in self.callbacks:
                    cb.on_epoch_end(self, self.epoch, logs)
                if self._interrupt_requested:
                    self.history.interrupted = True
                    break
        for cb in self.callbacks:  # before on_train_end, which may restore the best weights
            cb.on_train_stop(self)
        for cb in self.callbacks:
            cb.on_train_end(self)
        return self.history

    def _run_batches(self, X, y, sample_weight, bs, full_batch) -> bool:
        """Run the rest of the current epoch's batches; False if interrupted (Ctrl-C)."""
        partial = self._partial
        n = X.shape[0]
        n_batches = 1 if full_batch else -(-n // bs)
        per_label = self.loss.independent_outputs
        sparse = is_sparse(X)
        xbuf = None
        while self._batch < n_batches:
            if full_batch:
                xb, yb, sb = X, y, sample_weight
            else:
                idx = self._order[self._batch * bs : (self._batch + 1) * bs]
                if sparse:
                    xb = X[idx]
                else:
                    if xbuf is None or len(xbuf) != len(idx):
                        xbuf = np.empty((len(idx), X.shape[1]), dtype=X.dtype)
                    xb = np.take(X, idx, axis=0, out=xbuf)
                yb = y[idx]
                sb = None if sample_weight is None else sample_weight[idx]
            weights = None if sb is None else normalized_weights(sb)
            data_loss, penalty, out = self.train_step(xb, yb, weights)
            m = xb.shape[0] if sb is None else float(sb.sum())
            partial[0] += data_loss * m
            partial[1] += penalty * m
            if self.loss.classification:
                hits = accuracy_metric(
                    out, yb, logits=self.fused, per_label=per_label, sample_weight=sb
                )
                partial[2] += hits * m
            partial[3] += m
            self._batch += 1
            if self._interrupt_requested:
                return self._batch >= n_batches
        if not np.isfinite(self.network.params).all():
            self.diverged("the parameters became NaN or infinite")
        return True

    def _epoch_logs(self) -> dict:
        """The epoch's means: batches weighted by their sample count (or sample weight)."""
        total = self._partial[3]
        data_loss = self._partial[0] / total
        reg_loss = self._partial[1] / total
        logs = {"loss": data_loss + reg_loss, "data_loss": data_loss, "reg_loss": reg_loss}
        if self.loss.classification:
            logs["accuracy"] = self._partial[2] / total
        logs["lr"] = self.optimizer.current_lr
        return logs

    @contextlib.contextmanager
    def _sigint_flag(self):
        """Turn the first Ctrl-C, SIGTERM or SIGHUP into a request to stop at the next
        batch boundary (a scheduler's SIGTERM saves the run like a Ctrl-C does)."""

        def on_request(signum: int) -> bool:
            stop_now = self._interrupt_requested  # a second signal stops at once
            self._interrupt_requested = True
            return stop_now

        with stop_requests(on_request):
            yield

    # -- checkpoints ------------------------------------------------------------------------------
    def get_state(self) -> dict:
        """Everything needed to continue this run exactly (see `leannet.checkpoint`)."""
        return {
            "epoch": self.epoch,
            "batch": self._batch,
            "order": None if self._order is None else self._order.copy(),
            "partial": self._partial.copy(),
            "params": self.network.params.copy(),
            "optimizer": self.optimizer.state_dict(),
            "optimizer_config": self.optimizer.get_config(),
            "rng": self.rng.bit_generator.state,
            "history": self.history.to_dict(),
            "callbacks": [cb.get_state() for cb in self.callbacks],
            "callback_classes": [type(cb).__name__ for cb in self.callbacks],
            "config": self.network.get_config(),
        }

    def set_state(self, state: dict) -> None:
        """Restore what `get_state` returned (the network's architecture must match)."""
        net = self.network
        params = np.asarray(state["params"])
        if params.shape != net.params.shape:
            raise ConfigError(
                f"the checkpoint holds {params.size} parameters but this network has {net.n_params}; "
                "resume with the same architecture"
            )
        net.params[...] = params
        self.optimizer.load_state_dict(state["optimizer"])
        self.rng.bit_generator.state = state["rng"]
        self.history = History.from_dict(state["history"])
        self.epoch = int(state["epoch"])
        order = state.get("order")
        self._order = None if order is None else np.asarray(order)
        self._batch = int(state.get("batch", 0))
        self._partial[:] = np.asarray(state.get("partial", np.zeros(4)))
        saved = state.get("callbacks") or []
        classes = state.get("callback_classes")
        if classes is None:  # older checkpoints: states in the order of the callbacks list
            for cb, cb_state in zip(self.callbacks, saved):
                cb.set_state(cb_state)
            return
        # Match states to callbacks by class (the k-th EarlyStopping gets the k-th saved
        # EarlyStopping state), so a reordered or shorter list never misassigns them.
        by_class: dict[str, list] = {}
        for name, cb_state in zip(classes, saved):
            by_class.setdefault(name, []).append(cb_state)
        for cb in self.callbacks:
            states = by_class.get(type(cb).__name__)
            if states:
                cb.set_state(states.pop(0))
