"""PDF: ``pdflatex`` run on the LaTeX report in a temporary directory, when installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..._atomic import atomic_write_bytes
from .files import check_figure_name, figure_bytes

__all__ = ["compile_pdf", "find_tex_engine"]


def find_tex_engine() -> str | None:
    """Path of ``pdflatex`` if installed, else None."""
    return shutil.which("pdflatex")


def compile_pdf(
    tex: str, run_dir: Path, figures: list[str], *, timeout: float = 120
) -> tuple[bool, str]:
    """Compile ``tex`` with pdflatex in a temporary directory; on success write
    ``run_dir/report.pdf`` atomically. Returns ``(ok, message)``."""
    engine = find_tex_engine()
    if engine is None:
        return False, "no TeX engine (pdflatex) installed; report.pdf skipped"
    with tempfile.TemporaryDirectory(prefix="leannet-tex-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "report.tex").write_text(tex, encoding="utf-8")
        for name in figures:  # plain names only: nothing is written outside tmpdir
            (tmpdir / check_figure_name(name)).write_bytes(figure_bytes(run_dir, name))
        try:
            proc = subprocess.run(
                [engine, "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
                cwd=tmpdir,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False, f"pdflatex took longer than {timeout:.0f} s; report.pdf skipped"
        pdf = tmpdir / "report.pdf"
        if proc.returncode != 0 or not pdf.exists():
            log = proc.stdout.decode("utf-8", "replace")
            err = [ln for ln in log.splitlines() if ln.startswith("!")]
            return (
                False,
                f"pdflatex failed ({err[0] if err else 'see report.tex'}); report.pdf skipped",
            )
        atomic_write_bytes(run_dir / "report.pdf", pdf.read_bytes())
    return True, "report.pdf written"
