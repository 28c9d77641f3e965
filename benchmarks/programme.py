"""Benchmark the points programme over a county month, beside the bare ledger.

Run from the project root::

    python benchmarks/programme.py                 # the county month
    python benchmarks/programme.py --scale 0.1     # a tenth of it, for a quick look
    python benchmarks/programme.py --repeat 5      # five months, each beside its bare ledger
    python benchmarks/programme.py --scale 0.05 --instructions  # each side under callgrind

A scaled run keeps the county's density: a tenth of the month has a tenth of
the compounds (12), residents, activities, redemptions and exchanges, so each
compound still has the 240 residents an activity draws its 25 claimants from.

The county month (Tancheng: 124 compounds): 124 subcommunities, each with a
public-revenue fund filled by its community share and three shops (the
24-hour convenience store, paid by the fund; the happiness canteen, paid by
the fund; the housekeeping company, split half and half); 30,000 active
residents spread over the compounds, in the four earner groups; two schemes
(party points and virtue points) joined in the exchange window at 2/3. Over
30 days, 8,000 activities are published, each claimed by 25 residents of its
compound and confirmed after its end: 200,000 confirmed participations. Between
them come 100,000 redemptions (a resident with points offers up to 60 of them
on a bill of 5 to 60 yuan at a shop of their compound) and 20,000 exchanges;
then one settlement of the month. Events are time-ordered, as a ledger needs.

Printed:

- programme: every command (publish, claim, confirm per resident, redeem,
  exchange, settle) per second, and the wall and CPU time of the whole month;
- ledger: the same postings (the earnings of each confirmation as one batch,
  each redemption alone, the linked pair of each exchange as one batch) built
  as ``Transfer`` values and posted to a bare ``PointsLedger`` in the same
  run, after the programme is collected, per second of postings;
- the ratio of the two wall times and of the two CPU times (the programme's
  cost over the bare ledger's for the same postings) beside the goal of at
  most 2×; on a shared machine the CPU ratio is the steadier of the two;
- set-up plus month beside the goal of under 20 s;
- peak memory: the resident set's high-water mark (``ru_maxrss``) after the
  first programme month, beside the goal of 1 GiB.

With ``--repeat N`` the month and its bare ledger run N times, one pair after
the other, each pair printed; the figures are then medians, and the ratio is
the median of the pairs' ratios, so that a slow spell of a shared machine
weighs on one pair, not on one side.

With ``--instructions`` it prints instead each side's instructions counted by
``valgrind --tool=callgrind`` (steady whatever else runs): see ``instructions``.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction

import pendulum

from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult
from grassroots.ledger import (
    Account,
    ExchangeRate,
    ExpiryPolicy,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
)
from grassroots.programme import (
    CapPeriod,
    EarnerGroup,
    EarningCap,
    FundingPolicy,
    Merchant,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    VolunteerActivity,
)
from grassroots.venture import (
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)

START = pendulum.datetime(2026, 11, 1, 0, tz="Asia/Shanghai")
GROUPS = list(EarnerGroup)
SHOPS = ("store", "canteen", "housekeeping")


def allocation(compounds: int) -> ProfitAllocation:
    """Return October's allocation: one canteen per compound, each with 50,000.00 profit."""
    soe = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
    coll = Shareholder(id="coll", name="集体", kind=ShareholderKind.COLLECTIVE)
    projects = [
        Project(
            id=f"canteen-{c}",
            name="幸福食堂",
            kind=ProjectKind.HAPPINESS_CANTEEN,
            subcommunity=f"c{c}",
        )
        for c in range(compounds)
    ]
    venture = JointVenture(
        id="jv",
        name="合资公司",
        holdings=[
            Shareholding(shareholder=soe, subscribed=Decimal("510000")),
            Shareholding(shareholder=coll, subscribed=Decimal("490000")),
        ],
        projects=projects,
    )
    figures = PeriodFigures(
        period="2026-10",
        projects=[ProjectResult(project=p.id, net_profit=Decimal("50000.00")) for p in projects],
    )
    return ProfitAllocation(venture=venture, figures=[figures])


def setup(compounds: int, residents: int) -> tuple[PointsProgramme, list[list[str]]]:
    """Return the programme (schemes, residents, funds, shops) and the residents by compound."""
    programme = PointsProgramme(
        caps=[EarningCap(scheme="virtue", period=CapPeriod.MONTH, points=2_000)],
    )
    yearly = ExpiryPolicy.end_of_year(1)
    programme.add_scheme(Scheme(code="party", name="新新向党", expiry=yearly))
    programme.add_scheme(Scheme(code="virtue", name="美德积分", expiry=yearly))
    programme.window.set_rate(
        ExchangeRate(source="party", target="virtue", rate=Fraction(2, 3), effective=START)
    )
    by_compound: list[list[str]] = [[] for _ in range(compounds)]
    for number in range(residents):
        rid = f"r{number}"
        programme.register(Participant(id=rid, groups=[GROUPS[number % 4]]))
        by_compound[number % compounds].append(rid)
    rules = {
        "store": RedemptionRule(points_per_yuan=10, schemes=["virtue", "party"]),
        "canteen": RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["virtue"]),
        "housekeeping": RedemptionRule(
            points_per_yuan=10, max_share="1/5", minimum_bill="20.00", schemes=["virtue"]
        ),
    }
    for c in range(compounds):
        fund = PublicRevenueFund(id=f"fund-{c}", subcommunity=f"c{c}")
        programme.add_fund(fund)
        for shop in SHOPS:
            funding = (
                FundingPolicy.split(fund.id, "1/2")
                if shop == "housekeeping"
                else FundingPolicy.from_fund(fund.id)
            )
            programme.add_merchant(
                Merchant(
                    id=f"{shop}-{c}",
                    name=shop,
                    subcommunity=f"c{c}",
                    rule=rules[shop],
                    funding=funding,
                )
            )
    programme.deposit_allocation(allocation(compounds).periods[0], at=START)
    return programme, by_compound


def month(
    programme: PointsProgramme,
    by_compound: list[list[str]],
    *,
    activities: int,
    per_activity: int,
    redemptions: int,
    exchanges: int,
    seed: int = 2026,
    dry: bool = False,
) -> tuple[tuple[int, int, int], float, float]:
    """Run the month; return the counts and the wall and CPU seconds the commands took.

    The counts are of commands, redemptions and exchanges. ``dry`` stops before
    the clock starts, after the input is drawn (for an instruction count).

    Every random input (the events and their times, the claimants of each
    activity, each redemption's compound, holder and bill, each exchange's
    compound) is drawn before the clock starts, so the month times the
    programme alone.
    """
    rng = random.Random(seed)
    span = 30 * 24 * 3600
    # Each activity: published and claimed a day ahead, starts at its slot, lasts two hours.
    # An event is (second, kind, number); kind 0 confirms, 1 redeems, 2 exchanges.
    slot = (span - 2 * 24 * 3600) // activities
    events = [(24 * 3600 + number * slot + 2 * 3600, 0, number) for number in range(activities)]
    events.extend((rng.randrange(24 * 3600, span), 1, number) for number in range(redemptions))
    events.extend((rng.randrange(24 * 3600, span), 2, number) for number in range(exchanges))
    events.sort()
    compounds = len(by_compound)
    month_input = _Input(
        times={second: START.add(seconds=second) for second, _kind, _number in events},
        starts=[START.add(seconds=24 * 3600 + number * slot) for number in range(activities)],
        claimants=[
            rng.sample(by_compound[number % compounds], per_activity)
            for number in range(activities)
        ],
        # A redemption: its compound, where in the compound's holders (a fraction) and
        # its bill; an exchange: its compound.
        redemptions=[
            (
                rng.randrange(compounds),
                rng.random(),
                Decimal(rng.randrange(500, 6_000)) / 100 + (20 if number % 3 == 2 else 0),
            )
            for number in range(redemptions)
        ],
        exchanges=[rng.randrange(compounds) for _number in range(exchanges)],
    )
    month_input.ahead = [start.subtract(hours=1) for start in month_input.starts]
    month_input.ends = [start.add(hours=2) for start in month_input.starts]
    gc.collect()
    if dry:
        return (0, 0, 0), 0.0, 0.0
    started = time.perf_counter()
    cpu = time.process_time()
    counts = _run(programme, by_compound, events, month_input, per_activity)
    return counts, time.perf_counter() - started, time.process_time() - cpu


class _Input:
    """The month's random input, drawn before the clock starts."""

    def __init__(
        self,
        *,
        times: dict[int, pendulum.DateTime],
        starts: list[pendulum.DateTime],
        claimants: list[list[str]],
        redemptions: list[tuple[int, float, Decimal]],
        exchanges: list[int],
    ) -> None:
        self.times = times
        self.starts = starts
        self.ahead: list[pendulum.DateTime] = []
        self.ends: list[pendulum.DateTime] = []
        self.claimants = claimants
        self.redemptions = redemptions
        self.exchanges = exchanges


def _run(
    programme: PointsProgramme,
    by_compound: list[list[str]],
    events: list[tuple[int, int, int]],
    month_input: _Input,
    per_activity: int,
) -> tuple[int, int, int]:
    compounds = len(by_compound)
    times = month_input.times
    starts, ahead, ends = month_input.starts, month_input.ahead, month_input.ends
    claimants = month_input.claimants
    balances: dict[str, int] = {}
    party: dict[str, int] = {}
    holders: list[list[str]] = [[] for _ in range(compounds)]
    commands = 0
    claimed_up_to = 0
    ids = redeemed = exchanged = 0
    for second, kind, number in events:
        at = times[second]
        if kind == 0:
            # publish and claim the activities whose claims open before now
            while claimed_up_to <= number:
                c = claimed_up_to % compounds
                activity = VolunteerActivity(
                    id=f"a{claimed_up_to}",
                    title="志愿服务",
                    organiser=f"branch-{c}",
                    place="小区",
                    subcommunity=f"c{c}",
                    start=starts[claimed_up_to],
                    end=ends[claimed_up_to],
                    rewards=[Reward(scheme="virtue", points=20), Reward(scheme="party", points=5)],
                    capacity=per_activity,
                    eligible=GROUPS,
                )
                programme.publish(activity, by=activity.organiser)
                for rid in claimants[claimed_up_to]:
                    programme.claim(activity.id, rid, by=rid, at=ahead[claimed_up_to])
                commands += 1 + per_activity
                claimed_up_to += 1
            c = number % compounds
            activity_id = f"a{number}"
            people = list(programme.activities.claims(activity_id))
            for record in programme.confirm(activity_id, people, by=f"branch-{c}", at=at):
                credited = dict(record.credited)
                rid = record.resident
                if not balances.get(rid):
                    holders[c].append(rid)
                balances[rid] = balances.get(rid, 0) + credited.get("virtue", 0)
                party[rid] = party.get(rid, 0) + credited.get("party", 0)
            commands += per_activity
        elif kind == 1:
            c, where, bill = month_input.redemptions[number]
            pool = holders[c]
            if not pool:
                continue
            index = int(where * len(pool))
            rid = pool[index]
            shop = SHOPS[number % 3]
            ids += 1
            receipt = programme.redeem(
                id=f"b{ids}",
                resident=rid,
                merchant=f"{shop}-{c}",
                scheme="virtue",
                bill=bill,
                points=min(60, balances[rid]),
                at=at,
            )
            redeemed += 1
            balances[rid] -= receipt.points
            if not balances[rid]:
                pool[index] = pool[-1]
                pool.pop()
            commands += 1
        else:
            pool = holders[month_input.exchanges[number]]
            candidates = [rid for rid in pool[:20] if party.get(rid, 0) >= 3]
            if not candidates:
                continue
            rid = candidates[0]
            ids += 1
            conversion = programme.exchange(
                id=f"x{ids}",
                resident=rid,
                source="party",
                target="virtue",
                points=party[rid],
                at=at,
            )
            exchanged += 1
            party[rid] -= conversion.spent
            balances[rid] = balances.get(rid, 0) + conversion.received
            commands += 1
    programme.settle(START, START.add(days=31), at=START.add(days=31))
    return commands + 1, redeemed, exchanged


_BATCHED = frozenset({TransferKind.EARN, TransferKind.EXCHANGE})
"""The kinds the programme posts as batches: a confirmation's earnings, an exchange's pair."""

_Row = tuple[str, str, str, int, int, int, str, str, str | None]
"""A posting as plain data: id, debit, credit, points, kind and time (indices), reference,
memo, reverses."""

_Rows = tuple[list[object], list[TransferKind], list[pendulum.DateTime], list[list[_Row]]]
"""The set-up records, the kinds, the times and the postings as rows, in batches."""


def _journal_rows(source: PointsLedger) -> _Rows:
    """Return the source's set-up records, the kinds, the times and the postings as rows."""
    records: list[object] = []
    kinds = list(TransferKind)
    kind_index = {kind: index for index, kind in enumerate(kinds)}
    times: list[pendulum.DateTime] = []
    time_index: dict[tuple[pendulum.DateTime, str], int] = {}
    batches: list[list[_Row]] = []
    for entry in source.journal:
        record = entry.record
        if isinstance(record, Transfer):
            when = (record.at, str(record.at.tzinfo))
            if when not in time_index:
                time_index[when] = len(times)
                times.append(record.at)
            row = (
                record.id,
                record.debit,
                record.credit,
                record.amount,
                kind_index[record.kind],
                time_index[when],
                record.reference,
                record.memo,
                record.reverses,
            )
            if (
                record.kind in _BATCHED
                and batches
                and batches[-1][0][4] == row[4]
                and batches[-1][0][6] == record.reference
            ):
                batches[-1].append(row)
            else:
                batches.append([row])
        else:
            records.append(record)
    return records, kinds, times, batches


def bare_ledger(rows: _Rows, *, dry: bool = False) -> tuple[int, float, float]:
    """Post the programme's postings to a fresh ledger from plain data.

    Return the count and the wall and CPU seconds. ``rows`` are the
    programme ledger's set-up records and transfers (see ``_journal_rows``), in
    journal order: the earnings of one confirmation posted as one batch again,
    the linked pair of one exchange as one batch, every other transfer alone,
    as the programme posted them.

    The input is held as the programme's is: each distinct time once (the
    programme's month shares one time among the events of one second), and
    rows of strings and integers that the garbage collector does not walk, so
    the ledger's figure is not slowed by a heavier input than the programme had.
    """
    records, kinds, times, batches = rows
    ledger = PointsLedger()
    for record in records:
        if isinstance(record, Scheme):
            ledger.add_scheme(record)
        elif isinstance(record, Account):
            ledger.open_account(record)
        elif isinstance(record, ExchangeRate):
            ledger.record_rate(record)
    gc.collect()
    if dry:  # stop before the clock, the ledger set up (for an instruction count)
        return 0, 0.0, 0.0
    started = time.perf_counter()
    cpu = time.process_time()
    count = 0
    for batch in batches:
        transfers = [
            Transfer(
                id=tid,
                debit=debit,
                credit=credit,
                amount=amount,
                kind=kinds[kind],
                at=times[at],
                reference=reference,
                memo=memo,
                reverses=reverses,
            )
            for tid, debit, credit, amount, kind, at, reference, memo, reverses in batch
        ]
        if len(transfers) == 1:
            ledger.post(transfers[0])
        else:
            ledger.post_batch(transfers)
        count += len(transfers)
    return count, time.perf_counter() - started, time.process_time() - cpu


_SIDES = ("programme-input", "programme", "ledger-input", "ledger")
"""How far ``--only`` runs, each step after the one before: set-up and the month's input
drawn, the clock not started; the programme month; the bare ledger set up with its input
(the programme's postings as plain rows, the programme collected), the clock not
started; the bare ledger's postings."""


def instructions(scale: float) -> None:
    """Count each side's instructions with callgrind (steady on a shared machine).

    Runs this benchmark under ``valgrind --tool=callgrind`` once per step of
    ``_SIDES``, each run stopping after its step, and prints what each timed
    part adds to the run stopped just before its clock starts: the programme
    month, and the bare ledger's postings. String hashing is fixed
    (``PYTHONHASHSEED=0``) so that the runs repeat exactly.
    """
    counts = {}
    for side in _SIDES:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--scale",
            str(scale),
            "--only",
            side,
        ]
        done = subprocess.run(  # noqa: S603 - our own interpreter and file
            command,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        assert found is not None, done.stderr
        counts[side] = int(found.group(1))
        print(f"--only {side}: {counts[side]:,} instructions", flush=True)
    programme = counts["programme"] - counts["programme-input"]
    ledger = counts["ledger"] - counts["ledger-input"]
    print(f"programme month: {programme / 1e6:,.0f}M instructions")
    print(f"bare ledger, the same postings: {ledger / 1e6:,.0f}M instructions")
    print(
        f"programme / bare ledger: {programme / ledger:.2f}x instructions; goal <= 2x"
        f" {'met' if programme <= 2 * ledger else 'NOT met'}"
    )


def main() -> None:
    """Run the county month and print the figures beside their goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the county month")
    parser.add_argument(
        "--only", choices=_SIDES, help="stop after this step (for an instruction count)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the programme month and the bare ledger this many times, one after the"
        " other, and print the medians (the ratio is the median of each run's ratio)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count each side's instructions under callgrind instead of timing",
    )
    args = parser.parse_args()
    scale = args.scale
    if args.instructions:
        instructions(scale)
        return
    only = args.only
    compounds = 124 if scale >= 1 else max(1, round(124 * scale))
    residents = int(30_000 * scale)
    activities = int(8_000 * scale)
    per_activity = 25
    if only is None:
        print(f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}")
    runs: list[tuple[float, float, float, float, float]] = []
    peak = 0
    for run in range(1 if only is not None else args.repeat):
        started = time.perf_counter()
        programme, by_compound = setup(compounds, residents)
        set_up = time.perf_counter() - started
        (commands, receipts, exchanged), elapsed, elapsed_cpu = month(
            programme,
            by_compound,
            activities=activities,
            per_activity=per_activity,
            redemptions=int(100_000 * scale),
            exchanges=int(20_000 * scale),
            dry=only == "programme-input",
        )
        if only in {"programme-input", "programme"}:
            return
        if not runs:  # the high-water mark after the first month (later runs reuse the heap)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
        rows = _journal_rows(programme.ledger)
        postings = sum(len(batch) for batch in rows[3])
        # The programme's objects are collected before the bare run, which must not pay
        # for them.
        del programme, by_compound
        gc.collect()
        count, bare, bare_cpu = bare_ledger(rows, dry=only == "ledger-input")
        if only is not None:
            return
        assert count == postings
        del rows
        gc.collect()
        runs.append((set_up, elapsed, elapsed_cpu, bare, bare_cpu))
        if args.repeat > 1:
            print(
                f"run {run + 1}: programme {elapsed:.2f} s (CPU {elapsed_cpu:.2f} s),"
                f" bare ledger {bare:.2f} s (CPU {bare_cpu:.2f} s):"
                f" {elapsed / bare:.2f}x wall, {elapsed_cpu / bare_cpu:.2f}x CPU",
                flush=True,
            )
    set_up, elapsed, elapsed_cpu, bare, bare_cpu = (
        statistics.median(run[field] for run in runs) for field in range(5)
    )
    print(
        f"county month: {compounds} subcommunities, {residents:,} residents,"
        f" {activities * per_activity:,} confirmed participations, {receipts:,} redemptions,"
        f" {exchanged:,} exchanges, 1 settlement"
    )
    if len(runs) > 1:
        print(f"each figure below is the median of {len(runs)} runs, one after the other")
    print(f"set-up: {set_up:.2f} s")
    print(
        f"programme: {commands:,} commands in {elapsed:.2f} s (CPU {elapsed_cpu:.2f} s)"
        f" = {commands / elapsed:,.0f} events/s"
        f" ({postings:,} postings = {postings / elapsed:,.0f} postings/s)"
    )
    total = set_up + elapsed
    print(f"set-up + month: {total:.2f} s; goal < 20 s {'met' if total < 20 else 'NOT met'}")
    print(
        f"bare ledger: the same {count:,} postings in {bare:.2f} s (CPU {bare_cpu:.2f} s)"
        f" = {count / bare:,.0f} postings/s"
    )
    ratio = statistics.median(run[1] / run[3] for run in runs)
    ratio_cpu = statistics.median(run[2] / run[4] for run in runs)
    print(
        f"programme / bare ledger: {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU; goal <= 2x"
        f" {'met' if ratio <= 2 else 'NOT met'} (wall), {'met' if ratio_cpu <= 2 else 'NOT met'}"
        " (CPU)"
    )
    print(
        f"peak memory (max RSS) after the first month: {peak / 2**20:,.0f} MiB; goal < 1024 MiB"
        f" {'met' if peak < 2**30 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
