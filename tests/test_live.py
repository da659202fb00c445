"""The live view runs in a plain script and in a headless Jupyter kernel, and throttles."""

import io
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import leannet as ln
from leannet.live import LivePlot, ProgressBar


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2)).astype(np.float32)
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def _net():
    return ln.Sequential([ln.Dense(2, 8), ln.Tanh(), ln.Dense(8, 1), ln.Sigmoid()], seed=0)


def test_redraws_are_throttled_to_the_end_of_a_short_run(tmp_path):
    X, y = _data()
    live = LivePlot(data=(X, y), every=1000, path=tmp_path / "live.png", progress=False)
    _net().fit(X, y, loss="binary_cross_entropy", epochs=30, callbacks=[live])
    assert live.redraws == 1  # only the end: no redraw is due within 1000 s
    assert (tmp_path / "live.png").read_bytes().startswith(b"\x89PNG")
    titles = [ax.get_title() for ax in live.figure.axes]
    assert titles == ["loss (data + penalty)", "data loss vs penalty", "decision boundary"]
    xs, ys = live.figure.axes[0].lines[0].get_data()
    assert list(xs) == list(range(1, 31)) and len(ys) == 30


def test_redraw_spacing_respects_the_overhead_budget(tmp_path):
    X, y = _data()
    live = LivePlot(every=1e-6, max_overhead=1e6, path=tmp_path / "a.png", progress=False)
    _net().fit(X, y, loss="binary_cross_entropy", epochs=6, callbacks=[live])
    assert live.redraws == 6  # every epoch (the end was just drawn: not again)
    assert len(live.figure.axes) == 2  # no data given: no boundary panel


def test_no_figure_outside_a_notebook_without_path():
    X, y = _data()
    live = LivePlot(progress=False)
    _net().fit(X, y, loss="binary_cross_entropy", epochs=3, callbacks=[live])
    assert live.figure is None and live.redraws == 0


def test_progress_bar_reports_the_epochs_and_loss():
    from rich.console import Console

    out = io.StringIO()
    X, y = _data()
    bar = ProgressBar(epochs=4, console=Console(file=out, force_terminal=False, width=120))
    hist = _net().fit(X, y, loss="binary_cross_entropy", epochs=4, callbacks=[bar])
    text = out.getvalue()
    assert "4/4" in text and f"loss {hist['loss'][-1]:.4f}" in text


def test_live_plot_in_a_plain_script(tmp_path):
    script = textwrap.dedent(
        """
        import numpy as np, leannet as ln
        rng = np.random.default_rng(1)
        X = rng.normal(size=(100, 2)).astype(np.float32); y = (X[:, 0] > 0).astype(int)
        net = ln.Sequential([ln.Dense(2, 4), ln.Tanh(), ln.Dense(4, 1), ln.Sigmoid()], seed=0)
        live = ln.LivePlot(data=(X, y), path="live.png")
        net.fit(X, y, loss="binary_cross_entropy", epochs=20, callbacks=[live])
        print("redraws", live.redraws)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "redraws 1" in proc.stdout and "20/20" in proc.stdout
    assert (tmp_path / "live.png").stat().st_size > 1000


@pytest.mark.slow
def test_live_plot_in_a_headless_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            textwrap.dedent(
                """
                import numpy as np, leannet as ln
                rng = np.random.default_rng(1)
                X = rng.normal(size=(100, 2)).astype(np.float32); y = (X[:, 0] > 0).astype(int)
                net = ln.Sequential([ln.Dense(2, 4), ln.Tanh(), ln.Dense(4, 1), ln.Sigmoid()])
                live = ln.LivePlot(data=(X, y), every=1e-6, max_overhead=1e6)
                hist = net.fit(X, y, loss="binary_cross_entropy", epochs=5, callbacks=[live])
                print("redraws", live.redraws)
                """
            )
        ),
        nbformat.v4.new_code_cell("hist"),
        nbformat.v4.new_code_cell(
            'net.fit(X, y, loss="binary_cross_entropy", epochs=30, verbose=1, print_every=10)'
        ),
    ]
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    printed = "".join(o.get("text", "") for o in outputs)
    assert "redraws 5" in printed  # one per epoch
    assert len(images) == 1  # ... all into one display, updated in place
    assert "text/html" in nb.cells[1].outputs[0]["data"]  # History._repr_html_
    # fit(verbose=1) in a notebook: rich's bar as a widget, not the printed lines
    bar = nb.cells[2].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in bar)
    assert "epoch: 10," not in "".join(o.get("text", "") for o in bar)


def test_boundary_panel_draws_at_most_500_points(tmp_path):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(2000, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    live = LivePlot(data=(X, y), path=tmp_path / "b.png", progress=False)
    _net().fit(X, y, loss="binary_cross_entropy", epochs=2, callbacks=[live])
    (points,) = live.figure.axes[2].collections
    assert len(points.get_offsets()) == 500


# ---------------------------------------------------------------- fit(verbose=1): bar or lines


class _Terminal(io.StringIO):
    """Standard output as a terminal would look to Python (and to rich)."""

    def isatty(self):
        return True


def test_verbose_1_shows_the_bar_on_a_terminal(monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stdout", term)
    X, y = _data()
    hist = _net().fit(X, y, loss="binary_cross_entropy", epochs=12, verbose=1, print_every=3)
    text = term.getvalue()
    assert sys.stdout is term  # the bar stopped and gave standard output back
    assert "12/12" in text and f"loss {hist['loss'][-1]:.4f}" in text
    assert "epoch: 3," not in text and "epoch: 12," not in text  # no progress lines


def test_verbose_1_prints_lines_on_a_terminal_without_rich(monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stdout", term)
    monkeypatch.setitem(sys.modules, "rich", None)  # find_spec("rich") is None: not installed
    X, y = _data()
    _net().fit(X, y, loss="binary_cross_entropy", epochs=4, verbose=1, print_every=2)
    lines = term.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines] == ["epoch: 2", "epoch: 4"]


def test_verbose_2_prints_lines_even_on_a_terminal(monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stdout", term)
    X, y = _data()
    _net().fit(X, y, loss="binary_cross_entropy", epochs=3, verbose=2)
    assert [line.split(",")[0] for line in term.getvalue().splitlines()] == [
        "epoch: 1",
        "epoch: 2",
        "epoch: 3",
    ]


def test_verbose_1_adds_no_second_bar(monkeypatch):
    import leannet.live as live

    monkeypatch.setattr(live, "interactive_output", lambda stream=None: True)
    assert live.verbose_callback(1, None, [LivePlot(plots=False)]) is None
    assert live.verbose_callback(1, None, [ProgressBar()]) is None
    assert isinstance(live.verbose_callback(1, None, [LivePlot(progress=False)]), ProgressBar)
    assert isinstance(live.verbose_callback(1, None, []), ProgressBar)
    printer = live.verbose_callback(2, None, [ProgressBar()])  # verbose=2: the lines, always
    assert isinstance(printer, ln.ProgressPrinter) and printer.every == 1


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_the_bar_is_stopped_when_training_diverges(monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stdout", term)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)) * 10, rng.normal(size=(20, 1)) * 100
    net = ln.Sequential([ln.Dense(3, 8), ln.ReLU(), ln.Dense(8, 1)], seed=0)
    own = ProgressBar()
    with pytest.raises(ln.TrainingDiverged):
        net.fit(X, y, loss="mse", optimizer=ln.SGD(lr=10.0), epochs=500, verbose=1, callbacks=[own])
    # a rich bar left running would still redirect standard output to itself
    assert sys.stdout is term and own._progress is None


def test_verbose_1_in_a_real_terminal_and_in_a_pipe(tmp_path):
    """A pseudo-terminal gets the bar; the same script piped gets the seeds' lines."""
    import os
    import pty
    import select

    script = textwrap.dedent(
        """
        import numpy as np, leannet as ln
        X = np.random.default_rng(1).normal(size=(60, 2)); y = (X[:, 0] > 0).astype(int)
        net = ln.Sequential([ln.Dense(2, 4), ln.Tanh(), ln.Dense(4, 1), ln.Sigmoid()], seed=0)
        net.fit(X, y, loss="binary_cross_entropy", epochs=20, verbose=1, print_every=10)
        print("done")
        """
    )
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    piped = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert piped.returncode == 0, piped.stderr
    assert [line.split(",")[0] for line in piped.stdout.splitlines()] == [
        "epoch: 10",
        "epoch: 20",
        "done",
    ]
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=child, stderr=child, stdin=child, env=env
    )
    os.close(child)
    chunks = []
    while True:  # read while it runs: a full pseudo-terminal buffer would block the child
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    assert proc.wait(timeout=60) == 0
    text = b"".join(chunks).decode(errors="replace")
    assert "20/20" in text and "done" in text
    assert "epoch: 10," not in text and "\x1b[" in text  # the bar, drawn with control codes
