"""``leannet playground``: train a network live in the browser (needs ``leannet[playground]``)."""

from __future__ import annotations

from ._common import add_global_flags

EPILOG = """\
examples:
  leannet playground                      open the page in your browser
  leannet playground --no-browser --port 9000
  leannet playground --data my.csv        start with your own CSV file

The server listens on 127.0.0.1 only; the printed URL carries a random token that
every request needs. --host with another address also needs --allow-remote.
"""


def register(sub) -> None:
    p = sub.add_parser(
        "playground",
        help="watch regularization work, live in the browser",
        description="Start a local web page that trains a network live on leannet's engine.",
        epilog=EPILOG,
    )
    add_global_flags(p)
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than loopback (other machines can then reach it)",
    )
    p.add_argument("--no-browser", action="store_true", help="print the URL, open no browser")
    p.add_argument("--data", metavar="FILE.csv", help="start with this CSV file")
    p.add_argument(
        "--runs-dir", default="runs", metavar="DIR", help="where Save run writes (default ./runs)"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import ConfigError

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be 0..65535, got {args.port}")
    try:
        from ..playground.server import serve
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"the playground needs {exc.name}; install it with: pip install 'leannet[playground]'"
        ) from None
    return serve(
        host=args.host,
        port=args.port,
        allow_remote=args.allow_remote,
        open_browser=not args.no_browser,
        data_file=args.data,
        runs_dir=args.runs_dir,
    )
