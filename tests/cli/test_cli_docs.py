"""Every console example of the command-line guide runs and prints what the guide shows."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from _cli_helpers import EXAMPLES, SCRIPT

GUIDE = Path(__file__).parents[2] / "docs" / "how-to" / "command-line.md"
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)


def _examples() -> list[tuple[str, str]]:
    """Return each ``$`` command of the guide with the output shown after it."""
    found: list[tuple[str, str]] = []
    for block in _BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            elif command is not None:
                output.append(line)
        if command is not None:
            found.append((command, "\n".join(output)))
    return found


EXAMPLES_IN_GUIDE = _examples()


def test_the_guide_has_examples() -> None:
    commands = [command for command, _ in EXAMPLES_IN_GUIDE]
    for name in ("allocate", "ledger verify", "export", "scenario check"):
        assert any(f"grassroots {name}" in command for command in commands), name


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("guide")
    (here / "examples").mkdir()
    (here / "examples" / "cli").symlink_to(EXAMPLES)
    return here


@pytest.mark.parametrize(("command", "shown"), EXAMPLES_IN_GUIDE, ids=lambda v: v[:40])
def test_each_example_prints_what_the_guide_shows(workdir: Path, command: str, shown: str) -> None:
    env = {
        **os.environ,
        "PATH": f"{SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        ["bash", "-c", f"{{ {command}; }} 2>&1"],
        cwd=workdir,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        timeout=120,
    )
    printed = "\n".join(line.rstrip() for line in done.stdout.splitlines())
    assert printed == "\n".join(line.rstrip() for line in shown.splitlines())
