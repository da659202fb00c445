"""``LeanRegressor``: scikit-learn's ``MLPRegressor`` interface on a leannet network."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import column_or_1d

from ..errors import ConfigError, DataError
from .base import _LeanBase
from .classifier import _stochastic
from .inputs import validate_X
from .params import check_choice

REGRESSION_LOSSES = ("squared_error", "poisson")


class LeanRegressor(RegressorMixin, _LeanBase):
    """Fully connected network regressor.

    ``loss="squared_error"`` (identity output, leannet's ``mse``) or ``"poisson"``
    (log link: the network outputs $\\log\\mu$ and predictions are
    $\\mu = e^{z}$; targets must be >= 0). Multi-output targets of shape
    ``(n_samples, n_outputs)`` work. The other hyperparameters and attributes are
    [`LeanClassifier`][leannet.sklearn.LeanClassifier]'s (no ``classes_``). scikit-learn's
    ``alpha`` is ``l2 = alpha / (n_outputs * batch_size)`` here
    (`l2_from_alpha` with ``loss="squared_error"``).
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        loss="squared_error",
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
        self.loss = loss
        super().__init__(
            hidden_layer_sizes,
            activation,
            l1=l1,
            l2=l2,
            l1_proximal=l1_proximal,
            weight_decay=weight_decay,
            dropout=dropout,
            max_norm=max_norm,
            noise=noise,
            optimizer=optimizer,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            batch_size=batch_size,
            max_iter=max_iter,
            shuffle=shuffle,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            max_fun=max_fun,
            random_state=random_state,
            warm_start=warm_start,
            verbose=verbose,
            dtype=dtype,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.non_deterministic = False
        tags.input_tags.sparse = True
        # Poisson targets are counts: the checks must not feed negative y
        tags.target_tags.positive_only = self.loss == "poisson"
        return tags

    def _validated_params(self) -> dict:
        p = super()._validated_params()
        p["loss"] = check_choice(self.loss, "loss", REGRESSION_LOSSES)
        return p

    def _sk_loss(self) -> str:
        return self._fitted_loss

    def _loss_name(self) -> str:
        return "poisson" if getattr(self, "_fitted_loss", self.loss) == "poisson" else "mse"

    def _stratify_by(self, y_enc):
        return None

    def _prepare(self, X, y, *, reset: bool, classes=None, incremental=False):
        X, y = validate_X(self, X, reset=reset, y=y, y_numeric=True)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        y2 = y.reshape(-1, 1) if y.ndim == 1 else y
        if reset:
            self._fitted_loss = check_choice(self.loss, "loss", REGRESSION_LOSSES)
            self.n_outputs_ = y2.shape[1]
            self.out_activation_ = "exp" if self._fitted_loss == "poisson" else "identity"
        elif check_choice(self.loss, "loss", REGRESSION_LOSSES) != self._fitted_loss:
            raise ConfigError(
                f"warm_start cannot change loss ({self._fitted_loss!r} -> {self.loss!r}); "
                "set warm_start=False to build a new network"
            )
        elif y2.shape[1] != self.n_outputs_:
            raise DataError(
                f"y has {y2.shape[1]} output columns but the network was fitted with {self.n_outputs_}"
            )
        if self._fitted_loss == "poisson" and np.any(y2 < 0):
            raise DataError(
                f"loss='poisson' needs targets >= 0 (counts or rates); y has values down to "
                f"{float(np.min(y2)):g}; use loss='squared_error' or shift the targets"
            )
        return X, np.ascontiguousarray(y2, dtype=np.float64)

    def _init_output_bias(self, y_enc, sample_weight) -> None:
        r"""Poisson: start each output bias at the log of its target's weighted mean.

        With the exp link the output starts at $\exp(b)$, so $b = \log \bar y$ makes the
        first prediction the mean count (the GLM's intercept-only fit) instead of 1: an
        epoch budget is then spent on the features, not on reaching the scale of ``y``.
        A column whose mean is 0 keeps its drawn bias, as ``squared_error`` keeps all of them.
        """
        if self._fitted_loss != "poisson":
            return
        if sample_weight is not None and not np.sum(sample_weight) > 0:
            return
        mean = np.average(np.asarray(y_enc, dtype=np.float64), axis=0, weights=sample_weight)
        bias = self.network_.dense_layers[-1].b
        bias[...] = np.where(mean > 0, np.log(np.where(mean > 0, mean, 1.0)), bias)

    def _link(self, out: np.ndarray) -> np.ndarray:
        """Network output -> prediction (the inverse link: exp for poisson)."""
        return np.exp(out) if self.out_activation_ == "exp" else out

    def _validation_score(self, network, X, y_enc, sample_weight) -> float:
        out = np.asarray(self._link(network.predict(X)), dtype=np.float64)
        if not np.isfinite(out).all():
            return float("nan")
        return float(r2_score(y_enc, out, sample_weight=sample_weight))

    def fit(self, X, y, sample_weight=None):
        """Train for up to ``max_iter`` epochs (continuing the network when ``warm_start``).

        Args:
            X: array-like or SciPy CSR/CSC matrix, shape ``(n_samples, n_features)``.
            y: targets ``(n_samples,)`` or ``(n_samples, n_outputs)``.
            sample_weight: per-sample weights (the loss is their weighted mean).
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    @available_if(_stochastic)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``(X, y)``, keeping the network and the optimizer state."""
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def predict(self, X) -> np.ndarray:
        """Predicted targets, shape ``(n_samples,)`` or ``(n_samples, n_outputs)``, in X's dtype."""
        out = self._link(self._forward(X))
        return out[:, 0] if out.shape[1] == 1 else out
