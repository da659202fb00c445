"""The training loop: forward, loss + penalty, backward, update, constraints.

One step on a batch, in order (steps 1-4 in :meth:`Trainer.compute_gradients`, the rest
in :meth:`Trainer.train_step`):

1. forward pass in training mode (dropout and noise active); when the output
   activation matches the loss (Softmax + categorical CE, Sigmoid + binary CE)
   the loop stops at the logits and uses the fused loss;
2. mean data loss and its gradient with respect to the output;
3. backward pass through the layers (each writes ``dW``/``db`` in place);
4. coupled penalties: each regularizer adds its value to the loss and its
   gradient to ``dW``/``db``;
5. the optimizer updates the flat parameter buffer (decoupled weight decay, if
   any, happens inside this step);
6. constraints after the update: proximal L1 soft-thresholding, then max-norm.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading

import numpy as np

from . import losses as losses_module
from . import optimizers as optimizers_module
from ._memory import check_step_fits
from ._validation import check_fraction, check_positive_int, check_seed
from .callbacks import Callback
from .errors import ConfigError, DataError, TrainingDiverged
from .history import History
from .metrics import accuracy as accuracy_metric


class Trainer:
    """Runs :func:`fit`; exposed to callbacks as ``trainer``.

    Attributes:
        network, optimizer, loss, history: what is being trained and how.
        epoch: epochs completed so far.
        stop_training: set to True (e.g. by a callback) to stop after this epoch.
    """

    def __init__(self, network, loss, optimizer, *, callbacks=(), seed=None):
        self.network = network
        self.loss = loss
        self.optimizer = optimizer
        self.callbacks = list(callbacks)
        self.history = History()
        self.epoch = 0
        self.stop_training = False
        self.seed = network.seed if seed is None else seed
        self.rng = np.random.default_rng([self.seed, 1])
        self._interrupt_requested = False
        # position inside an epoch, so that a checkpoint taken mid-epoch resumes exactly
        self._order = None
        self._batch = 0
        self._partial = np.zeros(
            4
        )  # sums over the epoch's batches: data loss, penalty, correct, count
        self._fused = network._fused(loss)
        self._stop = network._last_index if self._fused else None
        self._reg_triples = [t for layer in network.dense_layers for t in layer.regularizers()]
        self._prox = [
            (array, reg) for array, _g, reg in self._reg_triples if reg.proximal and reg.l1
        ]
        self._max_norm = [layer for layer in network.dense_layers if layer.max_norm is not None]
        self._last_good = network.params.copy()

    # -- one update ---------------------------------------------------------------------------------
    def compute_gradients(self, xb: np.ndarray, yb: np.ndarray, training: bool = True):
        """Steps 1-4: forward, loss, backward and penalties; fills ``network.grads``.

        Returns (data_loss, penalty, output); the output is the logits when the loss is fused.
        """
        out, backwards = self.network.forward(xb, training=training, stop=self._stop)
        data_loss, grad = self.loss_and_delta(out, yb)
        for backward in reversed(backwards):
            grad = backward(grad)
        penalty = 0.0
        for array, grad_array, reg in self._reg_triples:
            penalty += reg.penalty(array)
            reg.add_grad(array, grad_array)
        return data_loss, penalty, out

    def train_step(self, xb: np.ndarray, yb: np.ndarray):
        """Forward, backward and update on one batch; returns (data_loss, penalty, output)."""
        net = self.network
        data_loss, penalty, out = self.compute_gradients(xb, yb)
        if not math.isfinite(data_loss + penalty):
            self._diverged(f"the loss became {data_loss + penalty}")
        np.copyto(self._last_good, net.params)
        self.optimizer.step(net.params, net.grads, net.n_weights)
        lr = self.optimizer.current_lr
        for array, reg in self._prox:
            reg.prox(array, lr)
        for layer in self._max_norm:
            layer.apply_max_norm()
        return data_loss, penalty, out

    def loss_and_delta(self, out: np.ndarray, y: np.ndarray):
        """Mean data loss and its gradient with respect to ``out``.

        ``out`` is the logits when the loss is fused with the output activation.
        """
        if self._fused:
            return self.loss.from_logits(out, y)
        return self.loss(out, y), self.loss.gradient(out, y)

    def _diverged(self, what: str):
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
    def run(
        self, X, y, *, epochs, batch_size, shuffle, validation=None, verbose=0, print_every=None
    ):
        net = self.network
        n = len(X)
        full_batch = batch_size is None or batch_size >= n
        bs = n if full_batch else batch_size
        classify = self.loss.classification
        check_step_fits(bs, [d.n_out for d in net.dense_layers], net.dtype.itemsize)
        if self._order is not None and len(self._order) != n:  # resumed mid-epoch
            raise ConfigError(
                f"the checkpoint stopped inside an epoch over {len(self._order)} samples, but "
                f"this data has {n}; resume with the data the run was trained on"
            )
        for layer in net.layers:
            if layer.stochastic:
                layer.rng = self.rng
        if verbose:
            print_every = print_every or max(1, epochs // 10)
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
                finished = self._run_batches(X, y, n, bs, full_batch, classify)
                if not finished:
                    self.history.interrupted = True
                    break
                logs = self._epoch_logs(classify)
                if validation is not None:
                    result = net._evaluate(validation[0], validation[1], self.loss)
                    logs.update({f"val_{k}": v for k, v in result.items()})
                self.epoch += 1
                self._order = None
                self.history.append(self.epoch, logs)
                if verbose and (self.epoch % print_every == 0 or self.epoch == epochs):
                    print(format_logs(self.epoch, logs), flush=True)
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

    def _run_batches(self, X, y, n, bs, full_batch, classify) -> bool:
        """Run the rest of the current epoch's batches; False if interrupted (Ctrl-C)."""
        partial = self._partial
        n_batches = 1 if full_batch else -(-n // bs)
        xbuf = None
        while self._batch < n_batches:
            if full_batch:
                xb, yb = X, y
            else:
                idx = self._order[self._batch * bs : (self._batch + 1) * bs]
                if xbuf is None or len(xbuf) != len(idx):
                    xbuf = np.empty((len(idx), X.shape[1]), dtype=X.dtype)
                xb = np.take(X, idx, axis=0, out=xbuf)
                yb = y[idx]
            data_loss, penalty, out = self.train_step(xb, yb)
            m = len(xb)
            partial[0] += data_loss * m
            partial[1] += penalty * m
            if classify:
                partial[2] += accuracy_metric(out, yb, logits=self._fused) * m
            partial[3] += m
            self._batch += 1
            if self._interrupt_requested:
                return self._batch >= n_batches
        if not np.isfinite(self.network.params).all():
            self._diverged("the parameters became NaN or infinite")
        return True

    def _epoch_logs(self, classify: bool) -> dict:
        total = self._partial[3]
        data_loss = self._partial[0] / total
        reg_loss = self._partial[1] / total
        logs = {"loss": data_loss + reg_loss, "data_loss": data_loss, "reg_loss": reg_loss}
        if classify:
            logs["accuracy"] = self._partial[2] / total
        logs["lr"] = self.optimizer.current_lr
        return logs

    @contextlib.contextmanager
    def _sigint_flag(self):
        """Turn the first Ctrl-C into a request to stop at the next batch boundary."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum, frame):
            if self._interrupt_requested:  # a second Ctrl-C stops at once
                raise KeyboardInterrupt
            self._interrupt_requested = True

        try:
            previous = signal.signal(signal.SIGINT, handler)
        except ValueError:  # not allowed here (e.g. some embedded interpreters)
            yield
            return
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    # -- checkpoints ------------------------------------------------------------------------------
    def get_state(self) -> dict:
        """Everything needed to continue this run exactly (see :mod:`leannet.checkpoint`)."""
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
        """Restore what :meth:`get_state` returned (the network's architecture must match)."""
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


def format_logs(epoch: int, logs: dict) -> str:
    """The seeds' progress line, e.g.
    ``epoch: 100, acc: 0.950, loss: 0.123 (data_loss: 0.100, reg_loss: 0.023), lr: 0.0099``."""
    parts = [f"epoch: {epoch}"]
    if "accuracy" in logs:
        parts.append(f"acc: {logs['accuracy']:.3f}")
    parts.append(
        f"loss: {logs['loss']:.3f} (data_loss: {logs['data_loss']:.3f}, "
        f"reg_loss: {logs['reg_loss']:.3f})"
    )
    parts.append(f"lr: {logs['lr']:.4g}")
    if "val_loss" in logs:
        parts.append(f"val_loss: {logs['val_loss']:.3f}")
    if "val_accuracy" in logs:
        parts.append(f"val_acc: {logs['val_accuracy']:.3f}")
    if "val_r2" in logs:
        parts.append(f"val_r2: {logs['val_r2']:.3f}")
    return ", ".join(parts)


def fit(
    network,
    X,
    y,
    *,
    loss,
    optimizer=None,
    epochs: int = 1,
    batch_size: int | None = None,
    shuffle: bool = True,
    validation_data=None,
    validation_split: float = 0.0,
    callbacks=None,
    seed: int | None = None,
    verbose: int = 0,
    print_every: int | None = None,
    resume_from=None,
) -> History:
    """Train ``network`` on ``(X, y)``.

    Args:
        loss: "mse", "binary_cross_entropy", "categorical_cross_entropy" or a Loss.
        optimizer: an optimizer object (default ``ln.Adam()``). Passing the same
            object again continues its state (moments, update count).
        epochs: total number of epochs (a resumed run continues up to this number).
        batch_size: None for full-batch gradient descent; else mini-batches drawn
            without replacement, reshuffled every epoch (``shuffle=True``).
        validation_data: ``(X_val, y_val)`` evaluated after every epoch.
        validation_split: fraction of ``(X, y)`` held out at random for validation
            (ignored when ``validation_data`` is given).
        callbacks: e.g. ``[ln.EarlyStopping(patience=20)]``.
        seed: seed of shuffling, dropout masks and the validation split (default:
            the network's seed). Same seed, same data: bitwise identical results.
        verbose: 1 prints the seeds' progress line every ``print_every`` epochs.
        resume_from: a checkpoint file (``ln.Checkpoint``) to continue from.

    ``X`` may be a memory-mapped array (``np.load(path, mmap_mode="r")``) of the
    network's dtype: batches are gathered from it without loading it whole.

    Returns:
        History (``history.interrupted`` is True after Ctrl-C).

    Raises:
        TrainingDiverged: if the loss or the parameters become NaN/inf; the
            weights are left at their last finite state.
    """
    loss_fn = losses_module.get(loss)
    network.check_loss(loss_fn)
    optimizer = optimizers_module.get(optimizer)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size", allow_none=True)
    validation_split = check_fraction(validation_split, "validation_split")
    if isinstance(verbose, bool) or not isinstance(verbose, int) or verbose < 0:
        raise ConfigError(f"verbose must be 0, 1 or 2, got {verbose!r}")
    print_every = check_positive_int(print_every, "print_every", allow_none=True)
    callbacks = list(callbacks or [])
    for cb in callbacks:
        if not isinstance(cb, Callback):
            raise ConfigError(f"callbacks must be ln.Callback objects, got {type(cb).__name__}")
    seed = check_seed(seed)
    if validation_data is not None and validation_split:
        raise ConfigError(
            "give either validation_data or validation_split, not both "
            f"(got validation_split={validation_split})"
        )

    X = network.check_input(X)
    y = network.check_target(y, loss_fn, len(X))
    trainer = Trainer(network, loss_fn, optimizer, callbacks=callbacks, seed=seed)

    validation = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ConfigError("validation_data must be a pair (X_val, y_val)")
        Xv = network.check_input(validation_data[0], "validation_data[0]")
        yv = network.check_target(validation_data[1], loss_fn, len(Xv), "validation_data[1]")
        validation = (Xv, yv)
    elif validation_split > 0:
        n_val = int(round(len(X) * validation_split))
        if n_val < 1 or n_val >= len(X):
            raise DataError(
                f"validation_split={validation_split} leaves {n_val} validation and "
                f"{len(X) - n_val} training samples out of {len(X)}; use more data or another split"
            )
        perm = np.random.default_rng([trainer.seed, 2]).permutation(len(X))
        val_idx, train_idx = np.sort(perm[:n_val]), np.sort(perm[n_val:])
        validation = (X[val_idx], y[val_idx])
        X, y = X[train_idx], y[train_idx]

    if resume_from is not None:
        from .checkpoint import read_checkpoint

        trainer.set_state(read_checkpoint(resume_from, network=network))
    return trainer.run(
        X,
        y,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        validation=validation,
        verbose=verbose,
        print_every=print_every,
    )
