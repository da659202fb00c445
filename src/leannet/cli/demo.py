"""``leannet demo [NAME]``: run an experiment of the seed documents, with a report."""

from __future__ import annotations

from ._common import add_command, add_output_flags, positive_int, print_table

EPILOG = """\
examples:
  leannet demo                     L2 vs no L2 on overfitting-prone data (= demo overfit)
  leannet demo --list              the demos
  leannet demo spiral --quick      any demo in a few seconds
  leannet demo overfit --seeds 10  more repeats, tighter error bars
  leannet demo digits --data ~/mnist   784-128-10 on real MNIST IDX files

Each demo writes a run directory (default: a new one under ./runs/) with
report.html, report.md, report.tex and report.pdf (when pdflatex is installed).
"""


def register(sub) -> None:
    p = add_command(
        sub,
        "demo",
        run,
        help="run a built-in experiment (default: overfit)",
        description="Run one of the built-in experiments and write its report.",
        epilog=EPILOG,
    )
    p.add_argument(
        "name",
        nargs="?",
        default="overfit",
        metavar="NAME",
        help="demo to run (default: overfit; see --list)",
    )
    p.add_argument("--list", action="store_true", help="list the demos and exit")
    p.add_argument("--quick", action="store_true", help="tiny version that runs in seconds")
    p.add_argument(
        "--seeds",
        type=positive_int,
        metavar="N",
        help="repeats over seeds (overfit: default 8, --quick 2; l1: default 3, --quick 1)",
    )
    p.add_argument("--data", metavar="DIR", help="digits: a directory with MNIST IDX files")
    add_output_flags(p)


def run(args) -> int:
    from ..errors import ConfigError
    from ..lab.demos import DemoContext, get_demo, list_demos
    from ..lab.runs import create_run_dir

    if args.list:
        print_table(
            "Demos (leannet demo NAME)",
            ["name", "what it shows"],
            [[n, s] for n, s in list_demos()],
        )
        return 0
    demo = get_demo(args.name)
    if args.data is not None and args.name != "digits":
        raise ConfigError("--data applies to the digits demo only (MNIST IDX directory)")
    if args.seeds is not None and args.name not in ("overfit", "l1"):
        raise ConfigError("--seeds applies to the overfit and l1 demos only")
    run_dir = create_run_dir(
        args.out, f"demo-{args.name}{'-quick' if args.quick else ''}", force=args.force
    )
    ctx = DemoContext(
        run_dir=run_dir,
        quick=args.quick,
        quiet=args.quiet,
        log_every=args.log_every,
        pdf=not args.no_pdf,
        seeds=args.seeds,
        data=args.data,
    )
    ctx.log(f"leannet demo {args.name}{' (quick)' if args.quick else ''}: {demo.SUMMARY}")
    result = demo.run(ctx)
    print()
    print_table(result.title, result.columns, result.rows)
    if result.conclusions:
        print()
        for c in result.conclusions:
            print(f"* {c}")
    print()
    print(f"run directory: {result.run_dir}")
    print(f"report: {result.run_dir / 'report.html'}")
    if not args.quiet and "pdf" not in result.reports and result.reports:
        print(result.reports.get("pdf_message", ""))
    return 0
