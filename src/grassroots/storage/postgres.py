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
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TypeVar

import psycopg
from psycopg import sql

from grassroots._validators import check_count, check_identifier
from grassroots.errors import ConcurrencyConflict, StorageError, StorageUnavailable
from grassroots.ledger import GENESIS
from grassroots.storage import SCHEMA_VERSION, Stream
from grassroots.storage._base import BaseStore, RecordRow, SnapshotRow, conflict, schema_check
from grassroots.storage._rows import Row

__all__ = ["PostgresStore"]

R = TypeVar("R")

_COLUMNS: Final[dict[str, str]] = {
    "journal": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " position bigint NOT NULL, kind text NOT NULL, body text NOT NULL,"
    " previous text NOT NULL, digest text NOT NULL,"
    " PRIMARY KEY (county, community, name, position)",
    "heads": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " count bigint NOT NULL, head text NOT NULL, PRIMARY KEY (county, community, name)",
    "records": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " key text NOT NULL, revision bigint NOT NULL, type text NOT NULL,"
    " schema_version integer NOT NULL, body text NOT NULL,"
    " PRIMARY KEY (county, community, name, key, revision)",
    "snapshots": "county text NOT NULL, community text NOT NULL, name text NOT NULL,"
    " position bigint NOT NULL, head text NOT NULL, format integer NOT NULL,"
    " body bytea NOT NULL, PRIMARY KEY (county, community, name, position)",
}
# The tables each migration creates: _MIGRATIONS[n] takes version n to n + 1.
_MIGRATIONS: Final[dict[int, tuple[str, ...]]] = {
    0: ("journal", "heads", "records"),
    1: ("snapshots",),
}
_LOCK: Final = 0x67726173  # the advisory lock taken while creating or migrating tables


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
                for table in _MIGRATIONS[step]:
                    self._create(db, table)
            db.execute("UPDATE grassroots_schema SET version = %s", (SCHEMA_VERSION,))

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

        def write(db: psycopg.Connection[Any]) -> None:
            with db.transaction(), db.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO heads (county, community, name, count, head)"
                    " VALUES (%s, %s, %s, 0, %s) ON CONFLICT DO NOTHING",
                    (*key, GENESIS),
                )
                cursor.execute(
                    "SELECT count, head FROM heads WHERE county = %s AND community = %s"
                    " AND name = %s FOR UPDATE",
                    key,
                )
                found = cursor.fetchone()
                count, current = (int(found[0]), str(found[1])) if found else (0, GENESIS)
                if current != expected or rows[0][0] != count:
                    raise conflict(stream, expected, current)
                with cursor.copy(
                    "COPY journal (county, community, name, position, kind, body, previous,"
                    " digest) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(key + row)
                cursor.execute(
                    "UPDATE heads SET count = %s, head = %s"
                    " WHERE county = %s AND community = %s AND name = %s",
                    (count + len(rows), head, *key),
                )

        self._run(f"appending to {stream}", write)

    def _read_rows(self, stream: Stream, start: int) -> Iterator[tuple[Any, ...]]:
        def read(db: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
            return db.execute(
                "SELECT position, kind, body, previous, digest FROM journal"
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
            return str(row[0]) if row else None

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
        def write(db: psycopg.Connection[Any]) -> None:
            db.execute(
                "INSERT INTO snapshots (county, community, name, position, head, format, body)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (county, community, name, position) DO UPDATE"
                " SET head = excluded.head, format = excluded.format, body = excluded.body",
                (*stream.key, *row),
            )

        self._run(f"saving a snapshot of {stream}", write)

    def _latest_snapshot(self, stream: Stream) -> tuple[Any, ...] | None:
        def read(db: psycopg.Connection[Any]) -> tuple[Any, ...] | None:
            row = db.execute(
                "SELECT position, head, format, body FROM snapshots WHERE county = %s"
                " AND community = %s AND name = %s ORDER BY position DESC LIMIT 1",
                stream.key,
            ).fetchone()
            return tuple(row) if row else None

        return self._run(f"reading the snapshot of {stream}", read)
