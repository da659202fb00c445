"""Stochastic solvers (adam, sgd, ...): the engine's training loop with scikit-learn's rules.

The epochs run in [`leannet.Sequential.fit`][leannet.training.fit]; `SklearnEpochEnd`, a callback,
applies what scikit-learn's ``MLPClassifier``/``MLPRegressor`` do after each epoch:

* record ``loss_curve_``, ``n_iter_``, ``t_`` (samples seen) in scikit-learn's units
  (the engine's loss times `gradient_ratio`);
* print ``Iteration k, loss = ...`` every epoch when ``verbose``;
* count epochs without improvement: the training loss not below ``best_loss_ - tol``,
  or with ``early_stopping`` the validation score not above ``best + tol`` (the best
  weights are kept and restored at the end);
* ``learning_rate="invscaling"``: $\\eta = \\eta_0 / (t + 1)^{p}$ with ``t`` the
  samples seen so far; ``"adaptive"``: after ``n_iter_no_change`` bad epochs divide
  the rate by 5 instead of stopping, and stop once it is below 1e-6.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ..callbacks import Callback
from ..errors import DataError, TrainingDiverged
from ..schedules import Constant


def fit_stochastic(est, p: dict, X, y_enc, sample_weight, *, incremental: bool) -> None:
    """Train ``est.network_`` for one epoch (``partial_fit``) or up to ``max_iter`` epochs."""
    X_val = y_val = sw_val = None
    if p["early_stopping"]:
        X, X_val, y_enc, y_val, sample_weight, sw_val = _split_validation(
            est, p, X, y_enc, sample_weight
        )
    n = X.shape[0]
    if not isinstance(est.batch_size, str) and est.batch_size > n:
        warnings.warn(
            f"batch_size={est.batch_size} is larger than the {n} training samples; "
            f"using batches of {n}",
            UserWarning,
            stacklevel=4,
        )
    end = SklearnEpochEnd(est, p, n, X_val, y_val, sw_val)
    extra = {} if sample_weight is None else {"sample_weight": sample_weight}
    # A different shuffle order per call, still fixed by random_state.
    seed = (est._seed + 7919 * est._calls) % (2**31 - 1)
    est.n_iter_ = 0
    try:
        history = est.network_.fit(
            X,
            y_enc,
            loss=est._loss_name(),
            optimizer=est._optimizer,
            epochs=1 if incremental else p["max_iter"],
            batch_size=est._batch(n),
            shuffle=p["shuffle"],
            seed=seed,
            callbacks=[end],
            verbose=0,
            **extra,
        )
    except TrainingDiverged:
        if end.best_params is None:
            raise
        # Early stopping holds finite weights with a validation score: keep them, as
        # scikit-learn does (its last validation score is then NaN).
        est.validation_scores_.append(float("nan"))
        est.network_.params[...] = end.best_params
        warnings.warn(
            f"training diverged in epoch {est.n_iter_ + 1} (the loss or the weights became "
            "NaN or infinite); kept the weights of the best validation score "
            f"({est.best_validation_score_:.4g}); lower learning_rate or scale the features",
            ConvergenceWarning,
            stacklevel=4,
        )
        return
    if end.best_params is not None:
        # Early stopping keeps the weights of the best validation score.
        est.network_.params[...] = end.best_params
    if getattr(history, "interrupted", False):
        # Ctrl-C: the engine stops at a batch boundary; an estimator must not then
        # look fitted as if training had finished (a sweep would record it).
        est._export_weights()
        raise KeyboardInterrupt(
            f"training interrupted after {est.n_iter_} epochs; the estimator keeps "
            "the weights reached so far"
        )
    if not incremental and not end.converged:
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({p['max_iter']}) reached and the "
            "optimization hasn't converged yet; raise max_iter or tol",
            ConvergenceWarning,
            stacklevel=4,
        )


def _split_validation(est, p: dict, X, y_enc, sample_weight):
    """scikit-learn's held-out split: ``validation_fraction`` of the rows, stratified for
    binary classification (a class with one member is then an error, as there)."""
    stratify = est._stratify_by(y_enc)
    arrays = [X, y_enc] + ([] if sample_weight is None else [sample_weight])
    parts = train_test_split(
        *arrays,
        test_size=p["validation_fraction"],
        random_state=(est._seed + 104729 * est._calls) % (2**31 - 1),
        stratify=stratify,
    )
    X_tr, X_val, y_tr, y_val = parts[:4]
    sw_tr, sw_val = (parts[4], parts[5]) if sample_weight is not None else (None, None)
    if X_val.shape[0] < 2:
        raise DataError(
            "The validation set is too small. Increase 'validation_fraction' or the size of "
            f"your dataset (validation_fraction={p['validation_fraction']} of "
            f"{X.shape[0]} samples leaves {X_val.shape[0]})."
        )
    return X_tr, X_val, y_tr, y_val, sw_tr, sw_val


class SklearnEpochEnd(Callback):
    """scikit-learn's end-of-epoch bookkeeping, stopping rule and learning-rate schedule."""

    def __init__(self, est, p: dict, n_samples: int, X_val, y_val, sw_val):
        self.est, self.p = est, p
        self.n_samples = n_samples
        self.X_val, self.y_val, self.sw_val = X_val, y_val, sw_val
        self.best_params = None
        self.converged = False

    def on_epoch_end(self, trainer, epoch, logs) -> None:
        est, p = self.est, self.p
        loss = float(logs["loss"]) * est._ratio
        est.n_iter_ += 1
        est.t_ += self.n_samples
        est.loss_ = loss
        est.loss_curve_.append(loss)
        if est.verbose:
            print(f"Iteration {est.n_iter_}, loss = {loss:.8f}", flush=True)
        self._count_no_improvement(trainer.network)
        if p["schedule"] == "invscaling":
            self._set_lr(p["learning_rate"] / (est.t_ + 1) ** p["power_t"])
        if est._no_improvement_count > p["n_iter_no_change"]:
            what = "Validation score" if self.X_val is not None else "Training loss"
            msg = (
                f"{what} did not improve more than tol={p['tol']:f} for "
                f"{p['n_iter_no_change']} consecutive epochs."
            )
            if p["schedule"] == "adaptive" and est.learning_rate_ > 1e-6:
                self._set_lr(est.learning_rate_ / 5.0)
                est._no_improvement_count = 0
                if est.verbose:
                    print(f"{msg} Setting learning rate to {est.learning_rate_:f}", flush=True)
            else:
                if est.verbose:
                    small = " Learning rate too small." if p["schedule"] == "adaptive" else ""
                    print(f"{msg}{small} Stopping.", flush=True)
                self.converged = True
                trainer.stop_training = True

    def _count_no_improvement(self, network) -> None:
        est, tol = self.est, self.p["tol"]
        if self.X_val is None:
            loss = est.loss_curve_[-1]
            if loss > est.best_loss_ - tol:
                est._no_improvement_count += 1
            else:
                est._no_improvement_count = 0
            est.best_loss_ = min(est.best_loss_, loss)
            return
        score = est._validation_score(network, self.X_val, self.y_val, self.sw_val)
        est.validation_scores_.append(score)
        if est.verbose:
            print(f"Validation score: {score:f}", flush=True)
        if score < est.best_validation_score_ + tol:
            est._no_improvement_count += 1
        else:
            est._no_improvement_count = 0
        if score > est.best_validation_score_:
            est.best_validation_score_ = score
            self.best_params = np.array(network.params, copy=True)

    def _set_lr(self, lr: float) -> None:
        """Change the step size between epochs (scikit-learn's units, stored in ``learning_rate_``)."""
        self.est.learning_rate_ = lr
        self.est._optimizer.schedule = Constant(self.est._engine_lr(self.p, lr))
