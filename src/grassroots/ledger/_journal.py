"""The journal (private): entries, their storage, the read-only view and verification.

A transfer is kept as its canonical text (see the codec), a string the cyclic
garbage collector never tracks; a record (scheme, account, closure, rate) as a
``(tag, record)`` tuple.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, compress, count, repeat
from typing import TYPE_CHECKING, Any, Final, TypeAlias, overload

import attrs

from grassroots._validators import to_tuple
from grassroots.errors import (
    JournalCorrupted,
)
from grassroots.ledger._checks import _count, _invalid
from grassroots.ledger._codec import (
    GENESIS,
    Row,
    _digest,
    _hex_digest,
    _record_body,
    _transfer_body,
    decode,
)
from grassroots.ledger._instants import Reader
from grassroots.ledger._values import (
    _RECORD_TAGS,
    Account,
    AccountClosure,
    Draw,
    ExchangeRate,
    Record,
    Scheme,
    Transfer,
    slot_setters,
)

Stored: TypeAlias = str | tuple[str, Any]

"""One journal entry as the ledger keeps it: a transfer's canonical text, or a record row."""

BLOCK_BITS: Final = 10

BLOCK: Final = 1 << BLOCK_BITS  # rows per sealed block

BLOCK_MASK: Final = BLOCK - 1

Zones: TypeAlias = "bytearray | array[int]"

"""The zone index of each journal position, one byte each until an index needs more."""

_BYTE_MAX: Final = 0xFF
_HALF_MAX: Final = 0xFFFF


def _widened(zones: Zones, index: int) -> Zones:
    """Return ``zones``, or a copy of wider items if ``index`` does not fit its items.

    One byte a position holds 256 zones, 16 bits 65,536; past that, 64 bits.
    """
    if index <= _BYTE_MAX:
        return zones
    code = "H" if index <= _HALF_MAX else "q"
    if isinstance(zones, array) and zones.itemsize >= array(code).itemsize:
        return zones
    return array(code, iter(zones))  # an iterator: array() takes a bytearray as raw bytes


if TYPE_CHECKING:  # the view's owner, for the annotations only
    from grassroots.ledger._aggregate import PointsLedger


class Rows:
    """The journal's entries, kept in sealed blocks of 1,024 so the cyclic collector skips them.

    A transfer is kept as its canonical text: a string, which the collector
    never tracks, costs no allocation beyond the text the hash chain needs
    anyway, and is smaller than the tuple it decodes to. Records are
    ``(tag, record)`` tuples, few and small. A list of a million entries would
    still be walked, item by item, by every full collection; a tuple of
    sealed entries is untracked once its items are, so a full collection walks
    only the list of blocks (one item per 1,024 entries) and the open tail.

    The canonical text leaves out the time zone a transfer was written in
    (the hash covers instants); ``zones`` keeps its index among the zones the
    ledger met, one byte a position (wider items past 256 zones), and stops
    after the last position whose zone is not the first one (index 0), so a
    ledger of one zone keeps none. Only ``zone``, ``set_zone``, ``set_zones``,
    ``zoned``, ``kept_zoned`` and ``truncate`` know that layout (posting does
    ``set_zone``'s usual case inline, its cost per call). ``readers``
    turn the kept instants back into times, one per zone, each caching a
    local day.
    """

    __slots__ = ("blocks", "readers", "sealed", "tail", "zones")

    def __init__(self) -> None:
        self.blocks: list[tuple[Stored, ...]] = []
        self.tail: list[Stored] = []
        self.sealed = 0  # entries in sealed blocks
        self.zones: Zones = bytearray()  # zone index by position; 0 past its end
        self.readers: list[Reader] = []  # by zone index: turns instants back into times

    def __len__(self) -> int:
        return self.sealed + len(self.tail)

    def raw(self, position: int) -> Stored:
        """Return the entry at ``position`` as it is kept."""
        if position >= self.sealed:
            return self.tail[position - self.sealed]
        if position < 0:
            raise IndexError(position)
        return self.blocks[position >> BLOCK_BITS][position & BLOCK_MASK]

    def __getitem__(self, position: int) -> Row:
        stored = self.raw(position)
        if type(stored) is str:
            return decode(stored, self.zone(position))
        return stored  # type: ignore[return-value]  # a record row

    def zone(self, position: int) -> int:
        """Return the zone index of the entry at ``position`` (0 for a record)."""
        zones = self.zones
        return zones[position] if position < len(zones) else 0

    def set_zone(self, position: int, index: int) -> None:
        """Keep ``index`` as the zone index of the entry at ``position``."""
        zones = self.zones
        if index > _BYTE_MAX:
            zones = self.zones = _widened(zones, index)
        gap = position - len(zones)
        if gap == 1:  # the entry before is of zone 0: the usual case of two zones
            zones.append(0)
        elif gap > 1:
            zones.extend(bytes(gap))
        elif gap < 0:
            zones[position] = index
            return
        zones.append(index)

    def set_zones(self, positions: Sequence[int], indices: Sequence[int]) -> None:
        """Keep the zone index of each of ``positions``, every other one's 0, in place of all kept.

        Raises:
            ValueError: there are more positions than indices, or fewer.
        """
        zones = _widened(bytearray(max(positions, default=-1) + 1), max(indices, default=0))
        for position, index in zip(positions, indices, strict=True):
            zones[position] = index
        self.zones = zones

    def zoned(self) -> tuple[list[int], list[int]]:
        """Return the positions whose zone index is not 0, in order, and those indices."""
        zones = self.zones
        return list(compress(count(), zones)), list(filter(None, zones))

    def kept_zoned(self) -> Iterator[tuple[Stored, int]]:
        """Iterate the entries as they are kept, each with its zone index."""
        return zip(self.kept(), chain(self.zones, repeat(0)), strict=False)  # zones: endless

    def kept(self) -> Iterator[Stored]:
        """Iterate the entries as they are kept."""
        for block in self.blocks:
            yield from block
        yield from self.tail

    def __iter__(self) -> Iterator[Row]:
        for stored, zone in self.kept_zoned():
            if type(stored) is str:
                yield decode(stored, zone)
            else:
                yield stored  # type: ignore[misc]  # a record row

    def since(self, start: int) -> Iterator[Row]:
        """Iterate the entries from position ``start`` on."""
        for position in range(start, len(self)):
            yield self[position]

    def append(self, stored: Stored) -> None:
        self.tail.append(stored)
        if len(self.tail) >= BLOCK:
            self.seal()

    def seal(self) -> None:
        """Move the full tail into a sealed block."""
        self.blocks.append(tuple(self.tail))
        self.tail.clear()
        self.sealed += BLOCK

    def truncate(self, size: int) -> None:
        """Drop every entry from position ``size`` on."""
        while size < self.sealed:
            self.tail[:0] = self.blocks.pop()
            self.sealed -= BLOCK
        del self.tail[size - self.sealed :]
        del self.zones[size:]


def _draw_tuple(value: Iterable[Draw]) -> tuple[Draw, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class JournalEntry:
    """One entry of the journal: what was recorded, where, and its place in the hash chain.

    ``digest`` is the hash of ``previous`` followed by the entry's canonical
    encoding (see [`verify_journal`][grassroots.ledger.verify_journal]); ``previous`` is the digest
    of the
    entry before, or [`GENESIS`][grassroots.ledger.GENESIS] for the first.

    Args:
        position: The entry's index in the journal, from 0.
        record: What the entry records.
        draws: For a transfer out of a wallet, the lots it drew from; for a
            reversal into a wallet, the lots it gave points back to; else empty.
        previous: The digest of the entry before, in hex.
        digest: This entry's digest, in hex.
    """

    position: int = attrs.field(validator=_count)
    record: Record = attrs.field(
        validator=attrs.validators.instance_of(
            (Scheme, Account, AccountClosure, ExchangeRate, Transfer)
        )
    )
    draws: tuple[Draw, ...] = attrs.field(default=(), converter=_draw_tuple)
    previous: str = attrs.field(validator=_hex_digest)
    digest: str = attrs.field(validator=_hex_digest)

    def __attrs_post_init__(self) -> None:
        if self.draws and not isinstance(self.record, Transfer):
            raise _invalid(
                f"journal entry {self.position} records a {_RECORD_TAGS[type(self.record)]},"
                " which draws from no lot"
            )


_BLOCK: Final = BLOCK

_new = object.__new__


def trusted_entry(
    position: int, record: Record, draws: tuple[Draw, ...], previous: str, digest: str
) -> JournalEntry:
    """Return a [`JournalEntry`][grassroots.ledger.JournalEntry] of fields the ledger keeps.

    The one path that skips the entry's validators: for entries the ledger
    builds from its own rows.
    """
    entry: JournalEntry = _new(JournalEntry)
    _set_position(entry, position)
    _set_record(entry, record)
    _set_draws(entry, draws)
    _set_previous(entry, previous)
    _set_digest(entry, digest)
    return entry


_set_position, _set_record, _set_draws, _set_previous, _set_digest = slot_setters(JournalEntry)


def _entry_body(entry: JournalEntry, transfers: dict[str, int]) -> str:
    """Return the canonical encoding of an entry; ``transfers`` maps earlier ids to positions."""
    record = entry.record
    if not isinstance(record, Transfer):
        if entry.draws:
            raise _invalid("only a transfer draws from lots")
        return _record_body(entry.position, record)
    draws = []
    for draw in entry.draws:
        lot = transfers.get(draw.lot)
        if lot is None:
            raise _invalid(f"it draws from lot {draw.lot!r}, which no earlier transfer opened")
        draws.append((lot, draw.points))
    return _transfer_body(entry.position, record, draws)


def verify_journal(entries: Iterable[JournalEntry]) -> str:
    """Check the hash chain of a journal and return the digest of its last entry.

    Each entry's ``digest`` must be the hash ([`HASH_ALGORITHM`][grassroots.ledger.HASH_ALGORITHM])
    of the
    previous entry's digest (32 bytes, [`GENESIS`][grassroots.ledger.GENESIS] for the first)
    followed
    by the UTF-8 encoding of the entry's fields joined by NUL characters::

        transfer␀position␀id␀debit␀credit␀amount␀kind␀instant␀reference␀memo␀reverses
                 [␀lot␀points]...
        scheme␀position␀code␀name␀rule␀count
        account␀position␀id␀scheme␀kind␀owner␀name
        closure␀position␀account␀instant␀memo
        rate␀position␀source␀target␀numerator/denominator␀instant␀reference

    where ``instant`` is the time as whole microseconds since
    1970-01-01T00:00:00Z (so the UTC offset a time is written with does not
    change the hash), ``reverses`` is empty when there is none, and each
    ``lot␀points`` pair is a draw, ``lot`` being the journal position of the
    transfer that opened the lot. Text fields may not contain NUL. Integers are
    written in decimal.

    This checks the chain only; [`PointsLedger.replay`][grassroots.ledger.PointsLedger.replay] also
    re-applies
    every entry and checks that it is valid and draws the lots it says.

    Returns:
        The digest of the last entry in hex ([`GENESIS`][grassroots.ledger.GENESIS] for an empty
        journal).

    Raises:
        JournalCorrupted: an entry is out of place, does not follow the one
            before, or does not match its digest; ``value`` is its position.
    """
    previous = GENESIS
    transfers: dict[str, int] = {}
    for expected, entry in enumerate(entries):
        if entry.position != expected:
            raise JournalCorrupted(
                f"journal entry {expected} says it is at position {entry.position}",
                value=expected,
                rule="journal: entries are numbered from 0 without gaps",
            )
        if entry.previous != previous:
            raise JournalCorrupted(
                f"journal entry {expected} does not follow entry {expected - 1}: its previous"
                f" digest {entry.previous[:12]}… is not {previous[:12]}…",
                value=expected,
                rule="journal: hash chain",
            )
        try:
            body = _entry_body(entry, transfers)
        except (TypeError, ValueError) as exc:
            raise JournalCorrupted(
                f"journal entry {expected} cannot be encoded: {exc}",
                value=expected,
                rule="journal: canonical encoding",
            ) from exc
        actual = _digest(bytes.fromhex(previous), body).hex()
        if actual != entry.digest:
            raise JournalCorrupted(
                f"journal entry {expected} does not match its digest {entry.digest[:12]}…",
                value=expected,
                rule="journal: hash chain",
            )
        if isinstance(entry.record, Transfer):
            transfers[entry.record.id] = expected
        previous = actual
    return previous


# --- the journal view --------------------------------------------------------------------


class Journal(Sequence[JournalEntry]):
    """The journal of a points ledger: a read-only sequence of its entries.

    It is the [`journal`][grassroots.ledger.PointsLedger.journal] of a
    [`PointsLedger`][grassroots.ledger.PointsLedger].

    A live view: entries posted after it was taken show up in it. Entries are
    built when read, so indexing and iterating cost a little per entry.
    """

    __slots__ = ("_ledger",)

    def __init__(self, ledger: PointsLedger) -> None:
        self._ledger = ledger

    def __len__(self) -> int:
        return len(self._ledger._rows)

    @overload
    def __getitem__(self, index: int) -> JournalEntry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[JournalEntry]: ...

    def __getitem__(self, index: int | slice) -> JournalEntry | Sequence[JournalEntry]:
        size = len(self._ledger._rows)
        if isinstance(index, slice):
            return tuple(self._ledger._entry(i) for i in range(*index.indices(size)))
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"journal position {index} is not in 0..{size - 1}")
        return self._ledger._entry(index)

    def __iter__(self) -> Iterator[JournalEntry]:
        return self._ledger._entries(len(self._ledger._rows))

    def __repr__(self) -> str:
        return f"<Journal of {len(self)} entries>"
