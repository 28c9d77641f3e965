"""Reports (报表): the year report of a county, and charts of a profit split for notebooks.

The year report: [`YearReport.build`][grassroots.reports.YearReport.build]
gathers a year from the library's own objects (by the stable keys of
[`REPORT_INPUTS`][grassroots.reports.REPORT_INPUTS]) into one exact value;
[`render_text`][grassroots.reports.render_text] prints it as terminal tables
(the ``cli`` extra), [`render_json`][grassroots.reports.render_json] writes it
through the library's converter, and
[`render_html`][grassroots.reports.render_html] makes one self-contained page
with inline SVG charts. Chinese is the default language; every label also has
its English ([`LABELS`][grassroots.reports.LABELS]).
[`allocation_tables`][grassroots.reports.allocation_tables] is the terminal
table of a profit allocation that ``grassroots allocate`` prints.

The notebook charts: a period's waterfall, cumulative flows, parameter sweeps.
Needs the ``notebook`` extra (``pip install 'grassroots[notebook]'``) for the
charts, which use matplotlib; the data helpers
([`cumulative_flows`][grassroots.reports.cumulative_flows],
[`community_rate_sweep`][grassroots.reports.community_rate_sweep]) need nothing
beyond the core. matplotlib is imported only when a chart is drawn, so
importing this module is cheap, and the core never imports this module.

Charts draw on an ``Axes`` you pass, or on a new ``matplotlib.figure.Figure``
(no pyplot state, any backend); each returns the ``Axes``, so
``chart(...).figure`` is the figure to show or save. Amounts are exact
``Decimal`` everywhere else; they become floats only here, to be drawn.
Labels are plain ASCII words and your ids: use a font with CJK glyphs if your
ids are Chinese, or matplotlib warns about missing glyphs.

Examples:
    >>> from decimal import Decimal
    >>> from grassroots.allocation import PeriodFigures, ProfitAllocation
    >>> from grassroots.venture import (
    ...     JointVenture,
    ...     Shareholder,
    ...     ShareholderKind,
    ...     Shareholding,
    ... )
    >>> soe = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
    >>> venture = JointVenture(
    ...     id="jv", name="jv", holdings=[Shareholding(shareholder=soe, subscribed=Decimal(100))]
    ... )
    >>> result = ProfitAllocation(
    ...     venture=venture,
    ...     figures=[
    ...         PeriodFigures(period="2024", other_profit=Decimal("50")),
    ...         PeriodFigures(period="2025", other_profit=Decimal("30")),
    ...     ],
    ... )
    >>> cumulative_flows(result)["shareholder:soe"]
    (Decimal('45.00'), Decimal('72.00'))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from grassroots.allocation import PeriodAllocation, ProfitAllocation, Step
from grassroots.reports._html import render_html
from grassroots.reports._labels import LABELS, LANGUAGES, Lang, label
from grassroots.reports._text import allocation_tables, allocation_text, render_text
from grassroots.reports._year import (
    REPORT_INPUTS,
    CompoundRevenue,
    CoverageSummary,
    FlowLine,
    FundLine,
    FundsSection,
    MailboxSection,
    MeetingLine,
    OutcomeCount,
    PeriodResult,
    ProjectLine,
    RoomsSummary,
    SchemePoints,
    SettlementSummary,
    ShareholderPart,
    StageCount,
    SuggestionsSection,
    VentureResult,
    YearReport,
    load_report,
    render_json,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "LABELS",
    "LANGUAGES",
    "REPORT_INPUTS",
    "CompoundRevenue",
    "CoverageSummary",
    "FlowLine",
    "FundLine",
    "FundsSection",
    "Lang",
    "MailboxSection",
    "MeetingLine",
    "OutcomeCount",
    "PeriodResult",
    "ProjectLine",
    "RoomsSummary",
    "SchemePoints",
    "SettlementSummary",
    "ShareholderPart",
    "StageCount",
    "SuggestionsSection",
    "VentureResult",
    "YearReport",
    "allocation_tables",
    "allocation_text",
    "community_rate_sweep",
    "cumulative_flows",
    "cumulative_flows_chart",
    "label",
    "load_report",
    "render_html",
    "render_json",
    "render_text",
    "sweep_chart",
    "waterfall_chart",
]

_STEP_WORDS = {
    Step.COMMUNITY_SHARE: "public revenue",
    Step.LOSS_ABSORBED: "loss absorbed",
    Step.LOSS_CARRIED: "loss carried",
    Step.LOSS_COVERED: "losses covered",
    Step.STATUTORY_RESERVE: "statutory reserve",
    Step.DISCRETIONARY_RESERVE: "discretionary reserve",
    Step.DIVIDEND: "dividend",
    Step.RETAINED: "retained",
}
_COLOURS = {
    Step.COMMUNITY_SHARE: "#2a9d8f",
    Step.LOSS_ABSORBED: "#e76f51",
    Step.LOSS_CARRIED: "#e76f51",
    Step.LOSS_COVERED: "#f4a261",
    Step.STATUTORY_RESERVE: "#264653",
    Step.DISCRETIONARY_RESERVE: "#6c757d",
    Step.DIVIDEND: "#e9c46a",
    Step.RETAINED: "#adb5bd",
}


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    try:
        from matplotlib.figure import Figure
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            "charts need matplotlib: pip install 'grassroots[notebook]'"
        ) from exc
    figure = Figure(figsize=(9, 4.5), layout="constrained")
    return figure.add_subplot()


def waterfall_chart(
    period: PeriodAllocation, *, ax: Axes | None = None, skip_zero: bool = True
) -> Axes:
    """Draw one period's allocation as a waterfall: profit, then each line taking its part.

    The first bar is the period's profit; each following bar starts where
    the last ended and goes down by its line's amount (a loss line goes up
    from below zero), so the bars end at zero: every fen is placed.

    Args:
        period: The period to draw.
        ax: Where to draw; a new figure if ``None``.
        skip_zero: Leave out lines of zero yuan (a loss-making project's
            community share, a reserve already at its cap).

    Returns:
        The ``Axes`` drawn on.
    """
    axes = _axes(ax)
    labels = ["profit"]
    bottoms = [0.0]
    heights = [float(period.profit)]
    colours = ["#457b9d"]
    running = period.profit
    for line in period.lines:
        if skip_zero and line.amount == 0:
            continue
        named = line.step in (Step.COMMUNITY_SHARE, Step.DIVIDEND)
        labels.append(_STEP_WORDS[line.step] + (f"\n{line.recipient}" if named else ""))
        bottoms.append(float(running - line.amount))
        heights.append(float(line.amount))
        colours.append(_COLOURS[line.step])
        running -= line.amount
    positions = list(range(len(labels)))
    axes.bar(positions, heights, bottom=bottoms, color=colours, edgecolor="#333333", linewidth=0.5)
    axes.axhline(0, color="#333333", linewidth=0.8)
    axes.set_xticks(positions, labels, rotation=45, ha="right", fontsize=8)
    axes.set_ylabel("yuan")
    axes.set_title(f"Period {period.period}: where the profit went")
    return axes


def cumulative_flows(
    allocation: ProfitAllocation, *, accounts: Iterable[str] | None = None
) -> dict[str, tuple[Decimal, ...]]:
    """Return each account's cumulative amount after each period, exact.

    Accounts are those of
    [`AllocationLine.account`][grassroots.allocation.AllocationLine.account]
    (``"public_revenue:<compound>"``, ``"shareholder:<id>"``,
    ``"statutory_reserve"``, ...). By default, every compound's public
    revenue and every shareholder.

    Args:
        allocation: The allocation over several periods.
        accounts: The accounts to report, in order.
    """
    steps = allocation.cumulative()
    if accounts is None:
        seen: dict[str, None] = {}
        for totals in steps:
            for account in totals:
                if account.startswith(("public_revenue:", "shareholder:")):
                    seen[account] = None
        accounts = list(seen)
    zero = Decimal("0.00")
    return {account: tuple(t.get(account, zero) for t in steps) for account in accounts}


def cumulative_flows_chart(
    allocation: ProfitAllocation,
    *,
    accounts: Iterable[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the cumulative flows to each account over the periods, one line per account.

    Args:
        allocation: The allocation over several periods.
        accounts: As in [`cumulative_flows`][grassroots.reports.cumulative_flows].
        ax: Where to draw; a new figure if ``None``.

    Returns:
        The ``Axes`` drawn on.
    """
    axes = _axes(ax)
    labels = [period.period for period in allocation.periods]
    for account, amounts in cumulative_flows(allocation, accounts=accounts).items():
        axes.plot(labels, [float(a) for a in amounts], marker="o", label=account)
    axes.set_xlabel("period")
    axes.set_ylabel("cumulative yuan")
    axes.set_title("Cumulative flows")
    axes.legend(fontsize=8)
    return axes


def community_rate_sweep(
    allocation: ProfitAllocation, rates: Sequence[Fraction]
) -> list[dict[str, object]]:
    """Return the totals per account for each community-share rate, as rows.

    Reruns ``allocation`` with only the community share's rate changed (base,
    form and every other parameter kept).

    Args:
        allocation: The allocation to vary.
        rates: The rates to try, exact (``Fraction(0)`` to ``Fraction(1, 5)``, say).

    Returns:
        One dict per rate and account: ``rate`` (``Fraction``), ``account``
        and ``total`` (``Decimal``, over all periods).
    """
    rows: list[dict[str, object]] = []
    for rate in rates:
        varied = allocation.with_policy(allocation.policy.with_community_rate(rate))
        for account, total in varied.totals().items():
            rows.append({"rate": Fraction(rate), "account": account, "total": total})
    return rows


def sweep_chart(
    allocation: ProfitAllocation,
    rates: Sequence[Fraction],
    *,
    accounts: Iterable[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw each account's total over all periods against the community-share rate.

    Args:
        allocation: The allocation to vary.
        rates: The rates to try.
        accounts: The accounts to draw; by default every compound's public
            revenue and every shareholder.
        ax: Where to draw; a new figure if ``None``.

    Returns:
        The ``Axes`` drawn on.
    """
    axes = _axes(ax)
    runs = [
        allocation.with_policy(allocation.policy.with_community_rate(rate)).totals()
        for rate in rates
    ]
    if accounts is None:
        accounts = dict.fromkeys(
            account
            for totals in runs
            for account in totals
            if account.startswith(("public_revenue:", "shareholder:"))
        )
    percents = [float(Fraction(rate) * 100) for rate in rates]
    zero = Decimal("0.00")
    for account in accounts:
        values = [float(totals.get(account, zero)) for totals in runs]
        axes.plot(percents, values, marker=".", label=account)
    axes.set_xlabel("community share, % of project profit")
    axes.set_ylabel("total yuan over all periods")
    axes.set_title("Sweep of the community-share rate")
    axes.legend(fontsize=8)
    return axes
