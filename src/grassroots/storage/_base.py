"""What every store does the same way, over a few primitives each backend provides (private).

A backend implements reading and writing rows; everything about journal
entries, chains, snapshots and records is decided here once, so the three
stores cannot drift apart.
"""

from __future__ import annotations

import abc
import datetime as dt
import io
import itertools
import json
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeVar

from grassroots import serialization
from grassroots._validators import check_count
from grassroots.errors import (
    ConcurrencyConflict,
    CorruptRow,
    GrassrootsError,
    JournalCorrupted,
    SchemaTooNew,
    UnknownRecord,
)
from grassroots.ledger import (
    GENESIS,
    Account,
    AccountClosure,
    ExchangeRate,
    JournalEntry,
    PointsLedger,
    Scheme,
    Transfer,
    verify_journal,
)
from grassroots.storage import Stream, Upgrade
from grassroots.storage._rows import Row, entry_to_row, row_to_entry

T = TypeVar("T")

SNAPSHOT_FORMAT: Final = 1
"""The version of the snapshot encoding; a snapshot of another format is ignored."""

RecordRow = tuple[int, str, int, str]
"""A stored record: (revision, type name, schema version, JSON body)."""

SnapshotRow = tuple[int, str, int, bytes]
"""A stored snapshot: (position, head, format, body)."""

# Only these may be named by a snapshot: the ledger's own classes and the plain values
# they hold. Anything else in a snapshot (a database edited to run code) is refused.
_SAFE_MODULES: Final = ("grassroots.", "pendulum.", "datetime", "zoneinfo", "fractions", "decimal")
_SAFE_BUILTINS: Final = frozenset(
    {"set", "frozenset", "bytearray", "bytes", "dict", "list", "tuple", "int", "str", "object"}
)
_SAFE_COPYREG: Final = frozenset({"_reconstructor", "__newobj__", "__newobj_ex__"})


def _zone_unpickler(cls: object, name: str) -> Any:
    """Stand in for ``getattr``: a time zone pickles as ``getattr(cls, "_unpickle")``."""
    if not (isinstance(cls, type) and issubclass(cls, dt.tzinfo) and name == "_unpickle"):
        raise pickle.UnpicklingError(f"a snapshot may not take {name!r} of {cls!r}")
    return getattr(cls, name)


class _SnapshotUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name == "getattr":
            return _zone_unpickler
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        if module == "copyreg" and name in _SAFE_COPYREG:
            return super().find_class(module, name)
        if "." not in name and (module in _SAFE_MODULES or module.startswith(_SAFE_MODULES)):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"a snapshot may not name {module}.{name}")


def type_name(cls: type) -> str:
    """Return the name a record's type is stored under: its class name."""
    return cls.__qualname__


def extend(ledger: PointsLedger, entries: Iterable[JournalEntry]) -> None:
    """Apply stored ``entries`` to ``ledger`` through its public commands, checking each.

    Raises:
        JournalCorrupted: an entry is out of place, cannot be applied, or the
            ledger does not record it exactly as stored (record, draws, digest).
    """
    for entry in entries:
        position = len(ledger)
        if entry.position != position or entry.previous != ledger.head:
            raise JournalCorrupted(
                f"stored journal entry {entry.position} does not follow entry {position - 1}",
                value=entry.position,
                rule="journal: hash chain",
            )
        record = entry.record
        try:
            if isinstance(record, Transfer):
                ledger.post(record)
            elif isinstance(record, Scheme):
                ledger.add_scheme(record)
            elif isinstance(record, Account):
                ledger.open_account(record)
            elif isinstance(record, AccountClosure):
                ledger.close_account(record.account, at=record.at, memo=record.memo)
            elif isinstance(record, ExchangeRate):
                ledger.record_rate(record)
        except GrassrootsError as exc:
            raise JournalCorrupted(
                f"stored journal entry {position} cannot be applied: {exc}",
                value=position,
                rule="journal: every entry is valid when replayed",
            ) from exc
        if len(ledger) != position + 1 or ledger.journal[position] != entry:
            raise JournalCorrupted(
                f"stored journal entry {position} is not what the ledger records for it",
                value=position,
                rule="journal: hash chain",
            )


class BaseStore(abc.ABC):
    """The contract of every store, built on the row primitives of a backend."""

    # --- primitives ------------------------------------------------------------------------

    @abc.abstractmethod
    def _stored_head(self, stream: Stream) -> tuple[int, str]:
        """Return (entry count, head digest) of the stream."""

    @abc.abstractmethod
    def _write_rows(self, stream: Stream, rows: Sequence[Row], expected: str, head: str) -> None:
        """Store ``rows`` in one transaction if the stream's head is still ``expected``."""

    @abc.abstractmethod
    def _read_rows(self, stream: Stream, start: int) -> Iterator[tuple[Any, ...]]:
        """Yield the stream's rows from position ``start``, in order."""

    @abc.abstractmethod
    def _digest_at(self, stream: Stream, position: int) -> str | None:
        """Return the stored digest of the entry at ``position``, or None."""

    @abc.abstractmethod
    def _write_record(self, stream: Stream, key: str, row: RecordRow) -> None:
        """Store a record row if ``row``'s revision is the next one for ``key``."""

    @abc.abstractmethod
    def _read_records(self, stream: Stream, key: str) -> list[tuple[Any, ...]]:
        """Return every stored row of record ``key``, oldest revision first."""

    @abc.abstractmethod
    def _write_snapshot(self, stream: Stream, row: SnapshotRow) -> None:
        """Store a snapshot row, replacing one at the same position."""

    @abc.abstractmethod
    def _latest_snapshot(self, stream: Stream) -> tuple[Any, ...] | None:
        """Return the snapshot row of the highest position, or None."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store's connection or file."""

    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- journals --------------------------------------------------------------------------

    def head(self, stream: Stream) -> str:
        """Return the digest of the stream's last stored entry; GENESIS if it has none.

        Raises:
            StorageUnavailable: the store cannot be reached.
        """
        return self._stored_head(_stream(stream))[1]

    def append(self, stream: Stream, entries: Iterable[JournalEntry], *, expected_head: str) -> str:
        """Store ``entries`` after the stream's head in one transaction; return the new head.

        The entries must continue the stored chain: the first one's ``previous``
        is ``expected_head`` and its position the stored count.

        Raises:
            ConcurrencyConflict: the stream's head is not ``expected_head`` (another
                writer appended first); nothing was stored.
            JournalCorrupted: the entries do not chain onto ``expected_head``.
            StorageUnavailable: the store cannot be reached; nothing was acknowledged.
        """
        stream = _stream(stream)
        batch = list(entries)
        for index, entry in enumerate(batch):
            if not isinstance(entry, JournalEntry):
                raise TypeError(f"append item {index} is a {type(entry).__name__}, not an entry")
        if not batch:
            current = self.head(stream)
            if current != expected_head:
                raise _conflict(stream, expected_head, current)
            return current
        previous = expected_head
        for entry in batch:
            if entry.previous != previous:
                raise JournalCorrupted(
                    f"entry {entry.position} does not chain onto {previous[:12]}…",
                    value=entry.position,
                    rule="journal: hash chain",
                )
            previous = entry.digest
        for entry, following in itertools.pairwise(batch):
            if following.position != entry.position + 1:
                raise JournalCorrupted(
                    f"entry {following.position} does not follow entry {entry.position}",
                    value=following.position,
                    rule="journal: entries are numbered from 0 without gaps",
                )
        rows = [entry_to_row(entry) for entry in batch]
        self._write_rows(stream, rows, expected_head, previous)
        return previous

    def entries(self, stream: Stream, *, start: int = 0) -> list[JournalEntry]:
        """Return the stream's stored entries from position ``start``, in order.

        Raises:
            CorruptRow: a row does not read back as an entry; it names the
                stream and the position.
        """
        stream = _stream(stream)
        name = str(stream)
        return [row_to_entry(row, name) for row in self._read_rows(stream, start)]

    def verify(self, stream: Stream) -> str:
        """Recompute the stored hash chain of the stream and return its head.

        Raises:
            JournalCorrupted: a stored entry does not match its digest (an edit
                behind the library's back); ``value`` is its position.
            CorruptRow: a row does not read back as an entry.
        """
        stream = _stream(stream)
        # The head first: entries appended meanwhile by another writer come after it.
        count, stored = self._stored_head(stream)
        head = verify_journal(self.entries(stream)[:count])
        if head != stored:
            raise JournalCorrupted(
                f"the stored head of {stream} is not the digest of its last entry {count - 1}",
                value=count - 1,
                rule="journal: hash chain",
            )
        return head

    def load_ledger(self, stream: Stream, *, snapshot: bool = True) -> PointsLedger:
        """Rebuild the stream's ledger from its latest snapshot and the entries after it.

        Without a usable snapshot (or with ``snapshot=False``) every entry is
        replayed with [`PointsLedger.replay`][grassroots.ledger.PointsLedger.replay].
        A snapshot is used only if the head it claims is the stored digest at
        its position, and the ledger it holds has that head.

        Raises:
            JournalCorrupted: a stored entry is invalid or does not match its digest.
            CorruptRow: a row or a snapshot does not read back.
        """
        stream = _stream(stream)
        ledger = self._from_snapshot(stream) if snapshot else None
        if ledger is None:
            try:
                return PointsLedger.replay(self.entries(stream))
            except JournalCorrupted as exc:
                raise JournalCorrupted(
                    f"stream {stream}: {exc}", value=exc.value, rule=exc.rule
                ) from exc
        extend(ledger, self.entries(stream, start=len(ledger)))
        return ledger

    def save_snapshot(self, stream: Stream, ledger: PointsLedger) -> int:
        """Store a snapshot of ``ledger`` and return the number of entries it covers.

        Raises:
            ConcurrencyConflict: the stored chain has no entry with the ledger's
                head at the ledger's last position.
        """
        stream = _stream(stream)
        if not isinstance(ledger, PointsLedger):
            raise TypeError(f"save_snapshot takes a PointsLedger, not {type(ledger).__name__}")
        position = len(ledger)
        stored = self._digest_at(stream, position - 1) if position else GENESIS
        if stored != ledger.head:
            raise _conflict(stream, ledger.head, stored or "no entry")
        body = pickle.dumps(ledger, protocol=pickle.HIGHEST_PROTOCOL)
        self._write_snapshot(stream, (position, ledger.head, SNAPSHOT_FORMAT, body))
        return position

    def _from_snapshot(self, stream: Stream) -> PointsLedger | None:
        row = self._latest_snapshot(stream)
        if row is None:
            return None
        position, head, form, body = row
        if form != SNAPSHOT_FORMAT:
            return None
        if self._digest_at(stream, position - 1) != head:
            raise CorruptRow(
                f"the snapshot of {stream} at {position} claims head {head[:12]}…,"
                " which is not the stored digest there",
                stream=str(stream),
                position=position,
                value=head,
                rule="storage: a snapshot is checked against the chain head it claims",
            )
        try:
            ledger = _SnapshotUnpickler(io.BytesIO(bytes(body))).load()
        except (ImportError, AttributeError):
            # Written by another version of the library, whose classes have moved: the
            # snapshot is only a cache, so replay the journal instead.
            return None
        except Exception as exc:
            raise CorruptRow(
                f"the snapshot of {stream} at {position} cannot be read: {exc}",
                stream=str(stream),
                position=position,
                rule="storage: a snapshot is checked against the chain head it claims",
            ) from exc
        if not isinstance(ledger, PointsLedger) or ledger.head != head or len(ledger) != position:
            raise CorruptRow(
                f"the snapshot of {stream} at {position} does not hold a ledger with head"
                f" {head[:12]}…",
                stream=str(stream),
                position=position,
                value=head,
                rule="storage: a snapshot is checked against the chain head it claims",
            )
        return ledger

    # --- records ---------------------------------------------------------------------------

    def revision(self, stream: Stream, key: str) -> int:
        """Return the latest revision number of record ``key``; 0 if it was never saved."""
        rows = self._read_records(_stream(stream), _key(key))
        return int(rows[-1][0]) if rows else 0

    def save(
        self,
        stream: Stream,
        key: str,
        value: object,
        *,
        expected_revision: int,
        schema_version: int = 1,
    ) -> int:
        """Store ``value`` as the next revision of record ``key`` and return its number.

        The value is kept as the library's one converter writes it (JSON),
        with its type's name and ``schema_version``.

        Args:
            stream: Where the record belongs.
            key: The record's id within the stream.
            value: Any value the converter handles (an attrs class of the library).
            expected_revision: The revision the caller last read (0 for a new record).
            schema_version: The version of the value's JSON shape.

        Raises:
            ConcurrencyConflict: the record's latest revision is not ``expected_revision``.
        """
        stream = _stream(stream)
        key = _key(key)
        check_count(expected_revision, "expected_revision")
        check_count(schema_version, "schema_version")
        body = json.dumps(serialization.unstructure(value), ensure_ascii=False, sort_keys=True)
        row = (expected_revision + 1, type_name(type(value)), schema_version, body)
        self._write_record(stream, key, row)
        return expected_revision + 1

    def load(
        self,
        stream: Stream,
        key: str,
        cls: type[T],
        *,
        schema_version: int = 1,
        upgrades: Mapping[int, Upgrade] | None = None,
    ) -> T:
        """Return the latest revision of record ``key`` as a ``cls``.

        A record stored with an older ``schema_version`` is brought up to date
        by ``upgrades[n]`` (version ``n`` to ``n + 1``) before it is structured.

        Raises:
            UnknownRecord: the record was never saved (a ``LookupError``).
            CorruptRow: the stored JSON does not structure as a ``cls``, is of
                another type, or no upgrade reads its version.
            SchemaTooNew: the record was written by a newer schema version.
        """
        history = self.history(
            stream, key, cls, schema_version=schema_version, upgrades=upgrades, latest=True
        )
        return history[-1]

    def history(
        self,
        stream: Stream,
        key: str,
        cls: type[T],
        *,
        schema_version: int = 1,
        upgrades: Mapping[int, Upgrade] | None = None,
        latest: bool = False,
    ) -> Sequence[T]:
        """Return every revision of record ``key`` as a ``cls``, oldest first.

        Raises:
            UnknownRecord: the record was never saved (a ``LookupError``).
            CorruptRow: a revision does not read back as a ``cls``.
            SchemaTooNew: a revision was written by a newer schema version.
        """
        stream = _stream(stream)
        key = _key(key)
        rows = self._read_records(stream, key)
        if not rows:
            raise UnknownRecord(
                f"stream {stream} has no record {key!r}", value=key, rule="storage: records"
            )
        if latest:
            rows = rows[-1:]
        return [_read_record(stream, key, row, cls, schema_version, upgrades or {}) for row in rows]


def _upgraded(  # noqa: PLR0917 - private, called once
    stored_type: object,
    wanted: str,
    version: int,
    body: str,
    schema_version: int,
    upgrades: Mapping[int, Upgrade],
) -> Any:
    if stored_type != wanted:
        raise TypeError(f"it holds a {stored_type}, not a {wanted}")
    data = json.loads(body)
    for step in range(version, schema_version):
        if step not in upgrades:
            raise ValueError(f"no upgrade from schema version {step} to {step + 1}")
        data = upgrades[step](data)
    return data


def _read_record(  # noqa: PLR0917 - private, called once
    stream: Stream,
    key: str,
    row: tuple[Any, ...],
    cls: type[T],
    schema_version: int,
    upgrades: Mapping[int, Upgrade],
) -> T:
    revision, stored_type, version, body = row
    where = f"record {key!r} revision {revision} of stream {stream}"
    if isinstance(version, int) and version > schema_version:
        raise SchemaTooNew(
            f"{where} has schema version {version}; this program reads up to {schema_version}",
            value=version,
            limit=schema_version,
            rule="storage: a newer schema is refused",
        )
    try:
        data = _upgraded(stored_type, type_name(cls), int(version), body, schema_version, upgrades)
        return serialization.structure(data, cls)
    except (GrassrootsError, TypeError, ValueError, KeyError) as exc:
        raise CorruptRow(
            f"{where} cannot be read back: {exc}",
            stream=str(stream),
            position=revision if isinstance(revision, int) else -1,
            value=key,
            rule="storage: a record reads back as the type it was saved as",
        ) from exc


def _stream(stream: object) -> Stream:
    if not isinstance(stream, Stream):
        raise TypeError(f"a stream must be a Stream, not {type(stream).__name__} {stream!r}")
    return stream


def _key(key: object) -> str:
    from grassroots._validators import check_identifier

    return check_identifier(key, "record id")


def _conflict(stream: Stream, expected: str, current: str) -> ConcurrencyConflict:
    return ConcurrencyConflict(
        f"stream {stream} is at head {current[:12]}…, not the expected {expected[:12]}…:"
        " another writer appended first; reload and retry",
        value=expected,
        limit=current,
        rule="storage: an append names the head it expects",
    )


def schema_check(version: int, where: str) -> None:
    """Refuse a database written by a newer schema version than this library's.

    Raises:
        SchemaTooNew: ``version`` is above [`SCHEMA_VERSION`][grassroots.storage.SCHEMA_VERSION].
    """
    from grassroots.storage import SCHEMA_VERSION

    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{where} was written by schema version {version}; this library reads up to"
            f" {SCHEMA_VERSION}: upgrade grassroots",
            value=version,
            limit=SCHEMA_VERSION,
            rule="storage: a newer schema is refused",
        )


def conflict(stream: Stream, expected: str, current: str) -> ConcurrencyConflict:
    """Return the error for an append that expected ``expected`` at ``current``."""
    return _conflict(stream, expected, current)
