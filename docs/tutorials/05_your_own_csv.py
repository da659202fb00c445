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
# # 5. Your own CSV, end to end
#
# A CSV file with a header row is all `leannet` needs: `leannet train` infers the task from
# the target column (text labels or a few whole numbers: classification), standardises the
# features, trains, and writes a run directory with the model, the metrics and a report;
# `leannet evaluate` and `leannet predict` use that directory later.
#
# Here we write a small CSV ourselves (flowers measured in centimetres, with text labels),
# but any file of yours works the same way.

# %%
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import leannet as ln

workdir = Path(tempfile.mkdtemp(prefix="leannet-tutorial-"))
rng = np.random.default_rng(0)
centres = {"setosa": (5.0, 3.4, 1.5), "versicolor": (5.9, 2.8, 4.3), "virginica": (6.6, 3.0, 5.5)}
rows = []
for species, centre in centres.items():
    for _ in range(60):
        sepal_length, sepal_width, petal_length = rng.normal(centre, 0.35)
        rows.append({"sepal_length": round(sepal_length, 2), "sepal_width": round(sepal_width, 2),
                     "petal_length": round(petal_length, 2), "species": species})
table = pd.DataFrame(rows).sample(frac=1, random_state=0)
table.iloc[:150].to_csv(workdir / "flowers.csv", index=False)
table.iloc[150:].drop(columns="species").to_csv(workdir / "new-flowers.csv", index=False)
table.head()

# %% [markdown]
# ## Train
#
# `--target` names the column to predict; `--l2` adds the penalty `l2·Σw²` on the weights;
# `--val-split` holds out rows to watch the validation loss; `--out` is the run directory.

# %%
# !leannet train --data {workdir}/flowers.csv --target species --hidden 16 --l2 1e-3 --epochs 150 --val-split 0.2 --seed 0 --no-pdf --quiet --out {workdir}/run

# %% [markdown]
# The run directory holds everything; in a notebook it shows itself as a summary with the
# final metrics, the training curves and links to the reports:

# %%
run = ln.open_run(workdir / "run")
sorted(p.name for p in run.path.iterdir())

# %%
run

# %% [markdown]
# ## Predict
#
# `leannet predict` applies the same scaling and writes the predictions in your own labels,
# with one probability column per class.

# %%
# !leannet predict {workdir}/run --data {workdir}/new-flowers.csv --out {workdir}/predictions.csv

# %%
predictions = pd.read_csv(workdir / "predictions.csv")
predictions.head()

# %% [markdown]
# ## The same from Python
#
# The lab's loaders are available as `ln.datasets`: `load_dataset` reads the CSV (text
# labels become class indices, their names are kept), and the model file loads with
# `ln.load`.

# %%
data = ln.datasets.load_dataset(workdir / "flowers.csv", target="species")
print(data.task, data.class_names, data.X.shape)
net = ln.load(workdir / "run" / "model.npz")
net
