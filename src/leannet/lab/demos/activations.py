"""``leannet demo activations``: the activation functions and their derivatives.

The curves are computed by leannet's own layers: ``forward`` gives f(x) and the
returned ``backward`` applied to ones gives f'(x), so the plot also checks the
derivatives against finite differences.
"""

from __future__ import annotations

import numpy as np

from ..runs import atomic_write_json
from ._base import DemoContext, DemoResult

NAME = "activations"
SUMMARY = "sigmoid, tanh, ReLU, leaky ReLU: functions and derivatives, from leannet's layers"


def _curves():
    from ...layers.activations import LeakyReLU, ReLU, Sigmoid, Tanh

    layers = {
        "sigmoid": Sigmoid(),
        "tanh": Tanh(),
        "relu": ReLU(),
        "leaky_relu (0.1)": LeakyReLU(alpha=0.1),
    }

    def pair(layer):
        def f(x):
            return layer.forward(x[:, None].astype(np.float64))[0][:, 0]

        def df(x):
            X = x[:, None].astype(np.float64)
            _, backward = layer.forward(X)
            return backward(np.ones_like(X))[:, 0]

        return f, df

    return {name: pair(layer) for name, layer in layers.items()}


def run(ctx: DemoContext) -> DemoResult:
    from ... import plots as P
    from ..report import write_reports

    funcs = _curves()
    points = [-2.0, -0.5, 0.5, 2.0]
    rows, max_err = [], {}
    x = np.linspace(-4, 4, 81 if ctx.quick else 801)
    x = x[np.abs(x) > 1e-3]  # finite differences are not defined at the kink of ReLU
    for name, (f, df) in funcs.items():
        pts = np.array(points)
        rows.append([name, *(f"{v:.4f}" for v in f(pts)), *(f"{v:.4f}" for v in df(pts))])
        h = 1e-5
        numeric = (f(x + h) - f(x - h)) / (2 * h)
        max_err[name] = float(np.max(np.abs(numeric - df(x))))
    columns = ["activation", *[f"f({p:g})" for p in points], *[f"f'({p:g})" for p in points]]
    figure = P.plot_activations(funcs, ctx.run_dir / "activations.png")
    conclusions = [
        "Largest gap between the layers' backward pass and central finite differences on "
        "[-4, 4]: " + ", ".join(f"{n} {e:.1e}" for n, e in max_err.items()) + ".",
        f"Sigmoid's derivative peaks at {funcs['sigmoid'][1](np.array([0.0]))[0]:.2f} (x = 0), "
        f"tanh's at {funcs['tanh'][1](np.array([0.0]))[0]:.2f}: sigmoid layers pass back at most "
        "a quarter of the gradient, one reason deep sigmoid networks learn slowly.",
        "ReLU's derivative is 0 for x < 0 (a unit stuck there stops learning); leaky ReLU keeps "
        "a small slope there.",
    ]
    atomic_write_json(
        ctx.run_dir / "run.json",
        {
            "title": "leannet demo activations",
            "description": "Activation functions and their derivatives, computed by leannet's layers.",
            "sections": [
                {
                    "heading": "Functions and derivatives",
                    "tables": [
                        {"title": "Values at a few points", "columns": columns, "rows": rows}
                    ],
                    "figures": [
                        {
                            "file": figure,
                            "caption": "Activations (left) and their derivatives (right)",
                        }
                    ],
                }
            ],
            "conclusions": conclusions,
            "figures": [],
        },
    )
    atomic_write_json(ctx.run_dir / "metrics.json", {"finite_difference_max_error": max_err})
    reports = write_reports(ctx.run_dir, pdf=ctx.pdf)
    return DemoResult("Activation functions", columns, rows, conclusions, ctx.run_dir, reports)
