"""One rule for what a target means, shared by load_dataset and sweep."""

import numpy as np
import pytest

from leannet.datasets import load_dataset
from leannet.datasets.targets import MAX_CLASSES_INFERRED, infer_task


@pytest.mark.parametrize(
    ("y", "task"),
    [
        (np.array(["a", "b", "a"]), "classification"),
        (np.array([True, False, True]), "classification"),
        (np.array([0, 1, 2, 1]), "classification"),
        (np.array([1.0, 2.0, 1.0]), "classification"),
        (np.array([[0], [1], [1]]), "classification"),  # one column of labels
        (np.arange(MAX_CLASSES_INFERRED + 1), "regression"),  # too many distinct values
        (np.arange(float(MAX_CLASSES_INFERRED)), "classification"),  # exactly at the limit
        (np.array([0.5, 1.0, 2.0]), "regression"),
        (np.array([1.0, np.inf, 1.0]), "regression"),  # inf is no class label
        (np.array([1.0, np.nan, 1.0]), "regression"),
        (np.array([[0, 1], [1, 0], [1, 1]]), "regression"),  # several target columns
    ],
)
def test_infer_task_rule(y, task):
    assert infer_task(y) == task


def test_sweep_and_load_dataset_share_the_rule(tmp_path):
    from leannet.sweep import plan

    assert plan.infer_task is infer_task
    # a CSV target with 21 distinct whole numbers is a quantity in both places
    p = tmp_path / "d.csv"
    p.write_text("x,y\n" + "".join(f"{i},{i}\n" for i in range(MAX_CLASSES_INFERRED + 1)))
    assert load_dataset(p).task == "regression" == infer_task(np.arange(21))
