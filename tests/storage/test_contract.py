"""The one contract every store keeps: memory, SQLite, PostgreSQL and PostgreSQL by county."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import attrs
import pytest
from _storage_helpers import START, STREAM, WALLETS, Backend, earn, new_ledger, redeem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots import strategies as gs
from grassroots.errors import (
    ConcurrencyConflict,
    ConflictError,
    CorruptRow,
    DuplicateTransfer,
    JournalCorrupted,
    SchemaTooNew,
    StorageError,
    UnknownRecord,
)
from grassroots.ledger import GENESIS, PointsLedger, Transfer
from grassroots.storage import JournalStore, RecordStore, SnapshotStore, Store, Stream
from grassroots.venture import JointVenture

OTHER = Stream(county="广汉市", community="龙居社区", name="virtue")


def _posted(count: int, *, offset: int = 0) -> PointsLedger:
    ledger = new_ledger()
    ledger.post_batch(
        earn(f"e{n}", WALLETS[n % len(WALLETS)], 10 + n, offset + n) for n in range(count)
    )
    return ledger


class TestJournal:
    def test_is_every_protocol(self, backend: Backend) -> None:
        """Every store is a journal, record and snapshot store."""
        store = backend.open()
        for protocol in (JournalStore, RecordStore, SnapshotStore, Store):
            assert isinstance(store, protocol)

    def test_empty_stream_has_the_genesis_head(self, backend: Backend) -> None:
        """A stream never written to is at GENESIS and loads as an empty ledger."""
        store = backend.open()
        assert store.head(STREAM) == GENESIS
        assert store.entries(STREAM) == []
        assert store.load_ledger(STREAM) == PointsLedger()

    def test_round_trip(self, backend: Backend) -> None:
        """A stored ledger loads back equal, with the same head and balances, after reopening."""
        ledger = _posted(12)
        ledger.post(redeem("r1", "wang", 7, 100))
        head = backend.open().append(STREAM, ledger.journal, expected_head=GENESIS)
        assert head == ledger.head
        loaded = backend.open().load_ledger(STREAM)
        assert loaded == ledger
        assert loaded.verify() == ledger.head
        assert [loaded.balance(w) for w in WALLETS] == [ledger.balance(w) for w in WALLETS]
        assert backend.open().verify(STREAM) == ledger.head

    def test_entries_read_back_equal(self, backend: Backend) -> None:
        """Every entry reads back equal to the one appended, from any start."""
        ledger = _posted(5)
        store = backend.open()
        store.append(STREAM, ledger.journal, expected_head=GENESIS)
        assert store.entries(STREAM) == list(ledger.journal)
        assert store.entries(STREAM, start=6) == list(ledger.journal)[6:]

    def test_batches_continue_the_chain(self, backend: Backend) -> None:
        """Appending batch after batch stores the same journal as one append."""
        ledger = new_ledger()
        store = backend.open()
        head = store.append(STREAM, ledger.journal, expected_head=GENESIS)
        for batch in range(4):
            start = len(ledger)
            ledger.post_batch(earn(f"b{batch}-{n}", "li", 3, batch * 10 + n) for n in range(5))
            head = store.append(STREAM, ledger.journal[start:], expected_head=head)
        assert store.head(STREAM) == head == ledger.head
        assert backend.open().load_ledger(STREAM) == ledger

    def test_streams_are_apart(self, backend: Backend) -> None:
        """Two communities' streams of the same name never see each other's entries."""
        store = backend.open()
        one, two = _posted(3), _posted(4)
        store.append(STREAM, one.journal, expected_head=GENESIS)
        store.append(OTHER, two.journal, expected_head=GENESIS)
        assert store.load_ledger(STREAM) == one
        assert store.load_ledger(OTHER) == two

    def test_stale_head_is_a_conflict_and_stores_nothing(self, backend: Backend) -> None:
        """A writer that expected an old head gets ConcurrencyConflict; nothing is stored."""
        store = backend.open()
        base = new_ledger()
        store.append(STREAM, base.journal, expected_head=GENESIS)
        first, second = new_ledger(), new_ledger()
        first.post(earn("first", "wang", 5, 1))
        second.post(earn("second", "li", 6, 2))
        store.append(STREAM, first.journal[len(base) :], expected_head=base.head)
        with pytest.raises(ConcurrencyConflict) as caught:
            store.append(STREAM, second.journal[len(base) :], expected_head=base.head)
        assert isinstance(caught.value, ConflictError)
        assert caught.value.value == base.head
        assert caught.value.limit == first.head
        assert store.load_ledger(STREAM) == first

    def test_loser_reloads_and_retries(self, backend: Backend) -> None:
        """After a conflict, reloading, posting again and appending succeeds."""
        store = backend.open()
        ledger = _posted(2)
        store.append(STREAM, ledger.journal, expected_head=GENESIS)
        stale = store.load_ledger(STREAM)
        old = stale.head
        start = len(ledger)
        ledger.post(earn("win", "wang", 1, 50))
        store.append(STREAM, ledger.journal[start:], expected_head=old)
        stale.post(earn("lose", "li", 1, 51))
        with pytest.raises(ConcurrencyConflict):
            store.append(STREAM, stale.journal[start:], expected_head=old)
        fresh = store.load_ledger(STREAM)
        mark = len(fresh)
        fresh.post(earn("lose", "li", 1, 51))
        store.append(STREAM, fresh.journal[mark:], expected_head=store.head(STREAM))
        assert store.load_ledger(STREAM).balance("li") == fresh.balance("li")

    def test_empty_append_checks_the_head(self, backend: Backend) -> None:
        """An empty append stores nothing, returns the head, and still checks it."""
        store = backend.open()
        ledger = _posted(1)
        store.append(STREAM, ledger.journal, expected_head=GENESIS)
        assert store.append(STREAM, [], expected_head=ledger.head) == ledger.head
        with pytest.raises(ConcurrencyConflict):
            store.append(STREAM, [], expected_head=GENESIS)

    def test_entries_that_do_not_chain_are_refused(self, backend: Backend) -> None:
        """Entries that do not follow the expected head are refused before anything is stored."""
        store = backend.open()
        ledger = _posted(3)
        with pytest.raises(JournalCorrupted):
            store.append(STREAM, ledger.journal[1:], expected_head=GENESIS)
        entries = list(ledger.journal)
        with pytest.raises(JournalCorrupted):
            store.append(STREAM, [entries[0], entries[2]], expected_head=GENESIS)
        assert store.head(STREAM) == GENESIS

    def test_wrong_types_are_type_errors(self, backend: Backend) -> None:
        """A stream that is not a Stream, or an item that is not an entry, is a TypeError."""
        store = backend.open()
        with pytest.raises(TypeError):
            store.head("郯城县/virtue")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            store.append(STREAM, ["entry"], expected_head=GENESIS)  # type: ignore[list-item]


class TestSnapshot:
    def test_snapshot_then_more_entries(self, backend: Backend) -> None:
        """A ledger opened from a snapshot and the entries after it equals a full replay."""
        store = backend.open()
        ledger = _posted(20)
        store.append(STREAM, ledger.journal, expected_head=GENESIS)
        assert store.save_snapshot(STREAM, store.load_ledger(STREAM)) == len(ledger)
        start = len(ledger)
        ledger.post_batch([redeem("r1", "wang", 5, 200), earn("late", "li", 9, 201)])
        store.append(STREAM, ledger.journal[start:], expected_head=store.head(STREAM))
        reopened = backend.open()
        assert reopened.load_ledger(STREAM) == ledger
        assert reopened.load_ledger(STREAM, snapshot=False) == ledger
        assert reopened.load_ledger(STREAM).verify() == ledger.head

    def test_snapshot_of_a_ledger_with_named_zones(self, backend: Backend) -> None:
        """A ledger posted with Asia/Shanghai times (a named zone) snapshots and opens again."""
        store = backend.open()
        ledger = _posted(6)
        store.append(STREAM, ledger.journal, expected_head=GENESIS)
        store.save_snapshot(STREAM, ledger)
        reopened = backend.open().load_ledger(STREAM)
        assert reopened == ledger
        assert reopened.journal[-1].record.at.tzinfo == ledger.journal[-1].record.at.tzinfo  # type: ignore[union-attr]

    def test_opened_ledger_posts_as_the_replayed_one(self, backend: Backend) -> None:
        """A ledger opened from a snapshot answers, posts, reverses and refuses as a replay does."""
        store = backend.open()
        store.append(STREAM, _posted(30).journal, expected_head=GENESIS)
        store.save_snapshot(STREAM, store.load_ledger(STREAM))
        for first in ("balance", "post", "lookup", "copy"):
            opened = backend.open().load_ledger(STREAM)
            replayed = store.load_ledger(STREAM, snapshot=False)
            if first == "balance":
                assert opened.balance("wang") == replayed.balance("wang")
            elif first == "lookup":
                assert opened.transfer("e3") == replayed.transfer("e3")
            elif first == "copy":
                opened = copy.copy(opened)
            for ledger in (opened, replayed):
                ledger.post(earn("more", "li", 4, 500))
                ledger.reverse("more", id="undo", at=START.add(minutes=501), amount=1)
                with pytest.raises(DuplicateTransfer):
                    ledger.post(earn("e3", "li", 99, 502))
            assert opened == replayed
            assert opened.statement("li", start=START, end=START.add(days=1)) == (
                replayed.statement("li", start=START, end=START.add(days=1))
            )
            assert opened.lots("li") == replayed.lots("li")
            assert opened.verify() == replayed.verify()

    @settings(max_examples=25, deadline=None)
    @given(ledger=gs.points_ledgers())
    def test_snapshot_holds_the_whole_projection(self, ledger: PointsLedger) -> None:
        """Any ledger comes back from its snapshot with every balance, lot, total and audit."""
        from grassroots.ledger._snapshot import dump, restore

        body = dump(ledger)
        again = restore(body)
        assert again is not None
        assert again == ledger
        assert dump(again) == body
        assert again.trial_balance() == ledger.trial_balance()
        assert again.audit() == ledger.audit()
        for account in ledger.accounts:
            assert again.lots(account.id) == ledger.lots(account.id)
            assert again.is_closed(account.id) == ledger.is_closed(account.id)
        for scheme in ledger.schemes:
            assert again.totals(scheme.code) == ledger.totals(scheme.code)

    def test_snapshot_of_another_chain_is_refused(self, backend: Backend) -> None:
        """A snapshot of a ledger whose head is not in the stored chain is refused."""
        store = backend.open()
        store.append(STREAM, _posted(3).journal, expected_head=GENESIS)
        with pytest.raises(ConcurrencyConflict):
            store.save_snapshot(STREAM, _posted(3, offset=7))
        with pytest.raises(TypeError):
            store.save_snapshot(STREAM, "ledger")  # type: ignore[arg-type]


@attrs.frozen
class _Note:
    text: str


RECORD_VALUES: list[st.SearchStrategy[Any]] = [
    gs.profit_allocations(),
    gs.joint_ventures(),
    gs.party_branches(),
    gs.subcommunities(),
]


class TestRecords:
    @settings(
        max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
    )
    @given(value=st.one_of(RECORD_VALUES))
    def test_any_converted_type_round_trips(self, backend: Backend, value: Any) -> None:
        """Any value the converter handles is stored and read back equal, revision by revision."""
        store = backend.open()
        key = f"k{abs(hash(value)) % 10**9}"
        revision = store.revision(STREAM, key)
        assert store.save(STREAM, key, value, expected_revision=revision) == revision + 1
        assert backend.open().load(STREAM, key, type(value)) == value
        assert store.revision(STREAM, key) == revision + 1

    def test_history_keeps_every_revision(self, backend: Backend) -> None:
        """Each save is a new revision; history gives them oldest first."""
        store = backend.open()
        values = [_Note(text=t) for t in ("一", "二", "三")]
        for revision, value in enumerate(values):
            store.save(STREAM, "note", value, expected_revision=revision)
        assert list(store.history(STREAM, "note", _Note)) == values
        assert store.load(STREAM, "note", _Note) == values[-1]

    def test_stale_revision_is_a_conflict(self, backend: Backend) -> None:
        """Saving over a revision someone else already replaced is a ConcurrencyConflict."""
        store = backend.open()
        store.save(STREAM, "note", _Note(text="a"), expected_revision=0)
        with pytest.raises(ConcurrencyConflict):
            store.save(STREAM, "note", _Note(text="b"), expected_revision=0)
        assert store.load(STREAM, "note", _Note) == _Note(text="a")

    def test_unknown_record(self, backend: Backend) -> None:
        """Loading a record never saved raises UnknownRecord, a LookupError."""
        with pytest.raises(UnknownRecord) as caught:
            backend.open().load(STREAM, "nothing", _Note)
        assert isinstance(caught.value, LookupError)
        assert isinstance(caught.value, StorageError)

    def test_another_type_is_a_corrupt_row(self, backend: Backend) -> None:
        """Reading a record as another type names the stream and the revision."""
        store = backend.open()
        store.save(STREAM, "note", _Note(text="a"), expected_revision=0)
        with pytest.raises(CorruptRow) as caught:
            store.load(STREAM, "note", JointVenture)
        assert (caught.value.stream, caught.value.position) == (str(STREAM), 1)
        assert pickle.loads(pickle.dumps(caught.value)).stream == str(STREAM)

    def test_newer_schema_is_refused_older_is_upgraded(self, backend: Backend) -> None:
        """A record of a newer schema version is refused; an older one is upgraded."""
        store = backend.open()
        store.save(STREAM, "old", {"body": "旧"}, expected_revision=0, schema_version=1)
        store.save(STREAM, "new", _Note(text="新"), expected_revision=0, schema_version=3)
        with pytest.raises(SchemaTooNew) as caught:
            store.load(STREAM, "new", _Note, schema_version=2)
        assert (caught.value.value, caught.value.limit) == (3, 2)
        with pytest.raises(CorruptRow):  # no upgrade given
            store.load(STREAM, "old", dict, schema_version=2)

    def test_upgrade_reads_an_older_shape(self, backend: Backend) -> None:
        """An upgrade renames an old field, and the record structures as the new type."""
        store = backend.open()
        store.save(STREAM, "v1", _OldNote(body="旧"), expected_revision=0, schema_version=1)
        upgraded = store.load(
            STREAM,
            "v1",
            _Note,
            schema_version=2,
            upgrades={1: lambda data: {"text": data["body"]}},
        )
        assert upgraded == _Note(text="旧")


@attrs.frozen
class _OldNote:
    body: str


_OldNote.__qualname__ = "_Note"  # the same record type, as an older version of it was written


class TestRows:
    @settings(max_examples=30, deadline=None)
    @given(entry=gs.journal_entries())
    def test_text_reads_back_as_the_record(self, entry: Any) -> None:
        """Any record's canonical text and zone read back as the record, its UTC offset kept."""
        from grassroots.ledger._snapshot import entry_text, record_of

        lots = {draw.lot: number for number, draw in enumerate(entry.draws)}
        text, zone = entry_text(entry, lots)
        record = record_of(text, zone, entry.position)
        assert record == entry.record
        for name in ("at", "effective"):
            if hasattr(record, name):
                assert getattr(record, name).utcoffset() == getattr(entry.record, name).utcoffset()

    @settings(max_examples=25, deadline=None)
    @given(ledger=gs.points_ledgers())
    def test_rows_are_the_ledgers_own_text(self, ledger: PointsLedger) -> None:
        """A stored row's body is the text the ledger keeps and hashes, its digest the ledger's."""
        from grassroots.ledger._snapshot import digest_bytes, kept_text
        from grassroots.storage.memory import MemoryStore

        store = MemoryStore()
        store.append(STREAM, ledger.journal, expected_head=GENESIS)
        rows = list(store._read_rows(STREAM, 0))
        assert [row[0] for row in rows] == list(range(len(ledger)))
        for position, body, _zone, digest in rows:
            assert body == kept_text(ledger, position).encode()
            assert digest == digest_bytes(ledger, position)[:32]
        assert store.entries(STREAM) == list(ledger.journal)
        assert store.verify(STREAM) == ledger.verify()
        assert store.load_ledger(STREAM) == ledger
        store.save_snapshot(STREAM, ledger)
        reopened = store.load_ledger(STREAM)
        assert reopened == ledger
        assert reopened.trial_balance() == ledger.trial_balance()

    def test_an_entry_that_does_not_match_its_digest_is_refused(self, backend: Backend) -> None:
        """An entry whose digest is not the hash of its text is not stored."""
        import attrs

        store = backend.open()
        entries = list(_posted(3).journal)
        record = entries[-1].record
        assert isinstance(record, Transfer)
        entries[-1] = attrs.evolve(entries[-1], record=attrs.evolve(record, amount=99))
        with pytest.raises(JournalCorrupted) as caught:
            store.append(STREAM, entries, expected_head=GENESIS)
        assert caught.value.value == len(entries) - 1
        assert store.head(STREAM) == GENESIS


class TestHostileArguments:
    @settings(
        max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
    )
    @given(
        revision=st.one_of(st.integers(max_value=-1), st.booleans(), st.floats(), st.text()),
    )
    def test_bad_revisions(self, backend: Backend, revision: object) -> None:
        """A negative, boolean, float or text revision is refused and nothing is saved."""
        from grassroots.errors import InvalidValue

        store = backend.open()
        with pytest.raises((TypeError, InvalidValue)):
            store.save(STREAM, "note", _Note(text="x"), expected_revision=revision)  # type: ignore[arg-type]
        assert store.revision(STREAM, "note") == 0

    @settings(max_examples=20, deadline=None)
    @given(text=st.text(max_size=5))
    def test_stream_fields_are_ids(self, text: str) -> None:
        """A stream's fields follow the library's id rule: odd text is refused or kept exact."""
        from grassroots.errors import InvalidValue

        try:
            stream = Stream(county=text, community="c", name="n")
        except InvalidValue:
            return
        assert stream.county == text
        assert str(stream) == f"{text}/c/n"
