"""Storage benchmark: appends, opening and loading, each beside its baseline in the same run.

    python benchmarks/store.py                      # 100,000 transfers
    python benchmarks/store.py --sizes 100000 1000000
    python benchmarks/store.py --dsn postgresql://postgres@127.0.0.1/test
    python benchmarks/store.py --sizes 1000000 --open-only   # opening only

For each size it builds a ledger of that many transfers (earnings and
redemptions across 500 wallets; not timed) and prints:

- SQLite: ``SqliteStore.append`` in batches of 1,000, beside raw ``sqlite3``
  ``executemany`` of the same rows, one transaction per batch (the ceiling).
- PostgreSQL (when ``--dsn`` or ``GRASSROOTS_TEST_POSTGRES_DSN`` is set):
  ``PostgresStore.append`` in batches of 1,000, beside raw psycopg ``COPY`` of
  the same rows, one transaction per batch.

The store and the raw baseline take turns batch by batch, so that both see the
machine at the same speed.
- Opening the stored ledger from SQLite with and without a snapshot, and the
  first post after opening from the snapshot (which builds what opening left
  to be built when first needed: the entries' texts and the id index).
- Loading and verifying the stored transfers, beside Beancount's own loader
  reading the same transfers exported with ``to_beancount`` (up to
  ``--beancount-max`` transfers, 100,000 by default).

Goals: appends at least half the raw ceiling; opening 1,000,000 entries from a
snapshot under 2 s; loading and verifying at least 10x Beancount's rate.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

import pendulum

from grassroots.ledger import (
    GENESIS,
    Account,
    AccountKind,
    JournalEntry,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
)
from grassroots.storage import Stream
from grassroots.storage._rows import Row, entry_to_row
from grassroots.storage.export import to_beancount
from grassroots.storage.sqlite import SqliteStore

BATCH = 1_000
STREAM = Stream(county="郯城县", community="郯城街道", name="virtue")
START = pendulum.datetime(2025, 1, 1, 8, tz="Asia/Shanghai")


def build(size: int) -> PointsLedger:
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="virtue", name="美德积分"))
    ledger.open_account(Account(id="issuer", scheme="virtue", kind=AccountKind.ISSUER))
    ledger.open_account(Account(id="canteen", scheme="virtue", kind=AccountKind.MERCHANT))
    wallets = [f"w{n}" for n in range(500)]
    for wallet in wallets:
        ledger.open_account(Account(id=wallet, scheme="virtue", kind=AccountKind.WALLET))
    chance = random.Random(13)
    held = dict.fromkeys(wallets, 0)
    for n in range(size):
        wallet = chance.choice(wallets)
        at = START.add(seconds=n * 30)
        if held[wallet] > 20 and chance.random() < 0.5:
            amount = chance.randint(1, held[wallet])
            ledger.post(
                Transfer(
                    id=f"t{n}",
                    debit=wallet,
                    credit="canteen",
                    amount=amount,
                    kind=TransferKind.REDEEM,
                    at=at,
                )
            )
            held[wallet] -= amount
        else:
            amount = chance.randint(1, 50)
            ledger.post(
                Transfer(
                    id=f"t{n}",
                    debit="issuer",
                    credit=wallet,
                    amount=amount,
                    kind=TransferKind.EARN,
                    at=at,
                )
            )
            held[wallet] += amount
    return ledger


def batches(ledger: PointsLedger) -> list[list[JournalEntry]]:
    entries = list(ledger.journal)
    return [entries[i : i + BATCH] for i in range(0, len(entries), BATCH)]


def stored_rows(ledger: PointsLedger) -> list[list[tuple[object, ...]]]:
    """The rows the store writes, with their stream (the raw baselines write the same)."""
    lots: dict[str, int] = {}
    previous = bytes(32)
    rows: list[Row] = []
    for entry in ledger.journal:
        row = entry_to_row(entry, lots, previous)
        rows.append(row)
        previous = row[3]
        if isinstance(entry.record, Transfer):
            lots[entry.record.id] = entry.position
    return [[STREAM.key + row for row in rows[i : i + BATCH]] for i in range(0, len(rows), BATCH)]


def sqlite_figures(ledger: PointsLedger, folder: Path) -> tuple[float, float, Path]:
    """Append batch by batch, each batch once through the store and once raw, alternately.

    Alternating keeps the two rates comparable on a machine whose speed varies.
    """
    store = SqliteStore(folder / "store.db")
    head = GENESIS
    work = batches(ledger)  # reading the entries out of the ledger is the caller's cost
    rows = stored_rows(ledger)
    raw = sqlite3.connect(folder / "raw.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute(
        "CREATE TABLE journal (county, community, name, position, body, zone, digest,"
        " PRIMARY KEY (county, community, name, position)) WITHOUT ROWID"
    )
    ours = theirs = 0.0
    for batch, raw_batch in zip(work, rows, strict=True):
        begin = time.perf_counter()
        head = store.append(STREAM, batch, expected_head=head)
        middle = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany("INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?)", raw_batch)
        raw.execute("COMMIT")
        end = time.perf_counter()
        ours += middle - begin
        theirs += end - middle
    store.close()
    raw.close()
    return len(ledger) / ours, len(ledger) / theirs, folder / "store.db"


def postgres_figures(ledger: PointsLedger, dsn: str) -> tuple[float, float]:
    """Append batch by batch through the store and by raw ``COPY``, alternately."""
    import psycopg

    from grassroots.storage.postgres import PostgresStore

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    store = PostgresStore.connect(dsn, schema=schema)
    head = GENESIS
    work = batches(ledger)  # reading the entries out of the ledger is the caller's cost
    rows = stored_rows(ledger)
    ours = theirs = 0.0
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(f"SET search_path TO {schema}")
        db.execute("CREATE TABLE raw (LIKE journal INCLUDING ALL)")
        for batch, raw_batch in zip(work, rows, strict=True):
            begin = time.perf_counter()
            head = store.append(STREAM, batch, expected_head=head)
            middle = time.perf_counter()
            with db.transaction(), db.cursor().copy("COPY raw FROM STDIN") as copy:
                for row in raw_batch:
                    copy.write_row(row)
            end = time.perf_counter()
            ours += middle - begin
            theirs += end - middle
        store.close()
        db.execute(f"DROP SCHEMA {schema} CASCADE")
    return len(ledger) / ours, len(ledger) / theirs


def beancount_rate(ledger: PointsLedger, folder: Path) -> float:
    from beancount import loader

    path = folder / "points.beancount"
    path.write_text(to_beancount(ledger), encoding="utf-8")
    begin = time.perf_counter()
    _entries, errors, _options = loader.load_file(str(path))
    elapsed = time.perf_counter() - begin
    assert not errors, errors[:3]
    return len(ledger) / elapsed


def timed(work: object) -> tuple[object, float]:
    begin = time.perf_counter()
    result = work()  # type: ignore[operator]
    return result, time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--dsn", default=os.environ.get("GRASSROOTS_TEST_POSTGRES_DSN"))
    parser.add_argument("--no-beancount", action="store_true")
    parser.add_argument(
        "--open-only",
        action="store_true",
        help="store the ledger untimed and time only opening it (replay and snapshot)",
    )
    parser.add_argument(
        "--beancount-max",
        type=int,
        default=100_000,
        help="compare with Beancount's loader only up to this size (it reads ~10,000/s)",
    )
    options = parser.parse_args()
    for size in options.sizes:
        ledger = build(size)
        print(f"\n== {size:,} transfers ({len(ledger):,} entries) ==")
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            if options.open_only:
                path = folder / "store.db"
                with SqliteStore(path) as writer:
                    head = GENESIS
                    for batch in batches(ledger):
                        head = writer.append(STREAM, batch, expected_head=head)
            else:
                ours, ceiling, path = sqlite_figures(ledger, folder)
                print(
                    f"SQLite append      {ours:>10,.0f}/s   raw executemany {ceiling:>10,.0f}/s"
                    f"   {ours / ceiling:5.0%} of ceiling (goal >= 50%)"
                )
            if options.dsn and not options.open_only:
                ours, ceiling = postgres_figures(ledger, options.dsn)
                print(
                    f"PostgreSQL append  {ours:>10,.0f}/s   raw COPY        {ceiling:>10,.0f}/s"
                    f"   {ours / ceiling:5.0%} of ceiling (goal >= 50%)"
                )
            store = SqliteStore(path)
            replayed, full = timed(lambda: store.load_ledger(STREAM, snapshot=False))  # noqa: B023
            store.save_snapshot(STREAM, replayed)  # type: ignore[arg-type]
            opened, fast = timed(lambda: store.load_ledger(STREAM))  # noqa: B023
            extra = Transfer(
                id="after-open",
                debit="issuer",
                credit="w0",
                amount=1,
                kind=TransferKind.EARN,
                at=START.add(seconds=size * 30),
            )
            _, first = timed(lambda: opened.post(extra))  # type: ignore[attr-defined]  # noqa: B023
            print(
                f"open: replay {full:7.2f} s   from snapshot {fast:7.2f} s"
                f"   (goal from snapshot < 2 s at 1,000,000)"
                f"   then its first post {first:5.2f} s (builds the id index and entries)"
            )
            _verified, check = timed(lambda: store.load_ledger(STREAM).verify())  # noqa: B023
            verify_rate = len(ledger) / (fast + check)
            full_rate = len(ledger) / full
            store.close()
            if not options.no_beancount and size <= options.beancount_max:
                bean = beancount_rate(ledger, folder)
                print(
                    f"load+verify: snapshot {verify_rate:>10,.0f}/s   replay {full_rate:>10,.0f}/s"
                    f"   Beancount loader {bean:>8,.0f}/s"
                    f"   {verify_rate / bean:5.1f}x (goal >= 10x)"
                )


if __name__ == "__main__":
    main()
