"""The ``leannet`` command line.

One module per subcommand; each defines ``register(subparsers)``, which adds its
parser and sets ``func`` to a function ``(args) -> int``. To add a command,
write ``cli/NAME.py`` and append ``"NAME"`` to `COMMANDS`.

Errors a user can act on (leannet's `LeannetError` and its
subclasses) are printed as one line on stderr with exit code 2; ``--debug``
shows the traceback instead.
"""

from __future__ import annotations

import importlib
import signal
import sys

from ._common import LeannetParser, add_global_flags
from ._suggest import subcommand_parser, unknown_arguments_message

COMMANDS = ["demo", "train", "evaluate", "predict", "datasets", "report", "sweep", "playground"]

EPILOG = """\
examples:
  leannet demo                      the L2 overfitting experiment (about 20 s)
  leannet demo --list               all demos
  leannet train --data iris --hidden 16 --l2 1e-3 --epochs 300
  leannet train --data my.csv --target label --out runs/my-run
  leannet predict runs/my-run --data new.csv --out preds.csv
  leannet datasets                  built-in datasets
"""


def build_parser() -> LeannetParser:
    """The top-level parser with every registered subcommand."""
    parser = LeannetParser(
        prog="leannet",
        description="leannet: neural networks from scratch in NumPy, with regularization you can see.",
        epilog=EPILOG,
    )
    add_global_flags(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=LeannetParser)
    for name in COMMANDS:
        importlib.import_module(f".{name}", __name__).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``leannet`` command; returns the exit status."""
    from .. import _signals
    from ..errors import LeannetError

    parser = build_parser()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:  # the subcommand's parser names itself and suggests the option meant
            owner = subcommand_parser(parser, getattr(args, "command", None)) or parser
            owner.error(unknown_arguments_message(owner, extras))
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 0
    debug = getattr(args, "debug", False)
    _signals.reset()
    try:
        # SIGTERM and SIGHUP stop a command like Ctrl-C (training saves the run first).
        with _signals.interrupt_on_stop_signals():
            return int(args.func(args) or 0)
    except LeannetError as exc:
        if debug:
            raise
        print(f"leannet {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file system refusing a write or read that no check foresaw
        if debug:
            raise
        print(f"leannet {args.command}: error: {_os_error_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if debug:
            raise
        signum = _signals.last_stop_signal()
        how = "" if signum in (None, signal.SIGINT) else f" ({_signals.signal_name(signum)})"
        print(f"leannet {args.command}: interrupted{how}", file=sys.stderr)
        return _signals.exit_code(signum)


def _os_error_line(exc: OSError) -> str:
    """One line for an operating-system error: the path, what happened, the fix."""
    from .._atomic import _ADVICE

    where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
    what = _ADVICE.get(exc.errno) or exc.strerror or str(exc)
    return " ".join(f"{where}{what}".split())[:2000]
