"""What the page draws, computed from the live network: heat maps, weights, curves, one weight.

Grids are sent as base64 bytes (one byte per cell) and weights as base64 float32,
so a snapshot of a 6x32 network stays a few tens of kilobytes at 10+ per second.
"""

from __future__ import annotations

import base64

import numpy as np

from ..layers import Dense
from . import data as data_module

GRID = 48  # cells per side of the boundary heat map
UNIT_GRID = 16  # cells per side of each unit's small heat map
CURVE_POINTS = 160  # x values of a 1-D curve
MAX_CURVE_POINTS = 400  # recorded points per curve before they are thinned
HIST_BINS = 21


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def _bytes(v: np.ndarray) -> str:
    """Values in [0, 1] as base64 bytes 0..255."""
    return _b64(np.clip(np.round(np.nan_to_num(v) * 255.0), 0, 255).astype(np.uint8))


class Curves:
    """Metrics over training, one point per snapshot, thinned to at most 400 points."""

    KEYS = (
        "step",
        "epoch",
        "train_loss",
        "test_loss",
        "penalty",
        "train_metric",
        "test_metric",
        "lr",
        "norm",
        "zeros",
    )

    def __init__(self):
        self.points: dict[str, list[float]] = {k: [] for k in self.KEYS}
        self.stride = 1
        self._skipped = 0

    def add(self, trainee, metrics: dict) -> None:
        if self.points["step"] and self.points["step"][-1] == trainee.step_count:
            for k in self.KEYS:
                self.points[k].pop()
        elif self._skipped + 1 < self.stride and trainee.step_count:
            self._skipped += 1
            return
        self._skipped = 0
        tr, te = metrics.get("train", {}), metrics.get("test", {})
        metric = "accuracy" if "accuracy" in tr else "r2"
        w = trainee.net.params[: trainee.net.n_weights]
        values = {
            "step": trainee.step_count,
            "epoch": trainee.epoch,
            "train_loss": tr.get("data_loss"),
            "test_loss": te.get("data_loss"),
            "penalty": tr.get("reg_loss"),
            "train_metric": tr.get(metric),
            "test_metric": te.get(metric),
            "lr": float(trainee.optimizer.current_lr),
            "norm": float(np.sqrt(np.dot(w.astype(np.float64), w))),
            "zeros": float(np.count_nonzero(w == 0)) / max(1, w.size),
        }
        for k in self.KEYS:
            v = values[k]
            self.points[k].append(None if v is None or not np.isfinite(v) else float(v))
        if len(self.points["step"]) > MAX_CURVE_POINTS:  # keep every other point
            for k in self.KEYS:
                self.points[k] = self.points[k][::2]
            self.stride *= 2


# ------------------------------------------------------------------------------------ grids
def _domain(raw) -> list[tuple[float, float]]:
    X = np.vstack([raw.X] + ([raw.X_test] if raw.X_test is not None else []))
    out = []
    for j in range(min(2, X.shape[1])):
        lo, hi = float(X[:, j].min()), float(X[:, j].max())
        pad = 0.08 * (hi - lo or 1.0)
        out.append((lo - pad, hi + pad))
    return out


def _grid_inputs(session, n: int) -> np.ndarray | None:
    """Network inputs on an ``n x n`` grid (or ``n`` points in 1-D) over the data.

    They depend only on the data and the features, so they are computed once per
    experiment (the preprocessing of a grid costs more than the network's forward pass).
    """
    grids = session.data.grids
    if n not in grids:
        grids[n] = _compute_grid_inputs(session, n)
    return grids[n]


def _compute_grid_inputs(session, n: int) -> np.ndarray | None:
    raw = session.data.raw
    if raw.n_features > 2:
        return None
    dom = _domain(raw)
    if raw.n_features == 2:
        xs = np.linspace(*dom[0], n)
        ys = np.linspace(dom[1][1], dom[1][0], n)  # top row = largest x2
        gx, gy = np.meshgrid(xs, ys)
        R = np.c_[gx.ravel(), gy.ravel()]
    else:
        R = np.linspace(*dom[0], n)[:, None]
    features = data_module.usable_features(session.settings.features, raw.n_features)
    F = data_module.expand(R, features)
    return session.data.inputs(F, session.main.net.dtype)


def _hidden_outputs(net, X: np.ndarray) -> list[np.ndarray]:
    """Output of every hidden layer's activation on ``X`` (inference mode)."""
    outs, out = [], X
    last_dense = net.layers.index(net.dense_layers[-1])
    layers = net.layers
    for i, layer in enumerate(layers):
        out = layer.forward(out, False)[0]
        if 0 < i < last_dense and isinstance(layers[i - 1], Dense):
            outs.append(out)
    return outs


def _output_map(session, trainee, G: np.ndarray) -> dict:
    out = np.asarray(trainee.net.predict(G), dtype=np.float64)
    ds = session.data.model_ds
    if ds.task == "classification":
        if out.shape[1] == 1:
            return {"kind": "binary", "values": _bytes(out[:, 0])}
        return {
            "kind": "classes",
            "classes": _b64(np.argmax(out, axis=1).astype(np.uint8)),
            "values": _bytes(np.max(out, axis=1)),
        }
    lo, hi = _target_range(session)
    value = session.data.outputs_in_target_units(out[:, 0])  # the network learns a scaled y
    return {
        "kind": "regression",
        "values": _bytes((value - lo) / (hi - lo)),
        "lo": lo,
        "hi": hi,
    }


def _target_range(session) -> tuple[float, float]:
    y = np.asarray(session.data.raw.y, dtype=np.float64).reshape(len(session.data.raw.y), -1)[:, 0]
    lo, hi = float(y.min()), float(y.max())
    pad = 0.1 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def _unit_maps(trainee, G: np.ndarray) -> list[str]:
    """Each hidden unit's activation on the small grid, scaled to [0, 1] by its own max |a|."""
    maps = []
    for a in _hidden_outputs(trainee.net, G):
        a = np.asarray(a, dtype=np.float64)
        scale = np.max(np.abs(a), axis=0)
        scale[scale == 0] = 1.0
        maps.append([_bytes((a[:, k] / scale[k] + 1.0) / 2.0) for k in range(a.shape[1])])
    return maps


def _points(session) -> dict:
    """Training and test points in raw coordinates with their targets (for drawing)."""
    prepared = session.data
    raw, ds = prepared.raw, prepared.model_ds
    k = min(2, raw.n_features)

    def target(rows):
        y = np.asarray(raw.y)[rows]
        if ds.task == "classification":  # the model's class indices of the raw labels
            names = prepared.ds.class_names or [str(c) for c in range(int(y.max()) + 1)]
            lookup = {name: i for i, name in enumerate(ds.class_names)}
            return [lookup[names[int(v)]] for v in y]
        return y.astype(np.float64).round(4).tolist()

    return {
        "train": raw.X[prepared.train_rows, :k].round(4).tolist(),
        "train_y": target(prepared.train_rows),
        "test": raw.X[prepared.test_rows, :k].round(4).tolist(),
        "test_y": target(prepared.test_rows),
    }


def _weights(trainee) -> dict:
    net = trainee.net
    w = net.params[: net.n_weights].astype(np.float64)
    m = float(np.max(np.abs(w))) if w.size else 1.0
    edges = np.linspace(-m or -1.0, m or 1.0, HIST_BINS + 1)
    layers = []
    for layer in net.dense_layers:
        W = layer.W
        counts, _ = np.histogram(W.astype(np.float64), bins=edges)
        layers.append(
            {
                "shape": list(W.shape),
                "W": _b64(W.astype(np.float32)),
                "b": _b64(layer.b.astype(np.float32)),
                "hist": counts.tolist(),
                "zeros": int(np.count_nonzero(W == 0)),
            }
        )
    return {
        "layers": layers,
        "hist_range": [float(edges[0]), float(edges[-1])],
        "zeros": int(np.count_nonzero(w == 0)),
        "n_weights": int(w.size),
        "norm": float(np.sqrt(np.dot(w, w))),
    }


def snapshot(session, *, full: bool = True) -> dict:
    """The page's view of ``session``; ``full=False`` leaves out the data points."""
    s = session.settings
    raw = session.data.raw
    dims = raw.n_features if raw.n_features <= 2 else 0
    G = _grid_inputs(session, GRID if dims == 2 else CURVE_POINTS) if dims else None
    U = _grid_inputs(session, UNIT_GRID if dims == 2 else 40) if dims else None
    nets = []
    for t, curves in zip(session.trainees, session.curves):
        entry = {
            "step": t.step_count,
            "epoch": t.epoch,
            "steps_per_epoch": t.steps_per_epoch,
            "weights": _weights(t),
            "curves": curves.points,
            "changes": list(t.changes),
            "settings": t.settings.to_dict(),
        }
        if G is not None:
            entry["output"] = _output_map(session, t, G)
            entry["units"] = _unit_maps(t, U)
            if t.net.n_outputs > 1:  # each class's probability on the small grid
                probs = np.asarray(t.net.predict(U), dtype=np.float64)
                entry["output_units"] = [_bytes(probs[:, k]) for k in range(probs.shape[1])]
        nets.append(entry)
    snap = {
        "type": "snapshot",
        "task": session.data.model_ds.task,
        "loss": session.data.loss,
        "dims": dims,
        "domain": _domain(raw) if dims else [],
        "grid": GRID if dims == 2 else CURVE_POINTS,
        "unit_grid": UNIT_GRID if dims == 2 else 40,
        "feature_names": session.data.model_ds.feature_names,
        "class_names": session.data.model_ds.class_names,
        "nets": nets,
        "paused_reason": session.paused_reason,
        "query": s.to_query(),
    }
    if dims == 1 or session.data.model_ds.task == "regression":
        snap["target_range"] = list(_target_range(session))
    if full:
        snap["points"] = _points(session)
        snap["settings"] = s.to_dict()
    return snap


# ------------------------------------------------------------------------------------ one weight
def inspect(trainee, layer: int, i: int, j: int | None) -> dict:
    """Value, gradient split into data and penalty parts, and the last applied update.

    ``layer`` indexes the Dense layers; ``j=None`` selects the bias of unit ``i``.
    The penalty part is the coupled regularizer's gradient at the weight's value
    before the step ($l_1\\,\\mathrm{sign}(w) + 2 l_2 w$, the L1 term left out when
    proximal); the data part is the rest of the gradient the step used.
    """
    net = trainee.net
    if not 0 <= layer < len(net.dense_layers):
        raise IndexError("no such layer")
    d = net.dense_layers[layer]
    offset_w = sum(x.W.size for x in net.dense_layers[:layer])
    offset_b = net.n_weights + sum(x.b.size for x in net.dense_layers[:layer])
    if j is None:
        if not 0 <= i < d.b.size:
            raise IndexError("no such bias")
        k, reg, name = offset_b + i, d.bias_regularizer, f"b[{layer}][{i}]"
    else:
        if not (0 <= i < d.W.shape[0] and 0 <= j < d.W.shape[1]):
            raise IndexError("no such weight")
        k, reg, name = offset_w + i * d.W.shape[1] + j, d.weight_regularizer, f"W[{layer}][{i},{j}]"
    s = trainee.settings
    out = {"name": name, "value": float(net.params[k]), "optimizer": s.optimizer}
    if trainee.last_step is None:
        return out
    before, grads, after = trainee.last_step
    w0 = before[k : k + 1].copy()
    pen = np.zeros_like(w0)
    if reg is not None:
        reg.add_grad(w0, pen)
    g = float(grads[k])
    out.update(
        {
            "before": float(before[k]),
            "grad": g,
            "grad_penalty": float(pen[0]),
            "grad_data": g - float(pen[0]),
            "update": float(after[k]) - float(before[k]),
            "lr": float(trainee.optimizer.current_lr),
            "formula": _formula(trainee, k),
        }
    )
    return out


def _formula(trainee, k: int) -> str:
    s, opt = trainee.settings, trainee.optimizer
    lr = opt.current_lr
    decay = f" − η·λ·w (λ = {s.weight_decay:g})" if s.weight_decay else ""
    prox = " then soft-threshold by η·l1" if s.l1_proximal and s.l1 else ""
    if s.optimizer == "sgd" and s.momentum:
        b = float(opt.state["momentum_buffer"][k])
        return f"b ← μ·b + g = {b:.4g} (μ = {s.momentum:g}); Δw = −η·b{decay}, η = {lr:.4g}{prox}"
    if s.optimizer == "sgd":
        return f"Δw = −η·g{decay}, η = {lr:.4g}{prox}"
    if s.optimizer in ("adam", "adamw"):
        m, v = float(opt.state["exp_avg"][k]), float(opt.state["exp_avg_sq"][k])
        return (
            f"m = {m:.4g}, v = {v:.4g}, t = {opt.t}; Δw = −η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)"
            f"{decay}, η = {lr:.4g}{prox}"
        )
    v = float(opt.state["square_avg"][k])
    return f"v = {v:.4g}; Δw = −η·g / (√v + ε){decay}, η = {lr:.4g}{prox}"
