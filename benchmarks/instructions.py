"""Count the machine instructions of building a ``Transfer`` and of posting it (callgrind).

Wall-clock rates move by a factor of two on a shared machine; instruction
counts from ``valgrind --tool=callgrind`` do not. Run from the project root::

    python benchmarks/instructions.py                      # the code under src/
    python benchmarks/instructions.py --src ../main/src    # another checkout, same harness
    python benchmarks/instructions.py --fields realistic   # uuid-like ids, reference, memo
    python benchmarks/instructions.py --loads              # one entry loaded from JSON

The script runs itself under callgrind several times, each run doing one
*phase* over the benchmark's mix of earnings and redemptions (the
``operations`` of ``benchmarks/ledger.py``) into the benchmark's ledger:

- ``draw``: only draws the operations;
- ``build``: draws them and builds a ``Transfer`` of each;
- ``post``: draws, builds and posts each into the ledger;
- ``rows``: draws, makes a row of each transfer's nine fields (a tuple, as a
  caller holds them) and posts the rows with ``PointsLedger.post_rows``, 1,000
  rows a call (the code measured must have it: main's before it does not).

Every run first does ``--warm-up`` operations of its phase (so that the
interpreter's specialised byte code, the ledger's caches and its lots are
warm), then ``count`` more. Each phase runs with two counts; the difference
of the two totals divided by the difference of the counts is the cost of one
operation of that phase, with the interpreter's start-up and the imports
cancelled out. The cost of building is ``build - draw``, that of posting
``post - build``, and ``rows - draw`` is a row checked and posted, to set
beside build + post. ``PYTHONHASHSEED`` is fixed, so two runs of one phase count
the same instructions up to a few hundred.

With ``--loads`` it counts loading instead: it writes the JSON of the
benchmark's realistic mix at two sizes (``--mix``, 2,500 and 20,000 commands
by default: 2,961 and 20,211 entries) with the code measured, then counts
``serialization.loads`` of each file's bytes in a fresh process; the
difference of the two totals over the difference of the entries is the cost
of one loaded entry, start-up, imports and the converter's first build
cancelled out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHASES = ("draw", "build", "post", "rows")
ROWS_PER_CALL = 1_000
_COLLECTED = re.compile(r"Collected : (\d+)")


def workload(phase: str, warm_up: int, count: int, fields: str) -> None:
    """Do ``warm_up + count`` operations of ``phase`` (the part callgrind measures)."""
    sys.path.insert(0, str(HERE))
    from grassroots.ledger import Transfer
    from ledger import START, STEP, new_ledger, operations

    zones = (START.tzinfo, dt.timezone(dt.timedelta(hours=8)))
    realistic = fields == "realistic"
    ledger = new_ledger()
    post = ledger.post
    batch: list[tuple[object, ...]] = []
    at = START
    add = dt.datetime.__add__
    for number, (plain_id, debit, credit, amount, kind) in enumerate(operations(warm_up + count)):
        at = add(at, STEP)
        # The fields are made in every phase, so that ``build`` counts the constructor only.
        if realistic:
            tid = str(uuid.UUID(int=number * 7919 + 1, version=4))
            when = at.astimezone(zones[number % 2])
            reference = "activity" if kind == "earn" else "bill"
            memo = "幸福食堂午餐"
        else:
            tid, when, reference, memo = plain_id, at, "", ""
        if phase == "draw":
            continue
        if phase == "rows":
            batch.append((tid, debit, credit, amount, kind, when, reference, memo, None))
            if len(batch) == ROWS_PER_CALL:
                ledger.post_rows(batch)
                batch = []
            continue
        transfer = Transfer(
            id=tid,
            debit=debit,
            credit=credit,
            amount=amount,
            kind=kind,
            at=when,
            reference=reference,
            memo=memo,
        )
        if phase == "post":
            post(transfer)
    if batch:
        ledger.post_rows(batch)


def instructions(src: Path, phase: str, warm_up: int, count: int, fields: str) -> int:
    """Return the instructions callgrind counts for one run of ``phase``."""
    options = ["--phase", phase, "--warm-up", str(warm_up), "--count", str(count)]
    return _counted(src, [*options, "--fields", fields])


def write_mix(src: Path, commands: int, path: Path) -> int:
    """Write the JSON of the realistic mix of ``commands`` to ``path``; return its entries."""
    environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--write-mix", str(commands), "--file", str(path)]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)  # noqa: S603 - our own command line
    return int(done.stdout)


def load_instructions(src: Path, path: Path) -> int:
    """Return the instructions callgrind counts for loading the ledger in ``path``."""
    return _counted(src, ["--load", str(path)])


def _counted(src: Path, options: list[str]) -> int:
    """Run this script with ``options`` under callgrind; return the instructions counted."""
    environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(src)}
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        *options,
    ]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)  # noqa: S603 - our own command line
    found = _COLLECTED.search(done.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{done.stderr}")
    return int(found.group(1))


def _write_mix(commands: int, path: Path) -> None:
    """Write the JSON of the realistic mix of ``commands`` to ``path``; print its entries."""
    sys.path.insert(0, str(HERE))
    from grassroots import serialization
    from ledger import run_mix

    ledger = run_mix(commands)[0]
    path.write_text(serialization.dumps(ledger), encoding="utf-8")
    print(len(ledger))


def _load(path: Path) -> None:
    """Load the ledger in ``path`` from its bytes (the part callgrind measures)."""
    from grassroots import serialization
    from grassroots.ledger import PointsLedger

    serialization.loads(path.read_bytes(), PointsLedger)


def loads(src: Path, mixes: list[int]) -> None:
    """Print the instructions of one loaded entry of the realistic mix."""
    low, high = mixes
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder, "small.json"), Path(folder, "large.json")
        entries = write_mix(src, low, small), write_mix(src, high, large)
        counts = load_instructions(src, small), load_instructions(src, large)
    per_entry = (counts[1] - counts[0]) / (entries[1] - entries[0])
    print(f"code: {src}  realistic mix: {entries[0]:,} and {entries[1]:,} entries")
    print(f"instructions per loaded entry:   {per_entry:10,.0f}")


def main() -> None:
    """Measure every phase with two counts and print instructions per build and per post."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="code to measure")
    parser.add_argument("--counts", type=int, nargs=2, default=[2_000, 6_000])
    parser.add_argument("--warm-up", type=int, default=1_000)
    parser.add_argument("--fields", choices=("plain", "realistic"), default="plain")
    parser.add_argument("--build-only", action="store_true", help="measure building alone")
    parser.add_argument("--no-rows", action="store_true", help="skip post_rows (older code)")
    parser.add_argument("--phase", choices=PHASES, help="run one phase (under callgrind)")
    parser.add_argument("--count", type=int, default=0, help="with --phase: operations")
    parser.add_argument("--loads", action="store_true", help="count loading from JSON instead")
    parser.add_argument("--mix", type=int, nargs=2, default=[2_500, 20_000], help="with --loads")
    parser.add_argument("--write-mix", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        workload(args.phase, args.warm_up, args.count, args.fields)
        return
    if args.write_mix:
        _write_mix(args.write_mix, args.file)
        return
    if args.load:
        _load(args.load)
        return
    if args.loads:
        loads(args.src.resolve(), args.mix)
        return
    low, high = args.counts
    per: dict[str, float] = {}
    phases = PHASES[:2] if args.build_only else PHASES[:3] if args.no_rows else PHASES
    for phase in phases:
        first = instructions(args.src.resolve(), phase, args.warm_up, low, args.fields)
        second = instructions(args.src.resolve(), phase, args.warm_up, high, args.fields)
        per[phase] = (second - first) / (high - low)
    build = per["build"] - per["draw"]
    print(f"code: {args.src}  fields: {args.fields}  counts: {low:,} and {high:,}")
    print(f"instructions per Transfer built: {build:10,.0f}   (goal: at most 20,000)")
    if args.build_only:
        return
    post = per["post"] - per["build"]
    print(f"instructions per post:           {post:10,.0f}")
    print(f"instructions per build + post:   {build + post:10,.0f}")
    if "rows" in per:
        rows = per["rows"] - per["draw"]
        print(
            f"instructions per row, post_rows: {rows:10,.0f}   (build + post: {build + post:,.0f})"
        )


if __name__ == "__main__":
    main()
