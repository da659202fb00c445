"""Issue 14 items 1 and 16: every file of a run directory is untrusted."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys

import pytest

from leannet.cli import main

SECRET = b"top secret text that must never reach a report"


@pytest.fixture(scope="module")
def pristine_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "iris-run"
    code = main(
        ["train", "--data", "iris", "--hidden", "4", "--epochs", "3", "--out", str(out)]
        + ["--no-pdf", "--quiet"]
    )
    assert code == 0
    return out


@pytest.fixture
def run_dir(pristine_run, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(pristine_run, copy, symlinks=True)
    return copy


def _edit_json(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _cli(*args, env=None):
    """The real command in a child process (signals, exit codes and stderr as users see them)."""
    return subprocess.run(
        [sys.executable, "-m", "leannet", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _assert_one_line_error(done, *needles):
    assert done.returncode == 2, (done.returncode, done.stderr[-3000:])
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


# -- item 1: names from run.json ---------------------------------------------------------------


def test_figure_name_outside_the_run_is_refused_and_never_embedded(run_dir):
    (run_dir.parent / "secret.png").write_bytes(SECRET)
    _edit_json(
        run_dir / "run.json",
        lambda r: r["figures"].append({"file": "../secret.png", "caption": "x", "kind": "other"}),
    )
    before = (run_dir / "report.html").read_bytes()
    done = _cli("report", str(run_dir), "--no-pdf")
    _assert_one_line_error(done, "'../secret.png' is not a plain file name")
    assert (run_dir / "report.html").read_bytes() == before
    assert base64.b64encode(SECRET).decode() not in (run_dir / "report.html").read_text()


def test_absolute_figure_name_is_refused(run_dir):
    _edit_json(
        run_dir / "run.json",
        lambda r: r["sections"].append(
            {"heading": "h", "figures": [{"file": "/etc/hostname", "caption": "c"}]}
        ),
    )
    _assert_one_line_error(_cli("report", str(run_dir), "--no-pdf"), "'/etc/hostname'")


def test_pdf_step_writes_nothing_outside_its_temporary_directory(run_dir, tmp_path):
    # With pdflatex installed the PDF step copied RUN_DIR/<name> to <tmp>/<name>: a name
    # '../X' wrote X next to the temporary directory. The figure refusal comes first now,
    # and compile_pdf itself refuses such a name too.
    from leannet.errors import DataError
    from leannet.lab.document.pdf import compile_pdf, find_tex_engine

    if find_tex_engine() is None:
        pytest.skip("pdflatex is not installed")
    tmp_root = tmp_path / "tmp"
    tmp_root.mkdir()
    (run_dir / "evil.png").write_bytes(SECRET)
    env = {**os.environ, "TMPDIR": str(tmp_root)}
    _edit_json(
        run_dir / "run.json",
        lambda r: r["figures"].append({"file": "../../evil.png", "caption": "x", "kind": "other"}),
    )
    _assert_one_line_error(_cli("report", str(run_dir), env=env), "not a plain file name")
    assert list(tmp_root.iterdir()) == [] and not (tmp_path / "evil.png").exists()
    with pytest.raises(DataError, match="not a plain file name"):
        compile_pdf("\\documentclass{article}", run_dir, ["../evil.png"])


def test_symlinked_figure_is_refused_not_embedded(run_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SECRET)
    (run_dir / "curves.png").unlink()
    (run_dir / "curves.png").symlink_to(secret)
    done = _cli("report", str(run_dir), "--no-pdf")
    _assert_one_line_error(done, "curves.png is not a regular file")
    assert base64.b64encode(SECRET).decode() not in (run_dir / "report.html").read_text()


def test_fifo_figure_does_not_hang(run_dir):
    (run_dir / "curves.png").unlink()
    os.mkfifo(run_dir / "curves.png")
    _assert_one_line_error(_cli("report", str(run_dir), "--no-pdf"), "curves.png is not a regular")


def test_latex_specials_in_a_figure_name_are_refused(run_dir):
    name = "x\\input{etc}.png"
    _edit_json(
        run_dir / "run.json",
        lambda r: r["figures"].append({"file": name, "caption": "c", "kind": "other"}),
    )
    _assert_one_line_error(_cli("report", str(run_dir), "--no-pdf"), "not a plain file name")


def test_oversized_run_json_is_refused_by_size(run_dir):
    with open(run_dir / "metrics.json", "r+b") as handle:
        handle.seek(17 * 2**20)
        handle.write(b" ")
    _assert_one_line_error(_cli("report", str(run_dir), "--no-pdf"), "metrics.json", "bytes")


@pytest.mark.parametrize(
    ("name", "change", "needle"),
    [
        ("run.json", lambda r: r.update(figures="curves.png"), "figures must be a list"),
        (
            "run.json",
            lambda r: r.update(sections=[{"tables": [{"rows": 5}]}]),
            "rows must be a list",
        ),
        ("metrics.json", lambda m: m.update(metrics={"test": {"loss": "low"}}), "must be a number"),
        ("metrics.json", lambda m: m["architecture"].update(layers=[7]), "must be a JSON object"),
        ("metrics.json", lambda m: m.update(weights={"W": {"l2_norm": []}}), "must be a number"),
        ("config.json", lambda c: c.update(epochs="many"), "epochs must be a whole number"),
    ],
)
def test_forged_fields_are_one_line(run_dir, name, change, needle):
    _edit_json(run_dir / name, change)
    _assert_one_line_error(_cli("report", str(run_dir), "--no-pdf"), name, needle)


def test_non_utf8_history_is_one_line(run_dir):
    (run_dir / "history.csv").write_bytes(b"epoch,loss\n1,\xff\n")
    _assert_one_line_error(_cli("report", str(run_dir), "--no-pdf"), "history.csv")


# -- item 16: a tampered data.json beside a valid model.npz ----------------------------------------


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d.pop("feature_names"), "feature_names"),
        (lambda d: d.update(feature_names="abc"), "feature_names"),
        (lambda d: d.update(feature_names=["a"]), "lists 1 features but the model takes 4"),
        (lambda d: d.update(feature_names=[1, 2, 3, 4]), "feature_names[0] must be str"),
        (lambda d: d.update(task="poetry"), "task must be one of"),
        (lambda d: d.pop("task"), "task must be one of"),
        (lambda d: d.update(class_names=["a"]), "lists 1 classes but the model predicts 3"),
        (lambda d: d.update(mean=[0.0]), "mean must be 4 finite numbers"),
        (lambda d: d.update(std=[0, 1, 1, 1]), "std must be > 0"),
        (lambda d: d.update(loss="hinge"), "not a leannet loss"),
        (lambda d: d.update(loss=None), "loss must be text"),
    ],
)
def test_tampered_data_json_is_one_line(run_dir, change, needle, capsys):
    _edit_json(run_dir / "data.json", change)
    for extra in ([], ["--out", "-"]):
        command = "predict" if extra else "evaluate"
        capsys.readouterr()
        code = main([command, str(run_dir), "--data", "iris", *extra])
        err = capsys.readouterr().err
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert "data.json" in err and needle in err, err


def test_data_json_that_is_not_an_object(run_dir):
    (run_dir / "data.json").write_text("[1, 2]")
    _assert_one_line_error(_cli("evaluate", str(run_dir), "--data", "iris"), "JSON object")
