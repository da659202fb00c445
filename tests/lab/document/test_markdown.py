"""Markdown: pipe tables with numeric columns right-aligned, cells escaped."""

from __future__ import annotations

from leannet.lab.document import Document, Figure, Section, Table
from leannet.lab.document.markdown import markdown_table, render_markdown


def test_markdown_table_aligns_numbers_and_escapes_pipes():
    t = Table("", ["name", "score", "note"], [["a|b", "0.5", "x"], ["c", "–", "1 y"]])
    assert markdown_table(t) == [
        "| name | score | note |",
        "| --- | ---: | --- |",
        "| a\\|b | 0.5 | x |",
        "| c | – | 1 y |",
    ]


def test_render_markdown_has_every_part_in_order():
    doc = Document(
        "Title",
        "sub",
        [
            Section(
                "S",
                paragraphs=["p1"],
                bullets=["b1"],
                tables=[Table("T", ["k", "v"], [["a", "1"]], note="n")],
                figures=[Figure("f.png", "cap")],
            )
        ],
    )
    text = render_markdown(doc)
    order = ["# Title", "sub", "## S", "p1", "**T**", "| k | v |", "*n*", "- b1", "![cap](f.png)"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
