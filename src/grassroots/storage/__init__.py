"""Storage: the same journals and records in memory, in SQLite and in PostgreSQL.

Use this package to keep a [`PointsLedger`][grassroots.ledger.PointsLedger]'s
journal and the histories of the other aggregates between runs. The domain
core stays pure: it never imports this package, and this package builds only
on the core's public API.

Pick a store by constructing it; every store keeps the same contract:

- [`MemoryStore`][grassroots.storage.memory.MemoryStore]: in the process, for tests.
- [`SqliteStore`][grassroots.storage.sqlite.SqliteStore]: one file, the
  embedded default (standard library ``sqlite3``, WAL mode).
- [`PostgresStore`][grassroots.storage.postgres.PostgresStore]: a server, for
  many writers and many counties (extra ``postgres``).

Everything stored belongs to a [`Stream`][grassroots.storage.Stream]: a
county, a community and a name (a points scheme's ledger, a fund, a
venture). Rows carry all three, so tables partition and shard by county.

Safety, in short:

- An append names the head it expects; a writer that lost the race gets
  [`ConcurrencyConflict`][grassroots.errors.ConcurrencyConflict], stores
  nothing, and can reload and retry.
- A batch of entries is stored in one transaction: all of it or none.
- Every driver exception becomes a [`StorageError`][grassroots.errors.StorageError]
  subclass with the driver's error as its ``__cause__``.

Examples:
    >>> import pendulum
    >>> from grassroots.ledger import Account, AccountKind, PointsLedger, Scheme
    >>> from grassroots.ledger import Transfer, TransferKind
    >>> from grassroots.storage import Stream
    >>> from grassroots.storage.memory import MemoryStore
    >>> store = MemoryStore()
    >>> stream = Stream(county="郯城县", community="郯城街道", name="virtue")
    >>> ledger = PointsLedger()
    >>> _ = ledger.add_scheme(Scheme(code="virtue", name="美德积分"))
    >>> _ = ledger.open_account(Account(id="issuer", scheme="virtue", kind="issuer"))
    >>> _ = ledger.open_account(Account(id="wang", scheme="virtue", kind="wallet"))
    >>> at = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
    >>> _ = ledger.post(
    ...     Transfer(id="earn-1", debit="issuer", credit="wang", amount=20, kind="earn", at=at)
    ... )
    >>> head = store.append(stream, ledger.journal, expected_head=store.head(stream))
    >>> store.load_ledger(stream).balance("wang")
    20
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Protocol, TypeVar, runtime_checkable

import attrs

from grassroots._validators import identifier
from grassroots.ledger import JournalEntry, PointsLedger

__all__ = [
    "SCHEMA_VERSION",
    "JournalStore",
    "RecordStore",
    "SnapshotStore",
    "Store",
    "Stream",
    "Upgrade",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 3
"""The version of the table layout this library writes.

Version 1 kept journals, heads and records; version 2 adds snapshots; version 3
stores each journal entry as the ledger's canonical text with its zone and its
digest's bytes, and snapshots in the ledger's own layout rather than pickled. A
store migrates an older database when it opens it, and refuses a newer one with
[`SchemaTooNew`][grassroots.errors.SchemaTooNew].
"""

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns the JSON of a record of schema version ``n`` into that of version ``n + 1``."""


@attrs.frozen(kw_only=True)
class Stream:
    """What stored rows belong to: a county, a community and a name.

    A points scheme's ledger of one community is a stream; so is a fund or a
    venture's history. Every row carries the three fields, so a database can
    be partitioned or sharded by county without any change to the API.

    Args:
        county: The county (县) or district, such as ``"郯城县"``.
        community: The community (社区) or street.
        name: The stream's name within the community, such as a scheme's code.

    Examples:
        >>> str(Stream(county="广汉市", community="龙居社区", name="points"))
        '广汉市/龙居社区/points'
    """

    county: str = attrs.field(validator=identifier)
    community: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=identifier)

    @property
    def key(self) -> tuple[str, str, str]:
        """The stream as the tuple stored in every row: (county, community, name)."""
        return (self.county, self.community, self.name)

    def __str__(self) -> str:
        return f"{self.county}/{self.community}/{self.name}"


@runtime_checkable
class JournalStore(Protocol):
    """Appends journal entries to a stream and loads the ledger back."""

    def head(self, stream: Stream) -> str:
        """Return the digest of the stream's last stored entry (GENESIS if none)."""
        ...

    def append(self, stream: Stream, entries: Iterable[JournalEntry], *, expected_head: str) -> str:
        """Store ``entries`` after the stream's head, all or nothing; return the new head."""
        ...

    def entries(self, stream: Stream, *, start: int = 0) -> list[JournalEntry]:
        """Return the stream's stored entries from position ``start``."""
        ...

    def load_ledger(self, stream: Stream, *, snapshot: bool = True) -> PointsLedger:
        """Rebuild the stream's ledger, checking every entry."""
        ...

    def verify(self, stream: Stream) -> str:
        """Check the stored hash chain and return its head."""
        ...


@runtime_checkable
class RecordStore(Protocol):
    """Saves and loads typed, versioned records by stream and id."""

    def save(
        self,
        stream: Stream,
        key: str,
        value: object,
        *,
        expected_revision: int,
        schema_version: int = 1,
    ) -> int:
        """Store a new revision of record ``key``; return its revision number."""
        ...

    def load(
        self,
        stream: Stream,
        key: str,
        cls: type[T],
        *,
        schema_version: int = 1,
        upgrades: Mapping[int, Upgrade] | None = None,
    ) -> T:
        """Return the latest revision of record ``key`` as a ``cls``."""
        ...

    def history(
        self,
        stream: Stream,
        key: str,
        cls: type[T],
        *,
        schema_version: int = 1,
        upgrades: Mapping[int, Upgrade] | None = None,
    ) -> Sequence[T]:
        """Return every revision of record ``key``, oldest first."""
        ...

    def revision(self, stream: Stream, key: str) -> int:
        """Return the latest revision number of record ``key`` (0 if none)."""
        ...


@runtime_checkable
class SnapshotStore(Protocol):
    """Keeps snapshots of a ledger so that opening it need not replay every entry."""

    def save_snapshot(self, stream: Stream, ledger: PointsLedger) -> int:
        """Store a snapshot of ``ledger``, which must match the stored chain; return its size."""
        ...


@runtime_checkable
class Store(JournalStore, RecordStore, SnapshotStore, Protocol):
    """Everything a store does: journals, records and snapshots."""

    def close(self) -> None:
        """Release the store's connection or file."""
        ...
