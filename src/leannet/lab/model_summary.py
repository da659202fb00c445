"""What a report says about a network: its layers and its weights."""

from __future__ import annotations

import numpy as np

__all__ = ["architecture", "weight_stats"]


def architecture(net) -> dict:
    """Layers, shapes, parameter counts and regularizers, for the report."""
    layers = []
    for layer in net.layers:
        cfg = layer.get_config() if hasattr(layer, "get_config") else {}
        name = type(layer).__name__
        entry = {"name": name, "shape": "", "params": 0, "regularization": ""}
        if name == "Dense":
            entry["shape"] = f"{layer.n_in} -> {layer.n_out}"
            entry["params"] = int(layer.n_in * layer.n_out + layer.n_out)
            regs = []
            for key, label in (("weight_regularizer", "W"), ("bias_regularizer", "b")):
                r = getattr(layer, key, None)
                if r is not None:
                    bits = [f"L1={r.l1:g}"] if getattr(r, "l1", 0) else []
                    bits += [f"L2={r.l2:g}"] if getattr(r, "l2", 0) else []
                    if getattr(r, "proximal", False):
                        bits.append("proximal")
                    regs.append(f"{label}: {' '.join(bits)}")
            if getattr(layer, "max_norm", None):
                regs.append(f"max-norm {layer.max_norm:g}")
            entry["regularization"] = "; ".join(regs)
        elif name == "Dropout":
            entry["regularization"] = f"rate {cfg.get('rate', getattr(layer, 'rate', ''))}"
        elif name == "GaussianNoise":
            entry["regularization"] = f"stddev {cfg.get('stddev', getattr(layer, 'stddev', ''))}"
        elif name == "LeakyReLU":
            entry["shape"] = f"alpha {cfg.get('alpha', '')}"
        layers.append(entry)
    return {"layers": layers, "n_params": int(net.n_params), "dtype": str(net.dtype)}


def weight_stats(net) -> dict:
    """Per weight matrix: L2 (Frobenius) norm, mean and max |w|, exact zeros."""
    out = {}
    for name, w in net.parameters():
        if not name.endswith(".W"):
            continue
        a = np.abs(np.asarray(w, dtype=np.float64))
        out[name] = {
            "shape": "x".join(map(str, w.shape)),
            "l2_norm": float(np.sqrt((a * a).sum())),
            "mean_abs": float(a.mean()),
            "max_abs": float(a.max()),
            "n_zero": int((a == 0).sum()),
            "size": int(a.size),
        }
    return out
