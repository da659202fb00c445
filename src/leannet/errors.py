"""Exceptions raised by leannet.

Every error leannet raises on purpose derives from `LeannetError`, and
also from the built-in type a Python user would expect (``ValueError`` for bad
values, ``TypeError`` for wrong types), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

#: Longest message an error shows; a forged file (200k member names, a huge label)
#: must not turn one error into megabytes on stderr.
MAX_MESSAGE_CHARS = 2000


def bound_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


class LeannetError(Exception):
    """Base class of every error leannet raises on purpose; its message is bounded."""

    def __str__(self) -> str:
        return bound_message(super().__str__())


class ConfigError(LeannetError, ValueError):
    """A bad argument or configuration value; the message names it and the fix."""


class DataError(LeannetError, ValueError):
    """Input data that cannot be used as given (shape, NaN, labels, dtype)."""


class ModelFileError(LeannetError, ValueError):
    """A model or checkpoint file that is missing, corrupted, or not leannet's."""


class TrainingDiverged(LeannetError, ArithmeticError):
    """The loss or the parameters became NaN or infinite during training.

    Attributes:
        epoch: the (1-based) epoch during which the divergence was detected.
        history: the History up to the last complete epoch, or None.
    """

    def __init__(self, message: str, *, epoch: int, history=None):
        super().__init__(message)
        self.epoch = epoch
        self.history = history


class FileWriteError(LeannetError, OSError):
    """A file could not be written (disk full, read-only or missing directory).

    Raised by leannet's atomic writers; the file previously stored under the
    same name, if any, is left unchanged.

    Attributes:
        filename: the path that could not be written.
        errno: the operating system's error number, when there is one (else None).
    """

    def __init__(self, message: str, *, filename: str, errno: int | None = None):
        super().__init__(message)
        self.message = message
        self.filename = filename
        self.errno = errno

    def __str__(self) -> str:  # OSError would print "[Errno n] None" once errno is set
        return bound_message(self.message)
