"""Checks of a run directory's reports, shared by the lab tests."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.tags, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.imgs.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def check_run_reports(run_dir: Path, *, expect_figures: int = 1) -> dict:
    """Parse report.html (every image embedded as a PNG data: URI, each figure of run.json
    shown), check report.md/.tex mention the same figures, and render report.pdf to PNG
    pages when pdftoppm is installed. Returns what was found."""
    run_dir = Path(run_dir)
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(html)
    parser.close()
    assert parser.tags[:2] == ["html", "head"]
    assert len(parser.imgs) >= expect_figures
    for img in parser.imgs:
        src = img["src"]
        assert src.startswith("data:image/png;base64,"), src[:40]
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG_MAGIC)
    assert 'src="http' not in html and "<link" not in html  # self-contained
    pngs = sorted(p.name for p in run_dir.glob("*.png"))
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    tex = (run_dir / "report.tex").read_text(encoding="utf-8")
    shown = [line.split("(")[-1].rstrip(")") for line in md.splitlines() if line.startswith("![")]
    assert shown and set(shown) <= set(pngs)
    assert len(parser.imgs) == len(shown)
    for name in shown:
        assert re.search(
            r"\\includegraphics\[width=0\.\d+\\linewidth\]\{" + re.escape(name) + "}", tex
        ), name
    text = " ".join(parser.text)
    return {"html_text": text, "md": md, "tex": tex, "figures": shown}


def check_pdf(run_dir: Path, tmp_path: Path) -> int:
    """report.pdf exists when pdflatex does, and renders to PNG pages; returns the page count."""
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed, so report.pdf is not made")
    pdf = Path(run_dir) / "report.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed, cannot render report.pdf")
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(out)], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.read_bytes().startswith(PNG_MAGIC) for p in pages)
    return len(pages)


@pytest.fixture
def reports_ok():
    return check_run_reports


@pytest.fixture
def pdf_ok():
    return check_pdf


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
