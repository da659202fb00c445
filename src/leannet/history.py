"""The record of a training run."""

from __future__ import annotations


class History:
    """Per-epoch metrics of `Sequential.fit`.

    Attributes:
        history: dict of lists, one value per completed epoch: ``loss`` (data +
            penalty), ``data_loss``, ``reg_loss``, ``accuracy`` (classification),
            ``lr``, and the same with ``val_`` for validation data.
        epoch: the 1-based numbers of the completed epochs.
        interrupted: True if training stopped early on Ctrl-C (SIGINT).
        stopped_epoch: the epoch at which a callback stopped training, else None.

    ``loss`` of an epoch is the sample-weighted mean of its batch losses, each
    computed before that batch's update (as the source tutorials print it).
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.interrupted = False
        self.stopped_epoch: int | None = None

    def append(self, epoch: int, logs: dict) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __contains__(self, key: str) -> bool:
        return key in self.history

    def __len__(self) -> int:
        return len(self.epoch)

    def last(self) -> dict:
        """The metrics of the last completed epoch."""
        return {k: v[-1] for k, v in self.history.items() if v}

    def to_dict(self) -> dict:
        return {
            "history": {k: list(v) for k, v in self.history.items()},
            "epoch": list(self.epoch),
            "interrupted": self.interrupted,
            "stopped_epoch": self.stopped_epoch,
        }

    @classmethod
    def from_dict(cls, data: dict) -> History:
        hist = cls()
        hist.history = {k: [float(x) for x in v] for k, v in data.get("history", {}).items()}
        hist.epoch = [int(e) for e in data.get("epoch", [])]
        hist.interrupted = bool(data.get("interrupted", False))
        stopped = data.get("stopped_epoch")
        hist.stopped_epoch = None if stopped is None else int(stopped)
        return hist

    def plot(self, *, title: str = ""):
        """Training curves as a matplotlib Figure (see [`leannet.figures.plot_history`][leannet.figures.plot_history])."""
        from .figures import plot_history

        return plot_history(self, title=title)

    def _repr_html_(self) -> str:
        from .display import history_html

        return history_html(self)

    def __repr__(self) -> str:
        from .display import history_text

        return history_text(self)
