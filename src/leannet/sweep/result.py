"""What a sweep returns: [`SweepResult`][leannet.sweep.result.SweepResult], its text summary and its table."""

from __future__ import annotations

from dataclasses import dataclass, field

from .format import CV_COLUMNS, cv_table_rows, fmt_setting, pm, sweep_html, sweep_text

__all__ = ["SweepResult", "describe_estimator"]


@dataclass
class SweepResult:
    """What a sweep found. ``table`` rows are settings, in grid order.

    Attributes:
        table: one dict per setting: ``params``, ``train_mean``, ``train_std``,
            ``val_mean``, ``val_std``, ``val_se``, ``weight_norm``, ``zero_share``,
            ``n_iter``, ``fit_time``, ``n_folds``.
        best, simplest: the chosen rows (best mean validation score; simplest
            within one standard error of it).
        refits: ``{"best": record, "simplest": record}``: refit on all training
            rows, with ``test_score`` (None when there is no test split).
        warm: comparison of the warm-started path with cold starts, or None.
        capped: ``{"fits", "of", "max_iter", "settings"}``: cross-validation fits that
            ran to the epoch cap (not converged), or None.
    """

    grid: dict
    names: list
    strength: str | None
    table: list
    best: dict
    simplest: dict
    refits: dict
    warm: dict | None
    records: list
    sweep_id: str
    cv: int
    task: str
    scoring: str
    results_path: str | None
    n_fits_run: int
    n_fits_reused: int
    elapsed_s: float
    estimator: str
    base_params: dict = field(default_factory=dict)
    capped: dict | None = None

    def cap_sentence(self) -> str | None:
        """The sentence on fits that hit the epoch cap, or None when none did."""
        c = self.capped
        if not c or not c["fits"]:
            return None
        return (
            f"{c['fits']} of {c['of']} cross-validation fits ran to the epoch cap "
            f"(max_iter={c['max_iter']}) without converging, in {c['settings']} of "
            f"{len(self.table)} settings; the chosen setting may change with more epochs."
        )

    def format_table(self) -> str:
        """Markdown table: mean ± std of training and validation score per setting."""
        from ..lab.document import Table
        from ..lab.document.markdown import markdown_table

        return "\n".join(markdown_table(Table("", CV_COLUMNS, cv_table_rows(self))))

    def summary(self) -> str:
        """A few lines: best, simplest within 1 SE, their test scores."""
        out = [
            f"best: {fmt_setting(self.best['params'])}  validation {self.scoring} "
            f"{pm(self.best['val_mean'], self.best['val_std'])}",
            f"simplest within 1 SE: {fmt_setting(self.simplest['params'])}  validation "
            f"{pm(self.simplest['val_mean'], self.simplest['val_std'])}",
        ]
        if self.cap_sentence():
            out.append(self.cap_sentence())
        for name, rec in self.refits.items():
            if rec.get("test_score") is not None:
                out.append(
                    f"refit {name} on all training data: test {self.scoring} {rec['test_score']:.4f}"
                )
        if self.warm:
            w = self.warm
            out.append(
                f"warm-started path: {w['warm_fit_time']:.2f} s, {w['warm_epochs']} epochs vs cold "
                f"{w['cold_fit_time']:.2f} s, {w['cold_epochs']} epochs; largest validation difference "
                f"{w['max_abs_val_diff']:.4f}"
            )
        return "\n".join(out)

    def plot(self, path):
        """Save the figure of scores, weight norm and zero share against the strength."""
        from .plots import plot_sweep

        return plot_sweep(self, path)

    def _repr_html_(self) -> str:
        return sweep_html(self)

    def __repr__(self) -> str:
        return sweep_text(self)

    def write_report(self, out_dir, *, pdf: bool = True) -> dict:
        """Write the figure and report.html/.md/.tex (and .pdf with a TeX engine) into
        ``out_dir``; return their paths."""
        from .report import write_report

        return write_report(self, out_dir, pdf=pdf)


def describe_estimator(estimator) -> str:
    """e.g. "StandardScaler → LeanClassifier", "standardised target: StandardScaler → LeanRegressor"."""
    if hasattr(estimator, "steps"):
        return " → ".join(describe_estimator(step) for _, step in estimator.steps)
    if type(estimator).__name__ == "StandardizedTarget":
        return f"standardised target: {describe_estimator(estimator.regressor)}"
    return type(estimator).__name__
