"""The embedded store: one SQLite file, WAL mode, one transaction per batch.

Use [`SqliteStore`][grassroots.storage.sqlite.SqliteStore] for one compound's
or one community's data on one machine: it needs only the standard library.
Several processes may open the same file; writers take turns (``BEGIN
IMMEDIATE``) and every append checks the head it expects inside its
transaction, so the loser of a race gets
[`ConcurrencyConflict`][grassroots.errors.ConcurrencyConflict].

Every transaction is synchronous (``PRAGMA synchronous=FULL``): once
[`append`][grassroots.storage.JournalStore.append] returns, the batch
survives the process being killed and the machine losing power.

Examples:
    >>> import tempfile, pathlib
    >>> from grassroots.storage import SCHEMA_VERSION, Stream
    >>> from grassroots.storage.sqlite import SqliteStore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with SqliteStore(pathlib.Path(folder) / "points.db") as store:
    ...         store.schema_version() == SCHEMA_VERSION
    True
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, Final

from grassroots.errors import ConcurrencyConflict, StorageError, StorageUnavailable
from grassroots.ledger import GENESIS
from grassroots.storage import SCHEMA_VERSION, Stream
from grassroots.storage._base import (
    BaseStore,
    RecordRow,
    SnapshotRow,
    conflict,
    migrate_journal,
    schema_check,
)
from grassroots.storage._rows import Row

__all__ = ["SqliteStore"]

# _MIGRATIONS[n] takes a database from schema version n to n + 1 (0: an empty file).
_MIGRATIONS: Final[dict[int, tuple[str, ...]]] = {
    0: (
        "CREATE TABLE grassroots_schema (version INTEGER NOT NULL)",
        "INSERT INTO grassroots_schema (version) VALUES (0)",
        (
            "CREATE TABLE journal (county TEXT NOT NULL, community TEXT NOT NULL,"
            " name TEXT NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL,"
            " body TEXT NOT NULL, previous TEXT NOT NULL, digest TEXT NOT NULL,"
            " PRIMARY KEY (county, community, name, position)) WITHOUT ROWID"
        ),
        (
            "CREATE TABLE heads (county TEXT NOT NULL, community TEXT NOT NULL,"
            " name TEXT NOT NULL, count INTEGER NOT NULL, head TEXT NOT NULL,"
            " PRIMARY KEY (county, community, name)) WITHOUT ROWID"
        ),
        (
            "CREATE TABLE records (county TEXT NOT NULL, community TEXT NOT NULL,"
            " name TEXT NOT NULL, key TEXT NOT NULL, revision INTEGER NOT NULL,"
            " type TEXT NOT NULL, schema_version INTEGER NOT NULL, body TEXT NOT NULL,"
            " PRIMARY KEY (county, community, name, key, revision)) WITHOUT ROWID"
        ),
    ),
    1: (
        (
            "CREATE TABLE snapshots (county TEXT NOT NULL, community TEXT NOT NULL,"
            " name TEXT NOT NULL, position INTEGER NOT NULL, head TEXT NOT NULL,"
            " format INTEGER NOT NULL, body BLOB NOT NULL,"
            " PRIMARY KEY (county, community, name, position)) WITHOUT ROWID"
        ),
    ),
    # Version 3: a journal row is the entry's canonical text (bytes), its zone and its
    # digest (32 bytes); snapshots come in parts, and the pickled ones are dropped.
    2: (
        "ALTER TABLE journal RENAME TO journal_v2",
        (
            "CREATE TABLE journal (county TEXT NOT NULL, community TEXT NOT NULL,"
            " name TEXT NOT NULL, position INTEGER NOT NULL, body BLOB NOT NULL,"
            " zone TEXT NOT NULL, digest BLOB NOT NULL,"
            " PRIMARY KEY (county, community, name, position)) WITHOUT ROWID"
        ),
        "DROP TABLE snapshots",
        # A rowid table: its key lives in an index of its own, so finding a snapshot
        # compares keys without reading the body (a WITHOUT ROWID table compares
        # whole records, and a snapshot's record is its body).
        (
            "CREATE TABLE snapshots (county TEXT NOT NULL, community TEXT NOT NULL,"
            " name TEXT NOT NULL, position INTEGER NOT NULL, part INTEGER NOT NULL,"
            " head TEXT NOT NULL, format INTEGER NOT NULL, body BLOB NOT NULL,"
            " PRIMARY KEY (county, community, name, position, part))"
        ),
    ),
}
# After the statements of a step, the rows it moves: step 2 re-encodes every journal entry.
_MOVE_JOURNAL: Final = 2
_PART: Final = 1 << 28  # a snapshot is stored in parts of at most 256 MiB

_INSERT: Final = (
    "INSERT INTO journal (county, community, name, position, body, zone, digest)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _translate(exc: sqlite3.Error, doing: str) -> StorageError:
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        return ConcurrencyConflict(
            f"{doing}: another writer stored the same rows first ({text})",
            value=text,
            rule="storage: an append names the head it expects",
        )
    if isinstance(exc, sqlite3.OperationalError) and any(
        word in text for word in ("locked", "busy", "unable to open", "disk I/O")
    ):
        return StorageUnavailable(
            f"{doing}: the database is not available ({text})", value=text, rule="storage"
        )
    return StorageError(f"{doing}: {type(exc).__name__}: {text}", value=text, rule="storage")


class SqliteStore(BaseStore):
    """A store in one SQLite file (WAL mode), created and migrated when opened.

    Args:
        path: The database file; created if missing.
        timeout: Seconds a writer waits for another writer's transaction to end.

    Raises:
        SchemaTooNew: the file was written by a newer schema version.
        StorageUnavailable: the file cannot be opened or stays locked.
        StorageError: the file is not a database.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        super().__init__()
        self.path = os.fspath(path)
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise _translate(exc, f"opening {self.path}") from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise _translate(exc, f"opening {self.path}") from exc
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        """Close the database file."""
        self._db.close()

    def schema_version(self) -> int:
        """Return the schema version of the open database."""
        row = self._fetch("reading the schema version", "SELECT version FROM grassroots_schema")
        return int(row[0][0])

    def _migrate(self) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            exists = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grassroots_schema'"
            ).fetchone()
            version = (
                int(db.execute("SELECT version FROM grassroots_schema").fetchone()[0])
                if exists
                else 0
            )
            schema_check(version, self.path)
            for step in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[step]:
                    db.execute(statement)
                if step == _MOVE_JOURNAL:
                    old = db.execute(
                        "SELECT county, community, name, position, kind, body, previous, digest"
                        " FROM journal_v2 ORDER BY county, community, name, position"
                    )
                    db.executemany(_INSERT, migrate_journal(old))
                    db.execute("DROP TABLE journal_v2")
            db.execute("UPDATE grassroots_schema SET version = ?", (SCHEMA_VERSION,))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _fetch(self, doing: str, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc, doing) from exc

    def _write(self, doing: str, work: Any) -> None:
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                work(db)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _translate(exc, doing) from exc

    def _stored_head(self, stream: Stream) -> tuple[int, str]:
        rows = self._fetch(
            f"reading the head of {stream}",
            "SELECT count, head FROM heads WHERE county = ? AND community = ? AND name = ?",
            stream.key,
        )
        return (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS)

    def _write_rows(self, stream: Stream, rows: Sequence[Row], expected: str, head: str) -> None:
        key = stream.key

        def work(db: sqlite3.Connection) -> None:
            found = db.execute(
                "SELECT count, head FROM heads WHERE county = ? AND community = ? AND name = ?",
                key,
            ).fetchone()
            count, current = (found[0], found[1]) if found else (0, GENESIS)
            if current != expected or rows[0][0] != count:
                raise conflict(stream, expected, current)
            db.executemany(_INSERT, (key + row for row in rows))
            db.execute(
                "INSERT INTO heads (county, community, name, count, head) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (county, community, name) DO UPDATE"
                " SET count = excluded.count, head = excluded.head",
                (*key, count + len(rows), head),
            )

        self._write(f"appending to {stream}", work)

    def _read_rows(self, stream: Stream, start: int) -> Iterator[tuple[Any, ...]]:
        rows = self._fetch(
            f"reading {stream}",
            "SELECT position, body, zone, digest FROM journal"
            " WHERE county = ? AND community = ? AND name = ? AND position >= ?"
            " ORDER BY position",
            (*stream.key, start),
        )
        return iter(rows)

    def _digest_at(self, stream: Stream, position: int) -> str | None:
        rows = self._fetch(
            f"reading {stream}",
            "SELECT digest FROM journal"
            " WHERE county = ? AND community = ? AND name = ? AND position = ?",
            (*stream.key, position),
        )
        found = rows[0][0] if rows else None
        return bytes(found).hex() if isinstance(found, bytes) else None

    def _write_record(self, stream: Stream, key: str, row: RecordRow) -> None:
        def work(db: sqlite3.Connection) -> None:
            found = db.execute(
                "SELECT max(revision) FROM records"
                " WHERE county = ? AND community = ? AND name = ? AND key = ?",
                (*stream.key, key),
            ).fetchone()
            latest = found[0] or 0
            if row[0] != latest + 1:
                raise conflict(stream, f"revision {row[0] - 1}", f"revision {latest}")
            db.execute(
                "INSERT INTO records (county, community, name, key, revision, type,"
                " schema_version, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*stream.key, key, *row),
            )

        self._write(f"saving record {key!r} of {stream}", work)

    def _read_records(self, stream: Stream, key: str) -> list[tuple[Any, ...]]:
        return self._fetch(
            f"reading record {key!r} of {stream}",
            "SELECT revision, type, schema_version, body FROM records"
            " WHERE county = ? AND community = ? AND name = ? AND key = ? ORDER BY revision",
            (*stream.key, key),
        )

    def _write_snapshot(self, stream: Stream, row: SnapshotRow) -> None:
        position, head, form, body = row

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM snapshots WHERE county = ? AND community = ? AND name = ?"
                " AND position = ?",
                (*stream.key, position),
            )
            db.executemany(
                "INSERT INTO snapshots (county, community, name, position, part, head,"
                " format, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (*stream.key, position, part, head, form, body[start : start + _PART])
                    for part, start in enumerate(range(0, max(len(body), 1), _PART))
                ],
            )

        self._write(f"saving a snapshot of {stream}", work)

    def _latest_snapshot(self, stream: Stream) -> tuple[Any, ...] | None:
        doing = f"reading the snapshot of {stream}"
        rows = self._fetch(
            doing,
            "SELECT position, head, format FROM snapshots"
            " WHERE county = ? AND community = ? AND name = ? ORDER BY position DESC LIMIT 1",
            stream.key,
        )
        if not rows:
            return None
        position, head, form = rows[0]
        parts = self._fetch(
            doing,
            "SELECT body FROM snapshots WHERE county = ? AND community = ? AND name = ?"
            " AND position = ? ORDER BY part",
            (*stream.key, position),
        )
        body = parts[0][0] if len(parts) == 1 else b"".join(part[0] for part in parts)
        return (position, head, form, body)
