r"""scikit-learn estimators backed by a leannet network.

``LeanClassifier`` and ``LeanRegressor`` follow scikit-learn's conventions
(``__init__`` only stores hyperparameters, fitted attributes end in ``_``), so
they work in :class:`~sklearn.pipeline.Pipeline`, :class:`~sklearn.model_selection.GridSearchCV`,
:func:`~sklearn.model_selection.cross_val_score` and with :func:`~sklearn.base.clone`.

Penalties use leannet's convention (see :mod:`leannet.regularizers`): the loss
minimised on a batch of ``B`` samples is

.. math:: J = \frac{1}{B}\sum_i \ell_i + l_1 \sum |w| + l_2 \sum w^2 ,

whereas scikit-learn's ``MLPClassifier(alpha=...)`` adds :math:`\frac{\alpha}{2B}\sum w^2`.
The same penalty is therefore ``l2 = alpha / (2 * batch_size)``; :func:`l2_from_alpha`
and :func:`alpha_from_l2` convert.

Example::

    from leannet.sklearn import LeanClassifier
    clf = LeanClassifier(hidden_layer_sizes=(64,), l2=1e-4, random_state=0).fit(X, y)
    clf.predict_proba(X[:3])
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import accuracy_score, r2_score
    from sklearn.model_selection import train_test_split
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import check_is_fitted
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"leannet.sklearn needs scikit-learn ({exc}); install it with: pip install 'leannet[sklearn]'"
    ) from exc

from . import regularizers
from ._validation import check_fraction, check_nonnegative, check_positive, check_positive_int
from .builder import build_mlp, build_optimizer
from .callbacks import Callback
from .errors import ConfigError, DataError

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _sk_validate_data
except ImportError:  # pragma: no cover - older scikit-learn

    def _sk_validate_data(est, X="no_validation", y="no_validation", reset=True, **kw):
        return est._validate_data(X, y, reset=reset, **kw)


__all__ = ["LeanClassifier", "LeanRegressor", "l2_from_alpha", "alpha_from_l2"]

_ACTIVATIONS = ("relu", "tanh", "logistic", "sigmoid", "identity", "leaky_relu")
_OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop", "adagrad")


def l2_from_alpha(alpha: float, batch_size: int) -> float:
    r"""leannet ``l2`` equal to scikit-learn's MLP ``alpha`` at batch size ``B``: :math:`\alpha/(2B)`."""
    return check_nonnegative(alpha, "alpha") / (2.0 * check_positive_int(batch_size, "batch_size"))


def alpha_from_l2(l2: float, batch_size: int) -> float:
    r"""scikit-learn ``alpha`` equal to leannet's ``l2`` at batch size ``B``: :math:`2 B\, l_2`."""
    return 2.0 * check_positive_int(batch_size, "batch_size") * check_nonnegative(l2, "l2")


def _check_choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value.lower()


def _check_hidden(value) -> tuple[int, ...]:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    try:
        sizes = tuple(value)
    except TypeError:
        raise ConfigError(
            f"hidden_layer_sizes must be a tuple of layer widths such as (100,) or (64, 32), got {value!r}"
        ) from None
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ConfigError(
                f"hidden_layer_sizes must hold whole numbers >= 1, got {value!r}; use () for no hidden layer"
            )
    return tuple(int(s) for s in sizes)


class _LeanBase(BaseEstimator):
    """Hyperparameters, network construction and the training loop shared by both estimators."""

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        l1=0.0,
        l2=0.0,
        l1_proximal=False,
        weight_decay=0.0,
        dropout=0.0,
        max_norm=None,
        noise=0.0,
        optimizer="adam",
        learning_rate=1e-3,
        batch_size="auto",
        max_iter=200,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        random_state=None,
        warm_start=False,
        verbose=0,
        dtype="float32",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.l1 = l1
        self.l2 = l2
        self.l1_proximal = l1_proximal
        self.weight_decay = weight_decay
        self.dropout = dropout
        self.max_norm = max_norm
        self.noise = noise
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.dtype = dtype

    # ------------------------------------------------------------------ checks
    def _validated_params(self) -> dict:
        """Check every hyperparameter once (the declared table); return normalised values."""
        p = {
            "hidden_layer_sizes": _check_hidden(self.hidden_layer_sizes),
            "activation": _check_choice(self.activation, "activation", _ACTIVATIONS),
            "l1": check_nonnegative(self.l1, "l1"),
            "l2": check_nonnegative(self.l2, "l2"),
            "weight_decay": check_nonnegative(self.weight_decay, "weight_decay"),
            "dropout": check_fraction(self.dropout, "dropout"),
            "max_norm": None
            if self.max_norm is None
            else check_positive(self.max_norm, "max_norm"),
            "noise": check_nonnegative(self.noise, "noise"),
            "optimizer": _check_choice(self.optimizer, "optimizer", _OPTIMIZERS),
            "learning_rate": check_positive(self.learning_rate, "learning_rate"),
            "max_iter": check_positive_int(self.max_iter, "max_iter"),
            "validation_fraction": check_fraction(
                self.validation_fraction, "validation_fraction", inclusive_zero=False
            ),
            "n_iter_no_change": check_positive_int(self.n_iter_no_change, "n_iter_no_change"),
            "tol": check_nonnegative(self.tol, "tol"),
        }
        if not (isinstance(self.batch_size, str) and self.batch_size == "auto"):
            check_positive_int(self.batch_size, "batch_size")
        if not isinstance(self.l1_proximal, (bool, np.bool_)):
            raise ConfigError(f"l1_proximal must be True or False, got {self.l1_proximal!r}")
        if self.dtype not in ("float32", "float64", np.float32, np.float64):
            raise ConfigError(f"dtype must be 'float32' or 'float64', got {self.dtype!r}")
        if self.random_state is not None and not isinstance(
            self.random_state, (numbers.Integral, np.random.RandomState)
        ):
            raise ConfigError(
                f"random_state must be None, an int or a numpy RandomState, got {self.random_state!r}"
            )
        return p

    def _batch(self, n_samples: int) -> int:
        # scikit-learn's rule: "auto" is min(200, n_samples).
        if isinstance(self.batch_size, str):
            return min(200, n_samples)
        return min(int(self.batch_size), n_samples)

    def _base_seed(self) -> int:
        rs = self.random_state
        if rs is None:
            return int(np.random.default_rng().integers(2**31 - 1))
        if isinstance(rs, np.random.RandomState):
            return int(rs.randint(2**31 - 1))
        return int(rs) % (2**31 - 1)

    # ----------------------------------------------------------------- network
    def _build_network(self, p: dict, n_in: int, n_out: int, output: str, seed: int):
        # ``output`` follows from the loss: build_mlp picks the output layer from it
        return build_mlp(
            n_in,
            p["hidden_layer_sizes"],
            n_out,
            loss=self._loss_name(),
            activation=p["activation"],
            l1=p["l1"],
            l2=p["l2"],
            proximal=bool(self.l1_proximal),
            dropout=p["dropout"],
            input_noise=p["noise"],
            max_norm=p["max_norm"],
            seed=seed,
            dtype=str(np.dtype(self.dtype)),
        )

    def _regularizer(self, p: dict):
        """The coupled penalty of every Dense layer's weights (None without l1 and l2)."""
        return regularizers.from_strengths(p["l1"], p["l2"], proximal=bool(self.l1_proximal))

    def _make_optimizer(self, p: dict):
        return build_optimizer(
            p["optimizer"], lr=p["learning_rate"], weight_decay=p["weight_decay"]
        )

    def _export_weights(self) -> None:
        """Copy weights into ``coefs_``/``intercepts_`` (scikit-learn's MLP layout)."""
        dense = [layer for layer in self.network_.layers if hasattr(layer, "W")]
        self.coefs_ = [np.array(layer.W, copy=True) for layer in dense]
        self.intercepts_ = [np.array(layer.b, copy=True) for layer in dense]

    # ---------------------------------------------------------------- training
    def _prepare(self, X, y, *, reset: bool, classes=None, incremental=False):
        """Validate X and y; return (X as network dtype, encoded targets)."""
        raise NotImplementedError

    def _score_raw(self, X, y_enc, network=None) -> float:
        """Accuracy or R² of ``network`` (default ``network_``) on encoded targets."""
        raise NotImplementedError

    def _fit(self, X, y, *, incremental: bool, classes=None):
        p = self._validated_params()
        first = not (hasattr(self, "network_") and (incremental or self.warm_start))
        X, y_enc = self._prepare(X, y, reset=first, classes=classes, incremental=incremental)
        n = X.shape[0]
        if first:
            self._seed = self._base_seed()
            self.network_ = self._build_network(
                p, X.shape[1], self._n_outputs(), self._output_activation(), self._seed
            )
            self._optimizer = self._make_optimizer(p)
            self._built_with = {
                k: p[k] for k in ("hidden_layer_sizes", "activation", "dropout", "noise")
            }
            self._calls = 0
            self.n_iter_ = 0
            self.t_ = 0
            self.loss_curve_ = []
            self.validation_scores_ = [] if (self.early_stopping and not incremental) else None
            self.best_loss_ = np.inf
            self.best_validation_score_ = None if self.validation_scores_ is None else -np.inf
        else:
            # Penalties may change between warm-started fits (regularisation paths).
            self._update_network_params(p)
        # A different shuffle order per call, still fixed by random_state.
        seed = (self._seed + 7919 * (self._calls + 1)) % (2**31 - 1)
        self._calls += 1

        if incremental:
            history = self.network_.fit(
                X,
                y_enc,
                loss=self._loss_name(),
                optimizer=self._optimizer,
                epochs=1,
                batch_size=self._batch(n),
                seed=seed,
                verbose=int(self.verbose),
            )
            self._record(history, n)
            self._export_weights()
            self._raise_if_interrupted(history)
            return self

        X_val = y_val = None
        if self.early_stopping:
            X, X_val, y_enc, y_val = self._split_validation(X, y_enc, p, seed)
            n = X.shape[0]
        if self.validation_scores_ is None and self.early_stopping:
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
        stopper = _SklearnStopping(self, p, X_val, y_val)
        stopper.n_samples = n
        history = self.network_.fit(
            X,
            y_enc,
            loss=self._loss_name(),
            optimizer=self._optimizer,
            epochs=p["max_iter"],
            batch_size=self._batch(n),
            seed=seed,
            callbacks=[stopper],
            verbose=int(self.verbose),
        )
        if stopper.best_params is not None:
            # Early stopping keeps the weights of the best validation score.
            self.network_.params[...] = stopper.best_params
        self._export_weights()
        self._raise_if_interrupted(history)
        if not stopper.converged:
            warnings.warn(
                f"{type(self).__name__} reached max_iter={p['max_iter']} epochs without "
                "converging; raise max_iter or tol",
                ConvergenceWarning,
                stacklevel=3,
            )
        return self

    def _raise_if_interrupted(self, history) -> None:
        """Ctrl-C: the engine stops at a batch boundary; an estimator must not then
        look fitted as if training had finished (a sweep would record it)."""
        if getattr(history, "interrupted", False):
            raise KeyboardInterrupt(
                f"training interrupted after {self.n_iter_} epochs; the estimator keeps "
                "the weights reached so far"
            )

    def _split_validation(self, X, y_enc, p, seed):
        n_val = int(np.ceil(p["validation_fraction"] * X.shape[0]))
        if n_val < 1 or X.shape[0] - n_val < 1:
            raise DataError(
                f"early_stopping needs at least 2 samples to hold out validation_fraction="
                f"{p['validation_fraction']}; got {X.shape[0]}; pass more data or early_stopping=False"
            )
        stratify = y_enc if self._is_classifier_enc() else None
        if stratify is not None:
            counts = np.bincount(np.asarray(stratify).reshape(-1).astype(np.int64))
            if counts[counts > 0].min() < 2 or n_val < counts.size:
                stratify = None
        X_tr, X_val, y_tr, y_val = train_test_split(
            X, y_enc, test_size=n_val, random_state=seed, stratify=stratify
        )
        return X_tr, X_val, y_tr, y_val

    def _update_network_params(self, p: dict) -> None:
        """Apply new penalty strengths to the existing network (warm starts, paths).

        The architecture stays: a changed ``hidden_layer_sizes`` or ``activation``,
        or dropout/noise on a network built without those layers, needs a fresh fit.
        """
        import leannet as ln

        built = self._built_with
        for name in ("hidden_layer_sizes", "activation"):
            if p[name] != built[name]:
                raise ConfigError(
                    f"warm_start cannot change {name} ({built[name]!r} -> {p[name]!r}); "
                    "set warm_start=False to build a new network"
                )
        for name in ("dropout", "noise"):
            if p[name] and not built[name]:
                raise ConfigError(
                    f"warm_start cannot add {name}={p[name]} to a network built without it; "
                    f"fit from scratch (warm_start=False) or start from the largest {name}"
                )
        reg = self._regularizer(p)
        for layer in self.network_.layers:
            if isinstance(layer, ln.Dense):
                layer.weight_regularizer = reg
                layer.max_norm = p["max_norm"]
            elif isinstance(layer, ln.Dropout):
                layer.rate = p["dropout"]
            elif isinstance(layer, ln.GaussianNoise):
                layer.stddev = p["noise"]
        self._optimizer.weight_decay = p["weight_decay"]

    def _record(self, history, n_samples: int) -> None:
        losses = [float(v) for v in history.history.get("loss", [])]
        self.loss_curve_.extend(losses)
        self.n_iter_ += len(losses)
        self.t_ += len(losses) * n_samples
        if losses:
            self.best_loss_ = min(self.best_loss_, min(losses))
        self.loss_ = losses[-1] if losses else self.loss_curve_[-1]

    # ------------------------------------------------------------- prediction
    def _forward(self, X) -> np.ndarray:
        check_is_fitted(self, "network_")
        X = _sk_validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        X = np.ascontiguousarray(X, dtype=np.float64)
        return self._predict_network().predict(X)

    def _predict_network(self):
        """The network in float64 for prediction (a fresh copy when it trains in float32).

        In float32 the result for one row would depend on which other rows share
        its matrix product (BLAS blocks the sums differently); in float64 those
        differences stay near 1e-16, so predictions do not depend on the batch.
        The copy is not kept: ``predict`` changes nothing on the estimator.
        """
        net = self.network_
        return net if net.dtype == np.float64 else net.copy(dtype="float64")

    # ------------------------------------------------------ pickling / copies
    def __getstate__(self):
        # The network keeps its weights in one flat buffer with per-layer views;
        # pickling would split views from the buffer, so store config + params.
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__
        state = dict(state)
        net = state.pop("network_", None)
        if net is not None:
            state["_network_state"] = (net.get_config(), np.array(net.params, copy=True))
        opt = state.pop("_optimizer", None)
        if opt is not None:
            state["_optimizer_state"] = (opt.get_config(), opt.state_dict())
        return state

    def __setstate__(self, state):
        state = dict(state)
        net_state = state.pop("_network_state", None)
        opt_state = state.pop("_optimizer_state", None)
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:  # pragma: no cover
            self.__dict__.update(state)
        if net_state is not None:
            import leannet as ln

            config, params = net_state
            net = ln.Sequential.from_config(config)
            net.params[...] = params
            self.network_ = net
        if opt_state is not None:
            import leannet as ln

            config, sd = opt_state
            opt = ln.optimizers.get(config)
            if sd.get("t"):  # an optimizer that never stepped has no moments yet
                opt.load_state_dict(sd)
            self._optimizer = opt


class _SklearnStopping(Callback):
    """scikit-learn's MLP stopping rule as a leannet callback.

    Without early stopping: stop when the training loss has not fallen below
    ``best_loss_ - tol`` for more than ``n_iter_no_change`` epochs. With it: the
    same on the validation score (rising above ``best + tol``), keeping a copy of
    the best weights, which the estimator restores at the end.
    """

    def __init__(self, est: _LeanBase, p: dict, X_val, y_val):
        self.est, self.p = est, p
        self.X_val, self.y_val = X_val, y_val
        self.no_improvement = 0
        self.best_params = None
        self.converged = False
        self.n_samples = 0  # training rows, set by the estimator

    def on_epoch_end(self, trainer, epoch, logs) -> None:
        est, tol = self.est, self.p["tol"]
        loss = float(logs["loss"])
        est.loss_curve_.append(loss)
        est.n_iter_ += 1
        est.t_ += self.n_samples
        est.loss_ = loss
        if self.X_val is not None:
            score = est._score_raw(self.X_val, self.y_val, network=trainer.network)
            est.validation_scores_.append(score)
            improved = score >= est.best_validation_score_ + tol
            if score > est.best_validation_score_:
                est.best_validation_score_ = score
                self.best_params = np.array(trainer.network.params, copy=True)
        else:
            improved = loss <= est.best_loss_ - tol
        est.best_loss_ = min(est.best_loss_, loss)
        self.no_improvement = 0 if improved else self.no_improvement + 1
        if self.no_improvement > self.p["n_iter_no_change"]:
            self.converged = True
            trainer.stop_training = True


class LeanClassifier(ClassifierMixin, _LeanBase):
    """Fully connected network classifier (softmax output, or sigmoid for two classes).

    Parameters mirror :class:`sklearn.neural_network.MLPClassifier` where they
    exist, with leannet's regularisation: ``l1``/``l2`` coupled penalties on the
    weights (``l2 = alpha / (2 * batch_size)``), decoupled ``weight_decay`` in the
    optimizer, ``dropout`` after every hidden layer, ``max_norm`` on every
    weight column, Gaussian input ``noise`` of this standard deviation.

    Attributes:
        classes_, n_features_in_, feature_names_in_, loss_curve_,
        validation_scores_, best_validation_score_, best_loss_, n_iter_,
        coefs_, intercepts_, network_ (the :class:`leannet.Sequential`).
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags

    def _n_outputs(self) -> int:
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    def _output_activation(self) -> str:
        return "sigmoid" if len(self.classes_) == 2 else "softmax"

    def _loss_name(self) -> str:
        return "binary_cross_entropy" if len(self.classes_) == 2 else "categorical_cross_entropy"

    def _is_classifier_enc(self) -> bool:
        return True

    def _prepare(self, X, y, *, reset: bool, classes=None, incremental=False):
        X, y = _sk_validate_data(self, X, y, reset=reset, dtype=(np.float64, np.float32))
        check_classification_targets(y)
        y = np.asarray(y)
        if reset:
            if classes is not None:
                self.classes_ = np.unique(np.asarray(classes))
            elif incremental:
                raise ConfigError(
                    "partial_fit needs classes= on its first call (all labels that can occur), "
                    "e.g. clf.partial_fit(X, y, classes=np.unique(y_all))"
                )
            else:
                self.classes_ = np.unique(y)
            if len(self.classes_) < 2:
                raise DataError(
                    f"y has only one class ({self.classes_[0]!r}); a classifier needs at least 2 "
                    "classes in the training data"
                )
        unknown = ~np.isin(y, self.classes_)
        if unknown.any():
            raise DataError(
                f"y contains labels not seen in the first fit: {np.unique(y[unknown])[:5]!r}; "
                f"known classes are {self.classes_!r} (pass them all as classes= to partial_fit)"
            )
        y_idx = np.searchsorted(self.classes_, y)
        X = np.ascontiguousarray(X, dtype=np.dtype(self.dtype))
        if len(self.classes_) == 2:
            return X, y_idx.reshape(-1, 1).astype(X.dtype)
        return X, y_idx.astype(np.int64)

    def _score_raw(self, X, y_enc, network=None) -> float:
        out = (network or self.network_).predict(X)
        pred = (out[:, 0] > 0.5).astype(np.int64) if out.shape[1] == 1 else out.argmax(axis=1)
        return float(accuracy_score(np.asarray(y_enc).reshape(-1).astype(np.int64), pred))

    def fit(self, X, y):
        """Train for up to ``max_iter`` epochs (continuing the network when ``warm_start``)."""
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y, classes=None):
        """One epoch over ``(X, y)``, keeping the network and the optimizer state.

        ``classes`` (all labels that can occur) is required on the first call.
        """
        return self._fit(X, y, incremental=True, classes=classes)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape ``(n_samples, n_classes)``, rows summing to 1."""
        out = self._forward(X)
        if out.shape[1] == 1:
            p = np.clip(out[:, 0], 0.0, 1.0)
            return np.column_stack([1.0 - p, p])
        out = np.clip(out, 0.0, None)
        return out / out.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """Most probable class label for each sample."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class LeanRegressor(RegressorMixin, _LeanBase):
    """Fully connected network regressor (identity output, mean squared error).

    Same hyperparameters and attributes as :class:`LeanClassifier` (no
    ``classes_``); multi-output targets of shape ``(n_samples, n_outputs)`` work.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.non_deterministic = False
        return tags

    def _n_outputs(self) -> int:
        return self.n_outputs_

    def _output_activation(self) -> str:
        return "identity"

    def _loss_name(self) -> str:
        return "mse"

    def _is_classifier_enc(self) -> bool:
        return False

    def _prepare(self, X, y, *, reset: bool, classes=None, incremental=False):
        X, y = _sk_validate_data(
            self,
            X,
            y,
            reset=reset,
            dtype=(np.float64, np.float32),
            multi_output=True,
            y_numeric=True,
        )
        y = np.asarray(y)
        if reset:
            self._y_1d = y.ndim == 1
            self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        y2 = y.reshape(-1, 1) if y.ndim == 1 else y
        if y2.shape[1] != self.n_outputs_:
            raise DataError(
                f"y has {y2.shape[1]} output columns but the network was fitted with {self.n_outputs_}"
            )
        X = np.ascontiguousarray(X, dtype=np.dtype(self.dtype))
        return X, np.ascontiguousarray(y2, dtype=X.dtype)

    def _score_raw(self, X, y_enc, network=None) -> float:
        out = np.asarray((network or self.network_).predict(X), dtype=np.float64)
        return float(r2_score(np.asarray(y_enc, dtype=np.float64), out))

    def fit(self, X, y):
        """Train for up to ``max_iter`` epochs (continuing the network when ``warm_start``)."""
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y):
        """One epoch over ``(X, y)``, keeping the network and the optimizer state."""
        return self._fit(X, y, incremental=True)

    def predict(self, X) -> np.ndarray:
        """Predicted targets, shape ``(n_samples,)`` or ``(n_samples, n_outputs)``."""
        out = self._forward(X)
        return out[:, 0] if self._y_1d else out
