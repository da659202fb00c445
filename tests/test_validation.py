"""Bad input: every mistake gets a leannet error (ValueError/TypeError) that names the argument."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln
from leannet.errors import ConfigError, DataError, LeannetError

CCE = "categorical_cross_entropy"
BCE = "binary_cross_entropy"


def _raises(exc, *names):
    """Context manager: raise ``exc`` (a LeannetError) whose message mentions every name."""
    return _Raises(exc, names)


class _Raises:
    def __init__(self, exc, names):
        self.exc, self.names = exc, names

    def __enter__(self):
        self.ctx = pytest.raises(self.exc)
        self.info = self.ctx.__enter__()
        return self.info

    def __exit__(self, *args):
        suppressed = self.ctx.__exit__(*args)
        if not suppressed:
            return False
        err = self.info.value
        assert isinstance(err, LeannetError), f"{type(err).__name__} is not a leannet error: {err}"
        assert isinstance(err, (ValueError, TypeError))
        for name in self.names:
            assert name in str(err), f"message does not name {name!r}: {err}"
        return suppressed


def _clf():
    return ln.Sequential([ln.Dense(3, 4), ln.ReLU(), ln.Dense(4, 3), ln.Softmax()], seed=0)


def _reg():
    return ln.Sequential([ln.Dense(3, 4), ln.Tanh(), ln.Dense(4, 2)], seed=0)


def _bin():
    return ln.Sequential([ln.Dense(3, 1), ln.Sigmoid()], seed=0)


RNG = np.random.default_rng(0)
X = RNG.normal(size=(10, 3))
Y_CLF = RNG.integers(0, 3, size=10)
Y_REG = RNG.normal(size=(10, 2))
Y_BIN = (RNG.uniform(size=(10, 1)) > 0.5).astype(float)


# ---------------------------------------------------------------- data


@pytest.mark.parametrize("method", ["fit", "evaluate"])
def test_rows_of_x_and_y_differ(method):
    with _raises(DataError, "X", "y"):
        getattr(_reg(), method)(X, Y_REG[:9], loss="mse")


def test_y_columns_do_not_match_the_output_layer():
    with _raises(DataError, "y"):
        _reg().fit(X, RNG.normal(size=(10, 3)), loss="mse")


def test_x_columns_do_not_match_the_input_layer():
    with _raises(DataError, "X"):
        _reg().fit(RNG.normal(size=(10, 5)), Y_REG, loss="mse")
    with _raises(DataError, "X"):
        _reg().predict(RNG.normal(size=(10, 5)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_x(bad):
    Xb = X.copy()
    Xb[4, 1] = bad
    with _raises(DataError, "X"):
        _reg().fit(Xb, Y_REG, loss="mse")
    with _raises(DataError, "X"):
        _reg().predict(Xb)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_y(bad):
    yb = Y_REG.copy()
    yb[2, 0] = bad
    with _raises(DataError, "y"):
        _reg().fit(X, yb, loss="mse")
    with _raises(DataError, "y"):
        _reg().evaluate(X, yb, loss="mse")


def test_non_finite_validation_data():
    Xv = X.copy()
    Xv[0, 0] = np.nan
    with pytest.raises(DataError):
        _reg().fit(X, Y_REG, loss="mse", validation_data=(Xv, Y_REG))


@pytest.mark.parametrize("labels", [[0, 1, 3], [0, -1, 2], [0, 1.5, 2]])
def test_class_labels_outside_the_output_range(labels):
    y = np.array(labels * 4)[:10]
    with _raises(DataError, "y"):
        _clf().fit(X, y, loss=CCE)


def test_one_hot_with_wrong_width():
    with _raises(DataError, "y"):
        _clf().fit(X, np.eye(4)[RNG.integers(0, 4, size=10)], loss=CCE)


@pytest.mark.parametrize("bad", [2.0, -1.0])
def test_binary_targets_outside_zero_one(bad):
    y = Y_BIN.copy()
    y[0, 0] = bad
    with _raises(DataError, "y"):
        _bin().fit(X, y, loss=BCE)


def test_non_numeric_arrays():
    with _raises(DataError, "X"):
        _reg().fit(np.array([["a", "b", "c"]] * 10), Y_REG, loss="mse")
    with _raises(DataError, "y"):
        _clf().fit(X, np.array(["cat"] * 10), loss=CCE)
    with pytest.raises((DataError, TypeError)) as info:
        _reg().predict([[1, 2, "x"]])
    assert isinstance(info.value, LeannetError)


def test_ragged_input():
    with pytest.raises((DataError, TypeError)) as info:
        _reg().predict([[1.0, 2.0, 3.0], [1.0]])
    assert isinstance(info.value, LeannetError) and "X" in str(info.value)


def test_empty_arrays():
    with _raises(DataError, "X"):
        _reg().fit(np.empty((0, 3)), np.empty((0, 2)), loss="mse")
    with _raises(DataError, "X"):
        _reg().predict(np.empty((0, 3)))


def test_none_data():
    with _raises(DataError, "X"):
        _reg().fit(None, Y_REG, loss="mse")


# ---------------------------------------------------------------- architecture and loss


def test_layers_that_do_not_chain_name_both_layers():
    with pytest.raises(ConfigError) as info:
        ln.Sequential([ln.Dense(2, 3), ln.ReLU(), ln.Dense(4, 1)])
    msg = str(info.value)
    assert "3" in msg and "4" in msg
    # both layers are identified (by index or by their repr)
    assert ("0" in msg and "2" in msg) or msg.count("Dense") >= 2, msg


def test_empty_or_non_layer_list():
    with pytest.raises(ConfigError):
        ln.Sequential([])
    with pytest.raises((ConfigError, TypeError)) as info:
        ln.Sequential([ln.Dense(2, 2), "relu"])
    assert isinstance(info.value, LeannetError)


@pytest.mark.parametrize(
    "net, loss, y",
    [
        (_reg, CCE, Y_CLF % 2),
        (_bin, CCE, np.zeros(10, dtype=int)),
        (_clf, BCE, (RNG.uniform(size=(10, 3)) > 0.5) * 1.0),
        (_reg, BCE, (RNG.uniform(size=(10, 2)) > 0.5) * 1.0),
    ],
)
def test_loss_that_does_not_fit_the_output_layer(net, loss, y):
    with _raises(ConfigError, "loss"):
        net().fit(X, y, loss=loss)


def test_unknown_loss_name():
    with _raises(ConfigError, "loss"):
        _reg().fit(X, Y_REG, loss="mae_typo")


# ---------------------------------------------------------------- hyperparameters


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: ln.SGD(lr=-0.1), "lr"),
        (lambda: ln.SGD(lr=float("nan")), "lr"),
        (lambda: ln.SGD(lr=0.1, momentum=-0.5), "momentum"),
        (lambda: ln.SGD(lr=0.1, weight_decay=-1.0), "weight_decay"),
        (lambda: ln.Adam(lr=-1e-3), "lr"),
        (lambda: ln.Adam(beta1=1.0), "beta1"),
        (lambda: ln.Adam(beta2=-0.1), "beta2"),
        (lambda: ln.Adam(eps=-1.0), "eps"),
        (lambda: ln.AdamW(weight_decay=-0.01), "weight_decay"),
        (lambda: ln.Adagrad(lr=-0.01), "lr"),
        (lambda: ln.RMSprop(rho=1.5), "rho"),
        (lambda: ln.RMSprop(lr=-1.0), "lr"),
        (lambda: ln.SGD(lr=0.1, clip_norm=-1.0), "clip_norm"),
        (lambda: ln.Dense(0, 3), "n_in"),
        (lambda: ln.Dense(3, -2), "n_out"),
        (lambda: ln.Dense(3, 2, init="zeros_typo"), "init"),
        (lambda: ln.Dense(3, 2, max_norm=-1.0), "max_norm"),
        (lambda: ln.Dropout(1.2), "rate"),
        (lambda: ln.GaussianNoise(-0.5), "stddev"),
        (lambda: ln.L1(-0.01), "l1"),
        (lambda: ln.L2(-0.01), "l2"),
        (lambda: ln.Sequential([ln.Dense(2, 2)], dtype="int8"), "dtype"),
    ],
)
def test_bad_hyperparameters(make, name):
    with pytest.raises((ConfigError, TypeError)) as info:
        make()
    assert isinstance(info.value, LeannetError), repr(info.value)
    assert name in str(info.value), str(info.value)


def test_nesterov_needs_momentum():
    with _raises(ConfigError, "nesterov"):
        ln.SGD(lr=0.1, momentum=0.0, nesterov=True)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"epochs": 0}, "epochs"),
        ({"epochs": -3}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"validation_split": 1.5}, "validation_split"),
        ({"validation_split": -0.1}, "validation_split"),
        ({"epochs": 2.5}, "epochs"),
        ({"seed": "a"}, "seed"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_fit_arguments(kwargs, name):
    with pytest.raises((ConfigError, TypeError)) as info:
        _reg().fit(X, Y_REG, loss="mse", **kwargs)
    assert isinstance(info.value, LeannetError)
    assert name in str(info.value)


def test_validation_data_with_wrong_shapes():
    with pytest.raises(DataError):
        _reg().fit(X, Y_REG, loss="mse", validation_data=(X, Y_REG[:5]))
    with pytest.raises((DataError, ConfigError)) as info:
        _reg().fit(X, Y_REG, loss="mse", validation_data=X)
    assert "validation_data" in str(info.value)


def test_errors_are_leannet_and_builtin_types():
    assert issubclass(ConfigError, ValueError) and issubclass(DataError, ValueError)
    assert issubclass(ln.TrainingDiverged, ArithmeticError)
    assert issubclass(ln.errors.ModelFileError, ValueError)


def test_predict_bad_batch_size():
    with _raises(ConfigError, "batch_size"):
        _reg().predict(X, batch_size=0)


def test_proximal_flag_must_be_a_bool():
    # bool("no") is True: a string must not silently switch the proximal step on
    with _raises(ConfigError, "proximal"):
        ln.L1(0.1, proximal="no")
    assert ln.L1(0.1, proximal=np.bool_(True)).proximal is True


def test_gradcheck_step_must_be_positive():
    with _raises(ConfigError, "eps"):
        ln.gradcheck(_reg(), X, Y_REG, loss="mse", eps=-1.0)


def test_validation_data_and_split_are_exclusive():
    with _raises(ConfigError, "validation_data", "validation_split"):
        _reg().fit(X, Y_REG, loss="mse", validation_data=(X, Y_REG), validation_split=0.2)


def test_one_hot_rows_must_sum_to_one():
    net = ln.Sequential([ln.Dense(3, 2), ln.Softmax()])
    with _raises(DataError, "one-hot"):
        net.fit(X, np.full((10, 2), 0.5 + 0.25), loss=CCE)


def test_values_too_large_for_float32_are_named_as_such():
    big = X.copy()
    big[2, 1] = 1e300  # finite in float64, inf once cast to float32
    with _raises(DataError, "too large for float32", "float64"):
        _reg().fit(big, Y_REG, loss="mse")
