"""``fit``: train a network on ``(X, y)`` (what ``Sequential.fit`` is).

It turns names into objects (the loss, the optimizer), checks every argument and the
data, holds out ``validation_split``, restores a checkpoint when resuming, and hands
the checked data to `leannet.trainer.Trainer.run`, the loop of epochs and
steps (its module docstring lists one step in order).
"""

from __future__ import annotations

import numpy as np

from . import losses as losses_module
from . import optimizers as optimizers_module
from ._validation import (
    check_bool,
    check_fraction,
    check_positive_int,
    check_sample_weight,
    check_seed,
)
from .callbacks import Callback
from .checkpoint import read_checkpoint
from .errors import ConfigError, DataError
from .history import History
from .live import close_progress, verbose_callback
from .trainer import Trainer

__all__ = ["fit"]


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
    sample_weight=None,
) -> History:
    """Train ``network`` on ``(X, y)``.

    Args:
        loss: "mse", "binary_cross_entropy", "categorical_cross_entropy", "poisson"
            or a Loss.
        optimizer: an optimizer object (default ``ln.Adam()``). Passing the same
            object again continues its state (moments, update count).
        epochs: total number of epochs (a resumed run continues up to this number).
        batch_size: None for full-batch gradient descent; else mini-batches drawn
            without replacement, reshuffled every epoch (``shuffle=True``).
        shuffle: reshuffle the samples every epoch (else batches in row order).
        validation_data: ``(X_val, y_val)`` evaluated after every epoch.
        validation_split: fraction of ``(X, y)`` held out at random for validation
            (ignored when ``validation_data`` is given).
        callbacks: e.g. ``[ln.EarlyStopping(patience=20)]``.
        seed: seed of shuffling, dropout masks and the validation split (default:
            the network's seed). Same seed, same data: bitwise identical results.
        verbose: 0 silent. 1: in a terminal or a Jupyter notebook, a live progress
            bar ([`ProgressBar`][leannet.live.ProgressBar]: epochs done, loss, validation loss,
            accuracy, time; needs rich, and ipywidgets in Jupyter); when the output is
            not interactive (a pipe, a file, a CI log, pytest's capture) or rich is not
            installed, the source tutorials' progress line every ``print_every`` epochs
            (default: 10 lines per run) and after the last. 2: that line after every
            epoch (a [`ProgressPrinter`][leannet.callbacks.ProgressPrinter]), wherever the output goes.
        print_every: epochs between progress lines (with ``verbose``; the bar shows
            every epoch).
        resume_from: a checkpoint file (``ln.Checkpoint``) to continue from.
        sample_weight: one weight >= 0 per row: each batch's data loss becomes the
            weighted mean $\\sum s_i \\ell_i / \\sum s_i$ (scikit-learn's
            ``np.average``); the penalty is unchanged. A held-out ``validation_split``
            keeps its rows' weights.

    ``X`` may be a memory-mapped array (``np.load(path, mmap_mode="r")``) of the
    network's dtype: batches are gathered from it without loading it whole. It may
    also be a SciPy sparse matrix (CSR or CSC) when the network starts with a Dense
    layer: batches are sliced as CSR rows and multiplied without densifying.

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
    shuffle = check_bool(shuffle, "shuffle")
    batch_size = check_positive_int(batch_size, "batch_size", allow_none=True)
    validation_split = check_fraction(validation_split, "validation_split")
    if isinstance(verbose, bool) or not isinstance(verbose, int) or verbose not in (0, 1, 2):
        raise ConfigError(
            "verbose must be 0 (silent), 1 (a progress bar in a terminal or notebook, else a "
            f"line every print_every epochs) or 2 (a line every epoch), got {verbose!r}"
        )
    print_every = check_positive_int(print_every, "print_every", allow_none=True)
    callbacks = list(callbacks or [])
    for cb in callbacks:
        if not isinstance(cb, Callback):
            raise ConfigError(f"callbacks must be ln.Callback objects, got {type(cb).__name__}")
    if verbose:
        progress = verbose_callback(verbose, print_every, callbacks)
        if progress is not None:  # None: the callbacks show a progress bar already
            callbacks.insert(0, progress)
    seed = check_seed(seed)
    if validation_data is not None and validation_split:
        raise ConfigError(
            "give either validation_data or validation_split, not both "
            f"(got validation_split={validation_split})"
        )

    X = network.check_input(X)
    y = network.check_target(y, loss_fn, X.shape[0])
    sample_weight = check_sample_weight(sample_weight, X.shape[0])
    trainer = Trainer(network, loss_fn, optimizer, callbacks=callbacks, seed=seed)

    validation = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ConfigError("validation_data must be a pair (X_val, y_val)")
        Xv = network.check_input(validation_data[0], "validation_data[0]")
        yv = network.check_target(validation_data[1], loss_fn, Xv.shape[0], "validation_data[1]")
        validation = (Xv, yv)
    elif validation_split > 0:
        n = X.shape[0]
        n_val = int(round(n * validation_split))
        if n_val < 1 or n_val >= n:
            raise DataError(
                f"validation_split={validation_split} leaves {n_val} validation and "
                f"{n - n_val} training samples out of {n}; use more data or another split"
            )
        perm = np.random.default_rng([trainer.seed, 2]).permutation(n)
        val_idx, train_idx = np.sort(perm[:n_val]), np.sort(perm[n_val:])
        validation = (X[val_idx], y[val_idx])
        X, y = X[train_idx], y[train_idx]
        if sample_weight is not None:
            validation += (sample_weight[val_idx],)
            sample_weight = sample_weight[train_idx]
            for rows, part in (("training", sample_weight), ("validation", validation[2])):
                if not part.sum() > 0:
                    raise DataError(
                        f"the {rows} rows of validation_split={validation_split} all have "
                        "sample_weight 0; give more rows a positive weight or another split"
                    )

    if resume_from is not None:
        trainer.set_state(read_checkpoint(resume_from, network=network))
    try:
        return trainer.run(
            X,
            y,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=shuffle,
            validation=validation,
            sample_weight=sample_weight,
        )
    finally:  # an error skips on_train_end: a live bar must not keep holding the terminal
        close_progress(callbacks)
