"""Report values in notebooks: exact DataFrames and escaped HTML tables for every report."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from html import escape as html_escape
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots import _tabular
from grassroots import strategies as gs
from grassroots.branch import CoverageLine, CoverageOutside, CoverageReport, coverage_report
from grassroots.deliberation import (
    DeliberationReport,
    MailboxReport,
    MeetingCount,
    Outcome,
    Stage,
    StageTime,
    Turnout,
)
from grassroots.ledger import SchemeTotals, Statement, StatementLine
from grassroots.money import from_fen
from grassroots.programme import LoopReport, Settlement, SettlementLine
from grassroots.room import RoomInventory, room_inventory

pandas = pytest.importorskip("pandas")

HOSTILE = "<script>alert('x')</script>&\""
AT = pendulum.datetime(2024, 3, 1, 9, tz="Asia/Shanghai")

# printable ids that are valid identifiers, with HTML's special characters
hostile_ids = st.one_of(
    st.just(HOSTILE),
    st.text(alphabet="<>&\"'/ab=", min_size=1, max_size=12).map(lambda t: f"x{t}x"),
)
yuan = gs.fen_amounts(max_value=10**12).map(from_fen)
counts = st.integers(min_value=0, max_value=10**9)
SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def no_raw_markup(html: str) -> None:
    """The HTML is one fragment, and no text broke out as markup."""
    assert html.startswith('<div class="grassroots-')
    assert html.endswith("</div>")
    assert "<script" not in html.lower()


def column(frame: Any, key: str) -> list[Any]:
    """A column's values as Python objects (<NA> as None)."""
    return [None if value is pandas.NA else value for value in frame[key].tolist()]


def test_core_import_does_not_import_pandas() -> None:
    """Importing the library and its report modules leaves pandas unimported."""
    code = (
        "import sys, grassroots, grassroots.ledger, grassroots.programme, grassroots.room,"
        " grassroots.branch, grassroots.deliberation, grassroots._tabular;"
        " print('pandas' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


class TestHelper:
    def test_cells(self) -> None:
        """Cells show exact figures with thousands separators."""
        assert _tabular.cell(Decimal("-1234567.05")) == "-1,234,567.05"
        assert _tabular.cell(Fraction(2, 3)) == "2/3"
        assert _tabular.cell(Stage.ADOPTED) == "adopted"

    def test_empty_frame_keeps_columns_and_dtypes(self) -> None:
        """A report with no rows still has its columns, with integer dtypes."""
        cols = (_tabular.Column("n", "数", "int"), _tabular.Column("a", "额", "decimal"))
        frame = _tabular.dataframe([], cols)
        assert list(frame.columns) == ["n", "a"]
        assert str(frame["n"].dtype) == "Int64"

    def test_missing_integer_stays_integer(self) -> None:
        """A None among integers is <NA> in an Int64 column, never a float."""
        frame = _tabular.dataframe([{"n": 1}, {"n": None}], (_tabular.Column("n", "数", "int"),))
        assert str(frame["n"].dtype) == "Int64"
        assert column(frame, "n") == [1, None]

    def test_money_sums_exactly(self) -> None:
        """Money columns hold Decimal, and their sums are exact."""
        cols = (_tabular.Column("a", "额", "decimal"),)
        frame = _tabular.dataframe([{"a": Decimal("0.10")}] * 3, cols)
        total = frame["a"].sum()
        assert isinstance(total, Decimal)
        assert total == Decimal("0.30")


class TestStatement:
    @SLOW
    @given(gs.statements())
    def test_frame_is_exact(self, statement: Statement) -> None:
        """One row per line, with the line's exact points and times."""
        frame = statement.to_dataframe()
        assert len(frame) == len(statement.lines)
        assert column(frame, "change") == [line.change for line in statement.lines]
        assert column(frame, "balance") == [line.balance for line in statement.lines]
        assert column(frame, "transfer") == [line.transfer for line in statement.lines]
        assert column(frame, "kind") == [line.kind.value for line in statement.lines]
        assert [t == line.at for t, line in zip(frame["at"], statement.lines, strict=True)] == [
            True
        ] * len(statement.lines)
        assert str(frame["change"].dtype) == "Int64"
        assert frame.attrs["opening"] + sum(column(frame, "change")) == statement.closing
        no_raw_markup(statement._repr_html_())

    @given(account=hostile_ids, transfer=hostile_ids, other=hostile_ids)
    def test_html_escapes(self, account: str, transfer: str, other: str) -> None:
        """Hostile ids are shown as text, never as markup."""
        line = StatementLine(
            position=0,
            transfer=transfer,
            at=AT,
            kind="earn",
            counterparty=other,
            change=5,
            balance=5,
        )
        statement = Statement(
            account=account, start=AT, end=AT.add(days=1), opening=0, closing=5, lines=[line]
        )
        for html in (statement._repr_html_(), line._repr_html_()):
            no_raw_markup(html)
            assert html_escape(transfer) in html
        assert column(line.to_dataframe(), "counterparty") == [other]


class TestSchemeTotals:
    @SLOW
    @given(gs.scheme_totals())
    def test_frame_is_exact(self, totals: SchemeTotals) -> None:
        """The one row holds the scheme's exact totals."""
        frame = totals.to_dataframe()
        assert len(frame) == 1
        for key in ("issued", "adjusted", "redeemed", "expired", "outstanding", "spendable"):
            assert column(frame, key) == [getattr(totals, key)]
            assert str(frame[key].dtype) == "Int64"
        no_raw_markup(totals._repr_html_())

    @given(hostile_ids)
    def test_html_escapes(self, scheme: str) -> None:
        """A hostile scheme code is escaped."""
        totals = SchemeTotals(
            scheme=scheme,
            issued=1234,
            adjusted=0,
            exchanged_in=0,
            exchanged_out=0,
            redeemed=0,
            expired=0,
            settled=0,
            outstanding=1234,
        )
        html = totals._repr_html_()
        no_raw_markup(html)
        assert "1,234" in html


class TestCoverage:
    @SLOW
    @given(st.data())
    def test_frame_is_exact(self, data: st.DataObject) -> None:
        """One row per compound, with its branches and its status."""
        county = data.draw(gs.counties(min_subcommunities=1, max_subcommunities=6))
        branches = data.draw(gs.covering_branches(county))
        report = coverage_report(county, branches)
        frame = report.to_dataframe()
        assert column(frame, "subcommunity_id") == [line.subcommunity_id for line in report.lines]
        assert column(frame, "branch_ids") == [line.branch_ids for line in report.lines]
        assert column(frame, "branches") == [len(line.branch_ids) for line in report.lines]
        covered = frame[frame["status"] == "covered"]["subcommunity_id"].tolist()
        assert tuple(covered) == report.covered
        assert frame.attrs["complete"] is report.complete
        no_raw_markup(report._repr_html_())

    @given(name=st.just(HOSTILE) | st.text(alphabet="<>&ab", min_size=1), sub=hostile_ids)
    def test_html_escapes(self, name: str, sub: str) -> None:
        """Hostile names and ids of compounds and counties are escaped."""
        report = CoverageReport(
            county_id="c",
            county_name=name,
            branch_count=1,
            lines=[CoverageLine(subcommunity_id=sub, name=name, branch_ids=[sub])],
            outside=[CoverageOutside(branch_id=sub, subcommunity_id=sub)],
        )
        html = report._repr_html_()
        no_raw_markup(html)
        assert html_escape(name) in html


class TestRoomInventory:
    @SLOW
    @given(st.lists(gs.public_service_rooms(), max_size=8, unique_by=lambda room: room.id))
    def test_frame_is_exact(self, rooms: list[Any]) -> None:
        """Every breakdown's rows hold the exact rooms and area, summing to the totals."""
        inventory = room_inventory(rooms)
        frame = inventory.to_dataframe()
        for breakdown in ("status", "subcommunity", "ownership"):
            part = frame[frame["breakdown"] == breakdown]
            assert sum(column(part, "rooms")) == inventory.rooms
            area = sum(column(part, "area"), Decimal(0))
            assert isinstance(area, Decimal)
            assert area == inventory.area
        by_status = frame[frame["breakdown"] == "status"]
        assert column(by_status, "area") == [line.area for line in inventory.by_status]
        no_raw_markup(inventory._repr_html_())

    def test_html_escapes(self) -> None:
        """A hostile scope is escaped; areas show their thousands."""
        html = RoomInventory(scope=HOSTILE, rooms=441, area="52000.00")._repr_html_()
        no_raw_markup(html)
        assert "52,000.00" in html


settlement_lines = st.builds(
    SettlementLine,
    merchant=hostile_ids,
    fund=st.none() | hostile_ids,
    receipts=st.lists(st.sampled_from(["r1", "r2", "r3"]), unique=True),
    points=counts,
    discounts=yuan,
    fund_owes=yuan,
    merchant_absorbs=yuan,
    merchant_owes=yuan,
)


class TestSettlement:
    @given(
        lines=st.lists(settlement_lines, max_size=4),
        funds=st.lists(st.tuples(hostile_ids, yuan), max_size=3),
    )
    def test_frame_is_exact(self, lines: list[SettlementLine], funds: list[Any]) -> None:
        """One row per merchant line, every yuan an exact Decimal."""
        settlement = Settlement(start=AT, end=AT.add(months=1), lines=lines, funds=funds)
        frame = settlement.to_dataframe()
        assert column(frame, "merchant") == [line.merchant for line in lines]
        assert column(frame, "fund") == [line.fund for line in lines]
        assert column(frame, "points") == [line.points for line in lines]
        for key in ("discounts", "fund_owes", "merchant_absorbs", "merchant_owes"):
            assert column(frame, key) == [getattr(line, key) for line in lines]
        assert column(frame, "net_to_merchant") == [line.net_to_merchant for line in lines]
        assert sum(column(frame, "discounts"), Decimal("0.00")) == settlement.discounts
        assert all(isinstance(v, Decimal) for v in column(frame, "discounts"))
        html = settlement._repr_html_()
        no_raw_markup(html)
        for line in lines:
            assert f"{line.discounts:,}" in html
            no_raw_markup(line._repr_html_())
            assert column(line.to_dataframe(), "fund_owes") == [line.fund_owes]


class TestLoopReport:
    @given(
        st.builds(
            LoopReport,
            subcommunity=hostile_ids,
            community_share=yuan,
            fund_discounts=yuan,
            merchant_discounts=yuan,
            balance=yuan,
            points_redeemed=counts,
            participations=counts,
            points_earned=counts,
            minutes=counts,
        )
    )
    def test_frame_is_exact(self, report: LoopReport) -> None:
        """The one row holds the loop's exact yuan and counts."""
        frame = report.to_dataframe()
        for key, value in report.row().items():
            assert column(frame, key) == [value]
        assert str(frame["minutes"].dtype) == "Int64"
        assert isinstance(frame["balance"][0], Decimal)
        html = report._repr_html_()
        no_raw_markup(html)
        assert f"{report.community_share:,}" in html


stage_counts = st.dictionaries(st.sampled_from(list(Stage)), st.integers(1, 50), max_size=5)
stage_times = st.dictionaries(
    st.sampled_from(list(Stage)),
    st.tuples(st.integers(1, 20), st.integers(0, 10**7)),
    max_size=5,
)


class TestDeliberation:
    @given(standing=stage_counts, times=stage_times, name=st.just(HOSTILE) | st.text(min_size=1))
    def test_frame_is_exact(
        self, standing: dict[Stage, int], times: dict[Stage, tuple[int, int]], name: str
    ) -> None:
        """One row per stage with suggestions or time, in the order of Stage."""
        report = DeliberationReport(
            community_id="longju",
            first_day=pendulum.Date(2024, 1, 1),
            last_day=pendulum.Date(2024, 12, 31),
            recorded=sum(standing.values()),
            by_stage=tuple((s, standing[s]) for s in Stage if s in standing),
            by_outcome=((Outcome.PENDING, 1),),
            time_in_stage=tuple(
                StageTime(stage=s, visits=times[s][0], seconds=times[s][1])
                for s in Stage
                if s in times
            ),
            settled_in_compound_share=Fraction(1, 3),
            turnout=(
                Turnout(held_on=pendulum.Date(2024, 5, 1), present=60, eligible=100, quorate=True),
            ),
            meetings=(MeetingCount(series_id="tea", name=name, held=50, scheduled=52),),
            mailbox=MailboxReport(
                as_of=AT,
                received=3,
                answered=2,
                answered_on_time=2,
                overdue=("m3",),
                median_answer_seconds=60,
                by_triage=(),
            ),
        )
        frame = report.to_dataframe()
        expected = [s for s in Stage if s in standing or s in times]
        assert column(frame, "stage") == [s.value for s in expected]
        assert column(frame, "standing") == [standing.get(s, 0) for s in expected]
        assert column(frame, "visits") == [times.get(s, (0, 0))[0] for s in expected]
        assert column(frame, "seconds") == [times.get(s, (0, 0))[1] for s in expected]
        assert sum(column(frame, "standing")) == report.recorded
        html = report._repr_html_()
        no_raw_markup(html)
        assert html_escape(name) in html
        for stage_time in report.time_in_stage:
            assert column(stage_time.to_dataframe(), "seconds") == [stage_time.seconds]
            no_raw_markup(stage_time._repr_html_())


class TestAllocation:
    @SLOW
    @given(gs.profit_allocations())
    def test_frame_is_exact(self, allocation: Any) -> None:
        """The allocation's frame, and each period's, hold every line's exact amount and rate."""
        frame = allocation.to_dataframe()
        lines = [line for period in allocation.periods for line in period.lines]
        assert column(frame, "amount") == [line.amount for line in lines]
        assert column(frame, "rate") == [line.rate for line in lines]
        assert all(isinstance(amount, Decimal) for amount in column(frame, "amount"))
        for period in allocation.periods:
            part = period.to_dataframe()
            assert sum(column(part, "amount"), Decimal("0.00")) == period.profit
