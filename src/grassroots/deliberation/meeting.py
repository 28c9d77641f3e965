"""Recurring consultation meetings (议事协商会): series, occurrences, attendance, ``.ics``.

Longju holds a weekly secretary's afternoon tea (书记下午茶) on Wednesdays, a
monthly open-air meeting (坝坝会) and a quarterly evening talk (龙居夜话). A
[`MeetingSeries`][grassroots.deliberation.meeting.MeetingSeries] states its
recurrence as an iCalendar rule (RFC 5545 ``RRULE``), computed by
``dateutil.rrule``, in Asia/Shanghai (UTC+8, no daylight saving). Its
occurrences in any period come from
[`occurrences`][grassroots.deliberation.meeting.MeetingSeries.occurrences];
one occurrence can be moved or cancelled without touching the series; a held
meeting is a [`MeetingRecord`][grassroots.deliberation.meeting.MeetingRecord]
with its attendance, the departments that came and the suggestions raised
(which enter the pipeline at step 1);
[`to_ics`][grassroots.deliberation.meeting.MeetingSeries.to_ics]
writes a calendar a phone can subscribe to.

Examples:
    >>> import pendulum
    >>> tea = MeetingSeries(
    ...     id="tea",
    ...     name="书记下午茶",
    ...     kind=SeriesKind.AFTERNOON_TEA,
    ...     first_start=pendulum.datetime(2026, 1, 7, 15, 0, tz="Asia/Shanghai"),
    ...     duration_minutes=90,
    ...     rule="FREQ=WEEKLY;BYDAY=WE",
    ...     location="龙居社区党群服务中心",
    ... )
    >>> january = pendulum.interval(pendulum.Date(2026, 1, 1), pendulum.Date(2026, 1, 31))
    >>> [o.start.day for o in tea.occurrences(january)]
    [7, 14, 21, 28]
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable
from typing import Any, Final

import attrs
import pendulum
from dateutil import rrule as _rrule

from grassroots._time import SHANGHAI, require_aware, require_date
from grassroots._validators import (
    check_count,
    count,
    identifier,
    identifiers,
    name,
    require_unique,
    text,
    to_optional_date,
    to_tuple,
)
from grassroots.deliberation.pipeline import Channel, SuggestionDetails, _str_set
from grassroots.errors import InvalidValue, UnknownOccurrence

__all__ = [
    "MAX_OCCURRENCE_YEAR",
    "RECURRENCE_RULE",
    "MeetingRecord",
    "MeetingSeries",
    "Occurrence",
    "OccurrenceChange",
    "OccurrenceStatus",
    "SeriesKind",
    "held_and_scheduled",
]

RECURRENCE_RULE: Final = (
    "a series recurs by an RFC 5545 RRULE with FREQ DAILY, WEEKLY, MONTHLY or YEARLY and"
    " only INTERVAL, BYDAY, BYMONTHDAY, BYMONTH and WKST; its first start is an occurrence"
)
"""The supported part of RFC 5545 recurrence rules, cited when a rule is refused."""

MAX_OCCURRENCE_YEAR: Final = 2200
"""The last year for which occurrences are computed (bounds the work of a query)."""

_FREQUENCIES: Final = {
    "DAILY": _rrule.DAILY,
    "WEEKLY": _rrule.WEEKLY,
    "MONTHLY": _rrule.MONTHLY,
    "YEARLY": _rrule.YEARLY,
}
_PARTS: Final = frozenset({"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"})
_WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MAX_INTERVAL: Final = 1000
_MAX_DURATION_MINUTES: Final = 24 * 60


class SeriesKind(enum.Enum):
    """The kind of consultation meeting."""

    AFTERNOON_TEA = "afternoon_tea"
    """书记下午茶: the secretary's afternoon tea, weekly on Wednesdays at Longju."""
    OPEN_AIR = "open_air"
    """坝坝会: the open-air meeting in the compound, monthly."""
    EVENING_TALK = "evening_talk"
    """龙居夜话: the evening talk, quarterly."""
    OTHER = "other"
    """Any other consultation meeting."""

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return {
            "afternoon_tea": "书记下午茶",
            "open_air": "坝坝会",
            "evening_talk": "龙居夜话",
            "other": "议事协商会",
        }[self.value]


class OccurrenceStatus(enum.Enum):
    """Whether an occurrence stands as the rule put it."""

    SCHEDULED = "scheduled"
    """At the time the rule gives."""
    MOVED = "moved"
    """Moved to another time."""
    CANCELLED = "cancelled"
    """Not held."""


def _refuse(message: str, value: object) -> InvalidValue:
    return InvalidValue(
        f"{message} ({RECURRENCE_RULE})", value=value, limit=RECURRENCE_RULE, rule=RECURRENCE_RULE
    )


def _parse_rule(rule: str) -> dict[str, str]:
    """Split an RRULE value into its parts, refusing what the series does not support."""
    if not isinstance(rule, str):
        raise TypeError(f"rule must be str, not {type(rule).__name__}")
    body = rule.removeprefix("RRULE:")
    if not body or len(body) > 200 or not body.isascii() or not body.isprintable():
        raise _refuse(f"rule {rule[:60]!r} is not a short RRULE value", rule[:60])
    parts: dict[str, str] = {}
    for item in body.split(";"):
        key, sep, value = item.partition("=")
        key = key.upper()
        if not sep or not value or key in parts:
            raise _refuse(f"rule part {item!r} is malformed or repeated", item)
        if key not in _PARTS:
            raise _refuse(f"rule part {key} is not supported", key)
        parts[key] = value.upper()
    if parts.get("FREQ") not in _FREQUENCIES:
        raise _refuse(f"rule {rule!r} has no supported FREQ", parts.get("FREQ"))
    return parts


def _ints(value: str, low: int, high: int, what: str) -> list[int]:
    numbers = []
    for item in value.split(","):
        try:
            number = int(item)
        except ValueError:
            raise _refuse(f"{what} {item!r} is not a number", item) from None
        if not (low <= abs(number) <= high) or (low > 0 and number == 0):
            raise _refuse(f"{what} {number} is out of range", number)
        numbers.append(number)
    return numbers


def _nth_in_month(day: _dt.date) -> tuple[int, int]:
    days = pendulum.Date(day.year, day.month, 1).days_in_month
    return (day.day - 1) // 7 + 1, -((days - day.day) // 7 + 1)


def _nth_in_year(day: _dt.date) -> tuple[int, int]:
    ordinal = day.timetuple().tm_yday
    length = 366 if pendulum.Date(day.year, 1, 1).is_leap_year() else 365
    return (ordinal - 1) // 7 + 1, -((length - ordinal) // 7 + 1)


def _start_matches(parts: dict[str, str], start: _dt.date) -> bool:
    """Return whether ``start`` is an occurrence of the rule (so the rule has one)."""
    if "BYMONTH" in parts and start.month not in _ints(parts["BYMONTH"], 1, 12, "BYMONTH"):
        return False
    if "BYMONTHDAY" in parts:
        days = pendulum.Date(start.year, start.month, 1).days_in_month
        wanted = _ints(parts["BYMONTHDAY"], 1, 31, "BYMONTHDAY")
        if start.day not in wanted and start.day - days - 1 not in wanted:
            return False
    if "BYDAY" not in parts:
        return True
    freq = parts["FREQ"]
    for item in parts["BYDAY"].split(","):
        weekday, ordinal = item[-2:], item[:-2]
        if weekday not in _WEEKDAYS:
            raise _refuse(f"BYDAY {item!r} names no weekday", item)
        if ordinal:
            if freq not in {"MONTHLY", "YEARLY"}:
                raise _refuse(f"BYDAY {item!r} has an ordinal, which {freq} rules cannot", item)
            limit = 5 if freq == "MONTHLY" or "BYMONTH" in parts else 53
            (n,) = _ints(ordinal, 1, limit, "BYDAY ordinal")
            nth = _nth_in_month(start) if limit == 5 else _nth_in_year(start)
            if _WEEKDAYS.index(weekday) == start.weekday() and n in nth:
                return True
        elif _WEEKDAYS.index(weekday) == start.weekday():
            return True
    return False


def _local(value: _dt.datetime, what: str) -> pendulum.DateTime:
    return require_aware(value, what).in_timezone(SHANGHAI)


def _wall(day: _dt.date, hour: int = 0, minute: int = 0, second: int = 0) -> _dt.datetime:
    """Return a naive wall-clock time in Asia/Shanghai, the form ``dateutil.rrule`` computes in.

    Asia/Shanghai has had no daylight saving since 1991, so wall-clock
    arithmetic is exact there.
    """
    return _dt.datetime(day.year, day.month, day.day, hour, minute, second)  # noqa: DTZ001


def _naive(value: pendulum.DateTime) -> _dt.datetime:
    local = value.in_timezone(SHANGHAI)
    return _wall(local, local.hour, local.minute, local.second)


def _aware(value: _dt.datetime) -> pendulum.DateTime:
    return pendulum.datetime(
        value.year, value.month, value.day, value.hour, value.minute, value.second, tz=SHANGHAI
    )


def _aware_converter(value: _dt.datetime) -> pendulum.DateTime:
    return _local(value, "time")


def _optional_aware(value: _dt.datetime | None) -> pendulum.DateTime | None:
    return None if value is None else _local(value, "time")


@attrs.frozen(kw_only=True)
class OccurrenceChange:
    """A change to one occurrence: moved to ``new_start``, or cancelled when that is ``None``.

    Args:
        original_start: The start the rule gives the occurrence.
        new_start: The new start, or ``None`` for a cancellation.
        reason: Why (``"暴雨，改期"``).
    """

    original_start: pendulum.DateTime = attrs.field(converter=_aware_converter)
    new_start: pendulum.DateTime | None = attrs.field(default=None, converter=_optional_aware)
    reason: str = attrs.field(default="", validator=text)


@attrs.frozen(kw_only=True)
class Occurrence:
    """One occurrence of a series, as it stands.

    Args:
        series_id: Its series.
        original_start: The start the rule gives it (its identity).
        start: When it starts now (the new start if moved).
        end: When it ends.
        status: Scheduled, moved or cancelled.
        reason: The reason of the change, if any.
    """

    series_id: str
    original_start: pendulum.DateTime
    start: pendulum.DateTime
    end: pendulum.DateTime
    status: OccurrenceStatus
    reason: str = ""

    @property
    def id(self) -> str:
        """A stable id: series id, ``@``, original local start (``tea@20260107T1500``)."""
        return f"{self.series_id}@{self.original_start.in_timezone(SHANGHAI):YYYYMMDD[T]HHmm}"


def _changes(value: Iterable[OccurrenceChange]) -> tuple[OccurrenceChange, ...]:
    changes = to_tuple(value)
    for change in changes:
        if not isinstance(change, OccurrenceChange):
            raise TypeError(f"changes must be OccurrenceChange values, not {type(change).__name__}")
    return tuple(sorted(changes, key=lambda c: c.original_start))


@attrs.frozen(kw_only=True)
class MeetingSeries:
    """A recurring consultation meeting of a community, in Asia/Shanghai.

    Args:
        id: Stable id.
        name: Its name, such as ``"书记下午茶"``.
        kind: Afternoon tea, open-air meeting, evening talk or other.
        first_start: The first occurrence's start (RFC 5545 ``DTSTART``); kept
            in Asia/Shanghai, to the second.
        duration_minutes: How long each occurrence lasts (1 to 1440).
        rule: The recurrence, an RFC 5545 ``RRULE`` value such as
            ``"FREQ=WEEKLY;BYDAY=WE"`` (see
            [`RECURRENCE_RULE`][grassroots.deliberation.meeting.RECURRENCE_RULE]
            for the supported parts).
        until: The last local day of the series, or ``None`` if open-ended.
        location: Where it meets.
        changes: Moved and cancelled occurrences, one change per occurrence.

    Raises:
        InvalidValue: the rule is not supported, its first start is not an
            occurrence of it, a change names no occurrence or repeats, or
            ``until`` is before the first start.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    kind: SeriesKind = attrs.field(validator=attrs.validators.instance_of(SeriesKind))
    first_start: pendulum.DateTime = attrs.field(converter=_aware_converter)
    duration_minutes: int = attrs.field(validator=count)
    rule: str = attrs.field()
    until: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    location: str = attrs.field(default="", validator=text)
    changes: tuple[OccurrenceChange, ...] = attrs.field(default=(), converter=_changes)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.duration_minutes <= _MAX_DURATION_MINUTES:
            raise InvalidValue(
                f"series {self.id}: duration {self.duration_minutes} minutes is outside"
                f" 1..{_MAX_DURATION_MINUTES}",
                value=self.duration_minutes,
                limit=_MAX_DURATION_MINUTES,
                rule=RECURRENCE_RULE,
            )
        if self.first_start.microsecond or self.first_start.year > MAX_OCCURRENCE_YEAR:
            raise _refuse(
                f"series {self.id}: first start {self.first_start.isoformat()} must be to the"
                f" second and no later than {MAX_OCCURRENCE_YEAR}",
                self.first_start.isoformat(),
            )
        parts = _parse_rule(self.rule)
        if "INTERVAL" in parts:
            _ints(parts["INTERVAL"], 1, _MAX_INTERVAL, "INTERVAL")
        if "WKST" in parts and parts["WKST"] not in _WEEKDAYS:
            raise _refuse(f"WKST {parts['WKST']!r} names no weekday", parts["WKST"])
        if not _start_matches(parts, self.first_start):
            raise _refuse(
                f"series {self.id}: first start {self.first_start.isoformat()} is not an"
                f" occurrence of {self.rule!r}",
                self.rule,
            )
        if self.until is not None and self.until < self.first_start.date():
            raise _refuse(
                f"series {self.id} ends {self.until} before its first start", str(self.until)
            )
        require_unique(
            (c.original_start.isoformat() for c in self.changes),
            what="changed occurrence",
            scope=f"series {self.id}",
        )
        for change in self.changes:
            if not self._is_occurrence(change.original_start):
                raise UnknownOccurrence(
                    f"series {self.id} has no occurrence at {change.original_start.isoformat()}",
                    value=change.original_start.isoformat(),
                    rule=RECURRENCE_RULE,
                )

    # --- the recurrence ------------------------------------------------------------

    def _recurrence(self) -> _rrule.rrule:
        until = self.until if self.until is not None else pendulum.Date(MAX_OCCURRENCE_YEAR, 12, 31)
        rule = _rrule.rrulestr(self.rule.removeprefix("RRULE:"), dtstart=_naive(self.first_start))
        assert isinstance(rule, _rrule.rrule)
        return rule.replace(until=_wall(until, 23, 59, 59))

    def _is_occurrence(self, start: pendulum.DateTime) -> bool:
        naive = _naive(start)
        return naive in self._recurrence().between(naive, naive, inc=True)

    def scheduled_starts(self, period: pendulum.Interval[Any]) -> tuple[pendulum.DateTime, ...]:
        """Return the starts the rule itself gives in ``period`` (local days, both ends included).

        Moved and cancelled occurrences are included at their original start.

        Raises:
            InvalidValue: the period ends before it starts or after
                [`MAX_OCCURRENCE_YEAR`][grassroots.deliberation.meeting.MAX_OCCURRENCE_YEAR].
        """
        first, last = _period(period)
        if last < self.first_start.date():
            return ()
        starts = self._recurrence().between(
            _wall(first),
            _wall(last, 23, 59, 59),
            inc=True,
        )
        return tuple(_aware(s) for s in starts)

    def occurrences(
        self, period: pendulum.Interval[Any], *, include_cancelled: bool = False
    ) -> tuple[Occurrence, ...]:
        """Return the occurrences that start in ``period`` (local days, both ends included).

        A moved occurrence is in the period its new start falls in; a cancelled
        one is left out unless ``include_cancelled``, then listed at its original start.

        Args:
            period: The local days, as an ``Interval`` of dates; with mypy, build it
                with ``pendulum.Interval(first, last)`` (``pendulum.interval`` is
                typed for datetimes only).
            include_cancelled: Also list cancelled occurrences.

        Examples:
            >>> import pendulum
            >>> night = MeetingSeries(
            ...     id="night",
            ...     name="龙居夜话",
            ...     kind=SeriesKind.EVENING_TALK,
            ...     first_start=pendulum.datetime(2026, 1, 15, 19, 30, tz="Asia/Shanghai"),
            ...     duration_minutes=120,
            ...     rule="FREQ=MONTHLY;INTERVAL=3",
            ... )
            >>> year = pendulum.interval(pendulum.Date(2026, 1, 1), pendulum.Date(2026, 12, 31))
            >>> [o.start.month for o in night.occurrences(year)]
            [1, 4, 7, 10]
        """
        first, last = _period(period)
        changed = {c.original_start: c for c in self.changes}
        length = pendulum.duration(minutes=self.duration_minutes)
        found: list[Occurrence] = []
        for start in self.scheduled_starts(period):
            change = changed.get(start)
            if change is None:
                found.append(
                    Occurrence(
                        series_id=self.id,
                        original_start=start,
                        start=start,
                        end=start + length,
                        status=OccurrenceStatus.SCHEDULED,
                    )
                )
            elif change.new_start is None and include_cancelled:
                found.append(
                    Occurrence(
                        series_id=self.id,
                        original_start=start,
                        start=start,
                        end=start + length,
                        status=OccurrenceStatus.CANCELLED,
                        reason=change.reason,
                    )
                )
        found.extend(
            Occurrence(
                series_id=self.id,
                original_start=change.original_start,
                start=change.new_start,
                end=change.new_start + length,
                status=OccurrenceStatus.MOVED,
                reason=change.reason,
            )
            for change in self.changes
            if change.new_start is not None and first <= change.new_start.date() <= last
        )
        return tuple(sorted(found, key=lambda o: (o.start, o.original_start)))

    # --- changes ---------------------------------------------------------------------

    def move(
        self, original_start: pendulum.DateTime, *, to: pendulum.DateTime, reason: str = ""
    ) -> MeetingSeries:
        """Return the series with one occurrence moved to ``to``; the rule is untouched.

        Raises:
            UnknownOccurrence: the rule gives no occurrence at ``original_start``.
            InvalidValue: the occurrence was already changed.
        """
        return self._change(
            OccurrenceChange(original_start=original_start, new_start=to, reason=reason)
        )

    def cancel(self, original_start: pendulum.DateTime, *, reason: str = "") -> MeetingSeries:
        """Return the series with one occurrence cancelled; the rule is untouched.

        Raises:
            UnknownOccurrence: the rule gives no occurrence at ``original_start``.
            InvalidValue: the occurrence was already changed.
        """
        return self._change(OccurrenceChange(original_start=original_start, reason=reason))

    def _change(self, change: OccurrenceChange) -> MeetingSeries:
        return attrs.evolve(self, changes=(*self.changes, change))

    # --- export --------------------------------------------------------------------

    def to_ics(self, *, stamp: pendulum.DateTime) -> str:
        """Return the series as an iCalendar (RFC 5545) calendar, with CRLF line ends.

        Cancelled occurrences are ``EXDATE`` values; a moved one is an extra
        event with its ``RECURRENCE-ID``. Lines are folded at 75 octets.

        Args:
            stamp: When the calendar is written (``DTSTAMP``); the core reads no clock.
        """
        stamp_utc = require_aware(stamp, "stamp").in_timezone("UTC")
        dtstamp = f"{stamp_utc:YYYYMMDD[T]HHmmss}Z"
        uid = f"{self.id}@grassroots"
        rule = self.rule.removeprefix("RRULE:").upper()
        if self.until is not None:
            last = pendulum.datetime(
                self.until.year, self.until.month, self.until.day, 23, 59, 59, tz=SHANGHAI
            ).in_timezone("UTC")
            rule += f";UNTIL={last:YYYYMMDD[T]HHmmss}Z"
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//grassroots//deliberation//ZH",
            "CALSCALE:GREGORIAN",
            f"X-WR-CALNAME:{_escape(self.name)}",
            "X-WR-TIMEZONE:Asia/Shanghai",
            "BEGIN:VTIMEZONE",
            "TZID:Asia/Shanghai",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0800",
            "TZOFFSETTO:+0800",
            "TZNAME:CST",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            f"UID:{_escape(uid)}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;TZID=Asia/Shanghai:{_ics_time(self.first_start)}",
            f"DURATION:PT{self.duration_minutes}M",
            f"RRULE:{rule}",
        ]
        lines += [
            f"EXDATE;TZID=Asia/Shanghai:{_ics_time(c.original_start)}"
            for c in self.changes
            if c.new_start is None
        ]
        lines += [f"SUMMARY:{_escape(self.name)}", f"CATEGORIES:{_escape(self.kind.zh)}"]
        if self.location:
            lines.append(f"LOCATION:{_escape(self.location)}")
        lines.append("END:VEVENT")
        for change in self.changes:
            if change.new_start is None:
                continue
            lines += [
                "BEGIN:VEVENT",
                f"UID:{_escape(uid)}",
                f"DTSTAMP:{dtstamp}",
                f"RECURRENCE-ID;TZID=Asia/Shanghai:{_ics_time(change.original_start)}",
                f"DTSTART;TZID=Asia/Shanghai:{_ics_time(change.new_start)}",
                f"DURATION:PT{self.duration_minutes}M",
                f"SUMMARY:{_escape(self.name)}",
            ]
            if change.reason:
                lines.append(f"DESCRIPTION:{_escape(change.reason)}")
            if self.location:
                lines.append(f"LOCATION:{_escape(self.location)}")
            lines.append("END:VEVENT")
        lines.append("END:VCALENDAR")
        return "".join(_fold(line) + "\r\n" for line in lines)


def _period(period: pendulum.Interval[Any]) -> tuple[pendulum.Date, pendulum.Date]:
    if not isinstance(period, pendulum.Interval):
        raise TypeError(f"period must be a pendulum Interval, not {type(period).__name__}")
    first = require_date(period.start, "period start")
    last = require_date(period.end, "period end")
    if last < first or last.year > MAX_OCCURRENCE_YEAR:
        raise InvalidValue(
            f"period {first}..{last} runs backwards or past {MAX_OCCURRENCE_YEAR}",
            value=f"{first}..{last}",
            limit=MAX_OCCURRENCE_YEAR,
            rule=RECURRENCE_RULE,
        )
    return first, last


def _ics_time(value: pendulum.DateTime) -> str:
    return f"{value.in_timezone(SHANGHAI):YYYYMMDD[T]HHmmss}"


def _escape(value: str) -> str:
    """Escape TEXT for iCalendar (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _suggestions(value: Iterable[SuggestionDetails]) -> tuple[SuggestionDetails, ...]:
    items = to_tuple(value)
    for item in items:
        if not isinstance(item, SuggestionDetails):
            raise TypeError(f"suggestions must be SuggestionDetails, not {type(item).__name__}")
    return items


@attrs.frozen(kw_only=True)
class MeetingRecord:
    """A held occurrence: who came, which departments, and the suggestions raised.

    The suggestions raised enter the pipeline at step 1: a grid worker records
    each with
    [`SuggestionPipeline.record`][grassroots.deliberation.pipeline.SuggestionPipeline.record];
    each has the meeting channel and this occurrence as its source.

    Args:
        occurrence: The occurrence held.
        attendees: How many residents attended.
        resident_ids: Ids of the residents who signed in, if recorded (at most ``attendees``).
        departments: The departments and bodies that came (``"街道综治办"``, ``"物业公司"``).
        suggestions: The suggestions raised.
        notes: Free notes.

    Raises:
        InvalidValue: a cancelled occurrence, more sign-ins than attendees, or
            a suggestion whose channel or source is not this meeting.
    """

    occurrence: Occurrence = attrs.field(validator=attrs.validators.instance_of(Occurrence))
    attendees: int = attrs.field(validator=count)
    resident_ids: frozenset[str] = attrs.field(
        default=frozenset(), converter=_str_set, validator=identifiers
    )
    departments: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)
    suggestions: tuple[SuggestionDetails, ...] = attrs.field(default=(), converter=_suggestions)
    notes: str = attrs.field(default="", validator=text)

    def __attrs_post_init__(self) -> None:
        rule = "a meeting record is of a held occurrence and its own suggestions"
        for department in self.departments:
            name(self, attrs.fields(MeetingRecord).departments, department)
        if self.occurrence.status is OccurrenceStatus.CANCELLED:
            raise InvalidValue(
                f"occurrence {self.occurrence.id} was cancelled and cannot be recorded as held",
                value=self.occurrence.id,
                limit="a held occurrence",
                rule=rule,
            )
        check_count(self.attendees, "attendees")
        if len(self.resident_ids) > self.attendees:
            raise InvalidValue(
                f"{len(self.resident_ids)} residents signed in but {self.attendees} attended",
                value=len(self.resident_ids),
                limit=self.attendees,
                rule=rule,
            )
        for item in self.suggestions:
            if item.channel is not Channel.MEETING or item.source != self.occurrence.id:
                raise InvalidValue(
                    f"suggestion {item.text[:30]!r} is from {item.channel.value}"
                    f" {item.source!r}, not meeting {self.occurrence.id}",
                    value=item.source,
                    limit=self.occurrence.id,
                    rule=rule,
                )


def held_and_scheduled(
    series: MeetingSeries, records: Iterable[MeetingRecord], period: pendulum.Interval[Any]
) -> tuple[int, int]:
    """Return (held, scheduled) occurrences of ``series`` starting in ``period``.

    Scheduled counts every occurrence standing in the period (moved ones where
    they now fall, cancelled ones not); held counts those with a record.
    """
    standing = {o.id for o in series.occurrences(period)}
    held = {r.occurrence.id for r in records if r.occurrence.series_id == series.id}
    return len(standing & held), len(standing)
