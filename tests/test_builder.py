"""The one MLP builder and the optimizer factory."""

from __future__ import annotations

import numpy as np
import pytest

import leannet as ln
from leannet.builder import AUTO_INIT, build_mlp, build_optimizer
from leannet.errors import ConfigError


@pytest.mark.parametrize(
    "loss, last",
    [
        ("binary_cross_entropy", ln.Sigmoid),
        ("categorical_cross_entropy", ln.Softmax),
        ("mse", ln.Identity),
        ("poisson", ln.Identity),
    ],
)
def test_output_layer_follows_the_loss(loss, last):
    net = build_mlp(3, [5], 2, loss=loss, seed=0)
    assert type(net.layers[-1]) is last
    assert [type(la) for la in net.layers[:-1]] == [ln.Dense, ln.ReLU, ln.Dense]


def test_layer_order_with_noise_dropout_and_constraints():
    net = build_mlp(
        4, [6, 5], 1, loss="mse", activation="tanh", dropout=0.2, input_noise=0.1, max_norm=2.0
    )
    kinds = [type(la).__name__ for la in net.layers]
    assert kinds == [
        "GaussianNoise", "Dense", "Tanh", "Dropout", "Dense", "Tanh", "Dropout", "Dense", "Identity"
    ]  # fmt: skip
    assert net.layers[0].stddev == 0.1 and net.layers[3].rate == 0.2
    assert all(d.max_norm == 2.0 for d in net.dense_layers)
    assert [(d.n_in, d.n_out) for d in net.dense_layers] == [(4, 6), (6, 5), (5, 1)]


def test_auto_init_draws_weights_and_biases_from_the_glorot_range():
    assert AUTO_INIT == ("glorot_uniform", "glorot_uniform")
    net = build_mlp(20, [30], 3, loss="mse", seed=1, dtype="float64")
    for d in net.dense_layers:
        bound = np.sqrt(6.0 / (d.n_in + d.n_out))
        assert np.abs(d.W).max() <= bound and np.abs(d.b).max() <= bound
        assert np.abs(d.W).max() > 0.8 * bound  # the whole range is used
        assert np.abs(d.b).max() > 0.5 * bound and np.unique(d.b).size == d.b.size


def test_named_init_keeps_zero_biases_and_he_gives_a_glorot_output_layer():
    net = build_mlp(50, [40], 2, loss="mse", init="he_uniform", seed=2, dtype="float64")
    hidden, out = net.dense_layers
    assert not hidden.b.any() and not out.b.any()
    assert np.abs(hidden.W).max() > np.sqrt(6 / (50 + 40))  # beyond Glorot's range: He's
    assert np.abs(out.W).max() <= np.sqrt(6 / (40 + 2))


def test_same_seed_same_weights_other_seed_other_weights():
    a = build_mlp(3, [4], 1, loss="mse", seed=7)
    b = build_mlp(3, [4], 1, loss="mse", seed=7)
    c = build_mlp(3, [4], 1, loss="mse", seed=8)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


def test_penalties_use_the_smallest_regularizer_class():
    net = build_mlp(3, [4], 1, loss="mse", l2=1e-3, bias_l1=1e-4, proximal=True)
    d = net.dense_layers[0]
    assert d.weight_regularizer == ln.L2(1e-3)
    assert d.bias_regularizer == ln.L1(1e-4, proximal=True)
    both = build_mlp(3, [], 1, loss="mse", l1=1e-3, l2=2e-3).dense_layers[0]
    assert both.weight_regularizer == ln.L1L2(1e-3, 2e-3) and both.bias_regularizer is None


def test_empty_hidden_is_a_linear_model_and_bad_arguments_are_named():
    net = build_mlp(3, [], 2, loss="categorical_cross_entropy")
    assert [type(la).__name__ for la in net.layers] == ["Dense", "Softmax"]
    with pytest.raises(ln.ConfigError, match="hidden"):
        build_mlp(3, 4, 2, loss="mse")
    with pytest.raises(ln.ConfigError, match="activation='swish'"):
        build_mlp(3, [4], 2, loss="mse", activation="swish")
    with pytest.raises(ln.ConfigError, match="init='xavier'"):
        build_mlp(3, [4], 2, loss="mse", init="xavier")
    with pytest.raises(ln.ConfigError, match="loss="):
        build_mlp(3, [4], 2, loss="hinge")


def test_build_optimizer_passes_options_and_builds_schedules():
    opt = build_optimizer("sgd", lr=0.1, momentum=0.9, nesterov=True)
    assert isinstance(opt, ln.SGD) and opt.momentum == 0.9 and opt.nesterov
    assert opt.schedule(100) == 0.1
    decayed = build_optimizer(
        "adam", lr=0.1, schedule="inverse_time", schedule_options={"decay": 0.5}
    )
    assert decayed.schedule(2) == pytest.approx(0.1 / 2)
    scaled = build_optimizer(
        "sgd", lr=0.1, schedule="inverse_scaling", schedule_options={"power_t": 0.5}
    )
    assert scaled.schedule(3) == pytest.approx(0.1 / 2)
    with pytest.raises(ln.ConfigError, match="optimizer='lamb'"):
        build_optimizer("lamb", lr=0.1)
    with pytest.raises(ln.ConfigError, match="invalid settings for optimizer"):
        build_optimizer("adam", lr=0.1, momentum=0.9)
    with pytest.raises(ln.ConfigError, match="schedule"):
        build_optimizer("adam", lr=0.1, schedule="sometimes")


def test_penalized_layers_puts_the_penalties_on_the_chosen_dense_layers_only():
    net = build_mlp(2, [8, 4], 3, loss="categorical_cross_entropy", l2=1e-3, bias_l1=1e-4,
                    penalized_layers=[0, -1], seed=0)  # fmt: skip
    dense = net.dense_layers
    assert [d.weight_regularizer is not None for d in dense] == [True, False, True]
    assert [d.bias_regularizer is not None for d in dense] == [True, False, True]
    assert repr(dense[0].weight_regularizer) == repr(ln.L2(1e-3))
    everywhere = build_mlp(2, [8, 4], 3, loss="categorical_cross_entropy", l2=1e-3, seed=0)
    assert all(d.weight_regularizer is not None for d in everywhere.dense_layers)
    # the choice of layers changes no starting weight
    np.testing.assert_array_equal(net.params, everywhere.params)


@pytest.mark.parametrize("bad", [[3], [-4], ["0"], [True], 0, "0"])
def test_penalized_layers_out_of_range_names_the_positions(bad):
    with pytest.raises(ConfigError, match="penalized_layers"):
        build_mlp(2, [8, 4], 3, loss="mse", l2=1e-3, penalized_layers=bad)
