"""What both estimators share: hyperparameters, the network, one fit, predictions, pickling.

A fit, in order (`_LeanBase._fit`):

1. check every hyperparameter (`validated_params`);
2. validate ``X`` (dense or CSR/CSC), ``y`` and ``sample_weight``; encode ``y`` for the
   network's loss (the subclass's ``_prepare``);
3. on a first fit build the network (leannet's builder) and reset the fitted state;
   on a warm start or ``partial_fit`` keep the network and apply changed penalties;
4. run the solver: `fit_stochastic` (the engine's
   training loop with scikit-learn's stopping rule as a callback) or
   `fit_lbfgs` (scipy's L-BFGS-B over the flat parameters);
5. copy the weights into ``coefs_``/``intercepts_``.

If training diverges the estimator is left unfitted and `EstimatorDiverged`
(a ``ValueError``) is raised.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from .. import optimizers, regularizers
from ..errors import TrainingDiverged
from ..layers import Dense, Dropout, GaussianNoise
from ..network import Sequential
from .inputs import as_dtype, validate_X
from .params import gradient_ratio, validated_params

# Private state a fit creates besides the attributes ending in "_".
_PRIVATE_STATE = (
    "_optimizer",
    "_seed",
    "_calls",
    "_built_with",
    "_no_improvement_count",
    "_ratio",
    "_target_type",
    "_fitted_loss",
)


class EstimatorDiverged(TrainingDiverged, ValueError):
    """Training produced non-finite weights; the estimator is left unfitted.

    A ``ValueError`` (what scikit-learn raises) and a
    `leannet.errors.TrainingDiverged` (what leannet's engine raises).
    """


class _LeanBase(BaseEstimator):
    """Hyperparameters, network construction and the fit shared by both estimators."""

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
        learning_rate_init=None,
        power_t=0.5,
        momentum=0.9,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        batch_size="auto",
        max_iter=200,
        shuffle=True,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        max_fun=15000,
        random_state=None,
        warm_start=False,
        verbose=0,
        dtype=None,
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
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.max_fun = max_fun
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.dtype = dtype

    # --------------------------------------------------------------- helpers
    def _validated_params(self) -> dict:
        return validated_params(self)

    def _batch(self, n_samples: int) -> int:
        # scikit-learn's rule: "auto" is min(200, n_samples); larger sizes are clipped.
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

    def _sk_loss(self) -> str:
        """scikit-learn's name of the loss (for `gradient_ratio`)."""
        raise NotImplementedError

    # ---------------------------------------------------------------- network
    def _build_network(self, p: dict, n_in: int, n_out: int, output: str, seed: int, dtype):
        """The network for these hyperparameters, made by leannet's one builder."""
        from ..builder import build_mlp

        return build_mlp(
            n_in,
            p["hidden_layer_sizes"],
            n_out,
            loss=self._loss_name(),
            activation=p["activation"],
            l1=p["l1"],
            l2=p["l2"],
            proximal=p["l1_proximal"],
            dropout=p["dropout"],
            input_noise=p["noise"],
            max_norm=p["max_norm"],
            seed=seed,
            dtype=np.dtype(dtype).name,
        )

    def _make_optimizer(self, p: dict):
        """The engine's optimizer for ``p`` (``None`` for lbfgs, which uses scipy)."""
        from ..builder import build_optimizer

        name = p["optimizer"]
        if name == "lbfgs":
            return None
        options = {"weight_decay": p["weight_decay"]}
        if name == "sgd":
            options.update(
                momentum=p["momentum"], nesterov=p["nesterovs_momentum"] and bool(p["momentum"])
            )
        elif name in ("adam", "adamw"):
            options.update(beta1=p["beta_1"], beta2=p["beta_2"], eps=p["epsilon"])
        return build_optimizer(name, lr=self._engine_lr(p, p["learning_rate"]), **options)

    def _engine_lr(self, p: dict, lr: float) -> float:
        """The engine's step size for scikit-learn's ``lr``.

        Only plain gradient steps depend on the scale of the gradient: with
        ``optimizer="sgd"`` the step is multiplied by scikit-learn's gradient over
        leannet's (`gradient_ratio`), so a learning rate
        means the same step in both (Adam, RMSprop and Adagrad are scale-free).
        """
        if p["optimizer"] == "sgd":
            return lr * self._ratio
        return lr

    def _update_network_params(self, p: dict) -> None:
        """Apply new penalty strengths to the existing network (warm starts, paths).

        The architecture stays: a changed ``hidden_layer_sizes`` or ``activation``,
        or dropout/noise on a network built without those layers, needs a fresh fit.
        """
        from ..errors import ConfigError

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
        reg = regularizers.from_strengths(p["l1"], p["l2"], proximal=p["l1_proximal"])
        for layer in self.network_.layers:
            if isinstance(layer, Dense):
                layer.weight_regularizer = reg
                layer.max_norm = p["max_norm"]
            elif isinstance(layer, Dropout):
                layer.rate = p["dropout"]
            elif isinstance(layer, GaussianNoise):
                layer.stddev = p["noise"]

    def _export_weights(self) -> None:
        """Copy weights into ``coefs_``/``intercepts_`` (scikit-learn's MLP layout)."""
        dense = self.network_.dense_layers
        self.coefs_ = [np.array(layer.W, copy=True) for layer in dense]
        self.intercepts_ = [np.array(layer.b, copy=True) for layer in dense]

    # --------------------------------------------------------------------- fit
    def _fit(self, X, y, *, sample_weight=None, incremental: bool, classes=None):
        from ..errors import ConfigError

        p = self._validated_params()
        if incremental and p["early_stopping"]:
            raise ConfigError(
                "partial_fit does not support early_stopping=True (it trains one pass with "
                "no held-out data); set early_stopping=False"
            )
        fitted = hasattr(self, "network_")
        first = not fitted or not (incremental or p["warm_start"])
        X, y_enc = self._prepare(X, y, reset=first, classes=classes, incremental=incremental)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        dtype = self._train_dtype(X) if first else self.network_.dtype
        X = as_dtype(X, dtype)
        if not np.issubdtype(y_enc.dtype, np.integer):
            y_enc = y_enc.astype(dtype, copy=False)
        self._ratio = gradient_ratio(self._sk_loss(), self.n_outputs_)
        if first:
            self._start(p, X.shape[1], dtype)
            self._init_output_bias(y_enc, sample_weight)
        else:
            self._update_network_params(p)
        if not incremental or not hasattr(self, "_optimizer"):
            # scikit-learn starts the optimizer afresh on every fit and keeps it
            # across partial_fit calls.
            self._optimizer = self._make_optimizer(p)
            self.learning_rate_ = p["learning_rate"]
        self._calls += 1
        try:
            if p["optimizer"] == "lbfgs":
                from .lbfgs import fit_lbfgs

                fit_lbfgs(self, p, X, y_enc, sample_weight)
            else:
                from .stochastic import fit_stochastic

                fit_stochastic(self, p, X, y_enc, sample_weight, incremental=incremental)
            self._export_weights()
            if not all(np.isfinite(w).all() for w in (*self.coefs_, *self.intercepts_)):
                raise TrainingDiverged("the weights became NaN or infinite", epoch=self.n_iter_)
        except TrainingDiverged as exc:
            self._forget_fit()
            epoch = int(getattr(exc, "epoch", 0) or 0)
            lbfgs = p["optimizer"] == "lbfgs"
            where = "L-BFGS iteration" if lbfgs else "epoch"
            advice = "" if lbfgs else " or lower learning_rate"
            raise EstimatorDiverged(
                "Solver produced non-finite parameter weights. The input data may contain "
                f"large values and need to be preprocessed. Training diverged in {where} "
                f"{epoch}; the estimator is left unfitted. Scale the features (e.g. "
                f"StandardScaler){advice}.",
                epoch=epoch,
                history=getattr(exc, "history", None),
            ) from None
        return self

    def _train_dtype(self, X):
        return X.dtype if self.dtype is None else np.dtype(self.dtype)

    def _start(self, p: dict, n_features: int, dtype) -> None:
        """Build the network and reset every fitted attribute (a first fit)."""
        self._seed = self._base_seed()
        self.network_ = self._build_network(
            p, n_features, self.n_outputs_, self.out_activation_, self._seed, dtype
        )
        self._built_with = {
            k: p[k] for k in ("hidden_layer_sizes", "activation", "dropout", "noise")
        }
        self._calls = 0
        self.n_layers_ = len(p["hidden_layer_sizes"]) + 2
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self._no_improvement_count = 0
        if p["early_stopping"]:
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
            self.best_loss_ = None
        else:
            self.validation_scores_ = None
            self.best_validation_score_ = None
            self.best_loss_ = np.inf

    def _init_output_bias(self, y_enc, sample_weight) -> None:
        """Set the output biases of a new network from the targets (default: keep them)."""

    def _forget_fit(self) -> None:
        """Remove every fitted attribute: a failed fit leaves an unfitted estimator."""
        for name in list(vars(self)):
            if (name.endswith("_") and not name.startswith("__")) or name in _PRIVATE_STATE:
                delattr(self, name)

    # -------------------------------------------------------------- prediction
    def _forward(self, X) -> np.ndarray:
        """Network outputs for ``X``, computed in float64, returned in ``X``'s dtype."""
        check_is_fitted(self, "network_")
        X = validate_X(self, X, reset=False)
        out = self._predict_network().predict(as_dtype(X, np.float64))
        return out.astype(X.dtype, copy=False)

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
        state = dict(super().__getstate__())
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
        super().__setstate__(state)
        if net_state is not None:
            config, params = net_state
            net = Sequential.from_config(config)
            net.params[...] = params
            self.network_ = net
        if opt_state is not None:
            config, sd = opt_state
            opt = optimizers.get(config)
            if sd.get("t"):  # an optimizer that never stepped has no moments yet
                opt.load_state_dict(sd)
            self._optimizer = opt
