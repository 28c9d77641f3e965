"""The server store: PostgreSQL through psycopg 3 (extra ``postgres``).

Use [`PostgresStore`][grassroots.storage.postgres.PostgresStore] when one file
is not enough: a city with many counties, many writers at once. It keeps the
same contract as the other stores. This is the only module that imports
psycopg; ``import grassroots`` never does.

Every row carries its stream's county, community and name, and every key
starts with the county, so the tables can be partitioned by county
(``partitions=``, PostgreSQL's declarative hash partitioning) or distributed
by county on a PostgreSQL-compatible distributed engine with no change to
the library's API.

If the connection drops (the server restarts, the backend is killed), the
call in flight raises [`StorageUnavailable`][grassroots.errors.StorageUnavailable]
and its transaction is lost whole; the next call connects again.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TypeVar

import psycopg
from psycopg import sql

from grassroots._validators import check_count, check_identifier
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

__all__ = ["PostgresStore"]

R = TypeVar("R")

_COLUMNS: Final[dict[str, str]] = {
    "journal": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " position bigint NOT NULL, body bytea NOT NULL, zone text NOT NULL,"
    " digest bytea NOT NULL, PRIMARY KEY (county, community, name, position)",
    "heads": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " count bigint NOT NULL, head text NOT NULL, PRIMARY KEY (county, community, name)",
    "records": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " key text NOT NULL, revision bigint NOT NULL, type text NOT NULL,"
    " schema_version integer NOT NULL, body text NOT NULL,"
    " PRIMARY KEY (county, community, name, key, revision)",
    "snapshots": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " position bigint NOT NULL, part integer NOT NULL, head text NOT NULL,"
    " format integer NOT NULL, body bytea NOT NULL,"
    " PRIMARY KEY (county, community, name, position, part)",
}
# The tables each migration creates: _MIGRATIONS[n] takes version n to n + 1. Versions
# 1 and 2 created the journal and snapshots of their own layout; version 3 (step 2)
# re-encodes the journal and drops the pickled snapshots (see _migrate_journal).
_MIGRATIONS: Final[dict[int, tuple[str, ...]]] = {
    0: ("heads", "records"),
    1: (),
    2: ("journal", "snapshots"),
}
_LOCK: Final = 0x67726173  # the advisory lock taken while creating or migrating tables
_PART: Final = 1 << 28  # a snapshot is stored in parts of at most 256 MiB (bytea holds 1 GiB)
_COPY_JOURNAL: Final = (
    "COPY journal (county, community, name, position, body, zone, digest)"
    " FROM STDIN (FORMAT BINARY)"
)
_COPY_HEADER: Final = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER: Final = struct.pack("!h", -1)
_POSITION: Final = struct.Struct("!iqi")  # the position's length and value, the body's length
_LENGTH: Final = struct.Struct("!i")
_DIGEST: Final = _LENGTH.pack(32)


def _field(value: str) -> bytes:
    data = value.encode()
    return _LENGTH.pack(len(data)) + data


def _copy_data(key: tuple[str, str, str], rows: Sequence[Row]) -> bytes:
    """Return ``rows`` of the stream ``key`` in PostgreSQL's binary COPY format."""
    prefix = struct.pack("!h", 7) + b"".join(_field(part) for part in key)
    zones: dict[str, bytes] = {}
    pack = _POSITION.pack
    parts = [_COPY_HEADER]
    append = parts.append
    for position, body, zone, digest in rows:
        field = zones.get(zone)
        if field is None:
            field = zones[zone] = _field(zone)
        append(prefix)
        append(pack(8, position, len(body)))
        append(body)
        append(field)
        append(_DIGEST)
        append(digest)
    append(_COPY_TRAILER)
    return b"".join(parts)


def _translate(exc: psycopg.Error, doing: str) -> StorageError:
    text = str(exc).strip()
    if isinstance(
        exc,
        psycopg.errors.UniqueViolation
        | psycopg.errors.SerializationFailure
        | psycopg.errors.DeadlockDetected,
    ):
        return ConcurrencyConflict(
            f"{doing}: another writer stored the same rows first ({text})",
            value=text,
            rule="storage: an append names the head it expects",
        )
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return StorageUnavailable(
            f"{doing}: the server is not available ({text}); nothing of this call was stored",
            value=text,
            rule="storage",
        )
    return StorageError(f"{doing}: {type(exc).__name__}: {text}", value=text, rule="storage")


class PostgresStore(BaseStore):
    """A store in a PostgreSQL schema, created and migrated when first connected.

    Args:
        dsn: A libpq connection string, such as ``"postgresql://app@db/grassroots"``.
        schema: The PostgreSQL schema (namespace) holding the tables; created if missing.
        partitions: Hash partitions by county for every table, or 0 for plain tables.
            Only used when the tables are created.
        connect_timeout: Seconds to wait for the server when connecting.

    Raises:
        StorageUnavailable: the server cannot be reached.
        SchemaTooNew: the schema was written by a newer schema version.
    """

    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "grassroots",
        partitions: int = 0,
        connect_timeout: int = 10,
    ) -> None:
        super().__init__()
        if not isinstance(dsn, str):
            raise TypeError(f"dsn must be a str, not {type(dsn).__name__}")
        self.dsn = dsn
        self.schema = check_identifier(schema, "schema")
        self.partitions = check_count(partitions, "partitions")
        self._timeout = connect_timeout
        self._db: psycopg.Connection[Any] | None = None
        try:
            self._run("creating the tables", self._migrate)
        except BaseException:
            self.close_quietly()
            raise

    @classmethod
    def connect(
        cls,
        dsn: str,
        *,
        schema: str = "grassroots",
        partitions: int = 0,
        connect_timeout: int = 10,
    ) -> PostgresStore:
        """Connect to the server at ``dsn`` and return the store (see the class)."""
        return cls(dsn, schema=schema, partitions=partitions, connect_timeout=connect_timeout)

    def close(self) -> None:
        """Close the connection; the next call opens a new one."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def schema_version(self) -> int:
        """Return the schema version of the tables."""

        def read(db: psycopg.Connection[Any]) -> int:
            row = db.execute("SELECT version FROM grassroots_schema").fetchone()
            return int(row[0]) if row else 0

        return self._run("reading the schema version", read)

    # --- the connection ------------------------------------------------------------------

    def _connection(self) -> psycopg.Connection[Any]:
        db = self._db
        if db is None or db.closed or db.broken:
            if db is not None:
                db.close()
            self._db = None
            db = psycopg.connect(self.dsn, autocommit=True, connect_timeout=self._timeout)
            db.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
            )
            db.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
            self._db = db
        return db

    def _run(self, doing: str, work: Callable[[psycopg.Connection[Any]], R]) -> R:
        try:
            return work(self._connection())
        except psycopg.Error as exc:
            error = _translate(exc, doing)
            if isinstance(error, StorageUnavailable):
                self.close_quietly()
            raise error from exc

    def close_quietly(self) -> None:
        """Drop the connection without raising; the next call reconnects."""
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(psycopg.Error):  # the connection is already gone
                db.close()

    def _migrate(self, db: psycopg.Connection[Any]) -> None:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS grassroots_schema (version integer NOT NULL)")
            row = db.execute("SELECT version FROM grassroots_schema").fetchone()
            if row is None:
                db.execute("INSERT INTO grassroots_schema (version) VALUES (0)")
            version = int(row[0]) if row else 0
            schema_check(version, f"schema {self.schema}")
            for step in range(version, SCHEMA_VERSION):
                if step == 2 and version > 0:
                    self._move_aside(db)
                for table in _MIGRATIONS[step]:
                    self._create(db, table)
                if step == 2 and version > 0:
                    self._migrate_journal(db)
            db.execute("UPDATE grassroots_schema SET version = %s", (SCHEMA_VERSION,))

    def _move_aside(self, db: psycopg.Connection[Any]) -> None:
        """Rename the version 2 journal (and its partitions) out of the way; drop snapshots."""
        for (child,) in db.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'journal'::regclass"
        ).fetchall():
            db.execute(
                sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                    sql.Identifier(child), sql.Identifier(f"v2_{child}")
                )
            )
        db.execute("ALTER TABLE journal RENAME TO journal_v2")
        db.execute("ALTER TABLE journal_v2 RENAME CONSTRAINT journal_pkey TO journal_v2_pkey")
        db.execute("DROP TABLE IF EXISTS snapshots CASCADE")

    def _migrate_journal(self, db: psycopg.Connection[Any]) -> None:
        """Re-encode every version 2 journal row as a version 3 row, then drop the old table."""
        with db.cursor(name="grassroots_migrate") as old:
            old.itersize = 10_000
            old.execute(
                "SELECT county, community, name, position, kind, body, previous, digest"
                " FROM journal_v2 ORDER BY county, community, name, position"
            )
            batch: list[tuple[Any, ...]] = []
            with db.cursor() as cursor:
                for row in migrate_journal(old):
                    batch.append(row)
                    if len(batch) >= 10_000:
                        self._copy_rows(cursor, batch)
                        batch = []
                if batch:
                    self._copy_rows(cursor, batch)
        db.execute("DROP TABLE journal_v2 CASCADE")

    @staticmethod
    def _copy_rows(cursor: psycopg.Cursor[Any], rows: list[tuple[Any, ...]]) -> None:
        with cursor.copy(
            "COPY journal (county, community, name, position, body, zone, digest) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)

    def _create(self, db: psycopg.Connection[Any], table: str) -> None:
        name = sql.Identifier(table)
        columns = sql.SQL(_COLUMNS[table])
        if not self.partitions:
            db.execute(sql.SQL("CREATE TABLE {} ({})").format(name, columns))
            return
        db.execute(sql.SQL("CREATE TABLE {} ({}) PARTITION BY HASH (county)").format(name, columns))
        for remainder in range(self.partitions):
            db.execute(
                sql.SQL(
                    "CREATE TABLE {} PARTITION OF {} FOR VALUES WITH (MODULUS {}, REMAINDER {})"
                ).format(
                    sql.Identifier(f"{table}_{remainder}"),
                    name,
                    sql.Literal(self.partitions),
                    sql.Literal(remainder),
                )
            )

    # --- the primitives --------------------------------------------------------------------

    def _stored_head(self, stream: Stream) -> tuple[int, str]:
        def read(db: psycopg.Connection[Any]) -> tuple[int, str]:
            row = db.execute(
                "SELECT count, head FROM heads WHERE county = %s AND community = %s AND name = %s",
                stream.key,
            ).fetchone()
            return (int(row[0]), str(row[1])) if row else (0, GENESIS)

        return self._run(f"reading the head of {stream}", read)

    def _write_rows(self, stream: Stream, rows: Sequence[Row], expected: str, head: str) -> None:
        key = stream.key
        first = rows[0][0]
        data = _copy_data(key, rows)

        def write(db: psycopg.Connection[Any]) -> None:
            with db.transaction(), db.cursor() as cursor:
                # Move the head first: the row lock it takes makes writers of one stream
                # take turns, and a writer that lost the race changes no row.
                if first == 0 and expected == GENESIS:
                    cursor.execute(
                        "INSERT INTO heads (county, community, name, count, head)"
                        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (county, community, name)"
                        " DO UPDATE SET count = excluded.count, head = excluded.head"
                        " WHERE heads.count = 0",
                        (*key, len(rows), head),
                    )
                else:
                    cursor.execute(
                        "UPDATE heads SET count = %s, head = %s WHERE county = %s"
                        " AND community = %s AND name = %s AND count = %s AND head = %s",
                        (first + len(rows), head, *key, first, expected),
                    )
                if cursor.rowcount != 1:
                    found = cursor.execute(
                        "SELECT head FROM heads WHERE county = %s AND community = %s AND name = %s",
                        key,
                    ).fetchone()
                    raise conflict(stream, expected, str(found[0]) if found else GENESIS)
                with cursor.copy(_COPY_JOURNAL) as copy:
                    copy.write(data)

        self._run(f"appending to {stream}", write)

    def _read_rows(self, stream: Stream, start: int) -> Iterator[tuple[Any, ...]]:
        def read(db: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
            return db.execute(
                "SELECT position, body, zone, digest FROM journal"
                " WHERE county = %s AND community = %s AND name = %s AND position >= %s"
                " ORDER BY position",
                (*stream.key, start),
            ).fetchall()

        return iter(self._run(f"reading {stream}", read))

    def _digest_at(self, stream: Stream, position: int) -> str | None:
        def read(db: psycopg.Connection[Any]) -> str | None:
            row = db.execute(
                "SELECT digest FROM journal WHERE county = %s AND community = %s"
                " AND name = %s AND position = %s",
                (*stream.key, position),
            ).fetchone()
            return bytes(row[0]).hex() if row and isinstance(row[0], bytes) else None

        return self._run(f"reading {stream}", read)

    def _write_record(self, stream: Stream, key: str, row: RecordRow) -> None:
        def write(db: psycopg.Connection[Any]) -> None:
            with db.transaction():
                found = db.execute(
                    "SELECT coalesce(max(revision), 0) FROM records WHERE county = %s"
                    " AND community = %s AND name = %s AND key = %s",
                    (*stream.key, key),
                ).fetchone()
                latest = int(found[0]) if found else 0
                if row[0] != latest + 1:
                    raise conflict(stream, f"revision {row[0] - 1}", f"revision {latest}")
                db.execute(
                    "INSERT INTO records (county, community, name, key, revision, type,"
                    " schema_version, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    (*stream.key, key, *row),
                )

        self._run(f"saving record {key!r} of {stream}", write)

    def _read_records(self, stream: Stream, key: str) -> list[tuple[Any, ...]]:
        def read(db: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
            return db.execute(
                "SELECT revision, type, schema_version, body FROM records WHERE county = %s"
                " AND community = %s AND name = %s AND key = %s ORDER BY revision",
                (*stream.key, key),
            ).fetchall()

        return self._run(f"reading record {key!r} of {stream}", read)

    def _write_snapshot(self, stream: Stream, row: SnapshotRow) -> None:
        position, head, form, body = row

        def write(db: psycopg.Connection[Any]) -> None:
            with db.transaction(), db.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM snapshots WHERE county = %s AND community = %s AND name = %s"
                    " AND position = %s",
                    (*stream.key, position),
                )
                cursor.executemany(
                    "INSERT INTO snapshots (county, community, name, position, part, head,"
                    " format, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        (*stream.key, position, part, head, form, body[start : start + _PART])
                        for part, start in enumerate(range(0, max(len(body), 1), _PART))
                    ],
                )

        self._run(f"saving a snapshot of {stream}", write)

    def _latest_snapshot(self, stream: Stream) -> tuple[Any, ...] | None:
        def read(db: psycopg.Connection[Any]) -> tuple[Any, ...] | None:
            row = db.execute(
                "SELECT position, head, format FROM snapshots WHERE county = %s"
                " AND community = %s AND name = %s ORDER BY position DESC LIMIT 1",
                stream.key,
            ).fetchone()
            if row is None:
                return None
            parts = db.execute(
                "SELECT body FROM snapshots WHERE county = %s AND community = %s"
                " AND name = %s AND position = %s ORDER BY part",
                (*stream.key, row[0]),
            ).fetchall()
            body = parts[0][0] if len(parts) == 1 else b"".join(part[0] for part in parts)
            return (*row, body)

        return self._run(f"reading the snapshot of {stream}", read)
