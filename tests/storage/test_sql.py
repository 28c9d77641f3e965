"""What only a database can do to a store: edits behind its back, old and new schemas."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from _storage_helpers import STREAM, Backend, earn, new_ledger

from grassroots.errors import CorruptRow, JournalCorrupted, SchemaTooNew, StorageError
from grassroots.ledger import GENESIS
from grassroots.storage import SCHEMA_VERSION
from grassroots.storage.sqlite import SqliteStore

KEY = "county = ? AND community = ? AND name = ?"


def _stored(backend: Backend) -> int:
    ledger = new_ledger()
    ledger.post_batch(earn(f"e{n}", "wang", 10, n) for n in range(4))
    backend.open().append(STREAM, ledger.journal, expected_head=GENESIS)
    return len(ledger)


class TestTampering:
    def test_edited_amount_is_found_by_verify(self, sql_backend: Backend) -> None:
        """An amount edited in SQL is found by verify(), which names the entry."""
        count = _stored(sql_backend)
        target = count - 2
        (body,) = sql_backend.sql(
            f"SELECT body FROM journal WHERE {KEY} AND position = ?", (*STREAM.key, target)
        )[0]
        data = json.loads(body)
        data["record"]["amount"] = 1000
        sql_backend.sql(
            f"UPDATE journal SET body = ? WHERE {KEY} AND position = ?",
            (json.dumps(data), *STREAM.key, target),
        )
        store = sql_backend.open()
        with pytest.raises(JournalCorrupted) as caught:
            store.verify(STREAM)
        assert caught.value.value == target
        assert f"entry {target}" in str(caught.value)
        with pytest.raises(JournalCorrupted) as replayed:
            store.load_ledger(STREAM)
        assert replayed.value.value == target

    def test_deleted_last_entry_is_found(self, sql_backend: Backend) -> None:
        """Deleting the last entry leaves a chain that does not end at the stored head."""
        count = _stored(sql_backend)
        sql_backend.sql(
            f"DELETE FROM journal WHERE {KEY} AND position = ?", (*STREAM.key, count - 1)
        )
        with pytest.raises(JournalCorrupted):
            sql_backend.open().verify(STREAM)


class TestBadRows:
    @pytest.mark.parametrize(
        "body",
        ["not json", "[]", '{"record": {"type": "transfer"}}', '{"record": 5, "draws": []}'],
    )
    def test_row_that_does_not_structure(self, sql_backend: Backend, body: str) -> None:
        """A row that does not read back raises CorruptRow naming the stream and position."""
        _stored(sql_backend)
        sql_backend.sql(
            f"UPDATE journal SET body = ? WHERE {KEY} AND position = 3", (body, *STREAM.key)
        )
        with pytest.raises(CorruptRow) as caught:
            sql_backend.open().load_ledger(STREAM)
        assert (caught.value.stream, caught.value.position) == (str(STREAM), 3)
        assert isinstance(caught.value, StorageError)
        assert caught.value.__cause__ is not None

    def test_kind_that_disagrees_with_the_body(self, sql_backend: Backend) -> None:
        """A row whose kind column is not its record's type is a CorruptRow."""
        _stored(sql_backend)
        sql_backend.sql(
            f"UPDATE journal SET kind = 'scheme' WHERE {KEY} AND position = 5", STREAM.key
        )
        with pytest.raises(CorruptRow) as caught:
            sql_backend.open().entries(STREAM)
        assert caught.value.position == 5

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

    def test_snapshot_that_names_other_code(self, sql_backend: Backend) -> None:
        """A snapshot edited to name anything but the ledger's classes is never run."""
        _stored(sql_backend)
        store = sql_backend.open()
        store.save_snapshot(STREAM, store.load_ledger(STREAM))
        evil = b"cos\nsystem\n(S'echo owned'\ntR."
        sql_backend.sql("UPDATE snapshots SET body = ?", (evil,))
        with pytest.raises(CorruptRow, match=r"may not name os\.system"):
            store.load_ledger(STREAM)

    @pytest.mark.parametrize(
        "body",
        [
            b"\x80\x04cgrassroots.storage._base\nio.open\n.",  # a dotted escape to io
            b"\x80\x04cgrassroots.storage._base\ncheck_count\n.",  # a function, not a class
            b"\x80\x04cbuiltins\ngetattr\ncgrassroots.ledger\nPointsLedger\nX\x08\x00\x00\x00__init__\x86R.",
        ],
    )
    def test_snapshot_that_reaches_past_the_classes(
        self, sql_backend: Backend, body: bytes
    ) -> None:
        """A snapshot reaching a module, a function or an attribute through getattr is refused."""
        _stored(sql_backend)
        store = sql_backend.open()
        store.save_snapshot(STREAM, store.load_ledger(STREAM))
        sql_backend.sql("UPDATE snapshots SET body = ?", (body,))
        with pytest.raises(CorruptRow, match="may not"):
            store.load_ledger(STREAM)

    def test_snapshot_of_moved_classes_is_ignored(self, sql_backend: Backend) -> None:
        """A snapshot naming a class this version no longer has is skipped for a replay."""
        count = _stored(sql_backend)
        store = sql_backend.open()
        store.save_snapshot(STREAM, store.load_ledger(STREAM))
        moved = b"\x80\x04cgrassroots.ledger\nNoSuchLedger\n)\x81."
        sql_backend.sql("UPDATE snapshots SET body = ?", (moved,))
        assert len(store.load_ledger(STREAM)) == count


class TestSchemaVersions:
    def test_newer_schema_is_refused(self, sql_backend: Backend) -> None:
        """A database written by a newer schema version is refused with SchemaTooNew."""
        sql_backend.open().close()
        sql_backend.sql("UPDATE grassroots_schema SET version = ?", (SCHEMA_VERSION + 1,))
        with pytest.raises(SchemaTooNew) as caught:
            sql_backend.open()
        assert (caught.value.value, caught.value.limit) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)

    def test_older_schema_is_migrated(self, sql_backend: Backend) -> None:
        """A version 1 database (no snapshots) is migrated and keeps its journal."""
        count = _stored(sql_backend)
        sql_backend.sql("DROP TABLE snapshots")
        sql_backend.sql("UPDATE grassroots_schema SET version = 1")
        store = sql_backend.open()
        assert store.schema_version() == SCHEMA_VERSION  # type: ignore[attr-defined]
        ledger = store.load_ledger(STREAM)
        assert len(ledger) == count
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
