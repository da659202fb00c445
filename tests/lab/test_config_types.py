"""Issue 14 items 21 and 10: TOML booleans are type-checked; --config reads a bounded file."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from leannet.cli import main
from leannet.errors import ConfigError
from leannet.lab.config import load_toml, resolve_config


@pytest.mark.parametrize(
    ("line", "flag"),
    [
        ('standardize = "no"', "--standardize"),
        ("standardize = 0", "--standardize"),
        ('l1_proximal = "yes"', "--l1-proximal"),
        ("scale_target = 1", "--scale-target"),
    ],
)
def test_toml_booleans_must_be_true_or_false(tmp_path, line, flag):
    path = tmp_path / "c.toml"
    path.write_text(line + "\n")
    with pytest.raises(ConfigError, match=f"{flag} must be true or false"):
        resolve_config(load_toml(path))


def test_real_booleans_are_accepted(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("standardize = false\nl1_proximal = true\n")
    cfg = resolve_config(load_toml(path))
    assert cfg.standardize is False and cfg.l1_proximal is True


def test_cli_string_boolean_is_one_line(tmp_path, capsys):
    path = tmp_path / "c.toml"
    path.write_text('standardize = "no"\n')
    code = main(["train", "--data", "xor", "--config", str(path), "--quiet", "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "must be true or false" in err, err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_as_config_is_refused(device):
    with pytest.raises(ConfigError, match="is a device, not a regular file"):
        load_toml(device)


def test_fifo_as_config_does_not_hang(tmp_path):
    fifo = tmp_path / "c.toml"
    os.mkfifo(fifo)
    code = (
        "import sys\nfrom leannet.lab.config import load_toml\n"
        "try:\n    load_toml(sys.argv[1])\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.startswith("ConfigError") and "FIFO" in done.stdout, done.stdout
