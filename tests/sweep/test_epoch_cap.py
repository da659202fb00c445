"""Fits that hit the epoch cap are counted and said to make the choice provisional."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.sweep import sweep

from ._helpers import FAST

pytest.importorskip("sklearn")


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def test_capped_fits_counted_and_reported():
    X, y = _data()
    result = sweep(X, y, grid={"l2": [0.0, 1e-2]}, params=FAST, cv=2, n_jobs=1, refit=False)
    assert result.capped == {"fits": 4, "of": 4, "max_iter": 15, "settings": 2}
    sentence = "4 of 4 cross-validation fits ran to the epoch cap (max_iter=15)"
    assert sentence in result.summary()
    assert "the chosen setting may change with more epochs" in result.summary()
    from leannet.sweep.report import build_document

    doc = build_document(result, figure=None)
    assert any(sentence in p for s in doc.sections for p in s.paragraphs)
    from leannet import __version__

    provenance = [p for s in doc.sections if s.heading == "Provenance" for p in s.paragraphs]
    assert provenance and f"leannet {__version__}" in provenance[0]
    assert "command line:" in provenance[0]


def test_converged_fits_get_no_cap_sentence():
    X, y = _data()
    params = {**FAST, "tol": 1e9, "n_iter_no_change": 1, "max_iter": 50}  # stops at once
    result = sweep(X, y, grid={"l2": [0.0]}, params=params, cv=2, n_jobs=1, refit=False)
    assert result.capped["fits"] == 0
    assert result.cap_sentence() is None and "epoch cap" not in result.summary()
