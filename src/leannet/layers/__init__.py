"""Layers: each ``forward(X, training) -> (Y, backward)``."""

from .activations import ACTIVATIONS, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .base import Layer
from .dense import Dense
from .dropout import Dropout
from .noise import GaussianNoise

LAYER_CLASSES = {
    cls.__name__: cls
    for cls in (
        Dense,
        Identity,
        Sigmoid,
        Tanh,
        ReLU,
        LeakyReLU,
        Softmax,
        Dropout,
        GaussianNoise,
    )
}

__all__ = [
    "ACTIVATIONS",
    "LAYER_CLASSES",
    "Dense",
    "Dropout",
    "GaussianNoise",
    "Identity",
    "Layer",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
]
