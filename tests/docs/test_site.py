"""The documentation site builds with ``mkdocs build --strict``: a broken link, a missing page
or a docstring the API reference cannot render fails the build. Built offline."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("mkdocs")
pytest.importorskip("mkdocstrings")
pytest.importorskip("mkdocs_jupyter")


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path):
    site = tmp_path / "site"
    # tests/docs/test_tutorials.py executes the tutorials; here they are only rendered
    env = {**os.environ, "LEANNET_DOCS_EXECUTE": "false", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    shutil.rmtree(ROOT / ".cache" / "mkdocs-jupyter", ignore_errors=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    for page in (
        "index.html",
        "tutorials/07_exercises/index.html",
        "cli/index.html",
        "api/exercises/index.html",
        "guarantees/index.html",
        "concepts/index.html",
        "sklearn/index.html",
        "playground/index.html",
        "architecture/index.html",
    ):
        assert page in pages, page
    cli = (site / "cli" / "index.html").read_text()
    assert "leannet sweep" in cli and "--grid" in cli  # generated from the parser
    api = (site / "api" / "exercises" / "index.html").read_text()
    assert "check_network_gradients" in api and "layout" in api  # rendered docstrings
    assert "Files are written atomically" in (site / "guarantees" / "index.html").read_text()
    assert (site / "javascripts" / "katex" / "katex.min.js").is_file()  # math, vendored
    assert 'class="arithmatex"' in (site / "concepts" / "index.html").read_text()
    # docstring formulas render as math in the API reference, not as Sphinx markup
    losses = (site / "api" / "losses" / "index.html").read_text()
    assert r'<span class="arithmatex">\(\frac{1}{NK}\sum (p - y)^2\)' in losses
    assert '<div class="arithmatex">' in losses  # the Poisson loss's displayed formula
    for page in (site / "api").rglob("*.html"):
        assert ":math:" not in page.read_text(), page
        # nor Sphinx cross-reference roles (a raw ":func:" before the name's code)
        assert not re.search(r":(?:func|class|meth|mod|attr|data|exc):<code>", page.read_text())
    # docstrings' [`Name`][leannet.x.Name] references render as links to the documented object
    assert (
        'href="../notebooks/#leannet.live.ProgressBar"><code>ProgressBar'
        in (site / "api" / "training" / "index.html").read_text()
    )
    # the navigation lists every page (an omitted one fails --strict: see mkdocs.yml)
    home = (site / "index.html").read_text()
    for href in ("sklearn/", "playground/", "architecture/", "api/datasets/"):
        assert f'href="{href}"' in home, href
    # nothing is loaded from another host when a page opens (no web fonts, no CDN scripts)
    for page in site.rglob("*.html"):
        remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="https?://[^"]+"', page.read_text())
        assert not remote, (page, remote)
