"""The year report: every section's figures worked by hand, absent inputs, the period."""

from __future__ import annotations

import inspect
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from _world import FIRST, LAST, allocation, pipeline, scenario, year_inputs, year_report

from grassroots.allocation import Step
from grassroots.deliberation import (
    Mailbox,
    Outcome,
    SeriesKind,
    Stage,
    SuggestionPipeline,
    deliberation_report,
)
from grassroots.errors import InvalidValue
from grassroots.reports import REPORT_INPUTS, YearReport, render_text
from grassroots.room import RoomStatus


class TestInputs:
    def test_the_keywords_are_the_documented_inputs(self) -> None:
        """``build`` takes exactly REPORT_INPUTS, all keyword-only, only the scenario required."""
        parameters = inspect.signature(YearReport.build).parameters
        assert tuple(parameters) == REPORT_INPUTS
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
        required = [name for name, p in parameters.items() if p.default is inspect.Parameter.empty]
        assert required == ["scenario"]

    def test_a_mapping_with_those_keys_builds_the_report(self) -> None:
        """The simulation hands over a mapping with exactly these keys."""
        inputs = year_inputs()
        assert set(inputs) == set(REPORT_INPUTS)
        assert YearReport.build(**inputs) == year_report()  # type: ignore[arg-type]

    def test_end_before_start_is_refused(self) -> None:
        """A period that runs backwards is refused, naming both days."""
        with pytest.raises(InvalidValue, match="2026-01-01"):
            YearReport.build(scenario=scenario(), start=FIRST, end=pendulum.Date(2025, 12, 31))

    def test_a_one_day_report_is_allowed(self) -> None:
        """The first day may be the last: one day, both ends included."""
        report = YearReport.build(scenario=scenario(), start=LAST, end=LAST)
        assert (report.first_day, report.last_day) == (LAST, LAST)

    @pytest.mark.parametrize(
        "bad",
        [
            {"start": pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai")},
            {"end": "2026-12-31"},
            {"programme": "programme"},
            {"allocations": ["not an allocation"]},
            {"meetings": [1]},
            {"mailbox": object()},
            {"pipeline": 3},
        ],
        ids=lambda bad: next(iter(bad)),
    )
    def test_wrong_types_are_refused(self, bad: dict[str, object]) -> None:
        """Each input is checked for its type; a datetime is not a day."""
        with pytest.raises(TypeError):
            YearReport.build(scenario=scenario(), start=FIRST, end=LAST, **bad)  # type: ignore[arg-type]

    def test_the_scenario_is_required_and_typed(self) -> None:
        """A scenario that is not a Scenario is refused."""
        with pytest.raises(TypeError, match="Scenario"):
            YearReport.build(scenario="tancheng")  # type: ignore[arg-type]


class TestSections:
    def test_period_and_county(self) -> None:
        """The report names the county and its period."""
        report = year_report()
        assert (report.county, report.county_name) == ("tancheng", "郯城县")
        assert (report.first_day, report.last_day) == (FIRST, LAST)

    def test_coverage(self) -> None:
        """Two branches cover the three compounds once each: full coverage."""
        coverage = year_report().coverage
        assert (coverage.branches, coverage.subcommunities, coverage.covered) == (2, 3, 3)
        assert coverage.complete
        assert (coverage.uncovered, coverage.doubly_covered, coverage.outside) == ((), (), 0)
        assert {s.source.value: s.secretaries for s in coverage.secretary_sources} == {
            "town_street_staff": 1,
            "community_worker": 1,
        }

    def test_rooms(self) -> None:
        """Four rooms of 376.50 m²: three in use (316.00 m²), one handed over (60.50 m²)."""
        rooms = year_report().rooms
        assert (rooms.rooms, rooms.area, rooms.handed_over) == (4, Decimal("376.50"), 4)
        by_status = {t.status: (t.rooms, t.area) for t in rooms.by_status}
        assert by_status[RoomStatus.IN_USE] == (3, Decimal("316.00"))
        assert by_status[RoomStatus.HANDED_OVER] == (1, Decimal("60.50"))
        assert by_status[RoomStatus.FOUND] == (0, Decimal("0.00"))

    def test_venture(self) -> None:
        """188,750.00 of profit: 8,600.00 + 14,250.00 to the compounds, 16,590.00 reserved."""
        assert year_report().ventures is not None
        (venture,) = year_report().ventures or ()
        assert (venture.venture, venture.state_share) == ("tc-jv", Fraction(51, 100))
        (period,) = venture.periods
        assert (period.period, period.profit, period.other_profit) == (
            "2026",
            Decimal("188750.00"),
            Decimal("-18000.00"),
        )
        assert [(p.project, p.net_profit, p.public_revenue) for p in period.projects] == [
            ("housekeeping", Decimal("86000.00"), Decimal("8600.00")),
            ("store", Decimal("142500.00"), Decimal("14250.00")),
            ("canteen", Decimal("-21750.00"), Decimal("0.00")),
        ]
        assert period.total(Step.STATUTORY_RESERVE) == Decimal("16590.00")
        assert sum((f.amount for f in period.flows), Decimal(0)) == period.profit
        assert [(c.name, c.amount) for c in venture.public_revenue] == [
            ("东城小区", Decimal("8600.00")),
            ("西城小区", Decimal("14250.00")),
            ("南城小区", Decimal("0.00")),
        ]
        assert [(d.shareholder, d.amount) for d in venture.dividends] == [
            ("guoqi", Decimal("76148.10")),
            ("jiti", Decimal("73161.90")),
        ]
        assert venture.statutory_reserve == Decimal("16590.00")

    def test_one_allocation_or_several(self) -> None:
        """A single allocation is one venture; two allocations are two ventures, in order."""
        built = scenario()
        allocated = allocation(built)
        single = YearReport.build(scenario=built, allocations=allocated)
        double = YearReport.build(scenario=built, allocations=[allocated, allocated])
        assert single.ventures is not None
        assert double.ventures is not None
        assert double.ventures == single.ventures * 2

    def test_points(self) -> None:
        """300 virtue points issued, 80 redeemed (60 + 20), 220 outstanding; party points unused."""
        points = {s.scheme: s for s in year_report().points or ()}
        virtue = points["virtue"]
        assert (
            virtue.name,
            virtue.issued,
            virtue.redeemed,
            virtue.expired,
            virtue.outstanding,
        ) == (
            "美德积分",
            300,
            80,
            0,
            220,
        )
        assert (points["party"].issued, points["party"].outstanding) == (0, 0)

    def test_funds_and_settlements(self) -> None:
        """东城's fund got 8,600.00 and paid 6.00 of the canteen's discount; one settlement."""
        funds = year_report().funds
        assert funds is not None
        east, west = funds.funds
        assert (east.deposited, east.discounts, east.returned, east.balance) == (
            Decimal("8600.00"),
            Decimal("6.00"),
            Decimal("0.00"),
            Decimal("8594.00"),
        )
        assert (west.deposited, west.balance) == (Decimal("14250.00"), Decimal("14250.00"))
        (settled,) = funds.settlements
        assert (settled.merchants, settled.receipts, settled.points) == (2, 2, 80)
        assert (settled.discounts, settled.fund_owes, settled.merchant_absorbs) == (
            Decimal("8.00"),
            Decimal("6.00"),
            Decimal("2.00"),
        )

    def test_settlements_given_stand_in_for_the_programme_s(self) -> None:
        """Settlements given explicitly are reported even without a programme."""
        inputs = year_inputs()
        programme = inputs["programme"]
        report = YearReport.build(
            scenario=scenario(),
            settlements=programme.settlements,  # type: ignore[attr-defined]
        )
        assert report.funds is not None
        assert report.funds.funds == ()
        assert len(report.funds.settlements) == 1
        assert report.points is None

    def test_suggestions(self) -> None:
        """Three suggestions: one adopted in the compound, one declined, one still recorded."""
        suggestions = year_report().suggestions
        assert suggestions is not None
        assert suggestions.recorded == 3
        assert {c.stage: c.count for c in suggestions.by_stage} == {
            Stage.RECORDED: 1,
            Stage.DECLINED: 1,
            Stage.ADOPTED: 1,
        }
        assert {c.outcome: c.count for c in suggestions.by_outcome} == {
            Outcome.PENDING: 1,
            Outcome.SETTLED_IN_COMPOUND: 1,
            Outcome.DECLINED: 1,
        }
        assert suggestions.settled_in_compound_share == Fraction(1)

    def test_suggestions_without_a_period_count_every_one(self) -> None:
        """With no period, every suggestion so far is counted where it stands."""
        report = YearReport.build(scenario=scenario(), pipeline=pipeline(scenario()))
        assert report.suggestions is not None
        assert report.suggestions.recorded == 3
        assert report.suggestions.settled_in_compound_share == Fraction(1)
        full = year_report().suggestions
        assert full is not None
        assert report.suggestions.by_stage == full.by_stage
        assert report.suggestions.by_outcome == full.by_outcome
        assert report.first_day is None

    def test_a_deliberation_report_stands_in_for_the_pipeline(self) -> None:
        """A DeliberationReport made already gives the stages, meetings and mailbox."""
        inputs = year_inputs()
        series = [m for m in inputs["meetings"] if hasattr(m, "rule")]  # type: ignore[attr-defined]
        records = [m for m in inputs["meetings"] if not hasattr(m, "rule")]  # type: ignore[attr-defined]
        made = deliberation_report(
            inputs["pipeline"],  # type: ignore[arg-type]
            pendulum.Interval(FIRST, LAST),
            series=series,
            records=records,
            mailbox=inputs["mailbox"],  # type: ignore[arg-type]
        )
        report = YearReport.build(scenario=scenario(), pipeline=made, start=FIRST, end=LAST)
        full = year_report()
        assert report.suggestions == full.suggestions
        assert report.mailbox == full.mailbox
        assert report.meetings is not None
        assert [(m.held, m.scheduled) for m in report.meetings] == [(3, 4)]

    def test_meetings(self) -> None:
        """The afternoon tea stood four Wednesdays of March and was held three times."""
        (tea,) = year_report().meetings or ()
        assert (tea.series, tea.kind, tea.held, tea.scheduled) == (
            "tea",
            SeriesKind.AFTERNOON_TEA,
            3,
            4,
        )

    def test_meetings_without_a_period_count_records_only(self) -> None:
        """Without a period nothing is scheduled: held is the records, scheduled is None."""
        report = YearReport.build(scenario=scenario(), meetings=year_inputs()["meetings"])  # type: ignore[arg-type]
        (tea,) = report.meetings or ()
        assert (tea.held, tea.scheduled) == (3, None)

    def test_mailbox(self) -> None:
        """Two messages: one answered in 48 hours, on time; one overdue at the year's end."""
        mailbox = year_report().mailbox
        assert mailbox is not None
        assert (mailbox.received, mailbox.answered, mailbox.answered_on_time, mailbox.overdue) == (
            2,
            1,
            1,
            1,
        )
        assert mailbox.median_answer_seconds == 48 * 3600
        assert mailbox.on_time_share == Fraction(1)
        assert mailbox.as_of.date() == LAST

    def test_a_mailbox_needs_an_end(self) -> None:
        """A mailbox is looked at a moment: without an end day the section is absent."""
        report = YearReport.build(scenario=scenario(), mailbox=Mailbox())
        assert report.mailbox is None


class TestAbsent:
    def test_a_scenario_alone(self) -> None:
        """Only coverage and rooms; every other section is absent and says so."""
        report = YearReport.build(scenario=scenario())
        assert report.coverage.complete
        for section in ("ventures", "points", "funds", "suggestions", "meetings", "mailbox"):
            assert getattr(report, section) is None, section
        text = render_text(report)
        assert text.count("本情景无此项数据") == 6
        assert render_text(report, "en").count("not part of this scenario") == 6

    def test_a_year_with_no_suggestions_says_so(self) -> None:
        """An empty pipeline in a period: the section says nothing was recorded."""
        built = scenario()
        empty = SuggestionPipeline(
            community=built.county.communities[0], roster=pipeline(built).roster
        )
        report = YearReport.build(scenario=built, pipeline=empty, start=FIRST, end=LAST)
        assert report.suggestions is not None
        assert report.suggestions.recorded == 0
        assert "期间内无记录" in render_text(report)
        assert "nothing recorded in the period" in render_text(report, "en")
