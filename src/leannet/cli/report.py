"""``leannet report RUN_DIR``: rebuild the reports of a run from its files."""

from __future__ import annotations

from pathlib import Path

from ._common import add_command

EPILOG = """\
examples:
  leannet report runs/20260101-120000-train-iris
  leannet report runs/my-run --no-pdf
"""


def register(sub) -> None:
    p = add_command(
        sub,
        "report",
        run,
        help="rebuild report.html/.md/.tex/.pdf of a run",
        description="Rebuild report.html, report.md, report.tex and (when pdflatex "
        "is installed) report.pdf from the files of a run directory.",
        epilog=EPILOG,
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="a run directory written by leannet")
    p.add_argument("--no-pdf", action="store_true", help="skip report.pdf")


def run(args) -> int:
    from ..errors import ConfigError
    from ..lab.report import write_reports
    from ..lab.run_guard import RunLock

    run_dir = Path(args.run_dir)
    if not run_dir.is_dir():
        raise ConfigError(f"run directory not found: {run_dir}")
    if not (run_dir / "run.json").exists() and not (run_dir / "metrics.json").exists():
        raise ConfigError(f"{run_dir} is not a leannet run directory (no run.json or metrics.json)")
    with RunLock(run_dir):  # not while leannet train writes this run
        written = write_reports(run_dir, pdf=not args.no_pdf)
    for key in ("html", "md", "tex", "pdf"):
        if key in written:
            print(f"wrote {written[key]}")
    if "pdf" not in written:
        print(written["pdf_message"])
    return 0
