"""Other processes: a writer killed mid-batch, two spenders racing for one wallet."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from _storage_helpers import STREAM, Backend, earn, new_ledger

from grassroots.ledger import GENESIS, Transfer

WRITER = Path(__file__).parent / "_writer.py"
KILLS = {"sqlite": 8, "postgres": 5}


def _start(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


class TestCrash:
    def test_sigkill_at_random_points_loses_nothing_acknowledged(
        self, durable_backend: Backend
    ) -> None:
        """After SIGKILL at random points, every acknowledged batch is stored, whole; no other."""
        backend = durable_backend
        backend.open().append(STREAM, new_ledger().journal, expected_head=GENESIS)
        spec = json.dumps(backend.spec())
        chance = random.Random(1259)
        acknowledged: dict[int, set[int]] = {}
        for run in range(KILLS[backend.kind]):
            writer = _start(spec, "crash", str(run))
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready", f"writer {run} did not start"
            time.sleep(chance.uniform(0.0, 0.25))
            writer.send_signal(signal.SIGKILL)
            output, _ = writer.communicate()
            acknowledged[run] = {
                int(line.split()[1]) for line in output.splitlines() if line.startswith("acked")
            }
            store = backend.open()
            ledger = store.load_ledger(STREAM)
            assert ledger.verify() == ledger.head
            store.verify(STREAM)
        ledger = backend.open().load_ledger(STREAM, snapshot=False)
        batches = Counter(
            tuple(entry.record.id.split("-")[:2])
            for entry in ledger.journal
            if isinstance(entry.record, Transfer)
        )
        assert set(batches.values()) <= {50}, "a batch was stored in part"
        for run, acked in acknowledged.items():
            stored = {int(b[1:]) for r, b in batches if r == f"r{run}"}
            assert acked <= stored, (run, acked, stored)
            # At most the batch in flight when the writer died is stored unacknowledged.
            assert stored - acked <= {max(acked, default=-1) + 1}, (run, acked, stored)
        assert sum(len(a) for a in acknowledged.values()) > 0


class TestConcurrentSpenders:
    def test_two_processes_never_overdraw_a_wallet(self, durable_backend: Backend) -> None:
        """Two processes spending from one wallet at once spend exactly what it held."""
        backend = durable_backend
        ledger = new_ledger()
        ledger.post_batch(earn(f"e{n}", "wang", 1, n) for n in range(30))
        backend.open().append(STREAM, ledger.journal, expected_head=GENESIS)
        spec = json.dumps(backend.spec())
        spenders = [_start(spec, "spend", name) for name in ("a", "b")]
        for spender in spenders:
            assert spender.stdout is not None
            assert spender.stdout.readline().strip() == "ready"
        for spender in spenders:
            assert spender.stdin is not None
            spender.stdin.write("go\n")
            spender.stdin.flush()
        results = [json.loads(spender.communicate(timeout=120)[0]) for spender in spenders]
        stored = backend.open().load_ledger(STREAM)
        assert stored.balance("wang") == 0
        assert sum(result["spent"] for result in results) == 30
        assert stored.balance("canteen") == 30
        assert stored.verify() == stored.head
