"""Optimizers: one closed-form step each (hand formulas), state, and parity with PyTorch.

PyTorch conventions used as the reference (float64, CPU):
- torch SGD/Adagrad/RMSprop/Adam have no weight decay here (coupled decay lives in leannet's
  regularizers, which we add to the torch loss as l1*sum|w| + l2*sum w^2 per array);
- leannet's decoupled ``weight_decay`` (w <- w - lr*wd*w, weights only) is torch AdamW's, with
  the biases in a parameter group of weight_decay=0; for SGD we write the reference by hand.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import leannet as ln

# ---------------------------------------------------------------- closed-form single steps

RNG = np.random.default_rng(42)
X_LIN = RNG.normal(size=(8, 3))
Y_LIN = RNG.normal(size=(8, 1))
W0 = np.array([[0.5], [-0.3], [0.8]])
B0 = np.array([0.1])


def _lin_net():
    net = ln.Sequential([ln.Dense(3, 1), ln.Identity()], seed=0, dtype="float64")
    net.layers[0].W[...] = W0
    net.layers[0].b[...] = B0
    return net


def _lin_grad(W, b):
    """Hand gradient of mean((XW + b - y)^2) for the linear model."""
    r = X_LIN @ W + b - Y_LIN
    n = r.size
    return 2 * X_LIN.T @ r / n, 2 * r.sum(axis=0) / n


def _steps(opt, k):
    net = _lin_net()
    for _ in range(k):
        net.fit(X_LIN, Y_LIN, loss="mse", optimizer=opt, epochs=1, batch_size=None, shuffle=False)
    return net.layers[0].W.copy(), net.layers[0].b.copy()


def _check(opt, k, W_exp, b_exp):
    W, b = _steps(opt, k)
    np.testing.assert_allclose(W, W_exp, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(b, b_exp, rtol=1e-12, atol=1e-15)
    assert opt.state_dict()["t"] == k


def test_sgd_one_step():
    gW, gb = _lin_grad(W0, B0)
    _check(ln.SGD(lr=0.1), 1, W0 - 0.1 * gW, B0 - 0.1 * gb)


def test_sgd_decoupled_weight_decay_one_step():
    lr, wd = 0.1, 0.3
    gW, gb = _lin_grad(W0, B0)
    _check(ln.SGD(lr=lr, weight_decay=wd), 1, W0 - lr * wd * W0 - lr * gW, B0 - lr * gb)


def test_sgd_momentum_two_steps():
    lr, m = 0.1, 0.9
    g1 = _lin_grad(W0, B0)
    p1 = [p - lr * g for p, g in zip((W0, B0), g1, strict=True)]
    g2 = _lin_grad(*p1)
    p2 = [p - lr * (m * a + c) for p, a, c in zip(p1, g1, g2, strict=True)]
    _check(ln.SGD(lr=lr, momentum=m), 2, *p2)


def test_sgd_nesterov_two_steps():
    lr, m = 0.1, 0.9
    g1 = _lin_grad(W0, B0)
    p1 = [p - lr * (g + m * g) for p, g in zip((W0, B0), g1, strict=True)]  # buf1 = g1
    g2 = _lin_grad(*p1)
    buf2 = [m * a + c for a, c in zip(g1, g2, strict=True)]
    p2 = [p - lr * (c + m * bb) for p, c, bb in zip(p1, g2, buf2, strict=True)]
    _check(ln.SGD(lr=lr, momentum=m, nesterov=True), 2, *p2)


def test_adagrad_two_steps():
    lr, eps = 0.5, 1e-10
    g1 = _lin_grad(W0, B0)
    s1 = [g**2 for g in g1]
    p1 = [p - lr * g / (np.sqrt(s) + eps) for p, g, s in zip((W0, B0), g1, s1, strict=True)]
    g2 = _lin_grad(*p1)
    s2 = [s + g**2 for s, g in zip(s1, g2, strict=True)]
    p2 = [p - lr * g / (np.sqrt(s) + eps) for p, g, s in zip(p1, g2, s2, strict=True)]
    _check(ln.Adagrad(lr=lr), 2, *p2)


def test_rmsprop_two_steps():
    lr, rho, eps = 0.01, 0.9, 1e-8
    g1 = _lin_grad(W0, B0)
    v1 = [(1 - rho) * g**2 for g in g1]
    p1 = [p - lr * g / (np.sqrt(v) + eps) for p, g, v in zip((W0, B0), g1, v1, strict=True)]
    g2 = _lin_grad(*p1)
    v2 = [rho * v + (1 - rho) * g**2 for v, g in zip(v1, g2, strict=True)]
    p2 = [p - lr * g / (np.sqrt(v) + eps) for p, g, v in zip(p1, g2, v2, strict=True)]
    _check(ln.RMSprop(lr=lr, rho=rho), 2, *p2)


def _adam_reference(k, lr, b1, b2, eps, wd):
    params = [W0.copy(), B0.copy()]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, k + 1):
        g = _lin_grad(*params)
        for i in range(2):
            if i == 0:  # decoupled decay, weights only
                params[i] = params[i] - lr * wd * params[i]
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2
            mhat = m[i] / (1 - b1**t)
            vhat = v[i] / (1 - b2**t)
            params[i] = params[i] - lr * mhat / (np.sqrt(vhat) + eps)
    return params


def test_adam_one_step_is_lr_times_sign():
    lr = 0.01
    gW, gb = _lin_grad(W0, B0)
    # first Adam step: mhat = g, vhat = g^2, so the step is lr * g / (|g| + eps)
    _check(
        ln.Adam(lr=lr), 1, W0 - lr * gW / (np.abs(gW) + 1e-8), B0 - lr * gb / (np.abs(gb) + 1e-8)
    )


def test_adam_three_steps():
    _check(
        ln.Adam(lr=0.01, beta1=0.8, beta2=0.9, eps=1e-6),
        3,
        *_adam_reference(3, 0.01, 0.8, 0.9, 1e-6, 0.0),
    )


def test_adamw_three_steps():
    _check(ln.AdamW(lr=0.01, weight_decay=0.2), 3, *_adam_reference(3, 0.01, 0.9, 0.999, 1e-8, 0.2))


def test_adam_weight_decay_is_decoupled_like_adamw():
    _check(ln.Adam(lr=0.01, weight_decay=0.2), 3, *_adam_reference(3, 0.01, 0.9, 0.999, 1e-8, 0.2))


def test_adamw_default_weight_decay_is_001():
    _check(ln.AdamW(lr=0.01), 2, *_adam_reference(2, 0.01, 0.9, 0.999, 1e-8, 0.01))


def test_sgd_with_schedule_uses_lr_of_update_count():
    lr0, decay = 0.2, 0.5
    g1 = _lin_grad(W0, B0)
    p1 = [p - lr0 * g for p, g in zip((W0, B0), g1, strict=True)]  # t = 0
    g2 = _lin_grad(*p1)
    lr1 = lr0 / (1 + decay * 1)  # t = 1
    p2 = [p - lr1 * g for p, g in zip(p1, g2, strict=True)]
    opt = ln.SGD(lr=ln.InverseTimeDecay(lr0, decay))
    _check(opt, 2, *p2)
    assert opt.current_lr == pytest.approx(lr1, rel=1e-15)


def test_clip_norm_scales_the_global_gradient():
    gW, gb = _lin_grad(W0, B0)
    gnorm = np.sqrt((gW**2).sum() + (gb**2).sum())
    c = 0.25 * gnorm
    W, b = _steps(ln.SGD(lr=1.0, clip_norm=c), 1)
    upd = np.concatenate([(W0 - W).ravel(), (B0 - b).ravel()])
    np.testing.assert_allclose(upd, np.concatenate([gW.ravel(), gb.ravel()]) * c / gnorm, rtol=1e-5)
    # a large bound changes nothing
    W, b = _steps(ln.SGD(lr=1.0, clip_norm=10 * gnorm), 1)
    np.testing.assert_allclose(W, W0 - gW, rtol=1e-12)


def test_current_lr_and_t():
    opt = ln.Adam(lr=0.003)
    _steps(opt, 4)
    assert opt.current_lr == 0.003
    assert opt.state_dict()["t"] == 4


def test_reusing_an_optimizer_continues_its_state():
    opt_a = ln.Adam(lr=0.05)
    net_a = _lin_net()
    net_a.fit(X_LIN, Y_LIN, loss="mse", optimizer=opt_a, epochs=6, shuffle=False)
    opt_b = ln.Adam(lr=0.05)
    net_b = _lin_net()
    net_b.fit(X_LIN, Y_LIN, loss="mse", optimizer=opt_b, epochs=3, shuffle=False)
    net_b.fit(X_LIN, Y_LIN, loss="mse", optimizer=opt_b, epochs=3, shuffle=False)
    np.testing.assert_array_equal(net_a.params, net_b.params)
    assert opt_b.state_dict()["t"] == 6


@pytest.mark.parametrize(
    "make",
    [
        lambda: ln.SGD(lr=0.05, momentum=0.9, nesterov=True),
        lambda: ln.Adagrad(lr=0.1),
        lambda: ln.RMSprop(lr=0.01),
        lambda: ln.AdamW(lr=0.05),
    ],
)
def test_state_dict_round_trip(make):
    opt_a = make()
    net_a = _lin_net()
    net_a.fit(X_LIN, Y_LIN, loss="mse", optimizer=opt_a, epochs=3, shuffle=False)
    state = copy.deepcopy(opt_a.state_dict())
    net_b = net_a.copy()
    opt_b = make()
    opt_b.load_state_dict(state)
    net_a.fit(X_LIN, Y_LIN, loss="mse", optimizer=opt_a, epochs=3, shuffle=False)
    net_b.fit(X_LIN, Y_LIN, loss="mse", optimizer=opt_b, epochs=3, shuffle=False)
    np.testing.assert_array_equal(net_a.params, net_b.params)
    assert isinstance(opt_a.get_config(), dict)


# ---------------------------------------------------------------- parity with PyTorch

try:
    import torch
except ImportError:  # torch is a test extra; without it only the parity tests skip
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch (test extra) is not installed")


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Tiny tensors: extra threads only contend for the CI machine's cores."""
    if torch is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


N_STEPS = 100
L1W, L2W, L1B, L2B = 1e-3, 1e-2, 2e-3, 5e-3


def _parity_net(out_layer, n_out):
    reg_w = ln.L1L2(l1=L1W, l2=L2W)
    reg_b = ln.L1L2(l1=L1B, l2=L2B)
    net = ln.Sequential(
        [
            ln.Dense(5, 8, weight_regularizer=reg_w, bias_regularizer=reg_b),
            ln.Tanh(),
            ln.Dense(8, 6, weight_regularizer=reg_w, bias_regularizer=reg_b),
            ln.LeakyReLU(0.1),
            ln.Dense(6, n_out, weight_regularizer=reg_w, bias_regularizer=reg_b),
            out_layer,
        ],
        seed=7,
        dtype="float64",
    )
    return net


def _parity_data(kind):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 5))
    if kind == "cce":
        y = rng.integers(0, 3, size=40)
    elif kind == "bce":
        y = (rng.uniform(size=(40, 3)) > 0.5).astype(np.float64)
    else:
        y = rng.normal(size=(40, 3))
    return X, y


def _torch_objective(Ws, bs, X, y, kind):
    F = torch.nn.functional
    h = torch.tanh(X @ Ws[0] + bs[0])
    h = F.leaky_relu(h @ Ws[1] + bs[1], 0.1)
    z = h @ Ws[2] + bs[2]
    if kind == "cce":
        data = F.cross_entropy(z, y)
    elif kind == "bce":
        data = F.binary_cross_entropy_with_logits(z, y)
    else:
        data = F.mse_loss(z, y)
    reg = sum(L1W * W.abs().sum() + L2W * (W**2).sum() for W in Ws)
    reg = reg + sum(L1B * b.abs().sum() + L2B * (b**2).sum() for b in bs)
    return data + reg


def _cosine(t, lr0, steps, min_lr):
    t = min(t, steps)
    return min_lr + (lr0 - min_lr) * 0.5 * (1 + math.cos(math.pi * t / steps))


OPTIMIZERS = {
    "sgd": (lambda: ln.SGD(lr=0.1), lambda Ws, bs: torch.optim.SGD(Ws + bs, lr=0.1)),
    "momentum": (
        lambda: ln.SGD(lr=0.05, momentum=0.9),
        lambda Ws, bs: torch.optim.SGD(Ws + bs, lr=0.05, momentum=0.9),
    ),
    "nesterov": (
        lambda: ln.SGD(lr=0.05, momentum=0.9, nesterov=True),
        lambda Ws, bs: torch.optim.SGD(Ws + bs, lr=0.05, momentum=0.9, nesterov=True),
    ),
    "adagrad": (
        lambda: ln.Adagrad(lr=0.05),
        lambda Ws, bs: torch.optim.Adagrad(Ws + bs, lr=0.05, eps=1e-10),
    ),
    "rmsprop": (
        lambda: ln.RMSprop(lr=0.005),
        lambda Ws, bs: torch.optim.RMSprop(Ws + bs, lr=0.005, alpha=0.99, eps=1e-8),
    ),
    "adam": (
        lambda: ln.Adam(lr=0.01),
        lambda Ws, bs: torch.optim.Adam(Ws + bs, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
    ),
    "adamw": (
        lambda: ln.AdamW(lr=0.01, weight_decay=0.05),
        lambda Ws, bs: torch.optim.AdamW(
            [{"params": Ws, "weight_decay": 0.05}, {"params": bs, "weight_decay": 0.0}], lr=0.01
        ),
    ),
    "adam_decoupled_wd": (
        lambda: ln.Adam(lr=0.01, weight_decay=0.05),
        lambda Ws, bs: torch.optim.AdamW(
            [{"params": Ws, "weight_decay": 0.05}, {"params": bs, "weight_decay": 0.0}], lr=0.01
        ),
    ),
}


def _run_torch(net, X, y, kind, make_opt, lr_of_t=None, manual_sgd_wd=None):
    Ws = [torch.tensor(d.W.copy(), requires_grad=True) for d in net.layers if d.has_params]
    bs = [torch.tensor(d.b.copy(), requires_grad=True) for d in net.layers if d.has_params]
    Xt = torch.tensor(X)
    yt = torch.tensor(y) if kind != "cce" else torch.tensor(y, dtype=torch.long)
    opt = make_opt(Ws, bs) if make_opt else None
    bufs = [None] * (len(Ws) + len(bs))
    for t in range(N_STEPS):
        for p in Ws + bs:
            p.grad = None
        _torch_objective(Ws, bs, Xt, yt, kind).backward()
        if manual_sgd_wd is not None:  # hand-written SGD + momentum + decoupled decay
            lr, m, wd = manual_sgd_wd
            with torch.no_grad():
                for i, p in enumerate(Ws + bs):
                    g = p.grad.clone()
                    bufs[i] = g if bufs[i] is None else m * bufs[i] + g
                    if i < len(Ws):
                        p.mul_(1 - lr * wd)
                    p.sub_(lr * bufs[i])
            continue
        if lr_of_t is not None:
            for group in opt.param_groups:
                group["lr"] = lr_of_t(t)
        opt.step()
    return [W.detach().numpy() for W in Ws], [b.detach().numpy() for b in bs]


def _assert_parity(net, Ws, bs):
    dense = [d for d in net.layers if d.has_params]
    worst = 0.0
    for d, W, b in zip(dense, Ws, bs, strict=True):
        for ours, ref in ((d.W, W), (d.b, b)):
            worst = max(worst, np.linalg.norm(ours - ref) / np.linalg.norm(ref))
    assert worst < 1e-10, f"max relative difference to torch {worst:.3e}"


def _out(kind):
    return {"cce": (ln.Softmax(), 3), "bce": (ln.Sigmoid(), 3), "mse": (ln.Identity(), 3)}[kind]


@needs_torch
@pytest.mark.parametrize("kind", ["cce", "bce", "mse"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_parity_with_torch(name, kind):
    make_ln, make_torch = OPTIMIZERS[name]
    X, y = _parity_data(kind)
    net = _parity_net(*_out(kind))
    ref = _run_torch(net, X, y, kind, make_torch)
    net.fit(
        X,
        y,
        loss={"cce": "categorical_cross_entropy", "bce": "binary_cross_entropy", "mse": "mse"}[
            kind
        ],
        optimizer=make_ln(),
        epochs=N_STEPS,
        batch_size=None,
        shuffle=False,
    )
    _assert_parity(net, *ref)


@needs_torch
@pytest.mark.parametrize("kind", ["cce", "mse"])
def test_parity_sgd_momentum_decoupled_decay_with_hand_reference(kind):
    X, y = _parity_data(kind)
    net = _parity_net(*_out(kind))
    ref = _run_torch(net, X, y, kind, None, manual_sgd_wd=(0.05, 0.9, 0.02))
    net.fit(
        X,
        y,
        loss="categorical_cross_entropy" if kind == "cce" else "mse",
        optimizer=ln.SGD(lr=0.05, momentum=0.9, weight_decay=0.02),
        epochs=N_STEPS,
        batch_size=None,
        shuffle=False,
    )
    _assert_parity(net, *ref)


@needs_torch
def test_parity_adamw_with_cosine_schedule():
    X, y = _parity_data("cce")
    net = _parity_net(*_out("cce"))
    ref = _run_torch(
        net,
        X,
        y,
        "cce",
        lambda Ws, bs: torch.optim.AdamW(
            [{"params": Ws, "weight_decay": 0.05}, {"params": bs, "weight_decay": 0.0}], lr=0.01
        ),
        lr_of_t=lambda t: _cosine(t, 0.02, 80, 0.002),
    )
    net.fit(
        X,
        y,
        loss="categorical_cross_entropy",
        optimizer=ln.AdamW(lr=ln.CosineDecay(0.02, 80, min_lr=0.002), weight_decay=0.05),
        epochs=N_STEPS,
        batch_size=None,
        shuffle=False,
    )
    _assert_parity(net, *ref)


@needs_torch
def test_parity_sgd_momentum_with_inverse_time_decay():
    X, y = _parity_data("mse")
    net = _parity_net(*_out("mse"))
    ref = _run_torch(
        net,
        X,
        y,
        "mse",
        lambda Ws, bs: torch.optim.SGD(Ws + bs, lr=0.1, momentum=0.5),
        lr_of_t=lambda t: 0.1 / (1 + 0.05 * t),
    )
    net.fit(
        X,
        y,
        loss="mse",
        optimizer=ln.SGD(lr=ln.InverseTimeDecay(0.1, 0.05), momentum=0.5),
        epochs=N_STEPS,
        batch_size=None,
        shuffle=False,
    )
    _assert_parity(net, *ref)


@needs_torch
def test_parity_minibatches_without_shuffle():
    """Batches of 16, 16, 8 in order; the penalty is added in full to every batch's mean loss."""
    X, y = _parity_data("cce")
    net = _parity_net(*_out("cce"))
    Ws = [torch.tensor(d.W.copy(), requires_grad=True) for d in net.layers if d.has_params]
    bs = [torch.tensor(d.b.copy(), requires_grad=True) for d in net.layers if d.has_params]
    opt = torch.optim.Adam(Ws + bs, lr=0.01)
    Xt, yt = torch.tensor(X), torch.tensor(y, dtype=torch.long)
    for _ in range(10):
        for start in range(0, 40, 16):
            opt.zero_grad()
            _torch_objective(
                Ws, bs, Xt[start : start + 16], yt[start : start + 16], "cce"
            ).backward()
            opt.step()
    net.fit(
        X,
        y,
        loss="categorical_cross_entropy",
        optimizer=ln.Adam(lr=0.01),
        epochs=10,
        batch_size=16,
        shuffle=False,
    )
    _assert_parity(net, [W.detach().numpy() for W in Ws], [b.detach().numpy() for b in bs])


# ---------------------------------------------------------------- proximal L1 steps


def _soft(w, thr):
    return np.sign(w) * np.maximum(np.abs(w) - thr, 0.0)


def _prox_net(l1):
    net = ln.Sequential(
        [ln.Dense(3, 1, weight_regularizer=ln.L1(l1, proximal=True)), ln.Identity()],
        seed=0,
        dtype="float64",
    )
    net.layers[0].W[...] = [[0.5], [-0.003], [0.8]]
    net.layers[0].b[...] = B0
    return net


def test_proximal_sgd_step_is_soft_threshold_after_the_data_step():
    lr, l1 = 0.1, 0.2
    net = _prox_net(l1)
    W = net.layers[0].W.copy()
    gW, gb = _lin_grad(W, B0)  # the data gradient only: L1 is not in the gradient
    net.fit(X_LIN, Y_LIN, loss="mse", optimizer=ln.SGD(lr=lr), epochs=1, shuffle=False)
    np.testing.assert_allclose(net.layers[0].W, _soft(W - lr * gW, lr * l1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net.layers[0].b, B0 - lr * gb, rtol=1e-12)  # biases untouched


def test_proximal_threshold_follows_the_scheduled_lr():
    l1 = 0.2
    net = _prox_net(l1)
    sched = ln.StepDecay(0.1, 0.5, 1)  # 0.1, then 0.05
    p = [net.layers[0].W.copy(), B0.copy()]
    for lr in (0.1, 0.05):
        gW, gb = _lin_grad(*p)
        p = [_soft(p[0] - lr * gW, lr * l1), p[1] - lr * gb]
    net.fit(X_LIN, Y_LIN, loss="mse", optimizer=ln.SGD(lr=sched), epochs=2, shuffle=False)
    np.testing.assert_allclose(net.layers[0].W, p[0], rtol=1e-12, atol=1e-15)


def test_proximal_with_adam_thresholds_by_lr_times_l1():
    lr, l1 = 0.01, 0.5
    net = _prox_net(l1)
    W = net.layers[0].W.copy()
    gW, _ = _lin_grad(W, B0)
    net.fit(X_LIN, Y_LIN, loss="mse", optimizer=ln.Adam(lr=lr), epochs=1, shuffle=False)
    expected = _soft(W - lr * gW / (np.abs(gW) + 1e-8), lr * l1)
    np.testing.assert_allclose(net.layers[0].W, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: ln.SGD(0.1, momentum=0.9, nesterov="yes"), "nesterov"),
        (lambda: ln.Adam(decay_biases="no"), "decay_biases"),
    ],
)
def test_flags_must_be_bools(make, name):
    with pytest.raises(ln.ConfigError, match=f"{name} must be True or False"):
        make()


def test_decoupled_decay_touches_only_the_masked_entries():
    params = np.array([1.0, 2.0, 3.0, 4.0])
    grads = np.zeros(4)
    mask = np.array([True, False, True, False])
    ln.SGD(0.5, weight_decay=0.1).step(params, grads, decay_mask=mask)
    np.testing.assert_array_equal(params, [1.0 * 0.95, 2.0, 3.0 * 0.95, 4.0])
    everything = np.array([1.0, 2.0])
    ln.SGD(0.5, weight_decay=0.1, decay_biases=True).step(everything, np.zeros(2), mask[:2])
    np.testing.assert_array_equal(everything, [0.95, 1.9])


def test_network_decay_mask_marks_its_weights():
    net = ln.Sequential([ln.Dense(3, 2), ln.ReLU(), ln.Dense(2, 1)])
    assert net.decay_mask.sum() == 3 * 2 + 2 * 1 and net.decay_mask.size == net.n_params
    for name, part in net.param_slices.items():
        assert net.decay_mask[part].all() == name.endswith(".W")
        assert not net.decay_mask[part].any() == name.endswith(".b")
