"""Benchmark the points ledger: transfers per second and bytes retained per transfer.

Run from the project root::

    python benchmarks/ledger.py                    # 10,000, 100,000 and 1,000,000 transfers
    python benchmarks/ledger.py --sizes 10000 100000 --repeat 5

For each size it builds a ledger with one scheme (lots expiring at the end of
the year after earning), an issuer, an expiry account, three merchants (the
convenience store, the housekeeping company and the canteen) and 500 resident
wallets, then posts a reproducible mix of earnings and redemptions (about half
each; a redemption is never larger than the wallet holds, and residents with
more than 100 points spend more often, so balances and open lots stay level
and the millionth transfer meets wallets like the ten-thousandth does). Lots
and the hash chain are on, as in every ledger.

In a round, every size posts as many transfers as the largest size does (a
hundred ledgers of 10,000, ten of 100,000, one of 1,000,000), so that each
figure is an average over the same span of the machine's time and a busy spell
of a shared machine cannot favour the small sizes. A round goes through every
size in turn, and each figure is the best of ``--repeat`` rounds:

- ledger/s: transfers per second of ``PointsLedger.post``. The input is drawn
  in chunks of 10,000, outside every timed part, as rows of each transfer's
  fields (as a caller holds them); building a ``Transfer`` of each row is timed
  apart (build/s), so every size reads its input fresh, as a server does, and
  only posting into ledgers that grow to the size is timed;
- post_rows/s: the same rows posted into a second ledger with one
  ``PointsLedger.post_rows`` call a chunk, which checks every row as building
  its ``Transfer`` does and posts it: the work of build and post together,
  shown beside build+post/s (1 / (1/build + 1/post)). It is skipped for code
  without ``post_rows``;
- plain/s: the same amounts applied by a plain loop over a dict of ints, with
  no checks: the floor of what pure Python can do. Each chunk goes through the
  plain loop right after the ledger has posted it, so the two are timed side by
  side under the same conditions of the machine; "slower" is the ratio of the
  two in the best round;
- bytes/transfer: what the ledger keeps per transfer, measured with
  ``tracemalloc`` (every Python allocation still alive after posting,
  including the ids and texts the ledger keeps, divided by the number of
  transfers) in a separate pass that builds the transfers one at a time, so
  only what the ledger keeps is counted;
- vs first: the ledger's rate against the first size's;
- verify/s: entries per second of ``verify()`` over a ledger of the size.

Then (unless ``--no-scenarios``) three scenarios print each figure beside its goal:

- partial reversals: one redemption reversed one point at a time, 1,000 and
  4,000 times; the cost per reversal (posting, and loading the ledger from
  JSON) must not grow with their number (linear: the larger within 20%);
- unswept expired lots: spending from a wallet that holds 1,000 or 4,000
  expired lots the sweep has not moved yet; the cost per spend must not grow;
- a realistic mix (``--mix`` transfers): uuid-like ids, a reference and a
  Chinese memo on every transfer, two zones, lots that expire within the run
  and daily sweeps, full and partial reversals, refused transfers, reposts and
  batches; it reports posts/s, bytes kept per transfer, ``list(journal)``,
  ``replay``, the first ``balance(as_of=...)`` and ``totals()``, and JSON
  ``dumps``/``loads`` with bytes per entry.

The garbage collector is left as Python sets it: neither the ledger nor this
script touches it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import json
import os
import pathlib
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator

import pendulum

from grassroots import errors, serialization
from grassroots.ledger import (
    Account,
    AccountKind,
    ExpiryPolicy,
    JournalEntry,
    PointsLedger,
    Scheme,
    Transfer,
)

WALLETS = 500
MERCHANTS = ("canteen", "housekeeping", "store")
START = pendulum.datetime(2025, 1, 1, 8, tz="Asia/Shanghai")
STEP = dt.timedelta(seconds=7)
CHUNK = 10_000
_add = dt.datetime.__add__


def new_ledger() -> PointsLedger:
    """Return a ledger with one scheme, its issuer, expiry account, merchants and wallets."""
    ledger = PointsLedger()
    ledger.add_scheme(
        Scheme(code="unified", name="积分兑换窗口", expiry=ExpiryPolicy.end_of_year(1))
    )
    ledger.open_account(Account(id="issuer", scheme="unified", kind=AccountKind.ISSUER))
    ledger.open_account(Account(id="expired", scheme="unified", kind=AccountKind.EXPIRY))
    for merchant in MERCHANTS:
        ledger.open_account(Account(id=merchant, scheme="unified", kind=AccountKind.MERCHANT))
    for number in range(WALLETS):
        ledger.open_account(Account(id=f"w{number:04d}", scheme="unified", kind=AccountKind.WALLET))
    return ledger


def operations(count: int, seed: int = 2025) -> Iterator[tuple[str, str, str, int, str]]:
    """Yield (id, debit, credit, amount, kind) for a valid, level mix of earning and spending."""
    rng = random.Random(seed)
    balances = [0] * WALLETS
    wallets = [f"w{number:04d}" for number in range(WALLETS)]
    for number in range(count):
        index = rng.randrange(WALLETS)
        held = balances[index]
        if held and rng.random() < (0.7 if held > 100 else 0.3):
            amount = rng.randint(1, min(held, 60))
            balances[index] = held - amount
            yield f"t{number}", wallets[index], rng.choice(MERCHANTS), amount, "redeem"
        else:
            amount = rng.randint(1, 50)
            balances[index] = held + amount
            yield f"t{number}", "issuer", wallets[index], amount, "earn"


def transfers(count: int) -> Iterator[Transfer]:
    """Yield the benchmark's transfers, one every few seconds from 2025-01-01 08:00."""
    for tid, debit, credit, amount, kind, at, reference, memo, reverses in rows(count):
        yield Transfer(
            id=tid,
            debit=debit,
            credit=credit,
            amount=amount,
            kind=kind,
            at=at,
            reference=reference,
            memo=memo,
            reverses=reverses,
        )


Row = tuple[str, str, str, int, str, pendulum.DateTime, str, str, None]


def rows(count: int) -> Iterator[Row]:
    """Yield the benchmark's transfers as rows of their nine fields (``post_rows``' input)."""
    at = START
    for tid, debit, credit, amount, kind in operations(count):
        at = _add(at, STEP)
        yield tid, debit, credit, amount, kind, at, "", "", None


Seconds = tuple[float, float, float, float]


def run(count: int) -> tuple[Seconds, PointsLedger]:
    """Post ``count`` transfers chunk by chunk, three ways, each timed beside the others.

    Returns (build, post, rows, plain) seconds and the ledger ``post`` filled.
    Each chunk's input is drawn first, outside every timed part: its rows (the
    fields of each transfer, as a caller holds them) and the plain loop's moves.
    Then, timed apart: building a ``Transfer`` of each row; posting them one by
    one with ``post``; posting the rows into a second ledger with one
    ``post_rows`` call (which checks each row as building its ``Transfer``
    would, so it does the work of both); and the plain loop over a dict of
    ints. All of one chunk run under the same conditions of the machine.
    """
    ledger = new_ledger()
    bulk = new_ledger()
    post = ledger.post
    post_rows = getattr(bulk, "post_rows", None)  # older code has none
    balances = dict.fromkeys(["issuer", *MERCHANTS], 0)
    balances.update((f"w{number:04d}", 0) for number in range(WALLETS))
    source = rows(count)
    building = posting = bulk_posting = plain = 0.0
    while True:
        chunk = list(itertools.islice(source, CHUNK))
        if not chunk:
            return (building, posting, bulk_posting, plain), ledger
        moves = [(debit, credit, amount) for _, debit, credit, amount, *_ in chunk]
        started = time.perf_counter()
        built = [
            Transfer(id=tid, debit=debit, credit=credit, amount=amount, kind=kind, at=at)
            for tid, debit, credit, amount, kind, at, _, _, _ in chunk
        ]
        building += time.perf_counter() - started
        started = time.perf_counter()
        for transfer in built:
            post(transfer)
        posting += time.perf_counter() - started
        del built
        started = time.perf_counter()
        if post_rows is not None:
            post_rows(chunk)
        bulk_posting += time.perf_counter() - started
        started = time.perf_counter()
        for debit, credit, amount in moves:
            balances[debit] -= amount
            balances[credit] += amount
        plain += time.perf_counter() - started
        if post_rows is not None and bulk.head != ledger.head:
            raise SystemExit("post_rows and post recorded different journals")


def run_many(size: int, ledgers: int) -> tuple[Seconds, PointsLedger]:
    """Fill ``ledgers`` fresh ledgers with ``size`` transfers; return summed seconds, last one."""
    total = [0.0, 0.0, 0.0, 0.0]
    for _ in range(ledgers):
        seconds, ledger = run(size)
        total = [mine + theirs for mine, theirs in zip(total, seconds, strict=True)]
    return (total[0], total[1], total[2], total[3]), ledger


def retained_per_transfer(count: int) -> float:
    """Return the bytes the ledger keeps per transfer, measured with tracemalloc."""
    gc.collect()
    tracemalloc.start()
    ledger = new_ledger()
    empty = tracemalloc.get_traced_memory()[0]
    for transfer in transfers(count):
        ledger.post(transfer)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - empty
    tracemalloc.stop()
    del ledger
    return kept / count


def main() -> None:
    """Run the benchmark and print one line per size."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many rounds")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--no-scenarios", action="store_true", help="skip the scenarios")
    parser.add_argument("--mix", type=int, default=100_000, help="transfers in the realistic mix")
    parser.add_argument("--only-scenarios", action="store_true", help="run the scenarios alone")
    parser.add_argument(
        "--only-reads",
        action="store_true",
        help="reading back and JSON alone, at --sizes, on the realistic mix",
    )
    parser.add_argument("--load-file", help=argparse.SUPPRESS)  # the child of the memory pass
    parser.add_argument("--bytes", action="store_true", help=argparse.SUPPRESS)  # ... from bytes
    args = parser.parse_args()
    if args.load_file:
        load_file(args.load_file, as_bytes=args.bytes)
        return
    if args.only_scenarios:
        scenarios(args.mix)
        return
    if args.only_reads:
        reads(args.sizes, memory=not args.no_memory)
        return
    print(f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}")
    # Every size posts as many transfers in a round as the largest one, into as many
    # ledgers as that takes, so that every figure is an average over the same span of
    # the machine's time. Rounds go through every size in turn; each figure is the
    # best of its rounds.
    total = max(args.sizes)
    build = dict.fromkeys(args.sizes, float("inf"))
    posting = dict(build)
    bulk = dict(build)
    plain = dict(build)
    bulk_plain = dict(build)
    verifying = dict(build)
    first_reads = dict.fromkeys(args.sizes, (float("inf"), float("inf")))
    for _ in range(args.repeat):
        for size in args.sizes:
            ledgers = max(1, total // size)
            (built, posted, bulk_posted, looped), ledger = run_many(size, ledgers)
            count = ledgers * size  # seconds per transfer from here on
            build[size] = min(build[size], built / count)
            if posted / count < posting[size]:  # the best round, and the plain loop of that round
                posting[size], plain[size] = posted / count, looped / count
            if bulk_posted / count < bulk[size]:
                bulk[size], bulk_plain[size] = bulk_posted / count, looped / count
            started = time.perf_counter()
            ledger.verify()
            verifying[size] = min(verifying[size], (time.perf_counter() - started) / size)
            if ledger.audit():
                raise SystemExit(f"the ledger does not audit clean: {ledger.audit()}")
            first_reads[size] = min(first_reads[size], first_read_seconds(ledger))
            del ledger
            gc.collect()
    print(
        f"{'transfers':>10} {'ledgers':>7} {'build/s':>10} {'ledger/s':>10} {'plain/s':>11}"
        f" {'slower':>7} {'bytes/transfer':>15} {'vs first':>9} {'verify/s':>10}"
    )
    first_rate = 1 / posting[args.sizes[0]]
    for size in args.sizes:
        rate = 1 / posting[size]
        retained = "-" if args.no_memory else f"{retained_per_transfer(size):.0f}"
        print(
            f"{size:>10,} {max(1, total // size):>7,} {1 / build[size]:>10,.0f} {rate:>10,.0f}"
            f" {1 / plain[size]:>11,.0f} {posting[size] / plain[size]:>6.1f}x {retained:>15}"
            f" {rate / first_rate:>8.0%} {1 / verifying[size]:>10,.0f}"
        )
    _print_bulk(args.sizes, build, posting, bulk, bulk_plain)
    print("first reads of the posted ledger (goal at 1,000,000: each < 100 ms)")
    for size in args.sizes:
        balance_s, totals_s = first_reads[size]
        met = "met" if balance_s < 0.1 and totals_s < 0.1 else "NOT MET"
        print(
            f"{size:>10,}   first balance(as_of=...) {balance_s * 1e3:8.1f} ms"
            f"   first totals() {totals_s * 1e3:8.1f} ms   {met if size >= 1_000_000 else ''}"
        )
    if not args.no_scenarios:
        scenarios(args.mix)


def _print_bulk(
    sizes: list[int],
    build: dict[int, float],
    posting: dict[int, float],
    bulk: dict[int, float],
    bulk_plain: dict[int, float],
) -> None:
    """Print build + post beside post_rows, with the plain loop of post_rows' best round."""
    print(
        "build + post: a Transfer built and posted (from the columns above), and post_rows"
        " (the rows checked and posted in one call per chunk), with its own best round's"
        " plain loop"
    )
    print(
        f"{'transfers':>10} {'build+post/s':>13} {'post_rows/s':>12} {'plain/s':>11}"
        f" {'slower':>7} {'vs first':>9}"
    )
    has_rows = hasattr(PointsLedger, "post_rows")
    first_bulk = 1 / bulk[sizes[0]] if has_rows else 0.0
    for size in sizes:
        both = 1 / (build[size] + posting[size])
        if not has_rows:
            print(f"{size:>10,} {both:>13,.0f} {'-':>12} {'-':>11} {'-':>7} {'-':>9}")
            continue
        rate = 1 / bulk[size]
        print(
            f"{size:>10,} {both:>13,.0f} {rate:>12,.0f} {1 / bulk_plain[size]:>11,.0f}"
            f" {bulk[size] / bulk_plain[size]:>6.1f}x {rate / first_bulk:>8.0%}"
        )


def first_read_seconds(ledger: PointsLedger) -> tuple[float, float]:
    """Return the seconds of the first ``balance(as_of=...)`` and ``totals`` on ``ledger``."""
    last = ledger.journal[-1].record.at  # type: ignore[union-attr]
    middle = START.add(seconds=max(1, int((last - START).total_seconds()) // 2))
    return (
        _timed(lambda: ledger.balance("w0001", as_of=middle)),
        _timed(lambda: ledger.totals("unified")),
    )


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def partial_reversals(count: int) -> tuple[float, float]:
    """Return seconds per reversal to post ``count`` one-point reversals, and per entry to load."""
    ledger = new_ledger()
    at = START
    ledger.post(Transfer(id="e", debit="issuer", credit="w0000", amount=count, kind="earn", at=at))
    ledger.post(Transfer(id="r", debit="w0000", credit="store", amount=count, kind="redeem", at=at))

    def reverse_all() -> None:
        for number in range(count):
            ledger.reverse("r", id=f"rv{number}", at=at, amount=1)

    posting = _timed(reverse_all)
    text = serialization.dumps(ledger)
    loading = _timed(lambda: serialization.loads(text, PointsLedger))
    return posting / count, loading / len(ledger)


def unswept_spending(expired: int, spends: int = 1_000) -> float:
    """Return seconds per spend from a wallet holding ``expired`` unswept expired lots."""
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="unified", expiry=ExpiryPolicy.after_days(1)))
    for account_id, kind in (("issuer", "issuer"), ("store", "merchant"), ("w", "wallet")):
        ledger.open_account(Account(id=account_id, scheme="unified", kind=kind))
    at = START
    for number in range(expired):
        ledger.post(
            Transfer(id=f"old{number}", debit="issuer", credit="w", amount=1, kind="earn", at=at)
        )
    later = at.add(days=2)
    ledger.post(
        Transfer(id="live", debit="issuer", credit="w", amount=spends, kind="earn", at=later)
    )
    batch = [
        Transfer(id=f"s{number}", debit="w", credit="store", amount=1, kind="redeem", at=later)
        for number in range(spends)
    ]
    return _timed(lambda: [ledger.post(transfer) for transfer in batch]) / spends


_MEMOS = ("清扫楼道", "幸福食堂午餐", "便民超市购物", "家政服务两小时", "志愿巡逻", "垃圾分类宣传")


def realistic_mix(count: int, seed: int = 8) -> Iterator[tuple[str, object]]:
    """Yield ("post", transfer), ("batch", transfers), ("reverse", args) or ("sweep", time)."""
    rng = random.Random(seed)
    zones = (pendulum.timezone("Asia/Shanghai"), dt.timezone(dt.timedelta(hours=8)))
    wallets = [f"w{number:04d}" for number in range(WALLETS)]
    held = [0] * WALLETS
    at = START
    day = at.date()
    earned: list[tuple[str, int]] = []
    redeemed: list[tuple[str, int]] = []
    made = 0
    while made < count:
        at = _add(at, dt.timedelta(seconds=rng.randint(20, 120)))
        if at.date() != day:
            day = at.date()
            yield "sweep", at
            held = [0] * WALLETS  # after a sweep the mix treats old points as gone
        when = at.astimezone(zones[made % 2])
        tid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        index = rng.randrange(WALLETS)
        roll = rng.random()
        memo = rng.choice(_MEMOS)
        if roll < 0.04 and redeemed:
            origin, amount = redeemed.pop(rng.randrange(len(redeemed)))
            yield "reverse", (origin, tid, when, None if roll < 0.02 else max(1, amount // 2))
        elif roll < 0.06 and earned:
            origin, _ = earned.pop(rng.randrange(len(earned)))
            yield "reverse", (origin, tid, when, None)
        elif roll < 0.08:  # refused: more than any wallet holds
            yield (
                "post",
                Transfer(
                    id=tid,
                    debit=wallets[index],
                    credit="store",
                    amount=10**6,
                    kind="redeem",
                    at=when,
                    reference="bill",
                    memo=memo,
                ),
            )
        elif roll < 0.18:  # a batch of five earnings
            batch = []
            for step in range(5):
                amount = rng.randint(1, 30)
                batch.append(
                    Transfer(
                        id=f"{tid}:{step}",
                        debit="issuer",
                        credit=wallets[(index + step) % WALLETS],
                        amount=amount,
                        kind="earn",
                        at=when,
                        reference="activity",
                        memo=memo,
                    )
                )
            yield "batch", batch
            made += 4
        elif held[index] and roll < 0.6:
            amount = rng.randint(1, min(held[index], 40))
            held[index] -= amount
            transfer = Transfer(
                id=tid,
                debit=wallets[index],
                credit=rng.choice(MERCHANTS),
                amount=amount,
                kind="redeem",
                at=when,
                reference="bill",
                memo=memo,
            )
            redeemed.append((tid, amount))
            yield "post", transfer
            if roll < 0.22:
                yield "post", transfer  # a repost of the same transfer: a no-op
        else:
            amount = rng.randint(1, 50)
            held[index] += amount
            earned.append((tid, amount))
            yield (
                "post",
                Transfer(
                    id=tid,
                    debit="issuer",
                    credit=wallets[index],
                    amount=amount,
                    kind="earn",
                    at=when,
                    reference="activity",
                    memo=memo,
                ),
            )
        made += 1


def run_mix(count: int) -> tuple[PointsLedger, float, int]:
    """Apply the realistic mix; return the ledger, the seconds spent and the commands applied."""
    ledger = new_ledger()
    ledger.add_scheme(Scheme(code="spare", name="备用", expiry=ExpiryPolicy.after_days(7)))
    operations = list(realistic_mix(count))
    started = time.perf_counter()
    for action, payload in operations:
        try:
            if action == "post":
                ledger.post(payload)  # type: ignore[arg-type]
            elif action == "batch":
                ledger.post_batch(payload)  # type: ignore[arg-type]
            elif action == "reverse":
                origin, tid, when, amount = payload  # type: ignore[misc]
                ledger.reverse(origin, id=tid, at=when, amount=amount)
            else:
                ledger.expire(as_of=payload)  # type: ignore[arg-type]
        except errors.GrassrootsError:
            pass  # refused, as some of the mix is meant to be
    return ledger, time.perf_counter() - started, len(operations)


def _goal(name: str, value: str, goal: str, met: bool) -> None:
    print(f"  {name:<42} {value:>16}   goal {goal:<22} {'met' if met else 'NOT MET'}")


def scenarios(mix: int) -> None:
    """Print the scenarios' figures, each beside its goal."""
    print("\npartial reversals of one redemption (per reversal)")
    small, large = partial_reversals(1_000), partial_reversals(4_000)
    _goal(
        "post, 4,000 vs 1,000",
        f"{large[0] / small[0]:.2f}x",
        "<= 1.20x (linear)",
        large[0] <= 1.2 * small[0],
    )
    _goal(
        "load, 4,000 vs 1,000",
        f"{large[1] / small[1]:.2f}x",
        "<= 1.20x (linear)",
        large[1] <= 1.2 * small[1],
    )
    print(
        f"  (post {small[0] * 1e6:.1f} / {large[0] * 1e6:.1f} us,"
        f" load {small[1] * 1e6:.1f} / {large[1] * 1e6:.1f} us per entry)"
    )
    print("spending beside unswept expired lots (per spend)")
    few, many = unswept_spending(1_000), unswept_spending(4_000)
    _goal(
        "4,000 expired lots vs 1,000", f"{many / few:.2f}x", "<= 1.20x (linear)", many <= 1.2 * few
    )
    print(f"  ({few * 1e6:.1f} / {many * 1e6:.1f} us per spend)")
    print(f"realistic mix of {mix:,} transfers")
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    ledger, seconds, commands = run_mix(mix)
    kept = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    ledger, seconds, commands = run_mix(mix)  # timed again without tracemalloc
    entries = len(ledger)
    _goal(
        "commands/s (posts, batches, reversals, sweeps)",
        f"{commands / seconds:,.0f}",
        ">= 150,000",
        commands / seconds >= 150_000,
    )
    _goal("bytes kept per entry", f"{kept / entries:,.0f}", "<= 600", kept / entries <= 600)
    listing = _timed(lambda: list(ledger.journal))
    _goal(
        "list(journal) entries/s",
        f"{entries / listing:,.0f}",
        ">= 300,000",
        entries / listing >= 300_000,
    )
    journal = list(ledger.journal)
    replaying = _timed(lambda: PointsLedger.replay(journal))
    _goal(
        "replay entries/s",
        f"{entries / replaying:,.0f}",
        ">= 250,000",
        entries / replaying >= 250_000,
    )
    middle = START.add(days=max(1, (ledger.journal[-1].record.at - START).days // 2))  # type: ignore[union-attr]
    fresh = PointsLedger.replay(journal)
    first_balance = _timed(lambda: fresh.balance("w0001", as_of=middle))
    _goal(
        "first balance(as_of=...)",
        f"{first_balance * 1e3:,.1f} ms",
        "< 100 ms at 1M",
        first_balance < 0.1,
    )
    first_totals = _timed(lambda: fresh.totals("unified"))
    _goal("first totals()", f"{first_totals * 1e3:,.1f} ms", "< 100 ms at 1M", first_totals < 0.1)
    text = ""

    def dump() -> None:
        nonlocal text
        text = serialization.dumps(ledger)

    dumping = _timed(dump)
    loading = _timed(lambda: serialization.loads(text, PointsLedger))
    _goal(
        "JSON dumps entries/s",
        f"{entries / dumping:,.0f}",
        ">= 100,000",
        entries / dumping >= 100_000,
    )
    _goal(
        "JSON loads entries/s",
        f"{entries / loading:,.0f}",
        ">= 100,000",
        entries / loading >= 100_000,
    )
    size = len(text.encode()) / entries
    _goal("JSON bytes per entry", f"{size:,.0f}", "<= 250", size <= 250)


def _best(action: Callable[[], object], repeat: int) -> float:
    return min(_timed(action) for _ in range(repeat))


def reads(sizes: list[int], *, memory: bool) -> None:
    """Print reading back and JSON at each size, each beside a same-run baseline.

    The ledger is the realistic mix of that size. Baselines, timed right
    after the ledger's figure on as many items: building a small dict per
    entry (for ``list(journal)``), the plain dict loop (for ``replay``), and
    ``json.dumps`` / ``json.loads`` of a list of small dicts, one per entry.
    """
    print(f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}")
    print(
        f"{'entries':>10} {'what':<16} {'entries/s':>11} {'baseline/s':>11} {'x slower':>8}"
        f" {'vs first':>8} {'goal':>22}"
    )
    first: dict[str, float] = {}
    for size in sizes:
        _reads_at(size, first, memory=memory and size == max(sizes))
        gc.collect()


def _reads_at(size: int, first: dict[str, float], *, memory: bool) -> None:
    """Print the read figures of the realistic mix of ``size``; ``first`` keeps the first rates.

    Each figure is timed with only what it needs alive (a million journal
    entries or small dicts kept alive would make the collector walk them
    during every other figure), its baseline right after it.
    """
    ledger = run_mix(size)[0]
    entries = len(ledger)
    repeat = 3 if entries <= 200_000 else 1
    rows = [
        (
            "list(journal)",
            _best(lambda: list(ledger.journal), repeat),
            _best(lambda: [{"id": n, "amount": n} for n in range(entries)], repeat),
            300_000,
        )
    ]
    text = serialization.dumps(ledger)
    dumping = _best(lambda: serialization.dumps(ledger), repeat)
    small = [{"id": f"t{number}", "amount": number % 50} for number in range(entries)]
    rows.append(("JSON dumps", dumping, _best(lambda: json.dumps(small), repeat), 100_000))
    small_text = json.dumps(small)
    small.clear()
    loading = _best(lambda: serialization.loads(text, PointsLedger), repeat)
    rows.append(("JSON loads", loading, _best(lambda: json.loads(small_text), repeat), 100_000))
    small_text = ""
    journal = list(ledger.journal)
    replaying = _best(lambda: PointsLedger.replay(journal), repeat)
    rows.append(("replay", replaying, _best(lambda: _plain_loop(journal), repeat), 250_000))
    journal.clear()
    for what, seconds, baseline, goal in rows:
        rate = entries / seconds
        first.setdefault(what, rate)
        met = "met" if rate >= goal else "NOT MET"
        print(
            f"{entries:>10,} {what:<16} {rate:>11,.0f} {entries / baseline:>11,.0f}"
            f" {seconds / baseline:>7.1f}x {rate / first[what]:>8.0%}"
            f" {f'>= {goal:,}/s {met}':>22}"
        )
    per_entry = len(text.encode()) / entries
    met = "met" if per_entry <= 250 else "NOT MET"
    print(f"{entries:>10,} {'JSON bytes/entry':<16} {per_entry:>11,.0f} {f'<= 250 {met}':>52}")
    if memory:
        del ledger
        gc.collect()
        for what, as_bytes in (("loads peak, str", False), ("loads peak, bytes", True)):
            peak = load_peak(text, as_bytes=as_bytes)
            met = "met" if peak < 2**30 else "NOT MET"
            print(f"{entries:>10,} {what:<16} {peak / 2**20:>10,.0f}M {f'< 1 GiB {met}':>52}")


def _plain_loop(journal: list[JournalEntry]) -> None:
    """Apply the journal's transfers to a dict of ints with no checks: the floor of replay."""
    balances: dict[str, int] = {}
    for entry in journal:
        record = entry.record
        if isinstance(record, Transfer):
            balances[record.debit] = balances.get(record.debit, 0) - record.amount
            balances[record.credit] = balances.get(record.credit, 0) + record.amount


def load_peak(text: str, *, as_bytes: bool) -> int:
    """Return the peak resident memory, in bytes, of a fresh process loading ``text``.

    The process reads the JSON from a file and loads it, as a ``str`` or as the
    file's bytes: the figure holds the interpreter, the text, the parsed JSON
    and the loaded ledger at their peak.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as file:
        file.write(text)
    try:
        done = subprocess.run(  # noqa: S603 - this very script, on the file it wrote
            [sys.executable, __file__, "--load-file", file.name, *["--bytes"] * as_bytes],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(file.name)
    return int(done.stdout.split()[-1])


def load_file(path: str, *, as_bytes: bool) -> None:
    """Read a ledger's JSON from ``path`` and print the peak resident memory in bytes."""
    data = pathlib.Path(path)
    text = data.read_bytes() if as_bytes else data.read_text("utf-8")
    ledger = serialization.loads(text, PointsLedger)
    assert len(ledger)
    # The peak of this process's own memory: VmHWM starts afresh with the program, where
    # ru_maxrss would carry over the peak of the parent this process was forked from.
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                print(int(line.split()[1]) * 1024)
                return
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


if __name__ == "__main__":
    main()
