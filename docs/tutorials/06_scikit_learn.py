# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 6. leannet inside scikit-learn: pipelines and grid search
#
# `leannet.sklearn.LeanClassifier` and `LeanRegressor` are scikit-learn estimators (they
# pass `check_estimator`), with the names of scikit-learn's `MLPClassifier` plus leannet's
# regularizers: `l1`, `l2`, `weight_decay`, `dropout`, `max_norm`. So they fit into
# `Pipeline`, `GridSearchCV`, `cross_val_score` and `clone` like any other model.

# %%
import warnings

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from leannet.sklearn import LeanClassifier

# Like scikit-learn's MLP, LeanClassifier warns when max_iter ends before the loss stops
# improving by tol. The runs on this page are kept short on purpose, so we silence that.
warnings.filterwarnings("ignore", category=ConvergenceWarning)

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0,
                                                    stratify=y)

# %% [markdown]
# ## A pipeline: scale, then the network

# %%
model = make_pipeline(
    StandardScaler(),
    LeanClassifier(hidden_layer_sizes=(32,), l2=1e-3, max_iter=60, random_state=0),
)
model.fit(X_train, y_train)
print(f"test accuracy: {model.score(X_test, y_test):.3f}")

# %% [markdown]
# ## Grid search over the penalty
#
# Parameters of a pipeline step are addressed as `step__param`. Here: the L2 strength and
# dropout, 3-fold cross-validation on the training split.

# %%
search = GridSearchCV(
    model,
    {"leanclassifier__l2": [0.0, 1e-3, 1e-2], "leanclassifier__dropout": [0.0, 0.2]},
    cv=3,
)
search.fit(X_train, y_train)
cv = pd.DataFrame(search.cv_results_)[["params", "mean_test_score", "std_test_score"]]
cv.sort_values("mean_test_score", ascending=False).round(4)

# %%
print("best:", search.best_params_, f"test accuracy {search.score(X_test, y_test):.3f}")

# %% [markdown]
# ## Next to scikit-learn's own MLP
#
# scikit-learn's `alpha` is an L2 penalty `alpha/(2B)·Σw²` with `B` the batch size, so the
# same `alpha` means a different strength at another batch size; leannet's `l2` does not
# depend on the batch. `leannet.sklearn.l2_from_alpha(alpha, B)` converts.

# %%
scores = {}
for name, estimator in {
    "LeanClassifier": LeanClassifier(hidden_layer_sizes=(32,), l2=1e-3, max_iter=60,
                                     random_state=0),
    "MLPClassifier": MLPClassifier(hidden_layer_sizes=(32,), alpha=1e-3, max_iter=60,
                                   random_state=0),
}.items():
    s = cross_val_score(make_pipeline(StandardScaler(), estimator), X_train, y_train, cv=3)
    scores[name] = f"{s.mean():.4f} ± {s.std():.4f}"
pd.Series(scores, name="3-fold accuracy")

# %% [markdown]
# The fitted network is a plain leannet `Sequential`, available as `network_`:

# %%
model[-1].network_
