"""Benchmark: what ``import grassroots`` costs beside its three dependencies.

Run with ``python benchmarks/import_time.py [repeats]``. Each figure is the
best of ``repeats`` (default 15) fresh interpreters, timed inside the child
from just before the import to just after it, so interpreter start-up is not
counted. Printed side by side, in the same run:

1. the baseline, ``import attrs, cattrs, pendulum``;
2. ``import grassroots`` (the goal: at most 1.3 times the baseline);
3. ``import grassroots`` then one area used (``grassroots.Threshold``, and
   ``grassroots.PointsLedger``);
4. every area imported at once, which is what ``import grassroots`` cost
   before the areas loaded lazily.

Then ``python -X importtime`` gives the self time of grassroots' own modules
when every area is imported, largest first, to show where an eager import
would spend its time.
"""

from __future__ import annotations

import subprocess
import sys

GOAL = 1.3
"""``import grassroots`` may cost at most this many times its dependencies."""

CASES = {
    "import attrs, cattrs, pendulum (baseline)": "import attrs, cattrs, pendulum",
    "import grassroots": "import grassroots",
    "import grassroots; grassroots.Threshold": "import grassroots; grassroots.Threshold",
    "import grassroots; grassroots.PointsLedger": "import grassroots; grassroots.PointsLedger",
    "every area (the eager import before)": (
        "import grassroots.allocation, grassroots.audit, grassroots.branch, grassroots.ledger,"
        " grassroots.money, grassroots.resident, grassroots.room, grassroots.subcommunity,"
        " grassroots.talent, grassroots.threshold, grassroots.venture"
    ),
}


def best_of(statement: str, repeats: int) -> tuple[float, int]:
    """Return the fastest time of ``statement`` in a fresh interpreter, and the modules it loads."""
    script = (
        "import sys, time\n"
        "before = len(sys.modules)\n"
        "start = time.perf_counter()\n"
        f"{statement}\n"
        "print(time.perf_counter() - start, len(sys.modules) - before)\n"
    )
    best, modules = float("inf"), 0
    for _ in range(repeats):
        result = subprocess.run(  # noqa: S603 - our own interpreter, our own fixed code
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        seconds, loaded = result.stdout.split()
        best, modules = min(best, float(seconds)), int(loaded)
    return best, modules


def own_modules_self_time(statement: str) -> list[tuple[int, str]]:
    """Return ``(self microseconds, module)`` for grassroots' modules, from ``-X importtime``."""
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own fixed code
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line[12:].split("|"))
        if name.startswith("grassroots") and self_us.isdigit():
            rows.append((int(self_us), name))
    return sorted(rows, reverse=True)


def main() -> None:
    """Print the figures beside the goal."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    print(f"best of {repeats} fresh interpreters, import time only\n")
    figures = {label: best_of(code, repeats) for label, code in CASES.items()}
    baseline = next(iter(figures.values()))[0]
    print(f"{'case':<46}{'ms':>9}{'× baseline':>12}{'modules':>9}")
    for label, (seconds, modules) in figures.items():
        print(f"{label:<46}{seconds * 1000:>9.1f}{seconds / baseline:>12.2f}{modules:>9}")
    ours = figures["import grassroots"][0] / baseline
    verdict = "meets" if ours <= GOAL else "misses"
    print(f"\nimport grassroots is {ours:.2f}× its dependencies: {verdict} the goal of {GOAL}×")
    print("\nself time of grassroots' own modules when every area is imported (-X importtime):")
    for micros, name in own_modules_self_time(CASES["every area (the eager import before)"])[:12]:
        print(f"  {micros / 1000:>7.1f} ms  {name}")


if __name__ == "__main__":
    main()
