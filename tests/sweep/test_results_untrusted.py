"""Issue 14 item 19: a forged results file and a failing file system are one line each."""

from __future__ import annotations

import json
import subprocess

import pytest

from leannet.cli import main

ARGS = ["--data", "iris", "--n-samples", "60", "--grid", "l2=0,1e-2", "--hidden", "4"]
ARGS += ["--epochs", "3", "--cv", "2", "--jobs", "1", "--quiet", "--no-pdf"]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "run"
    assert main(["sweep", *ARGS, "--out", str(out)]) == 0
    return out


def _forge(finished, tmp_path, change):
    lines = (finished / "results.jsonl").read_text().splitlines()
    results = tmp_path / "results.jsonl"
    results.write_bytes(change(lines))
    return results


def _lines_with(record_change):
    def change(lines):
        first = json.loads(lines[0])
        record_change(first)
        return ("\n".join([json.dumps(first), *lines[1:]]) + "\n").encode()

    return change


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda lines: b"\xff\xfe" + "\n".join(lines).encode() + b"\n", "not valid UTF-8 JSON"),
        (_lines_with(lambda r: r.update(val_score="high")), "val_score must be a number"),
        (_lines_with(lambda r: r.update(task=["a", "b"])), "task must be text"),
        (_lines_with(lambda r: r.update(kind="evil")), "kind must be one of"),
        (_lines_with(lambda r: r.update(params=[1, 2])), "params must map"),
        (_lines_with(lambda r: r.update(steps="x")), "steps must be a list"),
    ],
)
def test_forged_results_file_is_one_line(finished, tmp_path, capsys, change, needle):
    results = _forge(finished, tmp_path, change)
    capsys.readouterr()
    code = main(["sweep", *ARGS, "--out", str(tmp_path / "o"), "--results", str(results)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and needle in err, err


def test_device_as_results_file_is_refused(tmp_path, capsys):
    code = main(["sweep", *ARGS, "--out", str(tmp_path / "o"), "--results", "/dev/zero"])
    err = capsys.readouterr().err
    assert code == 2 and "not a regular file" in err and err.count("\n") == 1, err


def test_read_only_file_system_is_one_line(tmp_path, capsys):
    disk = tmp_path / "ro"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(disk)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {done.stderr.decode().strip()}")
    try:
        code = main(["sweep", *ARGS, "--out", str(disk / "run")])
        err = capsys.readouterr().err
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    assert code == 2, err
    assert err.count("\n") == 1 and "read-only" in err and "Traceback" not in err, err
