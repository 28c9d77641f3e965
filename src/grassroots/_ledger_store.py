"""Storage of the points ledger (private): journal rows in blocks, and lot arithmetic.

Kept apart from :mod:`grassroots.ledger` because it knows nothing of the domain:
rows are tuples, lots are ``(expires, origin position, remaining)`` tuples, and
every function here works on plain lists of them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any, Final, TypeAlias

Row: TypeAlias = tuple[Any, ...]
"""One journal entry as the ledger keeps it: strings, ints and bytes only."""

LotRow: TypeAlias = tuple[int, int, int]
"""An open lot: (expires, position of the transfer that opened it, points remaining)."""

BLOCK_BITS: Final = 10
BLOCK: Final = 1 << BLOCK_BITS  # rows per sealed block
BLOCK_MASK: Final = BLOCK - 1


class Rows:
    """The journal's rows, kept in sealed blocks of 1,024 so the cyclic collector skips them.

    Rows are tuples of strings, ints and bytes, which the collector stops
    tracking after their first collection. A list of a million of them would
    still be walked, item by item, by every full collection; a tuple of sealed
    rows is untracked too, so a full collection walks only the list of blocks
    (one item per 1,024 rows) and the open tail.
    """

    __slots__ = ("blocks", "sealed", "tail")

    def __init__(self) -> None:
        self.blocks: list[tuple[Row, ...]] = []
        self.tail: list[Row] = []
        self.sealed = 0  # rows in sealed blocks

    def __len__(self) -> int:
        return self.sealed + len(self.tail)

    def __getitem__(self, position: int) -> Row:
        if position >= self.sealed:
            return self.tail[position - self.sealed]
        if position < 0:
            raise IndexError(position)
        return self.blocks[position >> BLOCK_BITS][position & BLOCK_MASK]

    def __iter__(self) -> Iterator[Row]:
        for block in self.blocks:
            yield from block
        yield from self.tail

    def since(self, start: int) -> Iterator[Row]:
        """Iterate the rows from position ``start`` on."""
        for position in range(start, len(self)):
            yield self[position]

    def append(self, row: Row) -> None:
        self.tail.append(row)
        if len(self.tail) >= BLOCK:
            self.seal()

    def seal(self) -> None:
        """Move the full tail into a sealed block."""
        self.blocks.append(tuple(self.tail))
        self.tail.clear()
        self.sealed += BLOCK

    def truncate(self, size: int) -> None:
        """Drop every row from position ``size`` on."""
        while size < self.sealed:
            self.tail[:0] = self.blocks.pop()
            self.sealed -= BLOCK
        del self.tail[size - self.sealed :]


def plan_draws(lots: list[LotRow], amount: int, key: int, *, expired: bool) -> list[int] | None:
    """Return [index, points, ...] to take ``amount`` from sorted lots, or None if short.

    Spending skips lots expired at ``key``; an expiry takes only those.
    """
    takes: list[int] = []
    need = amount
    for index, (expires, _origin, remaining) in enumerate(lots):
        if expired:
            if expires > key:
                break
        elif expires <= key:
            continue
        if remaining >= need:
            takes += (index, need)
            return takes
        takes += (index, remaining)
        need -= remaining
    return None


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
