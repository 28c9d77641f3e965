"""Benchmark: profit allocation of many ventures, and splits among many households.

Run with ``python benchmarks/allocation.py``. Prints, for the same inputs in
the same run:

1. One period for 1,000 joint ventures with 3 projects each, through
   :class:`grassroots.allocation.ProfitAllocation` (validation, every line
   explained), and through a naive ``Decimal`` loop that rounds each share on
   its own.
2. One split of a compound's public revenue among 100,000 households (a
   per-household dividend), through :func:`grassroots.allocation.split`
   (largest remainder, exact) and through a naive ``Decimal`` loop.
3. The exact split at 10,000, 100,000 and 1,000,000 recipients, to show the
   time grows linearly with the number of recipients.

The naive loops are faster and wrong: their parts do not add up to the whole,
and the benchmark prints by how many fen.
"""

from __future__ import annotations

import functools
import gc
import random
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult, split
from grassroots.venture import (
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)

T = TypeVar("T")
CENT = Decimal("0.01")
KINDS = (ProjectKind.CONVENIENCE_STORE, ProjectKind.HOUSEKEEPING, ProjectKind.HAPPINESS_CANTEEN)


def timed(function: Callable[[], T], *, repeat: int = 3) -> tuple[float, T]:
    """Return the best wall time of ``repeat`` runs of ``function``, and its last result.

    The garbage collector is paused while timing, as ``timeit`` does.
    """
    best = float("inf")
    result: T
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # as timeit does: measure the work, not the collector's passes
        try:
            start = time.perf_counter()
            result = function()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best, result


def make_ventures(count: int, rng: random.Random) -> list[tuple[JointVenture, PeriodFigures]]:
    """Return ``count`` ventures (state 51% or more, a collective) with one period's figures."""
    out = []
    for number in range(count):
        capital = rng.randrange(100_000, 5_000_000) * 100
        state = capital * rng.randrange(51, 80) // 100 + 1
        venture = JointVenture(
            id=f"jv-{number}",
            name=f"venture {number}",
            holdings=[
                Shareholding(
                    shareholder=Shareholder(
                        id="soe", name="国企", kind=ShareholderKind.STATE_OWNED
                    ),
                    subscribed=Decimal(state) / 100,
                ),
                Shareholding(
                    shareholder=Shareholder(
                        id="coll", name="集体经济组织", kind=ShareholderKind.COLLECTIVE
                    ),
                    subscribed=Decimal(capital - state) / 100,
                    paid_in=Decimal(rng.randrange(0, capital - state + 1)) / 100,
                ),
            ],
            projects=[
                Project(id=f"p{k}", name=f"project {k}", kind=kind, subcommunity=f"c{number}-{k}")
                for k, kind in enumerate(KINDS)
            ],
        )
        figures = PeriodFigures(
            period="2025",
            projects=[
                ProjectResult(
                    project=f"p{k}",
                    net_profit=Decimal(rng.randrange(-5_000_000, 30_000_000)) / 100,
                )
                for k in range(3)
            ],
            other_profit=Decimal(-rng.randrange(0, 2_000_000)) / 100,
        )
        out.append((venture, figures))
    return out


def naive_period(venture: JointVenture, figures: PeriodFigures) -> int:
    """Allocate one period with plain Decimal arithmetic; return the fen lost or gained."""
    rate = Decimal("0.1")
    community = sum(
        (
            (r.net_profit * rate).quantize(CENT, rounding=ROUND_HALF_UP)
            for r in figures.projects
            if r.net_profit > 0
        ),
        Decimal(0),
    )
    profit = figures.profit - community
    if profit <= 0:
        return 0
    reserve = (profit * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    rest = profit - reserve
    paid_in = sum((h.paid_in for h in venture.holdings), Decimal(0))
    parts = [
        (rest * h.paid_in / paid_in).quantize(CENT, rounding=ROUND_HALF_UP)
        for h in venture.holdings
    ]
    return int((sum(parts, Decimal(0)) - rest) / CENT)


def naive_split(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Split ``total`` by ``weights`` rounding each share on its own (四舍五入)."""
    whole = sum(weights)
    return [(total * w / whole).quantize(CENT, rounding=ROUND_HALF_UP) for w in weights]


def household_areas(count: int, rng: random.Random) -> dict[str, int]:
    """Return ``count`` households' exclusive areas, in hundredths of a square metre."""
    return {f"h{n}": rng.randrange(4_500, 14_000) for n in range(count)}


def main() -> None:
    """Run the three benchmarks and print their figures."""
    rng = random.Random(20250101)

    print("1. One period for 1,000 joint ventures with 3 projects each")
    ventures = make_ventures(1_000, rng)
    seconds, allocations = timed(
        lambda: [ProfitAllocation(venture=v, figures=[f]) for v, f in ventures]
    )
    assert all(
        sum(line.amount for line in a.periods[0].lines) == a.periods[0].profit for a in allocations
    )
    print(f"   ProfitAllocation: {seconds:.3f} s, {seconds / 1_000 * 1e6:.0f} µs per allocation")
    seconds, errors = timed(lambda: [naive_period(v, f) for v, f in ventures])
    wrong = sum(1 for e in errors if e)
    print(
        f"   naive Decimal loop: {seconds:.3f} s, {seconds / 1_000 * 1e6:.0f} µs per allocation;"
        f" {wrong} of 1,000 ventures' dividends miss the total (by up to"
        f" {max(map(abs, errors))} fen)"
    )

    print("2. One split among 100,000 households (a per-household dividend)")
    total = Decimal("1234567.89")
    areas = household_areas(100_000, rng)
    seconds, parts = timed(lambda: split(total, areas))
    assert sum(parts.values()) == total
    print(f"   split(): {seconds:.3f} s; parts sum to {sum(parts.values())}")
    weights = list(areas.values())
    seconds, naive = timed(lambda: naive_split(total, weights))
    gap = sum(naive) - total
    print(f"   naive Decimal loop: {seconds:.3f} s; parts sum to {sum(naive)} ({gap:+} yuan)")

    print("3. The exact split is linear in the number of recipients")
    previous = None
    for count in (10_000, 100_000, 1_000_000):
        areas = household_areas(count, rng)
        seconds, parts = timed(functools.partial(split, total, areas), repeat=2)
        assert sum(parts.values()) == total
        ratio = "" if previous is None else f", x{seconds / previous:.1f} for x10 recipients"
        print(
            f"   {count:>9,} recipients: {seconds:.3f} s,"
            f" {seconds / count * 1e9:.0f} ns per recipient{ratio}"
        )
        previous = seconds


if __name__ == "__main__":
    main()
