"""Run the console script the way a user does, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import attrs

SCRIPT = Path(sys.executable).with_name("grassroots")
EXAMPLES = Path(__file__).parents[2] / "examples" / "cli"


@attrs.frozen
class Result:
    code: int
    out: str
    err: str


def grassroots(*args: str | Path, stdin: str | None = None) -> Result:
    """Run ``grassroots ARGS`` and return its exit code, standard output and error."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=stdin,
        env=env,
        check=False,
        timeout=120,
    )
    return Result(done.returncode, done.stdout, done.stderr)
