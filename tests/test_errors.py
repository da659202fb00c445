"""Error classes: each is a LeannetError and the built-in type a Python user would catch."""

from __future__ import annotations

import pytest

import leannet as ln
from leannet.errors import FileWriteError


@pytest.mark.parametrize(
    "cls, builtin",
    [
        (ln.ConfigError, ValueError),
        (ln.DataError, ValueError),
        (ln.ModelFileError, ValueError),
        (ln.TrainingDiverged, ArithmeticError),
        (FileWriteError, OSError),
    ],
)
def test_every_error_is_a_leannet_error_and_its_builtin(cls, builtin):
    assert issubclass(cls, ln.LeannetError) and issubclass(cls, builtin)


def test_training_diverged_carries_epoch_and_history():
    history = ln.History()
    err = ln.TrainingDiverged("diverged in epoch 3", epoch=3, history=history)
    assert err.epoch == 3 and err.history is history and str(err) == "diverged in epoch 3"


def test_file_write_error_prints_its_message_not_the_errno_form():
    err = FileWriteError("cannot write /x: disk full", filename="/x", errno=28)
    assert str(err) == "cannot write /x: disk full"
    assert err.filename == "/x" and err.errno == 28


def test_a_bad_argument_raises_config_error_that_except_value_error_catches():
    with pytest.raises(ValueError, match="epochs must be a whole number >= 1"):
        ln.build_mlp(2, [2], 1, loss="mse").fit([[0.0, 0.0]], [0.0], loss="mse", epochs=0)
