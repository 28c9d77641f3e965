"""What every store does the same way, over a few primitives each backend provides (private).

A backend implements reading and writing rows; everything about journal
entries, chains, snapshots and records is decided here once, so the three
stores cannot drift apart.
"""

from __future__ import annotations

import abc
import json
import threading
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
)
from grassroots.ledger._codec import _hash
from grassroots.ledger._snapshot import (
    FORMAT,
    digest_bytes,
    dump,
    encode_batch,
    kept_text,
    record_of,
    restore,
    transfer_ids,
    transfer_of,
)
from grassroots.storage import Stream, Upgrade
from grassroots.storage._rows import Row, row_to_entry

T = TypeVar("T")

SNAPSHOT_FORMAT: Final = FORMAT
"""The snapshot layout this library writes and reads; a snapshot of another is ignored.

Format 1 was a pickle of the ledger; such snapshots are never read (the
journal is replayed instead) and the migration to schema version 3 deletes them.
"""

_GENESIS_BYTES: Final = bytes(32)
_TRANSFER: Final = b"transfer\0"

RecordRow = tuple[int, str, int, str]
"""A stored record: (revision, type name, schema version, JSON body)."""

SnapshotRow = tuple[int, str, int, bytes]
"""A stored snapshot: (position, head, format, body)."""


def type_name(cls: type) -> str:
    """Return the name a record's type is stored under: its class name."""
    return cls.__qualname__


def _corrupt_row(stream: Stream, position: object, body: object, exc: Exception) -> CorruptRow:
    return CorruptRow(
        f"stored journal entry {position} of stream {stream} cannot be read back: {exc}",
        stream=str(stream),
        position=position if isinstance(position, int) else -1,
        value=body,
        rule="storage: a row reads back as the entry it was written from",
    )


def _blob(stream: Stream, position: object, value: object, what: str = "body") -> bytes:
    """Return a stored byte column, refusing a value of another type (edited in SQL)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise _corrupt_row(
        stream, position, value, TypeError(f"its {what} is a {type(value).__name__}, not bytes")
    )


def extend(stream: Stream, ledger: PointsLedger, rows: Iterable[tuple[Any, ...]]) -> None:
    """Apply stored rows to ``ledger`` through its public commands, checking each.

    Each row's record is posted (or added, opened, closed, recorded) as a
    command, with every check a command makes; then the text the ledger keeps
    for it must be the stored body and its digest the stored digest, so the
    lot draws, the position and the chain are checked with it.

    Raises:
        CorruptRow: a row does not decode into a record.
        JournalCorrupted: an entry is out of place, cannot be applied, or the
            ledger does not record it exactly as stored.
    """
    post = ledger.post
    for row in rows:
        position, body, zone, digest = row
        if position != len(ledger):
            raise JournalCorrupted(
                f"stream {stream}: stored journal entry {position} does not follow entry"
                f" {len(ledger) - 1}",
                value=position,
                rule="journal: entries are numbered from 0 without gaps",
            )
        data = _blob(stream, position, body)
        try:
            text = data.decode()
            if text.startswith("transfer\0"):
                record: Any = transfer_of(text.split("\0"), zone)
            else:
                record = record_of(text, zone, position)
        except (GrassrootsError, TypeError, ValueError, IndexError) as exc:
            raise _corrupt_row(stream, position, body, exc) from exc
        try:
            if type(record) is Transfer:
                post(record)
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
                f"stream {stream}: stored journal entry {position} cannot be applied: {exc}",
                value=position,
                rule="journal: every entry is valid when replayed",
            ) from exc
        if (
            len(ledger) != position + 1
            or kept_text(ledger, position) != text
            or digest_bytes(ledger, position) != _blob(stream, position, digest, "digest")
        ):
            raise JournalCorrupted(
                f"stream {stream}: stored journal entry {position} is not what the ledger"
                " records for it (its draws, its text or its digest differ)",
                value=position,
                rule="journal: hash chain",
            )


class _Lots(Mapping[str, int]):
    """Where the lots before an appended batch are: the cache, or a loaded ledger's index."""

    __slots__ = ("batch", "ids", "seed", "seed_known")

    def __init__(self, ids: dict[str, int], seed: tuple[int, Mapping[str, int]] | None) -> None:
        self.ids = ids
        self.seed_known: int = seed[0] if seed is not None else 0
        self.seed: Mapping[str, int] | None = seed[1] if seed is not None else None

    def __getitem__(self, lot: str) -> int:
        position = self.ids.get(lot)
        if position is None and self.seed is not None:
            position = self.seed.get(lot)
            if position is not None and position >= self.seed_known:
                position = None
        if position is None:
            raise KeyError(lot)
        return position

    def __iter__(self) -> Iterator[str]:  # pragma: no cover - only looked up
        return iter(self.ids)

    def __len__(self) -> int:  # pragma: no cover - only looked up
        return len(self.ids)


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

    def __init__(self) -> None:
        # Per stream: (count, ids) with the positions of the stored transfers before
        # ``count``, which an append needs to encode draws; and a loaded ledger's index.
        self._lot_lock = threading.Lock()
        self._lot_cache: dict[tuple[str, str, str], tuple[int, dict[str, int]]] = {}
        self._lot_seeds: dict[tuple[str, str, str], tuple[int, Mapping[str, int]]] = {}

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
        rows, new = self._encode(stream, batch, expected_head)
        previous = batch[-1].digest
        self._write_rows(stream, rows, expected_head, previous)
        with self._lot_lock:
            count, ids = self._lot_cache.get(stream.key, (0, {}))
            if count == batch[0].position:
                ids.update(new)
                self._lot_cache[stream.key] = (count + len(batch), ids)
        return previous

    def _encode(
        self, stream: Stream, batch: list[JournalEntry], expected: str
    ) -> tuple[list[Row], dict[str, int]]:
        """Return the rows of ``batch``, each checked against its digest, and its transfers."""
        first = batch[0].position
        try:
            start = bytes.fromhex(expected)
        except (TypeError, ValueError):
            start = b""
        if len(start) != len(_GENESIS_BYTES):
            raise _conflict(stream, str(expected), self.head(stream))
        for attempt in (0, 1):
            with self._lot_lock:
                count, ids = self._lot_cache.get(stream.key, (0, {}))
                if attempt:
                    count, ids = self._read_lots(stream, count, ids, first)
                    self._lot_cache[stream.key] = (count, ids)
                lots = _Lots(ids, self._lot_seeds.get(stream.key))
            try:
                rows, new = encode_batch(batch, lots, start, ids)
            except KeyError as exc:
                if attempt:
                    raise JournalCorrupted(
                        f"a transfer draws from lot {exc.args[0]!r}, which no transfer stored"
                        f" in {stream} before it opened",
                        value=exc.args[0],
                        rule="points rule 1: each debit says which lots it drew",
                    ) from exc
                continue
            except ValueError as exc:
                position, reason = exc.args
                raise JournalCorrupted(
                    f"append to {stream}: {reason}", value=position, rule="journal: hash chain"
                ) from exc
            return rows, new
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_lots(
        self, stream: Stream, count: int, ids: dict[str, int], upto: int
    ) -> tuple[int, dict[str, int]]:
        """Add the stored transfers from ``count`` up to ``upto`` to the lot cache ``ids``."""
        for position, body, _zone, _digest in self._read_rows(stream, count):
            if position >= upto:
                break
            data = _blob(stream, position, body)
            if data.startswith(_TRANSFER):
                ids[data.split(b"\0", 3)[2].decode(errors="replace")] = position
            count = position + 1
        return count, ids

    def entries(self, stream: Stream, *, start: int = 0) -> list[JournalEntry]:
        """Return the stream's stored entries from position ``start``, in order.

        Raises:
            CorruptRow: a row does not read back as an entry; it names the
                stream and the position.
        """
        stream = _stream(stream)
        check_count(start, "start")
        name = str(stream)
        ids: dict[int, str] = {}
        found: list[JournalEntry] = []
        previous = GENESIS
        for position, body, zone, digest in self._read_rows(stream, 0):
            data = _blob(stream, position, body)
            if position >= start:
                found.append(row_to_entry((position, data, zone, digest, previous), name, ids))
            if data.startswith(_TRANSFER):
                ids[position] = data.split(b"\0", 3)[2].decode(errors="replace")
            previous = _blob(stream, position, digest, "digest").hex()
        return found

    def verify(self, stream: Stream) -> str:
        """Recompute the stored hash chain of the stream and return its head.

        Each stored body is hashed as it is stored, after the digest before
        it: the same computation as [`PointsLedger.verify`][grassroots.ledger.PointsLedger.verify]
        on the texts the ledger keeps.

        Raises:
            JournalCorrupted: a stored entry does not match its digest (an edit
                behind the library's back); ``value`` is its position.
        """
        stream = _stream(stream)
        # The head first: entries appended meanwhile by another writer come after it.
        count, stored = self._stored_head(stream)
        previous = _GENESIS_BYTES
        seen = 0
        for position, body, _zone, digest in self._read_rows(stream, 0):
            if position >= count:
                break
            if position != seen:
                raise JournalCorrupted(
                    f"stream {stream}: stored journal entry {seen} is missing",
                    value=seen,
                    rule="journal: entries are numbered from 0 without gaps",
                )
            actual = _hash(previous + _blob(stream, position, body)).digest()
            if actual != _blob(stream, position, digest, "digest"):
                raise JournalCorrupted(
                    f"stream {stream}: stored journal entry {position} does not match its digest",
                    value=position,
                    rule="journal: hash chain",
                )
            previous = actual
            seen += 1
        if seen != count or previous.hex() != stored:
            raise JournalCorrupted(
                f"the stored head of {stream} is not the digest of its last entry {count - 1}",
                value=count - 1,
                rule="journal: hash chain",
            )
        return stored

    def load_ledger(self, stream: Stream, *, snapshot: bool = True) -> PointsLedger:
        """Rebuild the stream's ledger from its latest snapshot and the entries after it.

        Without a usable snapshot (or with ``snapshot=False``) every entry is
        applied to an empty ledger. Either way each entry applied is posted
        through the ledger's commands and must give back its stored text and
        digest. A snapshot is used only if the head it claims is the stored
        digest at its position, and the ledger it holds has that head.

        Raises:
            JournalCorrupted: a stored entry is invalid or does not match its digest.
            CorruptRow: a row or a snapshot does not read back.
        """
        stream = _stream(stream)
        ledger = self._from_snapshot(stream) if snapshot else None
        if ledger is None:
            ledger = PointsLedger()
        extend(stream, ledger, self._read_rows(stream, len(ledger)))
        with self._lot_lock:
            if self._lot_cache.get(stream.key, (0, {}))[0] < len(ledger):
                self._lot_seeds[stream.key] = (len(ledger), transfer_ids(ledger))
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
        body = dump(ledger)
        self._write_snapshot(stream, (position, ledger.head, SNAPSHOT_FORMAT, body))
        return position

    def _from_snapshot(self, stream: Stream) -> PointsLedger | None:
        row = self._latest_snapshot(stream)
        if row is None:
            return None
        position, head, form, body = row
        if form != SNAPSHOT_FORMAT:
            return None  # another layout (format 1 was a pickle): replay instead
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
            ledger = restore(body if isinstance(body, bytes) else bytes(body))
        except (GrassrootsError, ValueError, TypeError) as exc:
            raise CorruptRow(
                f"the snapshot of {stream} at {position} cannot be read: {exc}",
                stream=str(stream),
                position=position,
                rule="storage: a snapshot is checked against the chain head it claims",
            ) from exc
        if ledger is None:
            return None  # the ledger's state has another shape now: replay instead
        if ledger.head != head or len(ledger) != position:
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


def migrate_journal(
    rows: Iterable[tuple[Any, ...]],
) -> Iterator[tuple[str, str, str, int, bytes, str, bytes]]:
    """Turn journal rows of schema version 2 (the converter's JSON) into version 3 rows.

    ``rows`` are ``(county, community, name, position, kind, body, previous,
    digest)``, ordered by stream and position. Each entry is encoded in the
    ledger's canonical text; its stored digest is kept as it was, so an entry
    edited behind the library's back still fails ``verify`` after migrating.

    Raises:
        CorruptRow: a row does not read back as an entry.
    """
    from grassroots.ledger._snapshot import entry_text
    from grassroots.storage._rows import legacy_entry

    stream: tuple[str, str, str] | None = None
    lots: dict[str, int] = {}
    for county, community, name, *row in rows:
        if (county, community, name) != stream:
            stream, lots = (county, community, name), {}
        where = f"{county}/{community}/{name}"
        entry = legacy_entry(tuple(row), where)
        try:
            text, zone = entry_text(entry, lots)
        except KeyError as exc:
            raise CorruptRow(
                f"stored journal entry {entry.position} of stream {where} draws from lot"
                f" {exc.args[0]!r}, which no entry before it opened",
                stream=where,
                position=entry.position,
                value=row[2],
                rule="storage: a row reads back as the entry it was written from",
            ) from exc
        if type(entry.record) is Transfer:
            lots[entry.record.id] = entry.position
        digest = bytes.fromhex(entry.digest)
        yield (county, community, name, entry.position, text.encode(), zone, digest)
