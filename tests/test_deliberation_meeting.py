"""Meeting series: RFC 5545 recurrence in Asia/Shanghai, changed occurrences, records, ``.ics``."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest
from dateutil.rrule import rrulestr

from grassroots.deliberation import (
    Channel,
    MeetingRecord,
    MeetingSeries,
    OccurrenceStatus,
    Place,
    SeriesKind,
    SuggestionDetails,
    held_and_scheduled,
)
from grassroots.errors import DuplicateId, InvalidValue, UnknownOccurrence

ZONE = "Asia/Shanghai"


def local(y: int, m: int, d: int, h: int = 15, mi: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, h, mi, tz=ZONE)


def days(first: pendulum.Date, last: pendulum.Date) -> pendulum.Interval[pendulum.Date]:
    return pendulum.interval(first, last)


def tea(**changes: object) -> MeetingSeries:
    series = MeetingSeries(
        id="tea",
        name="书记下午茶",
        kind=SeriesKind.AFTERNOON_TEA,
        first_start=local(2025, 1, 1),
        duration_minutes=90,
        rule="FREQ=WEEKLY;BYDAY=WE",
        location="龙居社区党群服务中心",
    )
    return attrs.evolve(series, **changes)


class TestOccurrences:
    def test_wednesdays_across_month_and_year_end(self) -> None:
        """From 2025-12-20 to 2026-01-20 the Wednesdays are 24, 31, 7, 14."""
        found = tea().occurrences(days(pendulum.Date(2025, 12, 20), pendulum.Date(2026, 1, 20)))
        assert [o.start.to_date_string() for o in found] == [
            "2025-12-24",
            "2025-12-31",
            "2026-01-07",
            "2026-01-14",
        ]
        assert all(o.start.hour == 15 and o.start.offset == 8 * 3600 for o in found)
        assert found[0].end == local(2025, 12, 24, 16, 30)

    def test_period_ends_are_included(self) -> None:
        """A period of one Wednesday holds that Wednesday's tea."""
        one = tea().occurrences(days(pendulum.Date(2026, 1, 7), pendulum.Date(2026, 1, 7)))
        assert [o.id for o in one] == ["tea@20260107T1500"]

    def test_nothing_before_the_first_start(self) -> None:
        """A period before the series is empty."""
        assert tea().occurrences(days(pendulum.Date(2024, 1, 1), pendulum.Date(2024, 12, 31))) == ()

    def test_until_ends_the_series(self) -> None:
        """The last local day is included, nothing after it."""
        series = tea(until=pendulum.Date(2025, 1, 15))
        year = days(pendulum.Date(2025, 1, 1), pendulum.Date(2025, 12, 31))
        assert [o.start.day for o in series.occurrences(year)] == [1, 8, 15]

    def test_monthly_and_quarterly(self) -> None:
        """坝坝会 on the first Saturday of each month; 龙居夜话 every three months."""
        baba = MeetingSeries(
            id="baba",
            name="坝坝会",
            kind=SeriesKind.OPEN_AIR,
            first_start=local(2026, 1, 3, 19),
            duration_minutes=120,
            rule="FREQ=MONTHLY;BYDAY=1SA",
        )
        year = days(pendulum.Date(2026, 1, 1), pendulum.Date(2026, 12, 31))
        assert [o.start.day for o in baba.occurrences(year)] == [3, 7, 7, 4, 2, 6, 4, 1, 5, 3, 7, 5]
        night = attrs.evolve(
            baba, id="night", rule="FREQ=MONTHLY;INTERVAL=3", first_start=local(2026, 1, 15, 19)
        )
        assert [o.start.month for o in night.occurrences(year)] == [1, 4, 7, 10]


class TestChanges:
    def test_move_one_occurrence(self) -> None:
        """A moved tea appears where it now falls, the series rule untouched."""
        moved = tea().move(local(2025, 12, 31), to=local(2026, 1, 2, 10), reason="元旦")
        december = days(pendulum.Date(2025, 12, 29), pendulum.Date(2025, 12, 31))
        january = days(pendulum.Date(2026, 1, 1), pendulum.Date(2026, 1, 3))
        assert moved.occurrences(december) == ()
        (only,) = moved.occurrences(january)
        assert (only.status, only.start, only.id) == (
            OccurrenceStatus.MOVED,
            local(2026, 1, 2, 10),
            "tea@20251231T1500",
        )
        assert moved.rule == tea().rule
        assert tea().occurrences(december)  # the original series is unchanged

    def test_cancel_one_occurrence(self) -> None:
        """A cancelled tea is left out, or listed as cancelled on request."""
        cancelled = tea().cancel(local(2026, 1, 7), reason="暴雨")
        week = days(pendulum.Date(2026, 1, 5), pendulum.Date(2026, 1, 11))
        assert cancelled.occurrences(week) == ()
        (listed,) = cancelled.occurrences(week, include_cancelled=True)
        assert (listed.status, listed.reason) == (OccurrenceStatus.CANCELLED, "暴雨")

    def test_changes_name_real_occurrences_once(self) -> None:
        """A Thursday is no occurrence of a Wednesday series; one change per occurrence."""
        with pytest.raises(UnknownOccurrence):
            tea().cancel(local(2026, 1, 8))
        with pytest.raises(UnknownOccurrence):
            tea().cancel(local(2026, 1, 7, 16))
        with pytest.raises(DuplicateId):
            tea().cancel(local(2026, 1, 7)).cancel(local(2026, 1, 7))


class TestValidation:
    @pytest.mark.parametrize(
        "rule",
        [
            "FREQ=HOURLY",
            "FREQ=WEEKLY;BYHOUR=9",
            "FREQ=WEEKLY;BYSETPOS=1",
            "FREQ=WEEKLY;COUNT=5",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=WEEKLY;BYDAY=1WE",
            "FREQ=MONTHLY;BYDAY=6WE",
            "FREQ=WEEKLY;;",
            "FREQ=WEEKLY;FREQ=DAILY",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;INTERVAL=x",
            "",
            "FREQ=WEEKLY\nBYDAY=WE",
        ],
    )
    def test_unsupported_rules_are_refused(self, rule: str) -> None:
        """Only the supported part of RFC 5545 is accepted."""
        with pytest.raises(InvalidValue):
            tea(rule=rule)

    def test_first_start_must_be_an_occurrence(self) -> None:
        """A Wednesday rule cannot start on a Thursday, nor Feb 30 ever happen."""
        with pytest.raises(InvalidValue):
            tea(first_start=local(2025, 1, 2))
        with pytest.raises(InvalidValue):
            tea(rule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")

    def test_other_bad_values(self) -> None:
        """Durations, naive starts, periods and end days are checked."""
        with pytest.raises(InvalidValue):
            tea(duration_minutes=0)
        with pytest.raises(InvalidValue):
            tea(until=pendulum.Date(2024, 12, 31))
        with pytest.raises(TypeError):
            tea(first_start=pendulum.naive(2025, 1, 1, 15))
        with pytest.raises(TypeError):
            tea(rule=5)
        with pytest.raises(InvalidValue):
            tea().occurrences(days(pendulum.Date(2026, 1, 2), pendulum.Date(2026, 1, 1)))
        with pytest.raises(InvalidValue):
            tea().occurrences(days(pendulum.Date(2026, 1, 1), pendulum.Date(2301, 1, 1)))
        with pytest.raises(TypeError):
            tea().occurrences((pendulum.Date(2026, 1, 1), pendulum.Date(2026, 2, 1)))  # type: ignore[arg-type]


class TestRecord:
    def test_a_record_with_suggestions_raised(self) -> None:
        """Attendance, departments and suggestions of the occurrence held."""
        series = tea()
        (occurrence,) = series.occurrences(
            days(pendulum.Date(2026, 1, 7), pendulum.Date(2026, 1, 7))
        )
        raised = SuggestionDetails(
            text="广场增设休息椅",
            place=Place(subcommunity_id="longju"),
            category="公共设施",
            channel=Channel.MEETING,
            source=occurrence.id,
        )
        record = MeetingRecord(
            occurrence=occurrence,
            attendees=23,
            resident_ids=["r1", "r2"],
            departments=["汉州街道", "物业公司"],
            suggestions=[raised],
        )
        january = days(pendulum.Date(2026, 1, 1), pendulum.Date(2026, 1, 31))
        assert held_and_scheduled(series, [record], january) == (1, 4)
        with pytest.raises(InvalidValue):
            attrs.evolve(record, suggestions=[attrs.evolve(raised, source="other@1")])
        with pytest.raises(InvalidValue):
            attrs.evolve(record, suggestions=[attrs.evolve(raised, channel=Channel.PATROL)])
        with pytest.raises(InvalidValue):
            attrs.evolve(record, attendees=1)
        with pytest.raises(InvalidValue):
            attrs.evolve(record, departments=[""])

    def test_a_cancelled_occurrence_is_not_held(self) -> None:
        """Cancelled means not held."""
        series = tea().cancel(local(2026, 1, 7))
        week = days(pendulum.Date(2026, 1, 7), pendulum.Date(2026, 1, 7))
        (cancelled,) = series.occurrences(week, include_cancelled=True)
        with pytest.raises(InvalidValue):
            MeetingRecord(occurrence=cancelled, attendees=0)


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


class TestIcs:
    def test_calendar_structure(self) -> None:
        """One calendar, a time zone, the series, its exceptions and its moved occurrence."""
        series = (
            tea(location="党群服务中心, 一楼; 茶室")
            .cancel(local(2026, 1, 7), reason="暴雨")
            .move(local(2025, 12, 31), to=local(2026, 1, 2, 10), reason="元旦调休")
        )
        lines = unfold(series.to_ics(stamp=pendulum.datetime(2026, 1, 1, tz="UTC")))
        assert lines[0] == "BEGIN:VCALENDAR"
        assert lines[-1] == "END:VCALENDAR"
        assert lines.count("BEGIN:VEVENT") == 2
        assert "DTSTART;TZID=Asia/Shanghai:20250101T150000" in lines
        assert "RRULE:FREQ=WEEKLY;BYDAY=WE" in lines
        assert "EXDATE;TZID=Asia/Shanghai:20260107T150000" in lines
        assert "RECURRENCE-ID;TZID=Asia/Shanghai:20251231T150000" in lines
        assert "DTSTART;TZID=Asia/Shanghai:20260102T100000" in lines
        assert "LOCATION:党群服务中心\\, 一楼\\; 茶室" in lines
        assert "DTSTAMP:20260101T000000Z" in lines

    def test_lines_are_folded_at_75_octets(self) -> None:
        """No physical line exceeds 75 octets, even in Chinese, and unfolding restores it."""
        long_name = "龙居社区" * 40
        text = tea(name=long_name).to_ics(stamp=pendulum.datetime(2026, 1, 1, tz="UTC"))
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        assert f"SUMMARY:{long_name}" in unfold(text)

    def test_until_is_written_in_utc(self) -> None:
        """RFC 5545: with a TZID start, UNTIL is UTC (the local day's end, 15:59:59Z)."""
        text = tea(until=pendulum.Date(2026, 6, 30)).to_ics(stamp=pendulum.datetime(2026, 1, 1))
        assert "RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20260630T155959Z" in unfold(text)

    def test_the_exported_rule_gives_the_same_occurrences(self) -> None:
        """Reading the exported DTSTART and RRULE with dateutil finds the same Wednesdays."""
        series = tea()
        lines = unfold(series.to_ics(stamp=pendulum.datetime(2026, 1, 1)))
        start = next(line for line in lines if line.startswith("DTSTART;")).split(":")[1]
        rule = next(line for line in lines if line.startswith("RRULE:"))
        parsed = rrulestr(f"DTSTART:{start}\n{rule}")
        window = parsed.between(dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 1), inc=True)  # noqa: DTZ001
        mine = series.occurrences(days(pendulum.Date(2026, 1, 1), pendulum.Date(2026, 2, 28)))
        assert [w.isoformat() for w in window] == [o.start.naive().isoformat() for o in mine]

    def test_stamp_must_be_aware(self) -> None:
        """The calendar's stamp is an argument, and aware."""
        with pytest.raises(TypeError):
            tea().to_ics(stamp=pendulum.naive(2026, 1, 1))
