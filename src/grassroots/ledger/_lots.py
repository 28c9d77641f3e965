"""Lot arithmetic: planning and applying draws on sorted lists of lots (private)."""

from __future__ import annotations

import bisect
from typing import Final, TypeAlias

LotRow: TypeAlias = tuple[int, int, int]

"""An open lot: (expires, position of the transfer that opened it, points remaining)."""


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


_LotRow: TypeAlias = LotRow

_NO_LOT: Final = (-(2**63), -1, 0)  # stands for the first lot of an empty wallet
