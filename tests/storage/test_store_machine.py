"""A stateful test: two writers racing on one stream, snapshots and reopening, beside a model."""

from __future__ import annotations

import tempfile
from pathlib import Path

from _storage_helpers import STREAM, WALLETS, earn, new_ledger, redeem
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from grassroots.errors import ConcurrencyConflict, GrassrootsError
from grassroots.ledger import GENESIS, PointsLedger
from grassroots.storage._base import BaseStore
from grassroots.storage.memory import MemoryStore
from grassroots.storage.sqlite import SqliteStore


class StoreMachine(RuleBasedStateMachine):
    """Writers load, post, append (losing races), snapshot; the store always equals the model."""

    kind = "memory"

    @initialize()
    def setup(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.store = self._open()
        base = new_ledger()
        self.store.append(STREAM, base.journal, expected_head=GENESIS)
        self.model = dict.fromkeys(WALLETS, 0)  # acknowledged balances only
        self.writers: list[PointsLedger] = [self.store.load_ledger(STREAM) for _ in range(2)]
        self.counter = 0

    def _open(self) -> BaseStore:
        if self.kind == "memory":
            return getattr(self, "store", None) or MemoryStore()
        return SqliteStore(Path(self.folder.name) / "machine.db")

    @rule(
        writer=st.integers(0, 1),
        wallet=st.sampled_from(WALLETS),
        amount=st.integers(1, 40),
        spend=st.booleans(),
    )
    def write(self, writer: int, wallet: str, amount: int, spend: bool) -> None:
        ledger = self.writers[writer]
        start, head = len(ledger), ledger.head
        self.counter += 1
        make = redeem if spend else earn
        try:
            ledger.post(make(f"t{self.counter}", wallet, amount, self.counter))
        except GrassrootsError:
            return  # the ledger refused it (an overdraft); nothing to store
        try:
            self.store.append(STREAM, ledger.journal[start:], expected_head=head)
        except ConcurrencyConflict:
            self.writers[writer] = self.store.load_ledger(STREAM)
            return
        self.model[wallet] += -amount if spend else amount

    @rule(writer=st.integers(0, 1))
    def reload(self, writer: int) -> None:
        self.writers[writer] = self.store.load_ledger(STREAM)

    @rule()
    def snapshot(self) -> None:
        self.store.save_snapshot(STREAM, self.store.load_ledger(STREAM))

    @precondition(lambda self: self.kind != "memory")
    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = self._open()

    @invariant()
    def stored_equals_model(self) -> None:
        if not hasattr(self, "store"):
            return
        ledger = self.store.load_ledger(STREAM)
        assert {w: ledger.balance(w) for w in WALLETS} == self.model
        assert all(balance >= 0 for balance in self.model.values())
        assert ledger == self.store.load_ledger(STREAM, snapshot=False)
        assert self.store.verify(STREAM) == ledger.head

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()
            self.folder.cleanup()


class SqliteStoreMachine(StoreMachine):
    kind = "sqlite"


TestMemoryStore = StoreMachine.TestCase
TestMemoryStore.settings = settings(max_examples=15, stateful_step_count=15, deadline=None)
TestSqliteStore = SqliteStoreMachine.TestCase
TestSqliteStore.settings = settings(max_examples=8, stateful_step_count=12, deadline=None)
