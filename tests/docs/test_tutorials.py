"""Every tutorial (a jupytext percent script under docs/tutorials/) runs top to bottom in a
fresh Jupyter kernel without an error, so the tutorials cannot rot."""

import os
import sys
from pathlib import Path

import pytest

TUTORIALS = sorted((Path(__file__).resolve().parents[2] / "docs" / "tutorials").glob("[0-9]*.py"))

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")


def test_the_seven_tutorials_are_there():
    assert len(TUTORIALS) >= 7, [t.name for t in TUTORIALS]


@pytest.mark.slow
@pytest.mark.parametrize("path", TUTORIALS, ids=[t.stem for t in TUTORIALS])
def test_tutorial_executes(path, tmp_path, monkeypatch):
    # `!leannet ...` cells run the console script installed beside this Python, even when
    # the environment is not activated
    bindir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", bindir + os.pathsep + os.environ.get("PATH", ""))
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    # a tutorial that shows something: at least one figure or HTML view among its outputs
    kinds = {
        k for c in nb.cells if c.cell_type == "code" for o in c.outputs for k in o.get("data", {})
    }
    assert {"image/png", "text/html"} & kinds
