"""What only a database can do to a store: edits behind its back, old and new schemas."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from _storage_helpers import START, STREAM, Backend, earn, new_ledger, redeem

from grassroots import serialization
from grassroots.errors import CorruptRow, JournalCorrupted, SchemaTooNew, StorageError
from grassroots.ledger import GENESIS, PointsLedger
from grassroots.storage import SCHEMA_VERSION
from grassroots.storage.sqlite import SqliteStore

KEY = "county = ? AND community = ? AND name = ?"


def _stored(backend: Backend) -> int:
    ledger = new_ledger()
    ledger.post_batch(earn(f"e{n}", "wang", 10, n) for n in range(4))
    backend.open().append(STREAM, ledger.journal, expected_head=GENESIS)
    return len(ledger)


def _body(backend: Backend, position: int) -> str:
    (body,) = backend.sql(
        f"SELECT body FROM journal WHERE {KEY} AND position = ?", (*STREAM.key, position)
    )[0]
    return bytes(body).decode()


def _set_body(backend: Backend, position: int, body: bytes) -> None:
    backend.sql(
        f"UPDATE journal SET body = ? WHERE {KEY} AND position = ?", (body, *STREAM.key, position)
    )


class TestTampering:
    def test_edited_amount_is_found_by_verify(self, sql_backend: Backend) -> None:
        """An amount edited in SQL is found by verify(), which names the entry."""
        count = _stored(sql_backend)
        target = count - 2
        fields = _body(sql_backend, target).split("\0")
        assert fields[0] == "transfer"
        fields[5] = "1000"
        _set_body(sql_backend, target, "\0".join(fields).encode())
        store = sql_backend.open()
        with pytest.raises(JournalCorrupted) as caught:
            store.verify(STREAM)
        assert caught.value.value == target
        assert f"entry {target}" in str(caught.value)
        with pytest.raises(JournalCorrupted) as replayed:
            store.load_ledger(STREAM)
        assert replayed.value.value == target

    def test_edited_digest_is_found_by_verify(self, sql_backend: Backend) -> None:
        """A digest edited in SQL breaks the chain at that entry."""
        _stored(sql_backend)
        sql_backend.sql(
            f"UPDATE journal SET digest = ? WHERE {KEY} AND position = 2",
            (bytes(32), *STREAM.key),
        )
        with pytest.raises(JournalCorrupted) as caught:
            sql_backend.open().verify(STREAM)
        assert caught.value.value == 2

    def test_deleted_last_entry_is_found(self, sql_backend: Backend) -> None:
        """Deleting the last entry leaves a chain that does not end at the stored head."""
        count = _stored(sql_backend)
        sql_backend.sql(
            f"DELETE FROM journal WHERE {KEY} AND position = ?", (*STREAM.key, count - 1)
        )
        with pytest.raises(JournalCorrupted):
            sql_backend.open().verify(STREAM)

    def test_stored_ledger_verifies_as_the_ledger(self, sql_backend: Backend) -> None:
        """The stored bodies are the texts the ledger hashes: the heads agree."""
        ledger = new_ledger()
        ledger.post_batch(earn(f"e{n}", "wang", 10, n) for n in range(4))
        store = sql_backend.open()
        store.append(STREAM, ledger.journal, expected_head=GENESIS)
        assert store.verify(STREAM) == ledger.verify() == store.load_ledger(STREAM).verify()


class TestBadRows:
    @pytest.mark.parametrize(
        "body",
        [
            b"not a record",
            b"\xff\xfe",  # not UTF-8
            b"transfer\x003",
            b"transfer\x003\x00e2\x00issuer\x00wang\x00010\x00earn\x001\x00\x00\x00",
            b"scheme\x003\x00virtue",
        ],
    )
    def test_row_that_does_not_decode(self, sql_backend: Backend, body: bytes) -> None:
        """A row that does not read back raises CorruptRow naming the stream and position."""
        _stored(sql_backend)
        _set_body(sql_backend, 3, body)
        with pytest.raises(CorruptRow) as caught:
            sql_backend.open().load_ledger(STREAM)
        assert (caught.value.stream, caught.value.position) == (str(STREAM), 3)
        assert isinstance(caught.value, StorageError)
        assert caught.value.__cause__ is not None
        with pytest.raises(CorruptRow) as read:
            sql_backend.open().entries(STREAM)
        assert read.value.position == 3

    def test_body_turned_into_text(self, sql_backend: Backend) -> None:
        """A body SQL turned into text (an edit with replace()) is a CorruptRow, not a crash."""
        if sql_backend.kind != "sqlite":
            pytest.skip("PostgreSQL keeps a bytea column bytes: text cannot be stored in it")
        _stored(sql_backend)
        sql_backend.sql(
            f"UPDATE journal SET body = ? WHERE {KEY} AND position = 4", ("text", *STREAM.key)
        )
        store = sql_backend.open()
        for read in (store.verify, store.load_ledger, store.entries):
            with pytest.raises(CorruptRow) as caught:
                read(STREAM)
            assert caught.value.position == 4

    def test_unknown_zone(self, sql_backend: Backend) -> None:
        """A row whose zone names no time zone is a CorruptRow."""
        _stored(sql_backend)
        sql_backend.sql(
            f"UPDATE journal SET zone = 'Mars/Olympus' WHERE {KEY} AND position = 6", STREAM.key
        )
        with pytest.raises(CorruptRow) as caught:
            sql_backend.open().entries(STREAM)
        assert caught.value.position == 6

    def test_bad_record_json(self, sql_backend: Backend) -> None:
        """A record whose JSON was damaged raises CorruptRow with its revision."""
        store = sql_backend.open()
        ledger = new_ledger()
        store.save(STREAM, "scheme", ledger.schemes[0], expected_revision=0)
        sql_backend.sql("UPDATE records SET body = ?", ('{"code": "virtue", "surplus": 1}',))
        with pytest.raises(CorruptRow) as caught:
            store.load(STREAM, "scheme", type(ledger.schemes[0]))
        assert (caught.value.stream, caught.value.position) == (str(STREAM), 1)

    def test_snapshot_that_claims_another_head(self, sql_backend: Backend) -> None:
        """A snapshot whose claimed head is not the stored digest is refused."""
        _stored(sql_backend)
        store = sql_backend.open()
        store.save_snapshot(STREAM, store.load_ledger(STREAM))
        sql_backend.sql("UPDATE snapshots SET head = ?", ("ab" * 32,))
        with pytest.raises(CorruptRow):
            store.load_ledger(STREAM)
        assert store.load_ledger(STREAM, snapshot=False).head == store.head(STREAM)

    @pytest.mark.parametrize(
        "body",
        [
            b"cos\nsystem\n(S'echo owned'\ntR.",  # a pickle
            b"grassroots-snapshot\n\xff\xff\xff\xff\xff\xff\xff\x7f{}",
            b"grassroots-snapshot\n\x02\x00\x00\x00\x00\x00\x00\x00{}",
            b"",
        ],
    )
    def test_damaged_snapshot(self, sql_backend: Backend, body: bytes) -> None:
        """A snapshot body that is not the layout raises CorruptRow; nothing is run."""
        _stored(sql_backend)
        store = sql_backend.open()
        store.save_snapshot(STREAM, store.load_ledger(STREAM))
        sql_backend.sql("UPDATE snapshots SET body = ?", (body,))
        with pytest.raises(CorruptRow) as caught:
            store.load_ledger(STREAM)
        assert caught.value.__cause__ is not None

    def test_snapshot_of_another_format_is_ignored(self, sql_backend: Backend) -> None:
        """A snapshot of format 1 (a pickle) is never read: the journal is replayed."""
        count = _stored(sql_backend)
        store = sql_backend.open()
        store.save_snapshot(STREAM, store.load_ledger(STREAM))
        sql_backend.sql("UPDATE snapshots SET format = 1, body = ?", (b"cos\nsystem\n.",))
        assert len(store.load_ledger(STREAM)) == count


_V2_JOURNAL = (
    "CREATE TABLE journal (county TEXT NOT NULL, community TEXT NOT NULL,"
    " name TEXT NOT NULL, position BIGINT NOT NULL, kind TEXT NOT NULL,"
    " body TEXT NOT NULL, previous TEXT NOT NULL, digest TEXT NOT NULL,"
    " PRIMARY KEY (county, community, name, position))"
)
_V2_SNAPSHOTS = (
    "CREATE TABLE snapshots (county TEXT NOT NULL, community TEXT NOT NULL,"
    " name TEXT NOT NULL, position BIGINT NOT NULL, head TEXT NOT NULL,"
    " format INTEGER NOT NULL, body {blob} NOT NULL,"
    " PRIMARY KEY (county, community, name, position))"
)


def _write_version_2(backend: Backend, ledger: PointsLedger, *, amount_edit: bool = False) -> None:
    """Put ``ledger`` into the backend as schema version 2 wrote it: JSON bodies, hex digests."""
    backend.open().close()
    backend.sql("DROP TABLE journal")
    backend.sql("DROP TABLE snapshots")
    if backend.partitions:  # as version 2 created it: partitioned by county
        backend.sql(_V2_JOURNAL + " PARTITION BY HASH (county)")
        for remainder in range(backend.partitions):
            backend.sql(
                f"CREATE TABLE journal_{remainder} PARTITION OF journal"
                f" FOR VALUES WITH (MODULUS {backend.partitions}, REMAINDER {remainder})"
            )
    else:
        backend.sql(_V2_JOURNAL)
    blob = "BLOB" if backend.kind == "sqlite" else "bytea"
    backend.sql(_V2_SNAPSHOTS.format(blob=blob))
    for entry in ledger.journal:
        data = serialization.unstructure(entry)
        if amount_edit and entry.position == len(ledger) - 2:
            data["record"]["amount"] += 1
        body = json.dumps({"record": data["record"], "draws": data["draws"]}, sort_keys=True)
        backend.sql(
            "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *STREAM.key,
                entry.position,
                data["record"]["type"],
                body,
                entry.previous,
                entry.digest,
            ),
        )
    backend.sql(
        "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*STREAM.key, len(ledger), ledger.head, 1, b"\x80\x04N."),
    )
    backend.sql("INSERT INTO heads VALUES (?, ?, ?, ?, ?)", (*STREAM.key, len(ledger), ledger.head))
    backend.sql("UPDATE grassroots_schema SET version = 2")


def _mixed_ledger() -> PointsLedger:
    ledger = new_ledger()
    ledger.post_batch(earn(f"e{n}", "wang", 10, n) for n in range(4))
    ledger.post(redeem("r1", "wang", 25, 10))
    ledger.close_account("zhang", at=START.add(minutes=11))
    return ledger


class TestSchemaVersions:
    def test_newer_schema_is_refused(self, sql_backend: Backend) -> None:
        """A database written by a newer schema version is refused with SchemaTooNew."""
        sql_backend.open().close()
        sql_backend.sql("UPDATE grassroots_schema SET version = ?", (SCHEMA_VERSION + 1,))
        with pytest.raises(SchemaTooNew) as caught:
            sql_backend.open()
        assert (caught.value.value, caught.value.limit) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)

    def test_version_2_is_migrated_and_verifies(self, sql_backend: Backend) -> None:
        """A version 2 database (JSON rows, a pickled snapshot) is migrated when opened."""
        ledger = _mixed_ledger()
        _write_version_2(sql_backend, ledger)
        store = sql_backend.open()
        assert store.schema_version() == SCHEMA_VERSION  # type: ignore[attr-defined]
        assert store.verify(STREAM) == ledger.verify()
        assert store.load_ledger(STREAM) == ledger
        assert store.entries(STREAM) == list(ledger.journal)
        assert sql_backend.sql("SELECT count(*) FROM snapshots")[0][0] == 0
        if sql_backend.partitions:
            children = sql_backend.sql(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'journal'::regclass"
            )
            assert children[0][0] == sql_backend.partitions
        ledger.post(earn("e9", "li", 5, 20))
        store.append(STREAM, ledger.journal[len(ledger) - 1 :], expected_head=store.head(STREAM))
        store.save_snapshot(STREAM, ledger)
        assert sql_backend.open().load_ledger(STREAM) == ledger

    def test_version_2_edit_survives_migration(self, sql_backend: Backend) -> None:
        """An amount edited in a version 2 database is still found by verify after migrating."""
        ledger = _mixed_ledger()
        _write_version_2(sql_backend, ledger, amount_edit=True)
        with pytest.raises(JournalCorrupted) as caught:
            sql_backend.open().verify(STREAM)
        assert caught.value.value == len(ledger) - 2

    def test_version_2_row_that_does_not_read_is_refused(self, sql_backend: Backend) -> None:
        """A version 2 row that does not read back stops the migration; nothing changes."""
        _write_version_2(sql_backend, _mixed_ledger())
        sql_backend.sql("UPDATE journal SET body = 'not json' WHERE position = 3")
        with pytest.raises(CorruptRow) as caught:
            sql_backend.open()
        assert caught.value.position == 3
        assert sql_backend.sql("SELECT version FROM grassroots_schema")[0][0] == 2

    def test_older_schema_is_migrated(self, sql_backend: Backend) -> None:
        """A version 1 database (no snapshots) is migrated and keeps its journal."""
        ledger = _mixed_ledger()
        _write_version_2(sql_backend, ledger)
        sql_backend.sql("DROP TABLE snapshots")
        sql_backend.sql("UPDATE grassroots_schema SET version = 1")
        store = sql_backend.open()
        assert store.schema_version() == SCHEMA_VERSION  # type: ignore[attr-defined]
        assert store.load_ledger(STREAM) == ledger
        store.save_snapshot(STREAM, ledger)
        assert store.load_ledger(STREAM) == ledger


class TestDriverErrors:
    def test_not_a_database(self, tmp_path: Path) -> None:
        """A file that is not a database raises StorageError caused by the driver's error."""
        path = tmp_path / "junk.db"
        path.write_bytes(b"this is not a database file at all" * 100)
        with pytest.raises(StorageError) as caught:
            SqliteStore(path)
        assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A path in a folder that does not exist raises StorageError, not sqlite3's error."""
        with pytest.raises(StorageError) as caught:
            SqliteStore(tmp_path / "no" / "such" / "store.db")
        assert isinstance(caught.value.__cause__, sqlite3.Error)
