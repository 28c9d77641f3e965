"""Earning caps (积分获取上限): how many points a resident may earn per day, week or month.

Use this module to limit earning per resident and scheme. A cap counts the
points credited (and, optionally, the number of credits) in a calendar day,
an ISO week (Monday to Sunday) or a calendar month, all in Asia/Shanghai.

What happens at the cap is part of the cap
([`CapBehaviour`][grassroots.programme.caps.CapBehaviour]):

- ``CREDIT_UP_TO_CAP`` (the default): the confirmation credits only what is
  left under the cap, possibly nothing; attendance and hours are recorded all
  the same, since a volunteer record is kept whatever the points.
- ``REFUSE``: a confirmation that would pass the cap is refused with
  [`EarningCapReached`][grassroots.errors.EarningCapReached] and changes nothing.

A reversed confirmation gives its points back to the cap of the period in
which they were credited.

Rule: points rule 3 (limits per resident and period: day, week, month; on
count and amount).

Examples:
    >>> import pendulum
    >>> caps = CapBook([EarningCap(scheme="virtue", period=CapPeriod.DAY, points=30)])
    >>> at = pendulum.datetime(2026, 11, 7, 11, tz="Asia/Shanghai")
    >>> caps.allowed("wang", "virtue", 20, at=at)
    20
    >>> caps.record("wang", "virtue", 20, at=at)
    >>> caps.allowed("wang", "virtue", 20, at=at.add(hours=2))
    10
    >>> caps.allowed("wang", "virtue", 20, at=at.add(days=1))
    20
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable

import attrs

from grassroots import _validators as v
from grassroots._time import SHANGHAI, require_aware
from grassroots.errors import EarningCapReached, InvalidValue

__all__ = ["CAP_RULE", "CapBehaviour", "CapBook", "CapPeriod", "EarningCap"]

CAP_RULE = "points rule 3: limits per resident and period (day, week, month), on count and amount"
"""The rule cited when a credit meets an earning cap."""

Window = tuple[int, int, int]
"""The key of a cap's period: (year, month, day), (year, ISO week, 0) or (year, month, 0)."""


class CapPeriod(enum.Enum):
    """The calendar period a cap counts over, in Asia/Shanghai."""

    DAY = "day"
    """A calendar day."""
    WEEK = "week"
    """An ISO week, Monday 00:00 to Sunday 24:00."""
    MONTH = "month"
    """A calendar month."""


class CapBehaviour(enum.Enum):
    """What a confirmation does when its credit would pass a cap."""

    CREDIT_UP_TO_CAP = "credit_up_to_cap"
    """Credit what is left under the cap (possibly nothing); record attendance anyway."""
    REFUSE = "refuse"
    """Refuse the confirmation; nothing changes."""


def _optional_positive(
    _instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is None:
        return
    if v.check_count(value, attribute.name) < 1:
        raise InvalidValue(
            f"cap {attribute.name} {value} is not positive", value=value, limit=1, rule=CAP_RULE
        )


@attrs.frozen(kw_only=True)
class EarningCap:
    """A cap on one scheme's earning per resident and period.

    Args:
        scheme: The scheme's code.
        period: The period counted.
        points: The most points credited in a period; ``None`` for no limit on points.
        credits: The most credits (confirmations that credit points) in a period;
            ``None`` for no limit on their count.
        behaviour: What happens at the cap.

    Raises:
        InvalidValue: neither limit is given, or a limit is not positive.
    """

    scheme: str = attrs.field(validator=v.identifier)
    period: CapPeriod = attrs.field(validator=attrs.validators.instance_of(CapPeriod))
    points: int | None = attrs.field(default=None, validator=_optional_positive)
    credits: int | None = attrs.field(default=None, validator=_optional_positive)
    behaviour: CapBehaviour = attrs.field(
        default=CapBehaviour.CREDIT_UP_TO_CAP, validator=attrs.validators.instance_of(CapBehaviour)
    )

    def __attrs_post_init__(self) -> None:
        if self.points is None and self.credits is None:
            raise InvalidValue(
                f"the {self.period.value} cap of {self.scheme} limits neither points nor credits",
                value=None,
                limit="a limit",
                rule=CAP_RULE,
            )

    def window(self, at: _dt.datetime) -> tuple[int, int, int]:
        """Return the key of the period containing ``at`` (in Asia/Shanghai)."""
        local = _dt.datetime.fromtimestamp(require_aware(at, "at").timestamp(), SHANGHAI)
        if self.period is CapPeriod.DAY:
            return (local.year, local.month, local.day)
        if self.period is CapPeriod.WEEK:
            year, week, _ = local.isocalendar()
            return (year, week, 0)
        return (local.year, local.month, 0)


_CapAt = tuple[EarningCap, dict[str, tuple[int, int]]]
"""A cap and, in its window at one time, the points and credits each resident used."""

_NOTHING = (0, 0)
"""Nothing used: no points, no credits."""


def _caps(value: Iterable[EarningCap]) -> tuple[EarningCap, ...]:
    caps = v.to_tuple(value)
    for cap in caps:
        if not isinstance(cap, EarningCap):
            raise TypeError(f"a cap must be an EarningCap, not {type(cap).__name__}")
    return caps


class CapBook:
    """The caps of a programme and what each resident has earned against them.

    Args:
        caps: The caps; several may apply to one scheme (a day and a month).
    """

    def __init__(self, caps: Iterable[EarningCap] = ()) -> None:
        self.caps = _caps(caps)
        # The schemes some cap counts: earning in any other scheme is never capped, so a
        # confirmation asks nothing and records nothing for it.
        self._capped = frozenset(cap.scheme for cap in self.caps)
        # (cap index, window) → resident → (points, credits): what each resident has used
        # of one cap in one window, looked up by the resident's id alone. The counts are
        # tuples of integers, replaced on each credit, which the garbage collector stops
        # tracking.
        self._used: dict[tuple[int, Window], dict[str, tuple[int, int]]] = {}
        self._last: tuple[_dt.datetime | None, tuple[tuple[int, int, int], ...]] = (None, ())

    def _windows(self, at: _dt.datetime) -> tuple[tuple[int, int, int], ...]:
        # The windows of every cap at ``at``; a confirmation asks for one time many times.
        last, windows = self._last
        if last is None or last != at:
            windows = tuple(cap.window(at) for cap in self.caps)
            self._last = (at, windows)
        return windows

    def counts(self, scheme: str) -> bool:
        """Return whether some cap counts earning in ``scheme``.

        Earning in a scheme no cap names is never limited: its
        [`allowed`][grassroots.programme.caps.CapBook.allowed] is the points asked.
        """
        return scheme in self._capped

    def allowed(self, resident: str, scheme: str, points: int, *, at: _dt.datetime) -> int:
        """Return how many of ``points`` may be credited to ``resident`` at ``at``.

        Raises:
            EarningCapReached: a refusing cap would be passed.
        """
        allowed = v.check_count(points, "points")
        if scheme not in self._capped:
            return allowed
        return self._room(resident, scheme, allowed, self._caps_at(scheme, at))

    def _caps_at(self, scheme: str, at: _dt.datetime) -> tuple[_CapAt, ...]:
        """Return each cap of ``scheme`` with what residents used of it in its window at ``at``.

        A confirmation works this out once for all its residents.
        """
        windows = self._windows(at)
        used = self._used
        return tuple(
            (cap, used.setdefault((index, windows[index]), {}))
            for index, cap in enumerate(self.caps)
            if cap.scheme == scheme
        )

    def _room(
        self,
        resident: str,
        scheme: str,
        points: int,
        caps_at: tuple[_CapAt, ...],
    ) -> int:
        """Return how many of ``points`` (a count, checked) the caps ``caps_at`` allow."""
        allowed = points
        for cap, used in caps_at:
            used_points, used_credits = used.get(resident, _NOTHING)
            room = allowed
            if cap.points is not None:
                room = min(room, cap.points - used_points)
            if cap.credits is not None and used_credits >= cap.credits:
                room = 0
            if room < allowed and cap.behaviour is CapBehaviour.REFUSE:
                raise EarningCapReached(
                    f"{points} points of {scheme} for {resident!r} would pass the"
                    f" {cap.period.value} cap ({used_points} of {cap.points} points,"
                    f" {used_credits} of {cap.credits} credits used; {CAP_RULE})",
                    value=used_points + points,
                    limit=cap.points if cap.points is not None else cap.credits,
                    rule=CAP_RULE,
                )
            allowed = max(room, 0)
        return allowed

    def record(self, resident: str, scheme: str, points: int, *, at: _dt.datetime) -> None:
        """Count ``points`` credited at ``at`` against every cap of ``scheme``."""
        self._add(resident, scheme, points, 1, at)

    def release(self, resident: str, scheme: str, points: int, *, at: _dt.datetime) -> None:
        """Give back ``points`` credited at ``at`` (a reversed confirmation)."""
        self._add(resident, scheme, -points, -1, at)

    def used(self, resident: str, cap: EarningCap, *, at: _dt.datetime) -> int:
        """Return the points ``resident`` has earned against ``cap`` in the period of ``at``."""
        index = self.caps.index(cap)
        return self._used.get((index, cap.window(at)), {}).get(resident, _NOTHING)[0]

    def _add(self, resident: str, scheme: str, points: int, count: int, at: _dt.datetime) -> None:
        if points == 0 or scheme not in self._capped:
            return
        self._count(resident, points, count, self._caps_at(scheme, at))

    def _count(
        self,
        resident: str,
        points: int,
        count: int,
        caps_at: tuple[_CapAt, ...],
    ) -> None:
        """Count ``points`` (not zero) and ``count`` credits against the caps ``caps_at``."""
        for _cap, used in caps_at:
            used_points, used_credits = used.get(resident, _NOTHING)
            used[resident] = (used_points + points, used_credits + count)
