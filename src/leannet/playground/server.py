"""The playground's web server: Starlette on uvicorn, one WebSocket and one thread per page.

Security (it is a web server on the user's machine):

* it binds 127.0.0.1 unless ``--host`` and ``--allow-remote`` say otherwise;
* every HTTP request and the WebSocket need the random token of the printed URL
  (in the query string, or the cookie the first page load sets), else 403;
* the ``Host`` header must name an allowed host (refuses DNS rebinding: 403 for
  HTTP, the WebSocket handshake is refused);
* the WebSocket's ``Origin`` must be this very server (no cross-site WebSocket);
* uploads, layers, units and points are bounded (see `settings`, `data`),
  at most `MAX_PAGES` pages train at once, and a page's training stops when
  it closes. Nothing the page sends becomes a file path: "Save run" writes under
  the server's runs directory with a name the server makes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import secrets
from http.cookies import SimpleCookie
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..errors import LeannetError
from .runner import Runner
from .session import Session
from .settings import Settings

MAX_PAGES = 8
MAX_MESSAGE_BYTES = 3_000_000  # a 2 MB CSV plus JSON escaping
COOKIE = "leannet_playground_token"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}


def static_dir() -> Path:
    return Path(str(resources.files("leannet.playground") / "static"))


def _hostname(netloc: str) -> str:
    """``host`` of ``host:port`` (IPv6 brackets removed)."""
    try:
        return (urlsplit("//" + netloc).hostname or "").lower()
    except ValueError:
        return ""


class Guard:
    """ASGI middleware: Host check, token check, and the WebSocket Origin check."""

    def __init__(self, app, *, token: str, hosts: set[str]):
        self.app = app
        self.token = token
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        problem = None
        if _hostname(host) not in self.hosts:
            problem = (
                f"Host {host!r} is not allowed (DNS rebinding protection); open the URL "
                "that `leannet playground` printed"
            )
        elif not self._token_ok(scope, headers):
            problem = "a valid token is required; open the URL that `leannet playground` printed"
        elif scope["type"] == "websocket":
            origin = headers.get("origin")
            if origin is None or urlsplit(origin).netloc.lower() != host.lower():
                problem = f"WebSocket from origin {origin!r} refused: only this page may connect"
        if problem is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "http":
            response = PlainTextResponse(problem + "\n", status_code=403, headers=HEADERS)
            return await response(scope, receive, send)
        # a WebSocket refused before accept: the handshake gets HTTP 403
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008, "reason": problem[:120]})

    def _token_ok(self, scope, headers) -> bool:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [None])[0] or None
        if given is None and "cookie" in headers:
            jar = SimpleCookie()
            try:
                jar.load(headers["cookie"])
            except Exception:  # a malformed cookie header is just no token
                jar = SimpleCookie()
            if COOKIE in jar:
                given = jar[COOKIE].value
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())


def create_app(
    *,
    token: str,
    runs_dir: str | Path = "runs",
    hosts: tuple[str, ...] = LOOPBACK,
    initial_upload=None,
) -> Guard:
    """The ASGI application.

    Args:
        token: the secret every request must carry.
        runs_dir: where "Save run" writes run directories.
        hosts: host names the ``Host`` header may name.
        initial_upload: a `Upload` to start with (``--data FILE``).
    """
    runners: set[Runner] = set()

    async def index(request):
        path = static_dir() / "index.html"
        response = FileResponse(path, headers=HEADERS)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    async def favicon(request):
        return Response(status_code=204, headers=HEADERS)

    async def socket(websocket: WebSocket):
        if len(runners) >= MAX_PAGES:
            await websocket.close(code=1013, reason=f"at most {MAX_PAGES} pages at once")
            return
        await websocket.accept()
        loop = asyncio.get_running_loop()
        outbox: asyncio.Queue = asyncio.Queue()

        def publish(message: dict) -> None:  # from the training thread
            loop.call_soon_threadsafe(outbox.put_nowait, message)

        runner = Runner(Session(Settings()), publish, Path(runs_dir))
        runners.add(runner)
        if initial_upload is not None:
            runner.upload = initial_upload
            publish({"type": "columns", **initial_upload.columns()})
        runner.start()

        async def sender():
            while True:
                message = await outbox.get()
                await websocket.send_text(json.dumps(message, allow_nan=False))
                if message.get("type") == "snapshot":
                    runner.snapshot_sent()

        task = asyncio.create_task(sender())
        try:
            while True:
                text = await websocket.receive_text()
                if len(text) > MAX_MESSAGE_BYTES:
                    publish({"type": "error", "message": "message too large (limit 3 MB)"})
                    continue
                try:
                    message = json.loads(text)
                    if not isinstance(message, dict):
                        raise ValueError("not an object")
                except ValueError:
                    publish({"type": "error", "message": "messages must be JSON objects"})
                    continue
                if not runner.submit(message):
                    publish({"type": "error", "message": "too many commands at once; slow down"})
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            task.cancel()
            runners.discard(runner)
            await asyncio.to_thread(runner.stop)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        for runner in list(runners):  # Ctrl-C: every page's training stops
            runner.stop(timeout=2.0)

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/favicon.ico", favicon),
            Mount("/static", StaticFiles(directory=static_dir()), name="static"),
            WebSocketRoute("/ws", socket),
        ],
        lifespan=lifespan,
    )
    app.state.runners = runners
    return Guard(app, token=token, hosts={h.lower() for h in hosts})


def new_token() -> str:
    return secrets.token_urlsafe(24)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    allow_remote: bool = False,
    open_browser: bool = True,
    data_file: str | None = None,
    runs_dir: str | Path = "runs",
    stream=None,
) -> int:
    """Run the playground until Ctrl-C; returns the exit status.

    Raises:
        ConfigError: a non-loopback ``host`` without ``allow_remote``, a port in use.
        DataError: a ``data_file`` that cannot be read as a CSV.
    """
    import socket as socket_module
    import sys
    import threading
    import webbrowser

    import uvicorn

    from ..errors import ConfigError
    from . import data as data_module

    stream = stream or sys.stdout
    loopback = _hostname(host if ":" not in host else f"[{host}]") in LOOPBACK
    if not loopback and not allow_remote:
        raise ConfigError(
            f"--host {host} would let other machines reach the playground; pass "
            "--allow-remote as well if you mean it (anyone with the token can then use it)"
        )
    upload = None
    if data_file is not None:
        path = Path(data_file)
        try:
            if path.stat().st_size > data_module.MAX_UPLOAD_BYTES:
                raise LeannetError(
                    f"--data {data_file}: over the playground's limit of "
                    f"{data_module.MAX_UPLOAD_BYTES / 1e6:.0f} MB; use `leannet train` for it"
                )
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"--data {data_file}: cannot be read ({exc})") from None
        upload = data_module.parse_upload(path.name, text)
    family = socket_module.AF_INET6 if ":" in host else socket_module.AF_INET
    sock = socket_module.socket(family, socket_module.SOCK_STREAM)
    sock.setsockopt(socket_module.SOL_SOCKET, socket_module.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)  # connections wait in the queue until uvicorn has started
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"--port {port}: cannot listen on {host}:{port} ({exc.strerror or exc}); "
            "choose another --port (0 picks a free one)"
        ) from None
    port = sock.getsockname()[1]
    token = new_token()
    hosts = LOOPBACK if loopback else (*LOOPBACK, _hostname(f"[{host}]" if ":" in host else host))
    app = create_app(token=token, runs_dir=runs_dir, hosts=hosts, initial_upload=upload)
    shown = "127.0.0.1" if loopback else host
    url = f"http://{shown if ':' not in shown else f'[{shown}]'}:{port}/?token={token}"
    if not loopback:
        print(
            f"warning: the playground listens on {host}, reachable from other machines; "
            "anyone with the token below can train and save runs on this computer",
            file=stream,
        )
    print(f"leannet playground: open {url}", file=stream)
    print(f"runs are saved under {Path(runs_dir).resolve()}; press Ctrl-C to stop", file=stream)
    stream.flush()
    config = uvicorn.Config(
        app, log_level="warning", ws_max_size=MAX_MESSAGE_BYTES + 1024, lifespan="on"
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])  # Ctrl-C: uvicorn shuts down, then re-raises the signal
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("leannet playground: stopped", file=stream)
    return 0


__all__ = ["MAX_PAGES", "create_app", "new_token", "serve"]
