"""The one JSON-safe converter shared by run records, sweeps and checkpoints."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from leannet._jsonsafe import to_json_safe
from leannet.errors import ConfigError


def test_plain_types_from_numpy_paths_and_tuples():
    value = {"a": np.float32(0.5), "b": np.arange(3), 3: (1, np.int64(2)), "p": Path("x/y")}
    out = to_json_safe(value)
    assert out == {"a": 0.5, "b": [0, 1, 2], "3": [1, 2], "p": str(Path("x/y"))}
    assert type(out["a"]) is float and type(out["b"][0]) is int
    json.dumps(out)  # nothing left that JSON refuses


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float64("nan")])
def test_nonfinite_modes(bad):
    assert to_json_safe([bad]) == [None]
    kept = to_json_safe([bad], nonfinite="keep")[0]
    assert isinstance(kept, float) and not math.isfinite(kept)

    def reject(value, where, reason):
        return ConfigError(f"{where}: {reason}")

    with pytest.raises(ConfigError, match="^x.0: nonfinite$"):
        to_json_safe({"x": [bad]}, nonfinite="error", reject=reject)


def test_reject_unknown_types_and_keys_or_keep_them():
    def reject(value, where, reason):
        return ConfigError(f"{where}: {reason} {value!r}")

    with pytest.raises(ConfigError, match=r"^k: type <object"):
        to_json_safe({"k": object()}, reject=reject)
    with pytest.raises(ConfigError, match=r"^a: key 1$"):
        to_json_safe({"a": {1: 2}}, reject=reject)
    with pytest.raises(ConfigError, match=r"key '__tag__'"):
        to_json_safe({"__tag__": 1}, reject=reject, reserved_keys={"__tag__"})
    marker = object()
    assert to_json_safe([marker])[0] is marker  # lenient: json.dumps decides


def test_on_array_hook_gets_the_path():
    seen = {}

    def store(array, where):
        seen[where] = array
        return {"ref": where}

    out = to_json_safe({"w": [np.ones(2)]}, on_array=store)
    assert out == {"w": [{"ref": "w.0"}]}
    assert list(seen) == ["w.0"]
