"""The playground in a real browser: Debian's Chromium driven by Playwright (no browser download).

The server runs in this process (uvicorn in a thread, 127.0.0.1, a free port), so the
tests can compare what the page shows with the model itself. Screenshots of the
main states go to $LEANNET_SCREENSHOTS (docs/images/ for the README's pictures).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
uvicorn = pytest.importorskip("uvicorn", reason="pip install 'leannet[playground]'")

from leannet.playground.server import create_app  # noqa: E402

pytestmark = pytest.mark.slow
# Screenshots of the main states; LEANNET_SCREENSHOTS=docs/images refreshes the README's.
IMAGES = Path(os.environ.get("LEANNET_SCREENSHOTS") or "/tmp/leannet-playground-screenshots")
IMAGES.mkdir(parents=True, exist_ok=True)
TOKEN = "browser-test-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(token=TOKEN, runs_dir=runs)
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "runners": app.app.state.runners, "port": port}
    srv.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def open_page(page, server, query=""):
    page.goto(f"{server['url']}/?token={TOKEN}{'&' + query if query else ''}")
    page.wait_for_selector("#boundary-0")
    wait(page, "document.querySelector('#metric-train_loss-0') !== null")


def number(page, selector, attr=None):
    loc = page.locator(selector)
    return float(loc.get_attribute(attr) if attr else loc.text_content())


def step_count(page) -> int:
    return int(page.text_content("#stepcount"))


def wait(page, predicate_js, timeout=15000):
    """Wait for a JS expression (as a function: the page's CSP forbids eval of strings)."""
    page.wait_for_function(f"() => {predicate_js}", timeout=timeout)


def play_until(page, predicate_js, timeout=15000):
    page.click("#play")
    wait(page, predicate_js, timeout=timeout)
    page.click("#play")
    wait(page, "document.querySelector('#play').getAttribute('aria-pressed') === 'false'")
    page.wait_for_timeout(250)  # the snapshot after the pause


def canvas_data(page, selector) -> str:
    return page.eval_on_selector(selector, "c => c.toDataURL()")


def the_runner(server):
    assert len(server["runners"]) == 1
    return next(iter(server["runners"]))


def test_loads_without_console_errors_and_every_control_is_named(page, server):
    open_page(page, server)
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('button, select, input')].filter(e => {
            const text = (e.getAttribute('aria-label') || e.textContent || '').trim();
            const labels = e.labels ? [...e.labels].map(l => l.textContent.trim()).join('') : '';
            return !text && !labels && e.type !== 'hidden';
        }).map(e => e.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    # "Copy link": the settings that differ from the defaults, without the token
    page.select_option("#l2", "0.01")
    wait(page, "location.search.includes('l2=0.01')")
    page.click("#link")
    wait(page, "document.querySelector('#message').textContent.includes('l2=0.01')")
    message = page.text_content("#message")
    assert f"{server['url']}/?l2=0.01" in message and TOKEN not in message
    assert page.errors == []


def test_play_moves_epoch_loss_and_boundary_and_keys_work(page, server):
    open_page(page, server, "n_points=200")
    loss0 = number(page, "#metric-train_loss-0", "data-value")
    before = canvas_data(page, "#boundary-0")
    play_until(page, "Number(document.querySelector('#epoch').textContent) >= 5")
    assert int(page.text_content("#epoch")) >= 5
    assert number(page, "#metric-train_loss-0", "data-value") < loss0
    assert canvas_data(page, "#boundary-0") != before
    page.screenshot(path=str(IMAGES / "playground.png"))
    n = step_count(page)
    page.locator("body").press("s")  # keyboard: one step
    wait(page, f"Number(document.querySelector('#stepcount').textContent) === {n + 1}")
    assert page.errors == []


def test_raising_l2_mid_run_raises_penalty_and_lowers_norm(page, server):
    open_page(page, server, "n_points=200&lr=0.1")
    play_until(page, "Number(document.querySelector('#epoch').textContent) >= 20")
    assert number(page, "#metric-penalty-0", "data-value") == 0.0
    norm0 = number(page, "#norm")
    page.click("#play")
    page.select_option("#l2", "0.1")
    wait(
        page,
        "Number(document.querySelector('#metric-penalty-0').dataset.value) > 0"
        f" && Number(document.querySelector('#norm').textContent) < {0.7 * norm0}",
        timeout=15000,
    )
    page.click("#play")
    runner = the_runner(server)
    assert runner.session.main.settings.l2 == 0.1
    assert any("l2 0.0 -> 0.1" in c for c in runner.session.main.changes)
    assert page.errors == []


def test_proximal_l1_makes_links_vanish_and_counts_match_the_model(page, server):
    open_page(page, server, "n_points=200&lr=0.1&hidden=8,8")
    page.select_option("#l1", "0.01")
    page.check("#l1_proximal")
    play_until(page, "Number(document.querySelector('#zeros').textContent) > 10")
    page.wait_for_timeout(300)
    zeros_page = int(page.text_content("#zeros"))
    net = the_runner(server).session.main.net
    w = net.params[: net.n_weights]
    assert zeros_page == int(np.count_nonzero(w == 0)) > 10
    links = int(page.get_attribute("#net-0", "data-links"))
    assert links == net.n_weights - zeros_page  # the zero links are not drawn
    page.screenshot(path=str(IMAGES / "playground-proximal-l1.png"))


def test_compare_mode_shows_two_boundaries(page, server):
    # the seeds' overfitting experiment: few noisy points, a big network, L2 or not
    open_page(page, server, "n_points=200&data_noise=0.5&hidden=16,16&lr=0.1&train_ratio=0.3")
    page.check("#compare")
    page.wait_for_selector("#boundary-1")
    play_until(page, "Number(document.querySelector('#epoch').textContent) >= 150", timeout=30000)
    a, b = canvas_data(page, "#boundary-0"), canvas_data(page, "#boundary-1")
    assert a != b
    # what the page shows for this seed: A fits its training points better, B has the lower
    # test loss (the gap between train and test loss is A's overfitting)
    train_a, train_b = (number(page, f"#metric-train_loss-{i}", "data-value") for i in (0, 1))
    test_a, test_b = (number(page, f"#metric-test_loss-{i}", "data-value") for i in (0, 1))
    assert train_a < train_b and test_a > test_b
    runner = the_runner(server)
    ta, tb = runner.session.trainees
    assert ta.step_count == tb.step_count > 0 and tb.settings.l2 == 0.01 and ta.settings.l2 == 0
    assert page.locator("#metric-test_loss-1").count() == 1
    page.screenshot(path=str(IMAGES / "playground-compare.png"))
    page.select_option("#export-net", "1")  # Show as code for network B
    page.click("#code")
    page.wait_for_selector("#code-command")
    assert "--l2 0.01" in page.text_content("#code-command")
    assert page.errors == []


def test_csv_upload_trains_and_a_broken_csv_gives_a_message(page, server, tmp_path):
    open_page(page, server)
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" + "1,2\n" * 600_000)  # 2.4 MB
    page.set_input_files("#csv", str(big))
    page.wait_for_selector("#message.error")
    assert "big.csv: 2.4 MB is over the playground's limit of 2 MB" in page.text_content("#message")
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b,c\n1,2\n")
    page.set_input_files("#csv", str(broken))
    wait(page, "document.querySelector('#message').textContent.includes('broken.csv')")
    assert page.get_attribute("#message", "class") == "error"
    assert "broken.csv: row 1 (line 2) has 2 fields" in page.text_content("#message")
    rng = np.random.default_rng(1)
    rows = [
        f"{a:.4f},{b:.4f},{'in' if a * a + b * b < 1 else 'out'}"
        for a, b in rng.normal(size=(150, 2))
    ]
    good = tmp_path / "mine.csv"
    good.write_text("height,width,kind\n" + "\n".join(rows) + "\n")
    page.set_input_files("#csv", str(good))
    page.wait_for_selector("#columns:not([hidden])")
    assert page.input_value("#target") == "kind"
    page.click("#use-columns")
    wait(page, "document.querySelector('#dataset').value === 'upload'")
    play_until(page, "Number(document.querySelector('#epoch').textContent) >= 3")
    session = the_runner(server).session
    assert session.data.ds.feature_names == ["height", "width"] and session.main.epoch >= 3
    assert page.errors == []


def test_saved_run_is_scored_by_leannet_evaluate_as_the_page_shows(page, server):
    open_page(page, server, "n_points=200&dataset=moons")
    for k in range(3):
        page.click("#epoch-btn")
        wait(page, f"Number(document.querySelector('#epoch').textContent) === {k + 1}")
    page.wait_for_timeout(200)
    shown_loss = number(page, "#metric-test_loss-0", "data-value")
    shown_acc = number(page, "#metric-test_metric-0", "data-value")
    page.click("#save")
    wait(page, "document.querySelector('#message').dataset.runDir")
    run = Path(page.get_attribute("#message", "data-run-dir"))
    assert "bitwise" in page.text_content("#message")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "leannet",
            "evaluate",
            str(run),
            "--data",
            str(run / "test.csv"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    scored = json.loads(out.stdout)
    assert scored["data_loss"] == shown_loss and scored["accuracy"] == shown_acc
    page.click("#code")
    page.wait_for_selector("#code-python")
    assert "--epochs 3" in page.text_content("#code-command")
    page.screenshot(path=str(IMAGES / "playground-code.png"))


def test_no_token_and_foreign_websocket_are_refused(page, server):
    response = page.goto(server["url"] + "/")
    assert response.status == 403
    # a page from another origin tries our WebSocket with the right token
    page.route(
        "http://evil.test/**",
        lambda r: r.fulfill(body="<html><body>x</body></html>", content_type="text/html"),
    )
    page.goto("http://evil.test/")
    script = """url => new Promise(done => {
        const ws = new WebSocket(url);
        ws.onopen = () => done('open');
        ws.onerror = () => done('refused');
    })"""
    ws_url = f"ws://127.0.0.1:{server['port']}/ws?token={TOKEN}"
    assert page.evaluate(script, ws_url) == "refused"
    open_page(page, server)  # the playground's own page may connect
    assert page.evaluate(script, ws_url) == "open"


def test_clicking_a_link_shows_the_math_of_that_weight(page, server):
    open_page(page, server, "n_points=200&l2=0.01&hidden=4")
    page.click("#step")
    wait(page, "Number(document.querySelector('#stepcount').textContent) === 1")
    # a quarter along the link from input 2 to hidden unit 3, where the page draws it
    # (the midpoint is where the link from input 1 to unit 4 crosses it)
    x, y = page.evaluate(
        """() => {
            const c = document.querySelector('#net-0');
            const nodes = layout(snap.nets[0], c.width, c.height);
            const a = nodes[0][1], b = nodes[1][2];
            const r = c.getBoundingClientRect(), k = r.width / c.width;
            const x0 = a.x + a.box / 2, x1 = b.x - b.box / 2;
            return [r.left + k * (x0 + 0.25 * (x1 - x0)), r.top + k * (a.y + 0.25 * (b.y - a.y))];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_selector("#inspect-table caption:text('W[0][1,2]')")
    cells = page.locator("#inspect-table td")
    before, g_data, g_pen, g, update = (
        float(cells.nth(k).get_attribute("data-value")) for k in (1, 2, 3, 4, 5)
    )
    assert g_pen == pytest.approx(2 * 0.01 * before, rel=1e-5)
    assert g_data + g_pen == pytest.approx(g, rel=1e-5, abs=1e-9)
    assert update == pytest.approx(-0.03 * g, rel=1e-3, abs=1e-9)  # SGD: Δw = −η·g
    assert "Δw = −η·g" in page.text_content(".formula")


def test_fits_one_laptop_screen_without_scrolling(browser, server):
    """At 1366x768 (a common laptop) no column of the page scrolls, nor the page itself."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        open_page(pg, server)
        sizes = pg.evaluate(
            """() => [...document.querySelectorAll('.col'), document.documentElement].map(e =>
                [e.className || e.tagName, e.scrollHeight, e.clientHeight, e.scrollWidth, e.clientWidth])"""
        )
        assert len(sizes) == 5
        overflowing = [s for s in sizes if s[1] > s[2] or s[3] > s[4]]
        assert overflowing == [], (
            f"scrolls at 1366x768 (name, scrollH, clientH, scrollW, clientW): {overflowing}"
        )
        # the cosine schedule's span shows in place of the decay controls, still on one screen
        pg.select_option("#lr_schedule", "cosine")
        wait(pg, "!document.querySelector('#cosine-row').hidden")
        assert pg.locator("#decay-row").is_hidden()
        assert pg.evaluate(
            "[...document.querySelectorAll('.col')].every(c => c.scrollHeight <= c.clientHeight)"
        )
        pg.screenshot(path=str(IMAGES / "playground-1366x768.png"))
        assert errors == []
    finally:
        context.close()
