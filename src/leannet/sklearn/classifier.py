"""``LeanClassifier``: scikit-learn's ``MLPClassifier`` interface on a leannet network."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d

from ..errors import ConfigError, DataError
from .base import _LeanBase
from .inputs import validate_X


def _stochastic(est) -> bool:
    """``partial_fit`` exists only for the stochastic optimizers (as in scikit-learn)."""
    if str(est.optimizer).lower() == "lbfgs":
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers; lbfgs is not stochastic"
        )
    return True


class LeanClassifier(ClassifierMixin, _LeanBase):
    """Fully connected network classifier: softmax output for several classes, sigmoid for
    two classes and per label for multilabel ``y`` (a 2-D 0/1 indicator matrix).

    Parameters mirror `sklearn.neural_network.MLPClassifier` where they exist
    (``hidden_layer_sizes``, ``activation``, ``learning_rate`` schedules with
    ``learning_rate_init``, ``power_t``, ``momentum``, ``nesterovs_momentum``,
    ``beta_1``, ``beta_2``, ``epsilon``, ``batch_size``, ``max_iter``, ``shuffle``,
    ``early_stopping``, ``validation_fraction``, ``n_iter_no_change``, ``tol``,
    ``max_fun``, ``random_state``, ``warm_start``, ``verbose``), with leannet's
    regularisation instead of ``alpha``: ``l1``/``l2`` coupled penalties on the
    weights (``l2 = alpha / (2 * batch_size)``, see `l2_from_alpha`),
    decoupled ``weight_decay`` in the optimizer, ``dropout`` after every hidden layer,
    ``max_norm`` on every weight column and Gaussian input ``noise``.

    ``optimizer`` is scikit-learn's ``solver`` ("adam", "sgd", "lbfgs") plus "adamw",
    "rmsprop" and "adagrad". ``learning_rate`` is either the step size (a number) or
    scikit-learn's schedule name ("constant", "invscaling", "adaptive"; sgd only) with
    the step size in ``learning_rate_init``. ``dtype=None`` trains in the input's
    dtype (float32 stays float32, float64 stays float64).

    ``fit``/``partial_fit`` take ``sample_weight``; ``X`` may be a SciPy CSR/CSC matrix.

    Fitted attributes (as scikit-learn's MLP):
        classes_, n_features_in_, feature_names_in_, n_outputs_, n_layers_,
        out_activation_, loss_, loss_curve_, best_loss_ (None with early stopping),
        validation_scores_, best_validation_score_, n_iter_ (epochs of the last fit),
        t_, learning_rate_, coefs_, intercepts_, network_ (the [`leannet.Sequential`][leannet.network.Sequential]).
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_label = True
        return tags

    # ----------------------------------------------------------- the encoding
    @property
    def _multilabel(self) -> bool:
        return self._target_type == "multilabel-indicator"

    def _loss_name(self) -> str:
        if self.out_activation_ == "softmax":
            return "categorical_cross_entropy"
        return "binary_cross_entropy"

    def _sk_loss(self) -> str:
        return "binary_log_loss" if self._multilabel else "log_loss"

    def _stratify_by(self, y_enc):
        """Labels to stratify the validation split by: scikit-learn stratifies binary
        targets only (its multiclass targets are one-hot, so they are split at random)."""
        if self._multilabel or len(self.classes_) != 2:
            return None
        return self.classes_[y_enc[:, 0].astype(np.intp)]

    def _prepare(self, X, y, *, reset: bool, classes=None, incremental=False):
        """Validate; return (X, targets: class indices for softmax, 0/1 floats for sigmoid)."""
        X, y = validate_X(self, X, reset=reset, y=y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        target_type = type_of_target(y)
        if reset:
            self._set_classes(y, target_type, classes, incremental)
        else:
            self._check_classes(y, target_type, classes, incremental)
        if self._multilabel:
            return X, np.asarray(y, dtype=np.float64)
        y_idx = np.searchsorted(self.classes_, y)
        if self.out_activation_ == "softmax":
            return X, y_idx.astype(np.intp)
        return X, y_idx.reshape(-1, 1).astype(np.float64)

    def _set_classes(self, y, target_type, classes, incremental) -> None:
        if incremental and classes is None:
            raise ConfigError(
                "partial_fit needs classes= on its first call (all labels that can occur), "
                "e.g. clf.partial_fit(X, y, classes=np.unique(y_all))"
            )
        self._target_type = (
            "multilabel-indicator" if target_type == "multilabel-indicator" else "multiclass"
        )
        if self._multilabel:
            self.classes_ = np.arange(y.shape[1])
            self.n_outputs_ = y.shape[1]
            self.out_activation_ = "logistic"
            return
        self.classes_ = np.unique(np.asarray(classes if incremental else y))
        if incremental and np.setdiff1d(unique_labels(y), self.classes_).size:
            raise DataError(
                f"y has labels {np.setdiff1d(unique_labels(y), self.classes_)!r} that are not "
                f"in classes={self.classes_!r}; pass every label that can occur"
            )
        n_classes = len(self.classes_)
        self.n_outputs_ = 1 if n_classes <= 2 else n_classes
        self.out_activation_ = "logistic" if n_classes <= 2 else "softmax"

    def _check_classes(self, y, target_type, classes, incremental) -> None:
        """Later calls: scikit-learn's refusals for changed or unknown classes."""
        is_multilabel = target_type == "multilabel-indicator"
        if is_multilabel != self._multilabel or (is_multilabel and y.shape[1] != self.n_outputs_):
            raise DataError(
                f"y is {target_type} with {y.shape[1] if y.ndim == 2 else 1} column(s) but "
                f"the network was fitted on {self._target_type} targets with "
                f"{len(self.classes_)} classes; fit from scratch (warm_start=False)"
            )
        if (
            incremental
            and classes is not None
            and not np.array_equal(np.unique(np.asarray(classes)), self.classes_)
        ):
            raise ConfigError(
                f"`classes={list(classes)!r}` is not the same as on the first call to "
                f"partial_fit, was: {self.classes_!r}"
            )
        if is_multilabel:
            return
        labels = unique_labels(y)
        if not incremental and self.warm_start:
            if set(labels) != set(self.classes_):
                raise DataError(
                    "warm_start can only be used where `y` has the same classes as in the "
                    f"previous call to fit. Previously got {self.classes_}, `y` has {labels}"
                )
        unknown = np.setdiff1d(labels, self.classes_)
        if unknown.size:
            raise DataError(
                f"y contains labels not seen in the first fit: {unknown[:5]!r}; known "
                f"classes are {self.classes_!r} (pass them all as classes= to partial_fit)"
            )

    # ----------------------------------------------------------------- scores
    def _decode(self, out: np.ndarray) -> np.ndarray:
        """Network outputs -> labels (indicator rows for multilabel)."""
        if self._multilabel:
            return (out > 0.5).astype(np.int64)
        if out.shape[1] == 1:
            idx = (out[:, 0] > 0.5).astype(np.intp)
            return self.classes_[np.minimum(idx, len(self.classes_) - 1)]
        return self.classes_[np.argmax(out, axis=1)]

    def _validation_score(self, network, X, y_enc, sample_weight) -> float:
        out = network.predict(X)
        if not np.isfinite(out).all():
            return float("nan")
        if self._multilabel:
            truth = y_enc.astype(np.int64)
        elif y_enc.ndim == 2:
            truth = self.classes_[y_enc[:, 0].astype(np.intp)]
        else:
            truth = self.classes_[y_enc]
        return float(accuracy_score(truth, self._decode(out), sample_weight=sample_weight))

    # ------------------------------------------------------------- public API
    def fit(self, X, y, sample_weight=None):
        """Train for up to ``max_iter`` epochs (continuing the network when ``warm_start``).

        Args:
            X: array-like or SciPy CSR/CSC matrix, shape ``(n_samples, n_features)``.
            y: labels ``(n_samples,)`` or a 0/1 indicator matrix ``(n_samples, n_labels)``.
            sample_weight: per-sample weights (the loss is their weighted mean).
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    @available_if(_stochastic)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``(X, y)``, keeping the network and the optimizer state.

        ``classes`` (all labels that can occur) is required on the first call.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True, classes=classes)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape ``(n_samples, n_classes)`` (rows sum to 1 except
        for multilabel, where each column is one label's probability)."""
        out = self._forward(X)
        if self._multilabel:
            # A logit past ~37 (float64) rounds the sigmoid to exactly 1.0, past ~745 to
            # 0.0; the probability is strictly inside (0, 1), so return the nearest
            # representable value there (scikit-learn's multilabel contract).
            one = out.dtype.type(1)
            return np.clip(out, np.finfo(out.dtype).tiny, np.nextafter(one, out.dtype.type(0)))
        if len(self.classes_) == 1:
            return np.ones((out.shape[0], 1), dtype=out.dtype)
        if out.shape[1] == 1:
            p = np.clip(out[:, 0], 0.0, 1.0)
            return np.column_stack([1.0 - p, p])
        return out / out.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X) -> np.ndarray:
        """Logarithm of [`predict_proba`][leannet.sklearn.LeanClassifier.predict_proba]."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """Most probable class for each sample (indicator rows for multilabel)."""
        return self._decode(self._forward(X))
