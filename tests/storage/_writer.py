"""A writer process for the crash and concurrency tests: run as a script with a JSON spec."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _storage_helpers import STREAM, earn, open_spec, redeem

from grassroots.errors import ConcurrencyConflict

BATCH = 50


def crash(spec: dict[str, object], run: int) -> None:
    """Append batches of earnings forever, saying which were acknowledged."""
    store = open_spec(spec)
    ledger = store.load_ledger(STREAM)
    print("ready", flush=True)
    batch = 0
    while True:
        start, head = len(ledger), ledger.head
        minute = start
        ledger.post_batch(
            earn(f"r{run}-b{batch}-{n}", "wang", 1 + n, minute + n) for n in range(BATCH)
        )
        try:
            store.append(STREAM, ledger.journal[start:], expected_head=head)
        except ConcurrencyConflict:
            # The writer killed before this one may still have been committing its last
            # batch when this one loaded: load again and write the batch again.
            ledger = store.load_ledger(STREAM)
            continue
        print(f"acked {batch}", flush=True)
        batch += 1


def spend(spec: dict[str, object], name: str) -> None:
    """Redeem one point at a time from wang's wallet until it is empty; print how many."""
    store = open_spec(spec)
    spent = conflicts = 0
    print("ready", flush=True)
    sys.stdin.readline()  # wait until both spenders are ready
    ledger = store.load_ledger(STREAM)
    while True:
        balance = ledger.balance("wang")
        if balance == 0:
            break
        start, head = len(ledger), ledger.head
        ledger.post(redeem(f"{name}-{spent}-{conflicts}", "wang", 1, 10_000 + start))
        try:
            store.append(STREAM, ledger.journal[start:], expected_head=head)
        except ConcurrencyConflict:
            conflicts += 1
            ledger = store.load_ledger(STREAM)
            continue
        spent += 1
    print(json.dumps({"spent": spent, "conflicts": conflicts}), flush=True)


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    if sys.argv[2] == "crash":
        crash(spec, int(sys.argv[3]))
    else:
        spend(spec, sys.argv[3])
