"""Notebook reports: the waterfall chart, cumulative flows and the community-rate sweep."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest

from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult
from grassroots.reports import (
    account_labels,
    cjk_font,
    community_rate_sweep,
    cumulative_flows,
    cumulative_flows_chart,
    sweep_chart,
    waterfall_chart,
)
from grassroots.venture import (
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)


@pytest.fixture
def allocation() -> ProfitAllocation:
    """Two compounds, two shareholders, a loss year between two profit years."""
    venture = JointVenture(
        id="jv",
        name="jv",
        holdings=[
            Shareholding(
                shareholder=Shareholder(id="soe", name="s", kind=ShareholderKind.STATE_OWNED),
                subscribed=Decimal(51),
            ),
            Shareholding(
                shareholder=Shareholder(id="coll", name="c", kind=ShareholderKind.COLLECTIVE),
                subscribed=Decimal(49),
            ),
        ],
        projects=[
            Project(id="store", name="s", kind=ProjectKind.CONVENIENCE_STORE, subcommunity="a"),
            Project(id="canteen", name="c", kind=ProjectKind.HAPPINESS_CANTEEN, subcommunity="b"),
        ],
    )

    def year(label: str, store: str, canteen: str) -> PeriodFigures:
        return PeriodFigures(
            period=label,
            projects=[
                ProjectResult(project="store", net_profit=Decimal(store)),
                ProjectResult(project="canteen", net_profit=Decimal(canteen)),
            ],
        )

    return ProfitAllocation(
        venture=venture,
        figures=[year("Y1", "1000", "200"), year("Y2", "-900", "100"), year("Y3", "1500", "300")],
    )


class TestData:
    def test_cumulative_flows(self, allocation: ProfitAllocation) -> None:
        """Compound a gets 100, then 0, then 150: cumulative 100, 100, 250."""
        flows = cumulative_flows(allocation)
        assert flows["public_revenue:a"] == (Decimal(100), Decimal(100), Decimal(250))
        assert set(flows) == {
            "public_revenue:a",
            "public_revenue:b",
            "shareholder:soe",
            "shareholder:coll",
        }

    def test_chosen_accounts(self, allocation: ProfitAllocation) -> None:
        """Asking for an account never used gives zeros."""
        flows = cumulative_flows(allocation, accounts=["discretionary_reserve"])
        assert flows == {"discretionary_reserve": (Decimal(0), Decimal(0), Decimal(0))}

    def test_sweep_rows(self, allocation: ProfitAllocation) -> None:
        """At 0% the compounds get nothing; at 20% twice what they get at 10%."""
        rows = community_rate_sweep(allocation, [Fraction(0), Fraction(1, 10), Fraction(1, 5)])
        compound_a = {r["rate"]: r["total"] for r in rows if r["account"] == "public_revenue:a"}
        assert compound_a == {
            Fraction(0): Decimal(0),
            Fraction(1, 10): Decimal(250),
            Fraction(1, 5): Decimal(500),
        }


class TestCharts:
    def test_waterfall_ends_at_zero(self, allocation: ProfitAllocation) -> None:
        """The waterfall starts at the profit and its bars take it down to zero."""
        pytest.importorskip("matplotlib")
        ax = waterfall_chart(allocation.periods[2])
        bars = ax.patches
        assert bars[0].get_height() == pytest.approx(float(allocation.periods[2].profit))
        last = bars[-1]
        assert last.get_y() == pytest.approx(0, abs=1e-6)
        assert ax.figure is not None

    def test_waterfall_of_a_loss_year(self, allocation: ProfitAllocation) -> None:
        """A loss year draws a negative profit and a loss bar back up to zero."""
        pytest.importorskip("matplotlib")
        ax = waterfall_chart(allocation.periods[1], skip_zero=False)
        assert len(ax.patches) == 1 + len(allocation.periods[1].lines)

    def test_cumulative_chart_and_sweep_chart(self, allocation: ProfitAllocation) -> None:
        """One line per account in each chart."""
        pytest.importorskip("matplotlib")
        assert len(cumulative_flows_chart(allocation).lines) == 4
        rates = [Fraction(n, 100) for n in range(0, 21, 5)]
        sweep = sweep_chart(allocation, rates)
        assert len([line for line in sweep.lines if not str(line.get_label()).startswith("_")]) == 4

    def test_sweep_marks_the_rate(self, allocation: ProfitAllocation) -> None:
        """A vertical line at the allocation's own 10% rate, labelled with it."""
        pytest.importorskip("matplotlib")
        ax = sweep_chart(allocation, [Fraction(0), Fraction(1, 10), Fraction(1, 5)])
        marks = [line for line in ax.lines if str(line.get_label()).startswith("_")]
        assert [mark.get_xydata()[:, 0].tolist() for mark in marks] == [[10.0, 10.0]]
        assert any("10%" in text.get_text() for text in ax.texts)

    def test_value_labels_with_thousands(self, allocation: ProfitAllocation) -> None:
        """Each bar of the waterfall carries its exact amount with thousands separators."""
        pytest.importorskip("matplotlib")
        big = allocation.extend(
            [
                PeriodFigures(
                    period="Y4",
                    projects=[ProjectResult(project="store", net_profit=Decimal("1234567.89"))],
                )
            ]
        )
        ax = waterfall_chart(big.period("Y4"))
        shown = [text.get_text() for text in ax.texts]
        assert shown[0] == "1,234,567.89"
        assert "123,456.79" in shown  # the store's 10% to its compound, rounded half up
        assert len(shown) == len(ax.patches)
        ticks = ax.yaxis.get_major_formatter()(1234567, 0)
        assert ticks == "1,234,567"

    def test_legend_names(self, allocation: ProfitAllocation) -> None:
        """Legends name shareholders and compounds, in Chinese when a CJK font exists."""
        pytest.importorskip("matplotlib")
        ax = cumulative_flows_chart(allocation, labels={"shareholder:soe": "国企"})
        legend = ax.get_legend()
        assert legend is not None
        names = [text.get_text() for text in legend.get_texts()]
        total = cumulative_flows(allocation)["shareholder:soe"][-1]
        assert f"国企  {total:,}" in names  # the exact total by the last period
        labels = account_labels(allocation)
        if cjk_font() is None:
            assert labels["public_revenue:a"] == "public revenue a"
            assert labels["shareholder:coll"] == "coll"
        else:
            assert labels["public_revenue:a"] == "小区公共收益 public revenue a"
            assert labels["shareholder:coll"] == "c"
            assert all(cjk_font() in text.get_fontfamily() for text in legend.get_texts())


class TestImports:
    def test_core_and_reports_import_no_extras(self) -> None:
        """Importing the core and the reports module loads neither pandas nor matplotlib."""
        code = (
            "import sys, grassroots, grassroots.venture, grassroots.allocation,"
            " grassroots.reports, grassroots.serialization;"
            " print([m for m in ('pandas', 'matplotlib', 'hypothesis') if m in sys.modules])"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"
