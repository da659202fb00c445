"""LaTeX escaping (and the number format the tables use)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from leannet.lab.document import fmt, tex_escape


def test_fmt_and_tex_escape():
    assert fmt(3) == "3" and fmt(0.123456) == "0.1235" and fmt(1e-5) == "1.000e-05"
    assert fmt(None) == "–" and fmt(True) == "yes"
    assert tex_escape("a_b & 50% ± λ·Σ") == (
        r"a\_b \& 50\% \ensuremath{\pm} \ensuremath{\lambda}\ensuremath{\cdot}\ensuremath{\Sigma}"
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_tex_escape_leaves_no_active_characters(text):
    out = tex_escape(text)
    assert out.isascii()
    # strip the escapes we emit; what remains must hold no TeX special character
    bare = out
    for _ in range(3):  # accents nest: \'{\^{e}}
        bare = re.sub(r"\\[`'^~\"=.rcvukH]\{[^{}]*\}", "", bare)
    bare = re.sub(
        r"\\ensuremath\{\\[a-zA-Z]+\}|\\text[a-z]+\{\}|\\[a-zA-Z]+\{[^}]*\}|\\[&%$#_{}'\"]",
        "",
        bare,
    )
    assert not set(bare) & set("&%$#_{}~^\\")
