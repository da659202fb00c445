r"""scikit-learn estimators backed by a leannet network.

``LeanClassifier`` and ``LeanRegressor`` follow scikit-learn's conventions
(``__init__`` only stores hyperparameters, fitted attributes end in ``_``) and
``MLPClassifier``/``MLPRegressor``'s parameters where the names match, so they
work in `Pipeline`, `GridSearchCV`,
`cross_val_score` and with `clone`.

Penalties use leannet's convention (see [`leannet.regularizers`][leannet.regularizers]): the loss
minimised on a batch of ``B`` samples is

$$
J = \frac{1}{B}\sum_i \ell_i + l_1 \sum |w| + l_2 \sum w^2 ,
$$

whereas scikit-learn's ``alpha`` adds $\frac{\alpha}{2B}\sum w^2$ to losses
scaled differently; `l2_from_alpha` and `alpha_from_l2` convert
($\alpha/(2B)$ for the classifier, $\alpha/(KB)$ for the regressor
with ``K`` outputs).

Layout: `params` (the checks and the alpha conversion), `base` (the
shared fit), `stochastic` (adam/sgd with scikit-learn's epoch rules),
`lbfgs` (scipy's L-BFGS-B), `classifier`, `regressor`.

Example::

    from leannet.sklearn import LeanClassifier
    clf = LeanClassifier(hidden_layer_sizes=(64,), l2=1e-4, random_state=0).fit(X, y)
    clf.predict_proba(X[:3])
"""

from __future__ import annotations

try:
    import sklearn  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"leannet.sklearn needs scikit-learn ({exc}); install it with: pip install 'leannet[sklearn]'"
    ) from exc

from .base import EstimatorDiverged
from .classifier import LeanClassifier
from .params import alpha_from_l2, l2_from_alpha
from .regressor import LeanRegressor

__all__ = ["LeanClassifier", "LeanRegressor", "l2_from_alpha", "alpha_from_l2", "EstimatorDiverged"]
