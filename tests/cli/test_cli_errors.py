"""The leannet command: help, listings, and errors a user can act on.

Every error is one line on stderr starting with ``leannet <command>: error:``,
exit code 2, and no traceback unless --debug.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leannet.cli import COMMANDS, build_parser, main

SRC = str(Path(__file__).resolve().parents[2] / "src")


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, command: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"leannet {command}: error: "), lines[0]
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(capsys, command):
    code, out, _ = run_cli(capsys, command, "--help")
    assert code == 0
    assert f"usage: leannet {command}" in out
    assert "examples:" in out


def test_version(capsys):
    import leannet

    code, out, _ = run_cli(capsys, "--version")
    assert code == 0
    assert out.strip() == f"leannet {leannet.__version__}"


def test_top_level_help_lists_commands(capsys):
    code, out, _ = run_cli(capsys)
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_registration_is_a_list_of_module_names():
    # another command is added by writing cli/NAME.py and appending NAME to COMMANDS
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == COMMANDS


def test_demo_list(capsys):
    code, out, _ = run_cli(capsys, "demo", "--list")
    assert code == 0
    for name in ("overfit", "xor", "regression", "binary", "spiral", "digits", "l1", "activations"):
        assert f"\n{name} " in out


def test_datasets_lists_builtins(capsys):
    code, out, _ = run_cli(capsys, "datasets")
    assert code == 0
    for name in (
        "xor",
        "spiral",
        "quadratic",
        "teacher",
        "digits",
        "breast_cancer",
        "iris",
        "wine",
        "diabetes",
    ):
        assert f"\n{name} " in out


def test_negative_epochs(capsys):
    code, _, err = run_cli(capsys, "train", "--data", "iris", "--epochs", "-5")
    assert code == 2
    assert err == (
        "leannet train: error: argument --epochs: must be a whole number >= 1, got -5 "
        "(see 'leannet train --help')\n"
    )


def test_invalid_choice(capsys):
    code, _, err = run_cli(capsys, "train", "--data", "iris", "--activation", "swish")
    assert code == 2
    assert "argument --activation: invalid choice: 'swish'" in one_error_line(err, "train")


def test_non_number(capsys):
    code, _, err = run_cli(capsys, "train", "--data", "iris", "--lr", "fast")
    assert code == 2
    assert "argument --lr: expected a number, got 'fast'" in one_error_line(err, "train")


def test_missing_file(capsys, tmp_path):
    code, _, err = run_cli(capsys, "train", "--data", str(tmp_path / "nope.csv"))
    assert code == 2
    line = one_error_line(err, "train")
    assert f"data file not found: {tmp_path / 'nope.csv'}" in line


def test_missing_target_column_lists_columns(capsys, tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("a,b,kind\n1,2,x\n3,4,y\n")
    code, _, err = run_cli(capsys, "train", "--data", str(p), "--target", "label")
    assert code == 2
    assert one_error_line(err, "train") == (
        f"leannet train: error: {p}: no column named 'label'; the columns are: a, b, kind"
    )


def test_missing_cells_are_filled_in_and_counted(capsys, tmp_path):
    p = tmp_path / "d.csv"
    rows = [f"{i % 4 + 0.5},{'' if i == 3 else i % 3},{'xy'[i % 2]}" for i in range(10)]
    p.write_text("a,b,kind\n" + "\n".join(rows) + "\n")
    out = tmp_path / "run"
    args = ["--target", "kind", "--epochs", "1", "--out", str(out), "--quiet", "--no-pdf"]
    code, _, _ = run_cli(capsys, "train", "--data", str(p), *args)
    assert code == 0
    summary = json.loads((out / "metrics.json").read_text())["data_summary"]
    assert sum(per.get("b", 0) for per in summary["imputed"].values()) == 1


def test_text_feature_columns_are_one_hot_encoded(capsys, tmp_path):
    p = tmp_path / "d.csv"
    rows = [f"{i % 4 + 0.5},{['red', 'blue', 'green'][i % 3]},{'xy'[i % 2]}" for i in range(10)]
    p.write_text("a,colour,kind\n" + "\n".join(rows) + "\n")
    out = tmp_path / "run"
    args = ["--target", "kind", "--epochs", "1", "--out", str(out), "--quiet", "--no-pdf"]
    code, _, _ = run_cli(capsys, "train", "--data", str(p), *args)
    assert code == 0
    data = json.loads((out / "data.json").read_text())
    assert data["feature_names"] == ["a", "colour_blue", "colour_green", "colour_red"]


def test_unreadable_csv(capsys, tmp_path):
    p = tmp_path / "d.csv"
    p.write_bytes(b"a,b\n\xff\x00,1\n")
    code, _, err = run_cli(capsys, "train", "--data", str(p))
    assert code == 2
    assert "not a UTF-8 text file" in one_error_line(err, "train")


def test_bad_config_file(capsys, tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("epochs = -3\n")
    code, _, err = run_cli(capsys, "train", "--data", "iris", "--config", str(p))
    assert code == 2
    assert one_error_line(err, "train") == (
        "leannet train: error: --epochs must be a whole number >= 1, got -3"
    )


def test_unknown_demo(capsys):
    code, _, err = run_cli(capsys, "demo", "nosuch")
    assert code == 2
    assert one_error_line(err, "demo") == (
        "leannet demo: error: unknown demo 'nosuch'; the demos are: overfit, xor, regression, "
        "binary, spiral, digits, l1, activations (see leannet demo --list)"
    )


def test_existing_run_dir_is_not_overwritten(capsys, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.npz").write_bytes(b"precious")
    code, _, err = run_cli(capsys, "demo", "activations", "--quick", "--out", str(out))
    assert code == 2
    assert one_error_line(err, "demo") == (
        f"leannet demo: error: run directory {out} already exists and is not empty; choose "
        "another --out or pass --force to overwrite it"
    )
    assert (out / "model.npz").read_bytes() == b"precious"


def test_report_on_a_non_run_dir(capsys, tmp_path):
    code, _, err = run_cli(capsys, "report", str(tmp_path))
    assert code == 2
    assert one_error_line(err, "report") == (
        f"leannet report: error: {tmp_path} is not a leannet run directory (no run.json or "
        "metrics.json)"
    )


def test_evaluate_missing_model(capsys, tmp_path):
    code, _, err = run_cli(capsys, "evaluate", str(tmp_path / "nope"), "--data", "iris")
    assert code == 2
    assert one_error_line(err, "evaluate") == (
        f"leannet evaluate: error: model not found: {tmp_path / 'nope'}; give a run directory "
        "or its model.npz"
    )


def test_debug_shows_the_traceback():
    cmd = [sys.executable, "-m", "leannet", "--debug", "train", "--data", "/nonexistent.csv"]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={"PYTHONPATH": SRC}, timeout=120, check=False
    )
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "DataError" in proc.stderr


def test_console_entry_point_exit_code():
    proc = subprocess.run(
        [sys.executable, "-m", "leannet", "train", "--data", "/nonexistent.csv"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": SRC},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("leannet train: error: data file not found: /nonexistent.csv")
    assert "Traceback" not in proc.stderr


def test_too_few_rows_for_the_split(capsys, tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("a,kind\n1.5,x\n2,y\n3,x\n")
    code, _, err = run_cli(capsys, "train", "--data", str(p), "--out", str(tmp_path / "run"))
    assert code == 2
    assert one_error_line(err, "train") == (
        f"leannet train: error: {p}: 3 rows are too few for the split (only 1 training row "
        "remains); add data or lower --val-split/--test-split (0 disables a split)"
    )
    assert not (tmp_path / "run").exists()  # nothing written for a run that never started


def test_seeds_only_where_it_means_something(capsys):
    code, _, err = run_cli(capsys, "demo", "xor", "--seeds", "3")
    assert code == 2
    assert one_error_line(err, "demo") == (
        "leannet demo: error: --seeds applies to the overfit and l1 demos only"
    )
