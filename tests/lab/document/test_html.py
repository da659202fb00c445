"""HTML: self-contained (figures embedded), every text escaped."""

from __future__ import annotations

import base64

from leannet.lab.document import Document, Figure, Section, Table
from leannet.lab.document.html import render_html


def test_figures_are_embedded_and_text_is_escaped(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    (tmp_path / "f.png").write_bytes(png)
    doc = Document(
        "<Title>",
        "a & b",
        [
            Section(
                "S",
                paragraphs=["x < y"],
                tables=[Table("T", ["name", "n"], [["<i>", "3"]])],
                figures=[Figure("f.png", 'the "cap"')],
            )
        ],
    )
    page = render_html(doc, tmp_path)
    assert "<h1>&lt;Title&gt;</h1>" in page and "a &amp; b" in page and "x &lt; y" in page
    assert '<td class="l">&lt;i&gt;</td><td>3</td>' in page  # text left, numbers right
    assert f"data:image/png;base64,{base64.b64encode(png).decode()}" in page
    assert "f.png" not in page.replace("data:image/png", "")  # no link to a file
