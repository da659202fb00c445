"""The sweep report files (HTML, Markdown, LaTeX, PDF)."""

from __future__ import annotations

import pytest

from leannet.sweep import sweep

from ._helpers import FAST


def test_report_files(cancer, tmp_path):
    X, y = cancer
    result = sweep(X, y, grid={"l2": [0.0, 1e-2, 1e-1]}, params=FAST, cv=2, n_jobs=1)
    paths = result.write_report(tmp_path / "rep", pdf=False)
    md = paths["md"].read_text()
    for row in result.table:
        assert f"l2={row['params']['l2']}" in md
    assert "best" in md and "1-SE" in md and "(sweep.png)" in md
    assert paths["figure"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "data:image/png;base64," in paths["html"].read_text()
    assert "\\begin{tabular}" in paths["tex"].read_text()
    assert not list((tmp_path / "rep").glob(".*tmp"))  # atomic writes leave no temp files


@pytest.mark.slow
def test_report_pdf_when_a_tex_engine_is_installed(cancer, tmp_path):
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    X, y = cancer
    result = sweep(X, y, grid={"l2": [0.0, 1e-2]}, params=FAST, cv=2, n_jobs=1, warm_path=True)
    paths = result.write_report(tmp_path / "rep")
    assert paths["pdf"].read_bytes()[:5] == b"%PDF-", paths["pdf_message"]
