"""The console script: help, version, the missing extra, usage errors and exit codes."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

from _cli_helpers import grassroots

from grassroots.cli import EXTRA_HINT

_BLOCK_CLICK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        blocked = %r
        if name == blocked or name.startswith(blocked + '.'):
            raise ImportError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
from grassroots.cli import main
main(["--help"])
"""


class TestScript:
    def test_help_lists_every_command(self) -> None:
        result = grassroots("--help")
        assert result.code == 0
        for command in ("allocate", "export", "ledger", "scenario"):
            assert command in result.out

    def test_version_is_the_distribution_version(self) -> None:
        result = grassroots("--version")
        assert result.code == 0
        assert version("grassroots") in result.out

    def test_unknown_command_is_bad_usage(self) -> None:
        result = grassroots("simulate-everything")
        assert result.code == 2
        assert result.out == ""
        lines = result.err.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("error: ")
        assert "simulate-everything" in lines[0]

    def test_unknown_option_is_bad_usage(self) -> None:
        result = grassroots("allocate", "--no-such-option")
        assert result.code == 2
        assert "--no-such-option" in result.err

    def test_module_runs_like_the_script(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "grassroots.cli", "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0
        assert "allocate" in done.stdout


class TestMissingExtra:
    def _run_without(self, module: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", _BLOCK_CLICK % module],
            capture_output=True,
            text=True,
            check=False,
        )

    def test_without_click_main_names_the_extra_and_exits_1(self) -> None:
        done = self._run_without("click")
        assert done.returncode == 1
        assert done.stdout == ""
        assert "pip install 'grassroots[cli]'" in done.stderr
        assert EXTRA_HINT in done.stderr
        assert "click" in done.stderr
        assert "Traceback" not in done.stderr

    def test_without_rich_main_names_the_extra_and_exits_1(self) -> None:
        done = self._run_without("rich")
        assert done.returncode == 1
        assert "pip install 'grassroots[cli]'" in done.stderr
        assert "rich" in done.stderr

    def test_an_unrelated_missing_module_is_not_hidden(self) -> None:
        """Only the extra's own packages get the hint; another import error shows itself."""
        done = self._run_without("grassroots.cli._app")
        assert done.returncode == 1
        assert "Traceback" in done.stderr
        assert EXTRA_HINT not in done.stderr


class TestLightImport:
    def test_importing_grassroots_or_its_cli_module_loads_neither_library(self) -> None:
        code = (
            "import sys, grassroots, grassroots.cli\n"
            "print(sorted({'click', 'rich'} & {m.split('.')[0] for m in sys.modules}))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"
