"""``import leannet`` loads the core only; the applications load on first use."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ["leannet.sweep", "leannet.lab", "leannet.sklearn", "leannet.datasets", "sklearn",
         "matplotlib", "pandas", "rich", "IPython"]  # fmt: skip


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


def test_import_leannet_loads_no_application_and_no_heavy_library():
    code = f"import leannet, sys; print([m for m in {HEAVY!r} if m in sys.modules])"
    assert _run(code) == "[]"


def test_applications_load_on_first_access():
    code = (
        "import leannet as ln, sys; f = ln.sweep; "
        "print(callable(f), 'leannet.sweep' in sys.modules, type(ln.lab).__name__)"
    )
    assert _run(code) == "True True module"


def test_ln_sweep_stays_the_function_after_its_submodules_are_imported():
    code = "import leannet.sweep.core, leannet as ln; print(ln.sweep.__name__, callable(ln.sweep))"
    assert _run(code) == "sweep True"


def test_unknown_attribute_is_an_attribute_error():
    code = "import leannet as ln\ntry:\n    ln.nothing\nexcept AttributeError as e:\n    print(e)"
    assert _run(code) == "module 'leannet' has no attribute 'nothing'"


def test_datasets_is_an_attribute_loaded_on_first_access():
    code = (
        "import leannet as ln, sys; before = 'leannet.datasets' in sys.modules; "
        "d = ln.datasets.load_dataset('xor'); "
        "print(before, ln.datasets is sys.modules['leannet.datasets'], d.X.shape, "
        "'datasets' in dir(ln), 'sweep' in dir(ln))"
    )
    assert _run(code) == "False True (4, 2) True True"
