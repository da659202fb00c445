"""Every page under docs/ is in the site's navigation (mkdocs.yml), and docstrings use the
site's math syntax: no Sphinx ``:math:`` role or ``.. math::`` block that the API
reference would show as raw text, nor a Sphinx cross-reference role (``:func:`` ...).
Fast: nothing is built here (test_site.py builds)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
yaml = pytest.importorskip("yaml")


class _Loader(yaml.SafeLoader):
    """mkdocs.yml uses ``!ENV [NAME, default]``: read the default."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def _nav_pages(entries) -> set[str]:
    pages = set()
    for entry in entries:
        values = entry.values() if isinstance(entry, dict) else [entry]
        for value in values:
            pages |= _nav_pages(value) if isinstance(value, list) else {value}
    return pages


def test_every_docs_page_is_in_the_nav():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    docs = ROOT / config.get("docs_dir", "docs")
    files = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    files |= {p.relative_to(docs).as_posix() for p in (docs / "tutorials").glob("[0-9]*.py")}
    nav = _nav_pages(config["nav"])
    assert not files - nav, f"pages missing from mkdocs.yml's nav: {sorted(files - nav)}"
    assert not nav - files, f"nav entries without a page: {sorted(nav - files)}"
    assert config["validation"]["nav"]["omitted_files"] == "warn"  # the strict build agrees


SPHINX_MATH = re.compile(r":math:`|^\s*\.\. math::", re.MULTILINE)


def test_docstrings_use_the_sites_math_syntax():
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for text in [path.read_text()]
        for m in SPHINX_MATH.finditer(text)
    ]
    assert not found, (
        "Sphinx math does not render on the site; write $x$ inline and a $$ ... $$ block "
        f"(arithmatex): {found}"
    )


# a Sphinx cross-reference role (``:func:`fit```, ``:py:class:`X```, ...) shows as raw text
# on the API pages; mkdocstrings links with [`Name`][leannet.module.Name] instead
SPHINX_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|exc|obj|const|ref|doc):`")


def test_docstrings_use_the_sites_cross_references():
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for text in [path.read_text()]
        for m in SPHINX_ROLE.finditer(text)
    ]
    assert not found, (
        "Sphinx roles do not render on the site; write [`Name`][leannet.module.Name] for an "
        f"object in the API reference, plain `Name` otherwise: {len(found)} left: {found[:20]}"
    )
