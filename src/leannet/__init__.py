"""leannet: neural networks from scratch in NumPy, with regularization you can see.

>>> import leannet as ln
>>> net = ln.Sequential([ln.Dense(2, 8, weight_regularizer=ln.L2(1e-3)), ln.ReLU(),
...                      ln.Dense(8, 1), ln.Sigmoid()], seed=0)

``import leannet`` loads the core only. The applications built on it load on first
use: ``ln.datasets`` ([`leannet.datasets`][leannet.datasets]: ``ln.datasets.load_dataset("spiral")``,
the generators and file loaders), ``ln.sweep`` (`leannet.sweep`), ``ln.lab``,
``ln.sklearn`` (the
scikit-learn estimators, which import scikit-learn) and ``ln.report``, ``ln.Run``,
``ln.open_run`` ([`leannet.lab.notebook`][leannet.lab.notebook]). This module is the package's front door:
no module of leannet imports it, so these names point down from the top.
"""

import importlib
import sys
import types

from . import losses, optimizers, regularizers, schedules
from ._version import __version__ as __version__
from .builder import build_mlp, build_optimizer
from .callbacks import Callback, EarlyStopping, ProgressPrinter
from .checkpoint import Checkpoint
from .errors import (
    ConfigError,
    DataError,
    LeannetError,
    ModelFileError,
    TrainingDiverged,
)
from .gradcheck import gradcheck
from .history import History
from .layers import (
    Dense,
    Dropout,
    GaussianNoise,
    Identity,
    Layer,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
)
from .live import LivePlot, ProgressBar
from .losses import MSE, BinaryCrossEntropy, CategoricalCrossEntropy, Loss, Poisson
from .network import Sequential
from .optimizers import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop
from .regularizers import L1, L1L2, L2, Regularizer
from .schedules import (
    CosineDecay,
    ExponentialDecay,
    InverseScaling,
    InverseTimeDecay,
    Schedule,
    StepDecay,
)
from .serialization import load

# name -> (module, attribute or None for the module itself), imported on first access
_LAZY = {"datasets": ("leannet.datasets", None),
         "sweep": ("leannet.sweep", "sweep"), "lab": ("leannet.lab", None),
         "sklearn": ("leannet.sklearn", None), "report": ("leannet.lab.notebook", "report"),
         "Run": ("leannet.lab.notebook", "Run"), "open_run": ("leannet.lab.notebook", "open_run")}  # fmt: skip


class _Package(types.ModuleType):
    """``leannet`` itself: importing the subpackage ``leannet.sweep`` must not replace the
    function ``ln.sweep`` (the import system binds each submodule on its package)."""

    def __setattr__(self, name, value):
        if name in _LAZY and isinstance(value, types.ModuleType) and _LAZY[name][1]:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'leannet' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later accesses skip this function
    return value


def __dir__() -> list[str]:
    """The loaded names and the lazy ones (so that Jupyter's completion offers them)."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "MSE",
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "BinaryCrossEntropy",
    "Callback",
    "CategoricalCrossEntropy",
    "Checkpoint",
    "ConfigError",
    "CosineDecay",
    "DataError",
    "Dense",
    "Dropout",
    "EarlyStopping",
    "ExponentialDecay",
    "GaussianNoise",
    "History",
    "Identity",
    "InverseScaling",
    "InverseTimeDecay",
    "L1",
    "L1L2",
    "L2",
    "LivePlot",
    "ProgressBar",
    "Run",
    "open_run",
    "report",
    "Layer",
    "LeakyReLU",
    "LeannetError",
    "Loss",
    "ModelFileError",
    "Optimizer",
    "Poisson",
    "ProgressPrinter",
    "RMSprop",
    "ReLU",
    "Regularizer",
    "Schedule",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "StepDecay",
    "Tanh",
    "TrainingDiverged",
    "build_mlp",
    "build_optimizer",
    "datasets",
    "gradcheck",
    "load",
    "losses",
    "optimizers",
    "regularizers",
    "schedules",
    "sweep",
]
