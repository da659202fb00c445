"""One fit in a worker: seeds and weight statistics."""

from __future__ import annotations

import numpy as np
import pytest

from leannet.sweep import sweep

from ._helpers import FAST


def test_sweeping_the_seed_keeps_the_given_seeds(cancer):
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    from leannet.lab.config import estimator_params
    from leannet.sklearn import LeanClassifier
    from leannet.sweep.tasks import weight_stats

    X, y = cancer
    result = sweep(
        X,
        y,
        grid={"random_state": [1, 2]},
        params=FAST,
        cv=2,
        n_jobs=1,
        test_size=0,
        standardize=False,
    )  # compared with an unscaled direct fit
    chosen = result.refits["best"]["params"]["random_state"]
    with threadpool_limits(1):  # as in the sweep's workers
        with pytest.warns(ConvergenceWarning):
            # the sweep's estimator: leannet train's defaults, then the fixed params
            base = {**estimator_params(), **FAST}
            direct = LeanClassifier(**base, random_state=chosen).fit(X, y)
    assert result.refits["best"]["weight_norm"] == weight_stats(direct)[0]


def test_weight_stats_read_weights_only():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from leannet.sweep.tasks import weight_stats

    est = make_pipeline(StandardScaler(), LogisticRegression())
    est.fit(np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]), [0, 0, 1, 1])
    coef = est[-1].coef_.ravel()
    norm, zeros = weight_stats(est)
    assert norm == pytest.approx(float(np.sqrt(np.sum(coef**2))))
    assert zeros == float(np.mean(coef == 0.0))
    assert weight_stats(make_pipeline(StandardScaler()).fit(np.ones((2, 1)))) == (None, None)
