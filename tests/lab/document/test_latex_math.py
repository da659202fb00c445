"""The PDF shows what the HTML shows: ∈, ->, x^2 and ||W||_2 typeset as math, not raw."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from leannet.lab.document import tex_escape
from leannet.lab.document.latex import render_latex
from leannet.lab.document.model import Document, Section


@pytest.mark.parametrize(
    ("text", "tex"),
    [
        ("||W||_2 per layer", r"\ensuremath{\Vert}W\ensuremath{\Vert}\textsubscript{2} per layer"),
        ("4 -> 8", r"4 \ensuremath{\rightarrow} 8"),
        ("lr 10^-3, x^2", r"lr 10\textsuperscript{-3}, x\textsuperscript{2}"),
        ("y ∈ {0, 1}", r"y \ensuremath{\in} \{0, 1\}"),
        ("a ^ b", r"a \textasciicircum{} b"),  # a lone caret is text
    ],
)
def test_math_in_plain_text_is_typeset(text, tex):
    assert tex_escape(text) == tex


@pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("pdftotext"), reason="no TeX")
def test_pdf_text_has_the_symbols(tmp_path):
    line = "Weight norms ||W||_2: 4 -> 8, y ∈ {0, 1}, x^2, ŷ"
    doc = Document("math", "", [Section("S", paragraphs=[line])])
    (tmp_path / "r.tex").write_text(render_latex(doc, tmp_path))
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "r.tex"],
        cwd=tmp_path, capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "r.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert "?" not in text and "->" not in text and "||" not in text and "^" not in text
    assert "∈" in text and "→" in text


NAMES = "Côte d’Ivoire, Zürich, São Paulo, Łódź, Straße, Ørsted, Dvořák, Ærø, ñandú"
# (€ is drawn as \texteuro, which the fonts here do not map back to text: not checked)


def _pdf_text(tmp_path, doc):
    (tmp_path / "r.tex").write_text(render_latex(doc, tmp_path))
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "r.tex"],
        cwd=tmp_path, capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    return subprocess.run(
        ["pdftotext", "r.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("pdftotext"), reason="no TeX")
def test_pdf_shows_accented_names_and_code_points_for_the_rest(tmp_path):
    """Class and column names from users' files: every Latin letter as in the HTML; a
    character no pdflatex font holds is its code point, never a bare '?'."""
    doc = Document("names", "", [Section("S", paragraphs=[NAMES, "penguin 企鹅 🐧"])])
    text = " ".join(_pdf_text(tmp_path, doc).split())
    for word in NAMES.replace(",", "").split():
        assert word.replace("’", "'") in text.replace("’", "'"), word
    assert "penguin <U+4F01><U+9E45> <U+1F427>" in text
    assert "?" not in text


def test_a_section_of_floats_carries_its_heading_inside_the_float():
    from leannet.lab.document.model import Figure, Table

    doc = Document("t", "", [
        Section("Training curves", figures=[Figure("curves.png", "loss")]),
        Section("Weights", paragraphs=["text"], tables=[Table("w", ["a"], [["1"]])]),
    ])  # fmt: skip
    tex = render_latex(doc)
    assert r"\section*{Training curves}" not in tex
    figure = tex[tex.index(r"\begin{figure}") : tex.index(r"\end{figure}")]
    assert "Training curves" in figure
    assert r"\section*{Weights}" in tex  # a section with text keeps its heading in the text
    assert "[H]" not in tex and r"\renewcommand{\floatpagefraction}{0.8}" in tex
