"""What every demo shares: its context (options, run directory, output) and result."""

from __future__ import annotations

import contextlib
import math
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

import numpy as np

__all__ = ["DemoContext", "DemoResult", "mean_std", "paired_difference"]


@dataclass
class DemoContext:
    """Options of one ``leannet demo`` call."""

    run_dir: Path
    quick: bool = False
    quiet: bool = False
    log_every: int | None = None
    pdf: bool = True
    seeds: int | None = None
    data: str | None = None
    stream: TextIO = field(default_factory=lambda: sys.stdout)

    def log(self, message: str) -> None:
        """A progress line (suppressed by --quiet)."""
        if not self.quiet:
            print(message, file=self.stream, flush=True)

    @contextlib.contextmanager
    def steps(self, total: int, description: str):
        """Progress over the fits of a demo: yields ``step(message)``.

        A live rich bar (with the last message) on a terminal, otherwise one plain
        line per step; nothing with --quiet.
        """
        if self.quiet:
            yield lambda message: None
            return
        if not (hasattr(self.stream, "isatty") and self.stream.isatty()):
            yield self.log
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[last]}"),
            console=Console(file=self.stream),
        ) as bar:
            task = bar.add_task(description, total=total, last="")

            def step(message: str) -> None:
                bar.update(task, advance=1, last=message.strip())

            yield step

    def progress(self, epochs: int, description: str):
        """A progress callback for one long fit (None when quiet)."""
        from ..progress import make_progress_callback

        return make_progress_callback(
            epochs,
            quiet=self.quiet,
            log_every=self.log_every,
            stream=self.stream,
            description=description,
        )

    def finish(self, record, sections: list, conclusions: list, table: tuple):
        """Write the demo's run directory and return what the CLI prints.

        Args:
            record: the saved model and its data (a
                `RunRecord`).
            sections: the demo's report sections (tables and figures, as dicts).
            conclusions: its conclusions, each computed from its numbers.
            table: ``(title, columns, rows)`` of the table the CLI prints.
        """
        from ..run_record import write_run

        record = replace(record, sections=list(sections), conclusions=list(conclusions))
        metrics = write_run(self.run_dir, record, pdf=self.pdf)
        title, columns, rows = table
        return DemoResult(
            title, columns, rows, record.conclusions, self.run_dir, metrics["reports"]
        )


@dataclass
class DemoResult:
    """What the CLI prints after a demo: a table and the conclusions."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    conclusions: list[str]
    run_dir: Path
    reports: dict = field(default_factory=dict)


def mean_std(values) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1; 0 for a single value)."""
    a = np.asarray(values, dtype=float)
    return float(a.mean()), float(a.std(ddof=1)) if a.size > 1 else 0.0


def paired_difference(a, b) -> tuple[float, float]:
    """Mean of ``a - b`` over paired repeats and its standard error."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    se = float(d.std(ddof=1) / math.sqrt(d.size)) if d.size > 1 else math.inf
    return float(d.mean()), se


def pm(values, scale: float = 100.0, digits: int = 1) -> str:
    """'mean ± std' of values (scaled, e.g. to percent)."""
    m, s = mean_std(values)
    return f"{scale * m:.{digits}f} ± {scale * s:.{digits}f}"
