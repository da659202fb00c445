"""Preprocessing that travels with a model: raw tables (CSV, pandas, column mappings) in,
float features out; fitted state stored as JSON inside ``model.npz``.

Fitting needs scikit-learn (the ``cli`` or ``sklearn`` extra); the state format and its
validation (`leannet.preprocessing.state`) need only NumPy.
"""

from .preprocessor import Prepared, Preprocessor, target_values
from .state import validate_state
from .table import as_columns, is_missing, read_csv_table
from .target import scale_target_values, target_scaling, unscale_target_values

__all__ = [
    "Prepared",
    "Preprocessor",
    "as_columns",
    "is_missing",
    "read_csv_table",
    "scale_target_values",
    "target_scaling",
    "target_values",
    "unscale_target_values",
    "validate_state",
]
