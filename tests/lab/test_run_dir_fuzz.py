"""Issue 14: random mutations of a real run directory (every file in it) fed to
`report`, `evaluate`, `predict` and `train --resume`: only leannet's own errors.

Each example copies a real finished run (with its checkpoint), mutates one file
(truncation, flipped bytes, random bytes, a JSON value replaced, the file deleted
or replaced by a FIFO, a directory or a symbolic link to another file) and runs
the four commands in-process. A command may succeed (0), refuse with one line
(2) or report divergence (3); any other exception escapes ``main`` and fails the
test, and so does a traceback on stderr.
"""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leannet.cli import main

FILES = [
    "config.json",
    "config.toml",
    "data.json",
    "history.csv",
    "metrics.json",
    "model.npz",
    "run.json",
    "splits.npz",
    "checkpoint.npz",
    "curves.png",
    "confusion.png",
    "weights.png",
    "report.html",
]
MUTATIONS = ["truncate", "flip", "random", "json", "delete", "fifo", "directory", "symlink"]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    run = tmp_path_factory.mktemp("fuzz") / "run"
    args = ["--data", "iris", "--hidden", "4", "--epochs", "2", "--checkpoint-every", "1"]
    assert main(["train", *args, "--out", str(run), "--quiet", "--no-pdf"]) == 0
    assert {p.name for p in run.iterdir()} >= set(FILES)
    return run


def _replace_json_value(data, rng: random.Random, value):
    """``data`` with one randomly chosen nested value replaced by ``value``."""
    if isinstance(data, dict) and data and rng.random() < 0.8:
        key = rng.choice(sorted(data))
        data[key] = _replace_json_value(data[key], rng, value)
        return data
    if isinstance(data, list) and data and rng.random() < 0.8:
        i = rng.randrange(len(data))
        data[i] = _replace_json_value(data[i], rng, value)
        return data
    return value


def _mutate(path, kind: str, rng: random.Random, value) -> None:
    data = path.read_bytes()
    if kind == "truncate":
        path.write_bytes(data[: rng.randrange(len(data) + 1)])
    elif kind == "flip":
        buf = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(buf))
    elif kind == "random":
        path.write_bytes(rng.randbytes(rng.randint(0, 4096)))
    elif kind == "json" and path.suffix == ".json":
        tree = json.loads(data)
        path.write_text(json.dumps(_replace_json_value(tree, rng, value)))
    elif kind == "json":  # not a JSON file: overwrite it with a JSON value instead
        path.write_text(json.dumps(value))
    elif kind == "delete":
        path.unlink()
    elif kind == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif kind == "directory":
        path.unlink()
        path.mkdir()
    elif kind == "symlink":
        path.unlink()
        path.symlink_to("/etc/hostname")


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(FILES),
    kind=st.sampled_from(MUTATIONS),
    seed=st.integers(0, 2**32 - 1),
    value=JSON_VALUES,
)
def test_mutated_run_directory_gives_only_leannet_errors(
    pristine, tmp_path_factory, capsys, name, kind, seed, value
):
    run = tmp_path_factory.mktemp("case") / "run"
    shutil.copytree(pristine, run)
    _mutate(run / name, kind, random.Random(seed), value)
    commands = [
        ["report", str(run), "--no-pdf"],
        ["evaluate", str(run), "--data", "iris"],
        ["predict", str(run), "--data", "iris", "--out", "-"],
        ["train", "--resume", str(run), "--epochs", "3", "--quiet", "--no-pdf"],
    ]
    for argv in commands:
        capsys.readouterr()
        code = main(argv)  # anything but a LeannetError/OSError escapes and fails here
        err = capsys.readouterr().err
        assert code in (0, 2, 3), (argv, code, err)
        assert "Traceback" not in err, (argv, err)
        if code == 2:
            assert len(err.strip().splitlines()) == 1, (argv, err)
