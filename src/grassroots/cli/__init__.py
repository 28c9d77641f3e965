"""The ``grassroots`` command: the library's rules from a terminal (extra ``cli``).

Install the extra and run ``grassroots --help``:

```console
$ pip install 'grassroots[cli]'
$ grassroots allocate --file split.json --lang en
```

The commands go through the library's public API only. Exit codes:

- ``0``: done;
- ``1``: a domain rule refused something (a
  [`GrassrootsError`][grassroots.errors.GrassrootsError] that is not an input error), or
  a check found a problem;
- ``2``: bad usage or input (a wrong option, an unreadable file, a
  [`SerializationError`][grassroots.errors.SerializationError]).

An error is one line on standard error; ``--debug`` adds the traceback.

Importing this module imports neither the command-line framework nor the
terminal-table library: [`main`][grassroots.cli.main] loads them when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["EXTRA_HINT", "main"]

EXTRA_HINT = "the grassroots command needs the cli extra: pip install 'grassroots[cli]'"
"""The line printed when the ``cli`` extra is not installed."""


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``grassroots`` command and exit with its code.

    Args:
        argv: The arguments after the command's name; the process's own when ``None``.

    Raises:
        SystemExit: always, with the exit code (``1`` and a hint on standard error when
            the ``cli`` extra is missing).
    """
    try:
        from grassroots.cli._app import run
    except ImportError as exc:
        if exc.name not in {"click", "rich"} and not str(exc.name).startswith(("click.", "rich.")):
            raise
        print(f"error: {EXTRA_HINT} ({exc.name} is not installed)", file=sys.stderr)  # noqa: T201
        raise SystemExit(1) from None
    raise SystemExit(run(list(sys.argv[1:] if argv is None else argv)))
