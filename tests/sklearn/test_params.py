"""Hyperparameter checks and the alpha <-> l2 conversion."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("sklearn")

from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from leannet.errors import ConfigError  # noqa: E402
from leannet.sklearn import LeanClassifier, LeanRegressor, alpha_from_l2, l2_from_alpha  # noqa: E402
from leannet.sklearn.params import gradient_ratio  # noqa: E402


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(return_X_y=True)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"l2": -1.0}, "l2"),
        ({"dropout": 1.0}, "dropout"),
        ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
        ({"optimizer": "newton"}, "optimizer"),
        ({"max_norm": 0.0}, "max_norm"),
        ({"batch_size": 0}, "batch_size"),
        ({"activation": "swish"}, "activation"),
        ({"n_iter_no_change": 0}, "n_iter_no_change"),
        ({"n_iter_no_change": 2.5}, "n_iter_no_change"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"momentum": 1.5}, "momentum"),
        ({"beta_1": 1.0}, "beta_1"),
        ({"epsilon": 0.0}, "epsilon"),
        ({"max_fun": 0}, "max_fun"),
        ({"learning_rate": "sometimes"}, "learning_rate"),
        ({"learning_rate": "constant", "learning_rate_init": -1.0}, "learning_rate_init"),
        ({"shuffle": "yes"}, "shuffle"),
        ({"dtype": "float16"}, "dtype"),
    ],
)
def test_bad_hyperparameters_name_the_argument(cancer, params, name):
    X, y = cancer
    with pytest.raises(ConfigError, match=name):
        LeanClassifier(**params).fit(X, y)


def test_regressor_loss_is_checked(cancer):
    X, y = cancer
    with pytest.raises(ConfigError, match="loss"):
        LeanRegressor(loss="huber").fit(X, y)


def test_n_iter_no_change_accepts_infinity(cancer):
    X, y = cancer
    with pytest.warns(ConvergenceWarning):
        est = LeanClassifier(n_iter_no_change=np.inf, tol=1e9, max_iter=3).fit(X / X.max(0), y)
    assert est.n_iter_ == 3


@given(
    alpha=st.floats(0, 1e3, allow_nan=False),
    batch=st.integers(1, 10_000),
)
def test_classifier_alpha_l2_conversion_round_trips(alpha, batch):
    l2 = l2_from_alpha(alpha, batch)
    assert l2 == pytest.approx(alpha / (2 * batch))
    assert alpha_from_l2(l2, batch) == pytest.approx(alpha)


def test_l2_matches_scikit_learn_alpha_gradient():
    """leannet's l2 = alpha/(2B) gives scikit-learn's MLP penalty gradient alpha*w/B."""
    import leannet as ln

    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 3))
    alpha, batch = 0.3, 32
    grad = np.zeros_like(w)
    ln.L2(l2_from_alpha(alpha, batch)).add_grad(w, grad)
    np.testing.assert_allclose(grad, alpha * w / batch)


@given(
    alpha=st.floats(0, 1e3, allow_nan=False),
    batch=st.integers(1, 10_000),
    k=st.integers(1, 20),
    loss=st.sampled_from(["log_loss", "binary_log_loss", "squared_error", "poisson"]),
)
def test_every_loss_round_trips(alpha, batch, k, loss):
    assert alpha_from_l2(l2_from_alpha(alpha, batch, k, loss=loss), batch, k, loss=loss) == (
        pytest.approx(alpha)
    )


def test_the_conversion_table():
    """alpha/(2B) classification, alpha/(2KB) multilabel, alpha/(KB) squared error."""
    assert l2_from_alpha(0.6, 10, 3, loss="log_loss") == pytest.approx(0.6 / 20)
    assert l2_from_alpha(0.6, 10, 3, loss="binary_log_loss") == pytest.approx(0.6 / 60)
    assert l2_from_alpha(0.6, 10, 3, loss="squared_error") == pytest.approx(0.6 / 30)
    assert l2_from_alpha(0.6, 10, 3, loss="poisson") == pytest.approx(0.6 / 60)
    assert gradient_ratio("squared_error", 1) == 0.5
    with pytest.raises(ConfigError, match="loss"):
        l2_from_alpha(0.1, 10, loss="hinge")


def test_regressor_l2_gives_scikit_learns_penalty_relative_to_the_data_gradient():
    """leannet's mse gradient is 2(p-y)/(BK); scikit-learn's is (p-y)/B. With
    l2 = alpha/(KB) the penalty gradient keeps the same ratio 2/K to scikit-learn's alpha*w/B."""
    import leannet as ln

    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 3))
    alpha, batch, k = 0.3, 32, 3
    grad = np.zeros_like(w)
    ln.L2(l2_from_alpha(alpha, batch, k, loss="squared_error")).add_grad(w, grad)
    np.testing.assert_allclose(grad, (2 / k) * alpha * w / batch)
