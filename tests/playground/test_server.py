"""The playground server with Starlette's TestClient: token, Host, Origin, the WebSocket protocol."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx2")  # what starlette.testclient uses (the dev extra installs it)
from starlette.testclient import TestClient  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

from leannet.cli import main as cli_main  # noqa: E402
from leannet.errors import ConfigError  # noqa: E402
from leannet.playground import server  # noqa: E402

TOKEN = "t0ken-for-tests"
ORIGIN = {"origin": "http://testserver"}


@pytest.fixture
def client(tmp_path):
    app = server.create_app(token=TOKEN, runs_dir=tmp_path / "runs", hosts=("testserver",))
    with TestClient(app) as c:
        c.app_state = app.app.state
        yield c


def test_page_needs_the_token(client):
    assert client.get("/").status_code == 403
    r = client.get("/?token=wrong")
    assert r.status_code == 403 and "valid token" in r.text
    r = client.get(f"/?token={TOKEN}")
    assert r.status_code == 200
    assert r.headers["x-frame-options"] == "DENY"
    # the page's own later requests carry the cookie set by the first load
    assert client.get("/static/index.html").status_code == 200
    client.cookies.clear()
    assert client.get("/static/index.html").status_code == 403


def test_a_shared_link_works_with_the_cookie_of_an_earlier_visit(client):
    assert client.get(f"/?token={TOKEN}").status_code == 200  # sets the cookie
    assert client.get("/?dataset=xor&l2=0.01").status_code == 200
    with client.websocket_connect("/ws?token=", headers=ORIGIN) as ws:
        assert receive(ws, "snapshot")["type"] == "snapshot"
    client.cookies.clear()
    client.cookies.set(server.COOKIE, "stale-token-of-an-old-server")
    assert client.get("/?dataset=xor").status_code == 403


def test_other_host_is_refused_dns_rebinding(client):
    r = client.get(f"/?token={TOKEN}", headers={"host": "evil.example:8765"})
    assert r.status_code == 403 and "DNS rebinding" in r.text


def test_websocket_refusals(client):
    with pytest.raises(WebSocketDisconnect) as info:
        with client.websocket_connect("/ws", headers=ORIGIN):
            pass
    assert info.value.code == 1008
    with pytest.raises(WebSocketDisconnect) as info:
        with client.websocket_connect(
            f"/ws?token={TOKEN}", headers={"origin": "http://evil.example"}
        ):
            pass
    assert info.value.code == 1008
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect(f"/ws?token={TOKEN}"):  # no Origin at all
            pass


def receive(ws, kind, predicate=lambda m: True, limit=200):
    for _ in range(limit):
        message = ws.receive_json()
        if message["type"] == kind and predicate(message):
            return message
        if message["type"] == "error" and kind != "error":
            raise AssertionError(message["message"])
    raise AssertionError(f"no {kind} message")


def test_training_over_the_websocket(client, tmp_path):
    with client.websocket_connect(f"/ws?token={TOKEN}", headers=ORIGIN) as ws:
        ws.send_json({"type": "hello", "query": "n_points=100&hidden=4"})
        first = receive(ws, "snapshot", lambda m: "points" in m)
        assert first["settings"]["hidden"] == [4]
        ws.send_json({"type": "play"})
        snap = receive(ws, "snapshot", lambda m: m["nets"][0]["step"] > 50)
        ws.send_json({"type": "set", "changes": {"l2": 0.1}})
        ws.send_json({"type": "pause"})
        snap = receive(ws, "snapshot", lambda m: not m["playing"] and m["nets"][0]["changes"])
        assert snap["nets"][0]["changes"][0].endswith("l2 0.0 -> 0.1")
        assert snap["nets"][0]["settings"]["l2"] == 0.1
        # one step moves the counter by exactly one
        ws.send_json({"type": "step"})
        after = receive(ws, "snapshot", lambda m: m["nets"][0]["step"] != snap["nets"][0]["step"])
        assert after["nets"][0]["step"] == snap["nets"][0]["step"] + 1
        assert after["nets"][0]["curves"]["penalty"][-1] > 0
        ws.send_json({"type": "select", "net": 0, "layer": 1, "i": 2, "j": 0})
        picked = receive(ws, "snapshot", lambda m: "inspect" in m)
        assert picked["inspect"]["name"] == "W[1][2,0]" and "grad_penalty" in picked["inspect"]
        ws.send_json({"type": "select", "net": 0, "layer": 9, "i": 0, "j": 0})
        assert "bad select message" in receive(ws, "error")["message"]
        ws.send_json({"type": "set", "changes": {"hidden": [40]}})
        assert "1 to 32 units" in receive(ws, "error")["message"]
        ws.send_json({"type": "save"})
        saved = receive(ws, "saved")
        assert saved["run_dir"].startswith(str(tmp_path / "runs"))
        assert not saved["reproducible"]  # l2 changed mid-run
        ws.send_json({"type": "code"})
        assert "leannet train --data data.csv" in receive(ws, "code")["command"]
        runners = list(client.app_state.runners)
        assert len(runners) == 1
    # the page closed: its training thread stops
    deadline = time.time() + 5
    while runners[0].thread.is_alive() and time.time() < deadline:
        time.sleep(0.05)
    assert not runners[0].thread.is_alive()
    assert not client.app_state.runners


def test_upload_over_the_websocket(client):
    with client.websocket_connect(f"/ws?token={TOKEN}", headers=ORIGIN) as ws:
        receive(ws, "snapshot")
        ws.send_json({"type": "upload", "name": "../../etc/passwd", "text": "a,b\n1\n"})
        assert "passwd: row 1 (line 2) has 1 fields" in receive(ws, "error")["message"]
        rows = "\n".join(f"{i % 7},{(i * 3) % 5},{int(i % 7 > 3)}" for i in range(80))
        ws.send_json({"type": "upload", "name": "mine.csv", "text": "p,q,label\n" + rows + "\n"})
        cols = receive(ws, "columns")
        assert cols["columns"] == ["p", "q", "label"]
        ws.send_json({"type": "use_columns", "target": "label", "features": ["p", "q"]})
        receive(ws, "info")
        snap = receive(ws, "snapshot", lambda m: "points" in m)
        assert snap["feature_names"] == ["p", "q"] and snap["settings"]["dataset"] == "upload"
        ws.send_json({"type": "nonsense"})
        assert "unknown command" in receive(ws, "error")["message"]
        ws.send_text("not json")
        assert "JSON" in receive(ws, "error")["message"]


def test_remote_host_needs_an_explicit_flag(capsys):
    with pytest.raises(ConfigError, match="--allow-remote"):
        server.serve(host="0.0.0.0", port=0, open_browser=False)
    assert cli_main(["playground", "--host", "0.0.0.0", "--no-browser"]) == 2
    assert "--allow-remote" in capsys.readouterr().err
    assert cli_main(["playground", "--data", "/nonexistent.csv", "--no-browser"]) == 2


def test_data_file_starts_with_its_columns(tmp_path):
    from leannet.playground import data as pdata

    upload = pdata.parse_upload("start.csv", "a,b,t\n1,2,0\n2,1,1\n3,3,0\n4,1,1\n")
    app = server.create_app(
        token=TOKEN, runs_dir=tmp_path, hosts=("testserver",), initial_upload=upload
    )
    with TestClient(app) as c, c.websocket_connect(f"/ws?token={TOKEN}", headers=ORIGIN) as ws:
        assert receive(ws, "columns")["columns"] == ["a", "b", "t"]


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "leannet",
            "playground",
            "--no-browser",
            "--port",
            "0",
            "--runs-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("leannet playground: open http://127.0.0.1:")
        url = line.split("open ", 1)[1].strip()
        assert "token=" in url
        assert proc.stdout.readline().strip() == (
            f"runs are saved under {tmp_path.resolve()}; press Ctrl-C to stop"
        )
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.split("?")[0], timeout=10)
        assert refused.value.code == 403
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0
    assert "leannet playground: stopped" in out


def test_another_host_with_allow_remote_warns(tmp_path):
    # 127.0.0.2 is not one of the loopback names the playground knows, so it counts as
    # "another host", yet it stays on this machine (Linux routes 127.0.0.0/8 locally).
    import signal
    import subprocess
    import sys
    import urllib.request

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "leannet",
            "playground",
            "--no-browser",
            "--port",
            "0",
            "--host",
            "127.0.0.2",
            "--allow-remote",
            "--runs-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        warning = proc.stdout.readline()
        assert warning.startswith("warning: the playground listens on 127.0.0.2, reachable from")
        url = proc.stdout.readline().split("open ", 1)[1].strip()
        assert url.startswith("http://127.0.0.2:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 0


def test_an_internal_error_is_reported_and_the_thread_lives_on(client, monkeypatch):
    from leannet.playground.session import Session

    calls = []

    def broken_step(self, n=1):
        calls.append(n)
        raise ZeroDivisionError("boom")

    with client.websocket_connect(f"/ws?token={TOKEN}", headers=ORIGIN) as ws:
        receive(ws, "snapshot")
        monkeypatch.setattr(Session, "step", broken_step)
        ws.send_json({"type": "step"})
        assert "internal error (ZeroDivisionError: boom)" in receive(ws, "error")["message"]
        monkeypatch.undo()
        ws.send_json({"type": "step"})
        assert receive(ws, "snapshot", lambda m: m["nets"][0]["step"] == 1)


def test_floods_and_huge_messages_get_a_message(client, monkeypatch):
    from leannet.playground.session import Session

    real_step = Session.step

    def slow_step(self, n=1):
        time.sleep(0.3)
        return real_step(self, n)

    with client.websocket_connect(f"/ws?token={TOKEN}", headers=ORIGIN) as ws:
        receive(ws, "snapshot")
        ws.send_text("x" * (server.MAX_MESSAGE_BYTES + 1))
        assert receive(ws, "error")["message"] == "message too large (limit 3 MB)"
        monkeypatch.setattr(Session, "step", slow_step)
        for _ in range(300):  # the thread is busy with the first step meanwhile
            ws.send_json({"type": "step"})
        assert receive(ws, "error", limit=400)["message"] == "too many commands at once; slow down"
