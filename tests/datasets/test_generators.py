"""Seeded generators: formulas, seeds, the teacher network."""

from __future__ import annotations

import numpy as np

from leannet.datasets import (
    load_dataset,
    make_teacher,
    teacher_network_weights,
)


def test_generators_are_seeded():
    a, b, c = (load_dataset("spiral", seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)


def test_teacher_matches_the_article_setup():
    ds = make_teacher(seed=0, teacher_seed=3)
    assert ds.X.shape == (200, 10) and ds.X_test.shape == (40, 10)
    W1, b1, W2, b2 = teacher_network_weights(seed=3)
    assert W1.shape == (10, 15) and W2.shape == (15, 4)
    assert np.abs(np.concatenate([W1.ravel(), b1, W2.ravel(), b2])).max() <= 9.9
    # labels are the arg-max of the teacher's tanh/softmax output
    expected = np.argmax(np.tanh(ds.X @ W1 + b1) @ W2 + b2, axis=1)
    np.testing.assert_array_equal(ds.y, expected)
    # the same teacher labels the test inputs, which are fresh draws
    assert not np.allclose(ds.X[:40], ds.X_test)


def test_quadratic_follows_its_formula():
    ds = load_dataset("quadratic")
    resid = ds.y - 2 * ds.X[:, 0] ** 2
    assert ds.X.shape == (100, 1)
    assert 0.3 < resid.std() < 0.7  # noise N(0, 0.5)


def test_teacher_is_fixed_across_seeds():
    """Seeds draw new inputs; the labelling function (the article's teacher) stays."""
    a, b = make_teacher(seed=0), make_teacher(seed=1)
    assert not np.allclose(a.X, b.X)
    W1, b1, W2, b2 = teacher_network_weights(seed=3)
    for ds in (a, b):
        np.testing.assert_array_equal(ds.y, np.argmax(np.tanh(ds.X @ W1 + b1) @ W2 + b2, axis=1))
