"""``python -m leannet`` is the same as the ``leannet`` command."""

from .cli import main

raise SystemExit(main())
