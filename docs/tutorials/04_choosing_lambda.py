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
# # 4. Choosing λ by cross-validation
#
# The course text (seed 004) ends its section on the regularisation parameter with:
# *"Techniques such as experimentation and cross-validation can help us tune this
# parameter"*. Too weak a penalty does not prevent overfitting, too strong a one
# underfits. Cross-validation estimates the validation score of each λ from the training
# data alone, so the test set stays untouched until the end.
#
# `leannet sweep` (and `ln.sweep` from Python) runs a grid of settings × k folds and
# reports, for each setting, the mean ± standard deviation of the training and validation
# scores, the best setting and **the simplest setting within one standard error of the
# best** (the one-standard-error rule: prefer the strongest penalty whose score cannot be
# told apart from the best).

# %%
import tempfile
from pathlib import Path

import numpy as np

import leannet as ln

workdir = Path(tempfile.mkdtemp(prefix="leannet-tutorial-"))

# %% [markdown]
# ## From the command line
#
# The teacher–student data of tutorial 3, the 10-8-4 tanh student, five strengths of the
# L2 penalty, 5-fold cross-validation. `--quiet` prints only the result; the sweep also
# writes a report (HTML, Markdown, LaTeX) and a figure into `--out`.

# %%
# !leannet sweep --data teacher --grid l2=0,1e-3,1e-2,3e-2,1e-1 --hidden 8 --activation tanh --optimizer sgd --lr 0.05 --batch-size 10 --epochs 150 --cv 5 --jobs 1 --no-pdf --quiet --out {workdir}/sweep

# %%
sorted(p.name for p in (workdir / "sweep").iterdir())

# %% [markdown]
# ## From Python
#
# The same sweep with `ln.sweep`; the result shows itself as a table in which the best and
# the one-standard-error settings are highlighted. (Like the command line, `ln.sweep`
# standardises the features with each training fold's statistics by default;
# `standardize=False` turns that off.)

# %%
data = ln.datasets.make_teacher(seed=0)
result = ln.sweep(
    data.X, data.y,
    grid={"l2": [0.0, 1e-3, 1e-2, 3e-2, 1e-1]},
    params={"hidden_layer_sizes": (8,), "activation": "tanh", "optimizer": "sgd",
            "learning_rate": 0.05, "batch_size": 10, "max_iter": 150},
    cv=5, n_jobs=1, seed=0,
)
result

# %% [markdown]
# The chosen settings, refitted on all training rows and scored once on the held-out test
# split:

# %%
print(result.summary())
best, simplest = result.best["params"]["l2"], result.simplest["params"]["l2"]
assert simplest >= best  # the 1-SE choice is never weaker than the best one

# %% [markdown]
# Scores, weight norm and share of zero weights against λ (log axis):

# %%
from IPython.display import Image

Image(filename=str(result.plot(workdir / "sweep-python.png")))
