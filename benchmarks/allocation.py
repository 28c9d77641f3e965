"""Benchmark: profit allocation of many ventures, and splits among many households.

Run with ``python benchmarks/allocation.py``. Prints, for the same inputs in
the same run, each figure beside its goal or its baseline, and only the claims
the run's own figures support:

1. One period for 1,000 joint ventures with 3 projects each, through
   :class:`grassroots.allocation.ProfitAllocation` (validation, every line
   explained), and through a naive ``Decimal`` loop that rounds each share on
   its own; how many ventures' dividends the naive loop loses or invents fen
   in, as counted in this run.
2. One split of a compound's public revenue among 100,000 households, and
   among 3 equal households, through :func:`grassroots.allocation.split`
   (largest remainder, exact) and through the naive loop, with the naive
   loop's error where it has one.
3. The exact split at 10,000, 100,000 and 1,000,000 recipients: the cost per
   recipient at each size against the goal (1,000,000 within 25% of the cost
   at 10,000), beside two baselines measured on the same keys: the earlier
   sort-based split (``grassroots.money.apportion``) and the bare cost of
   building a dict of that many keys, which any split returning a dict pays.

Wall-clock figures are noisy on a shared machine: each is the best of several
runs with the garbage collector paused.
"""

from __future__ import annotations

import functools
import gc
import random
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from grassroots.allocation import (
    PeriodFigures,
    ProfitAllocation,
    ProjectResult,
    _largest_remainder,
    split,
)
from grassroots.money import apportion, to_fen
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


def sorted_split(total: Decimal, weights: dict[str, int]) -> dict[str, Decimal]:
    """The earlier split: apportion (which sorts every remainder), a new Decimal per part."""
    parts = apportion(to_fen(total), list(weights.values()))
    return {key: Decimal(part).scaleb(-2) for key, part in zip(weights, parts, strict=True)}


def per_recipient(seconds: float, count: int) -> float:
    """Nanoseconds per recipient."""
    return seconds / count * 1e9


def main() -> None:
    """Run the three benchmarks and print their figures."""
    rng = random.Random(20250101)

    print("1. One period for 1,000 joint ventures with 3 projects each")
    ventures = make_ventures(1_000, rng)
    seconds, allocations = timed(
        lambda: [ProfitAllocation(venture=v, figures=[f]) for v, f in ventures]
    )
    exact = sum(
        1
        for a in allocations
        if sum(line.amount for line in a.periods[0].lines) == a.periods[0].profit
    )
    print(
        f"   ProfitAllocation: {seconds:.3f} s, {seconds / 1_000 * 1e6:.0f} µs per allocation;"
        f" {exact} of 1,000 allocations add up to their profit to the fen"
    )
    seconds, errors = timed(lambda: [naive_period(v, f) for v, f in ventures])
    wrong = [e for e in errors if e]
    verdict = (
        f"{len(wrong)} of 1,000 ventures' dividends miss their total, by up to"
        f" {max(map(abs, wrong))} fen"
        if wrong
        else "no venture's dividends missed their total in this run"
    )
    print(
        f"   naive Decimal loop: {seconds:.3f} s, {seconds / 1_000 * 1e6:.0f} µs per"
        f" allocation; {verdict}"
    )

    print("2. Splits among households: exact, and a naive loop rounding each share")
    for label, total, areas in (
        ("100,000 households", Decimal("1234567.89"), household_areas(100_000, rng)),
        ("3 equal households", Decimal("100.00"), {"101": 1, "102": 1, "103": 1}),
    ):
        seconds, parts = timed(functools.partial(split, total, areas))
        assert sum(parts.values()) == total
        weights = list(areas.values())
        naive_seconds, naive = timed(functools.partial(naive_split, total, weights))
        gap = sum(naive) - total
        error = f"misses by {gap:+} yuan" if gap else "no error on these figures"
        print(
            f"   {label}: split() {seconds:.4f} s, parts sum to {sum(parts.values())};"
            f" naive loop {naive_seconds:.4f} s, parts sum to {sum(naive)} ({error})"
        )

    print("3. Cost per recipient of the exact split (goal: 1,000,000 within 25% of 10,000)")
    total = Decimal("1234567.89")
    costs: dict[int, tuple[float, float, float]] = {}
    for count, repeat in ((10_000, 30), (100_000, 8), (1_000_000, 3)):
        areas = household_areas(count, rng)
        seconds, parts = timed(functools.partial(split, total, areas), repeat=repeat)
        assert sum(parts.values()) == total
        old, old_parts = timed(functools.partial(sorted_split, total, areas), repeat=repeat)
        assert old_parts == parts
        floor, _keys = timed(functools.partial(dict.fromkeys, areas), repeat=repeat)
        costs[count] = (seconds, old, floor)
        print(
            f"   {count:>9,} recipients: split() {per_recipient(seconds, count):,.0f} ns;"
            f" earlier sort-based split {per_recipient(old, count):,.0f} ns;"
            f" building a dict of the keys alone {per_recipient(floor, count):,.0f} ns"
        )
    small, large = costs[10_000], costs[1_000_000]
    growth = (large[0] / 1_000_000) / (small[0] / 10_000)
    old_growth = (large[1] / 1_000_000) / (small[1] / 10_000)
    floor_growth = (large[2] / 1_000_000) / (small[2] / 10_000)
    goal = "meets the goal" if growth <= 1.25 else "misses the goal"
    print(
        f"   per recipient, 1,000,000 against 10,000: split() x{growth:.2f} ({goal});"
        f" earlier split x{old_growth:.2f}; dict of the keys alone x{floor_growth:.2f}"
    )
    core = timed_core(total, rng)
    print(
        "   the split's own arithmetic (fen in, fen out, no dict), per recipient:"
        f" {core[0]:,.0f} ns at 10,000, {core[1]:,.0f} ns at 1,000,000"
        f" (x{core[1] / core[0]:.2f})"
    )


def timed_core(total: Decimal, rng: random.Random) -> tuple[float, float]:
    """Nanoseconds per recipient of the linear largest-remainder core at 10,000 and 1,000,000."""
    out = []
    for count, repeat in ((10_000, 30), (1_000_000, 3)):
        weights = list(household_areas(count, rng).values())
        seconds, _parts = timed(
            functools.partial(_largest_remainder, to_fen(total), weights), repeat=repeat
        )
        out.append(per_recipient(seconds, count))
    return out[0], out[1]


if __name__ == "__main__":
    main()
