"""leannet: neural networks from scratch in NumPy, with regularization you can see.

>>> import leannet as ln
>>> net = ln.Sequential([ln.Dense(2, 8, weight_regularizer=ln.L2(1e-3)), ln.ReLU(),
...                      ln.Dense(8, 1), ln.Sigmoid()], seed=0)
"""

from . import losses, optimizers, regularizers, schedules
from .builder import build_mlp, build_optimizer
from .callbacks import Callback, EarlyStopping
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
from .losses import MSE, BinaryCrossEntropy, CategoricalCrossEntropy, Loss
from .network import Sequential
from .optimizers import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop
from .regularizers import L1, L1L2, L2, Regularizer
from .run import Run, open_run, report
from .schedules import CosineDecay, ExponentialDecay, InverseTimeDecay, Schedule, StepDecay
from .serialization import load
from .sweep import sweep

__version__ = "0.1.0"

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
    "gradcheck",
    "load",
    "losses",
    "optimizers",
    "regularizers",
    "schedules",
    "sweep",
]
