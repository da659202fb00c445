"""LeanClassifier: binary, multiclass and multilabel targets as scikit-learn's MLPClassifier."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.datasets import make_multilabel_classification  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from leannet.errors import ConfigError, DataError  # noqa: E402
from leannet.sklearn import LeanClassifier, l2_from_alpha  # noqa: E402


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _targets(kind, rng, n):
    if kind == "binary":
        return rng.integers(0, 2, n)
    if kind == "multiclass":
        return rng.integers(0, 4, n)
    return (rng.random((n, 3)) > 0.5).astype(int)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
def test_one_sgd_step_from_the_same_weights_gives_scikit_learns_weights(kind):
    """The output layer, the loss scale (multilabel: scikit-learn sums over labels) and
    the alpha conversion (loss="binary_log_loss" for multilabel) all agree."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 4))
    y = _targets(kind, rng, 30)
    classes = np.unique(y) if kind != "multilabel" else None
    common = dict(hidden_layer_sizes=(5,), batch_size=30, shuffle=False, momentum=0.9)
    ref = MLPClassifier(solver="sgd", alpha=0.2, learning_rate_init=0.1, **common)
    ref.partial_fit(X, y, classes=classes if classes is not None else [0, 1, 2])
    k = ref.n_outputs_
    loss = "binary_log_loss" if kind == "multilabel" else "log_loss"
    lean = LeanClassifier(optimizer="sgd", l2=l2_from_alpha(0.2, 30, k, loss=loss),
                          learning_rate="constant", learning_rate_init=0.1, dtype="float64",
                          **common)  # fmt: skip
    lean.partial_fit(X, y, classes=classes if classes is not None else [0, 1, 2])
    assert (lean.n_outputs_, lean.out_activation_, lean.n_layers_) == (
        ref.n_outputs_,
        ref.out_activation_,
        ref.n_layers_,
    )
    weights = [rng.normal(size=w.shape) for w in ref.coefs_ + ref.intercepts_]
    ref.coefs_, ref.intercepts_ = [w.copy() for w in weights[:2]], [b.copy() for b in weights[2:]]
    del ref._optimizer
    ref.partial_fit(X, y)
    for layer, W, b in zip(lean.network_.dense_layers, weights[:2], weights[2:]):
        layer.W[...], layer.b[...] = W, b
    lean._optimizer = lean._make_optimizer(lean._validated_params())
    lean.partial_fit(X, y)
    for mine, theirs in zip(lean.coefs_ + lean.intercepts_, ref.coefs_ + ref.intercepts_):
        np.testing.assert_allclose(mine, theirs, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(lean.predict_proba(X), ref.predict_proba(X), rtol=1e-7)
    np.testing.assert_array_equal(lean.predict(X), ref.predict(X))


def test_multilabel_predicts_an_indicator_matrix():
    X, Y = make_multilabel_classification(n_samples=60, n_classes=4, random_state=0)
    est = LeanClassifier(hidden_layer_sizes=(20,), optimizer="lbfgs", random_state=0).fit(X, Y)
    np.testing.assert_array_equal(est.classes_, np.arange(4))
    assert est.predict(X).shape == Y.shape and set(np.unique(est.predict(X))) <= {0, 1}
    assert est.score(X, Y) > 0.9
    with pytest.raises(DataError, match="multilabel"):
        est.set_params(warm_start=True).fit(X, Y[:, 0])


def test_changed_classes_on_a_later_partial_fit_are_refused():
    X = np.arange(8.0).reshape(4, 2)
    est = LeanClassifier(hidden_layer_sizes=(3,)).partial_fit(X, [0, 1, 0, 1], classes=[0, 1])
    with pytest.raises(ConfigError, match="not the same as on the first call"):
        est.partial_fit(X, [0, 1, 0, 1], classes=[0, 1, 2])
    est.partial_fit(X, [0, 1, 0, 1], classes=[1, 0])  # same set, another order: fine


def test_warm_start_on_a_subset_of_the_classes_is_refused():
    X = np.arange(12.0).reshape(6, 2)
    est = LeanClassifier(hidden_layer_sizes=(3,), warm_start=True, max_iter=2)
    est.fit(X, [0, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same"):
        est.fit(X, [0, 1, 0, 1, 0, 1])


def test_float32_input_gives_float32_probabilities():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3)).astype(np.float32)
    est = LeanClassifier(hidden_layer_sizes=(4,), max_iter=3).fit(X, rng.integers(0, 3, 40))
    assert est.network_.dtype == np.float32 and est.coefs_[0].dtype == np.float32
    assert est.predict_proba(X).dtype == np.float32
    assert est.predict_proba(X.astype(np.float64)).dtype == np.float64


def test_multilabel_probabilities_stay_strictly_inside_0_1_when_the_sigmoid_saturates():
    X, Y = make_multilabel_classification(n_samples=40, n_features=4, n_classes=3, random_state=0)
    est = LeanClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, Y)
    est.network_.dense_layers[-1].b[...] = [60.0, -800.0, 0.0]  # sigmoid: 1.0, 0.0, 0.5
    proba = est.predict_proba(X)
    assert proba.min() > 0 and proba.max() < 1
    assert proba[:, 0].min() == np.nextafter(1.0, 0.0)
    np.testing.assert_array_equal(est.predict(X)[:, :2], np.tile([1, 0], (40, 1)))
