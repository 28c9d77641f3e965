"""Storage of the points ledger (private): journal rows in blocks, and lot arithmetic.

Kept apart from [`grassroots.ledger`][grassroots.ledger] because it knows little of the domain.
A transfer is kept as its canonical text, the very string the hash chain
hashes (see [`verify_journal`][grassroots.ledger.verify_journal]), and decoded into a tuple
when read; a record (scheme, account, closure, rate) is kept as a
``(tag, record)`` tuple. Lots are ``(expires, origin position, remaining)``
tuples, and every lot function here works on plain lists of them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any, Final, TypeAlias

Row: TypeAlias = tuple[Any, ...]
"""One journal entry as the ledger reads it.

A transfer reads as ``(kind, id, debit, credit, amount, instant, zone, reference,
memo, reverses, lot, points, lot, points, ...)``, ``reverses`` being None when
it reverses nothing, ``zone`` the index of the time zone it was written in;
a record reads as ``(tag, record)``.
"""

Stored: TypeAlias = str | tuple[str, Any]
"""One journal entry as the ledger keeps it: a transfer's canonical text, or a record row."""

LotRow: TypeAlias = tuple[int, int, int]
"""An open lot: (expires, position of the transfer that opened it, points remaining)."""

BLOCK_BITS: Final = 10
BLOCK: Final = 1 << BLOCK_BITS  # rows per sealed block
BLOCK_MASK: Final = BLOCK - 1


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
    (the hash covers instants); ``zones`` keeps it for the transfers whose
    zone is not the first one the ledger met (index 0).
    """

    __slots__ = ("blocks", "sealed", "tail", "zones")

    def __init__(self) -> None:
        self.blocks: list[tuple[Stored, ...]] = []
        self.tail: list[Stored] = []
        self.sealed = 0  # entries in sealed blocks
        self.zones: dict[int, int] = {}  # position -> zone index, where it is not 0

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
            return decode(stored, self.zones.get(position, 0))
        return stored  # type: ignore[return-value]  # a record row

    def kept(self) -> Iterator[Stored]:
        """Iterate the entries as they are kept."""
        for block in self.blocks:
            yield from block
        yield from self.tail

    def __iter__(self) -> Iterator[Row]:
        zones = self.zones
        for position, stored in enumerate(self.kept()):
            if type(stored) is str:
                yield decode(stored, zones.get(position, 0))
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
        for position in [p for p in self.zones if p >= size]:
            del self.zones[position]


def decode(text: str, zone: int) -> Row:
    """Decode a transfer's canonical text into its row.

    The text is ``transfer␀position␀id␀debit␀credit␀amount␀kind␀instant␀reference
    ␀memo␀reverses[␀lot␀points]...``; text fields hold no NUL, so splitting at
    NUL gives the fields back.
    """
    fields = text.split("\0")
    return (
        fields[6],
        fields[2],
        fields[3],
        fields[4],
        int(fields[5]),
        int(fields[7]),
        zone,
        fields[8],
        fields[9],
        fields[10] or None,
        *map(int, fields[11:]),
    )


def plan_draws(lots: list[LotRow], amount: int, key: int, *, expired: bool) -> list[int] | None:
    """Return [index, points, ...] to take ``amount`` from sorted lots, or None if short.

    Spending skips lots expired at ``key``; an expiry takes only those. Lots
    sort by expiry, so the expired ones come first: spending starts after them
    (found by bisection, so a wallet full of unswept expired lots costs no
    more to spend from than any other).
    """
    takes: list[int] = []
    need = amount
    start = 0 if expired else live_from(lots, key)
    for index in range(start, len(lots)):
        expires, _origin, remaining = lots[index]
        if expired and expires > key:
            break
        if remaining >= need:
            takes += (index, need)
            return takes
        takes += (index, remaining)
        need -= remaining
    return None


def live_from(lots: list[LotRow], key: int) -> int:
    """Return the index of the first lot not expired at ``key`` (lots sort by expiry)."""
    return bisect.bisect_right(lots, (key, _AFTER_EVERY_ORIGIN))


_AFTER_EVERY_ORIGIN: Final = 2**63


def plan_reversal_draws(lots: list[LotRow], origin: int, amount: int, key: int) -> list[int] | None:
    """Plan taking back an earning: from the lot it opened first, then in spending order."""
    own = next((i for i, lot in enumerate(lots) if lot[1] == origin), None)
    takes: list[int] = []
    need = amount
    if own is not None:
        first = min(lots[own][2], need)
        takes += (own, first)
        need -= first
    if need:
        others = [lot if i != own else (lot[0], lot[1], 0) for i, lot in enumerate(lots)]
        rest = plan_draws(others, need, key, expired=False)
        if rest is None:
            return None
        for i in range(0, len(rest), 2):
            if rest[i + 1]:
                takes += (rest[i], rest[i + 1])
    pairs = sorted(zip(takes[::2], takes[1::2], strict=True))
    return [value for pair in pairs for value in pair]


def draws_text(draws: tuple[int, ...]) -> str:
    """Return the encoding of flat draws (lot position, points, ...): each one NUL, then it."""
    return "".join([f"\0{value}" for value in draws])


def take(lots: list[LotRow], takes: list[int]) -> tuple[int, ...]:
    """Apply planned takes to the lots; return the draws as (origin, points, ...)."""
    draws = [0] * len(takes)
    for j in range(len(takes) - 2, -1, -2):
        index = takes[j]
        points = takes[j + 1]
        expires, origin, remaining = lots[index]
        draws[j] = origin
        draws[j + 1] = points
        if points == remaining:
            del lots[index]
        else:
            lots[index] = (expires, origin, remaining - points)
    return tuple(draws)


def restore(lots: list[LotRow], expires: int, origin: int, points: int) -> None:
    """Give ``points`` back to the lot ``origin``, reopening it if it was used up."""
    index = bisect.bisect_left(lots, (expires, origin))
    if index < len(lots) and lots[index][1] == origin:
        lots[index] = (expires, origin, lots[index][2] + points)
    else:
        lots.insert(index, (expires, origin, points))
