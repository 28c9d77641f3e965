"""The README's main job, examples/tancheng.py, runs and prints the case's figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tancheng.py"


class TestTanchengWalkThrough:
    def test_prints_coverage_split_and_points(self) -> None:
        """Full coverage of 124 compounds by 50 branches, an exact split, a balanced ledger."""
        result = subprocess.run(
            [sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=True
        )
        out = result.stdout
        assert "党支部 50 个，小区 124 个" in out
        assert "全覆盖" in out
        assert "shareholder:国企" in out
        assert "119726.48" in out
        assert "discount 7.50 for 75 points" in out
        assert "trial balance {'virtue': 0, 'window': 0}" in out
