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

Every bar carries its exact amount as a label, with thousands separators, and
so do the axes. Labels are in Chinese and English (小区公共收益 public revenue;
a shareholder's own name) when matplotlib has a font with CJK glyphs (Noto
Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang, SimHei,
looked up by name among the installed fonts); without one, they fall back to
English words and ids, with no warning about missing glyphs. Pass ``labels``
to name the accounts yourself.

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

import functools
from collections.abc import Iterable, Mapping, Sequence
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
    "account_labels",
    "allocation_tables",
    "allocation_text",
    "cjk_font",
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
    Step.COMMUNITY_SHARE: ("小区公共收益", "public revenue"),
    Step.LOSS_ABSORBED: ("弥补亏损", "loss absorbed"),
    Step.LOSS_CARRIED: ("亏损结转", "loss carried"),
    Step.LOSS_COVERED: ("弥补以前年度亏损", "losses covered"),
    Step.STATUTORY_RESERVE: ("法定公积金", "statutory reserve"),
    Step.DISCRETIONARY_RESERVE: ("任意公积金", "discretionary reserve"),
    Step.DIVIDEND: ("股东分红", "dividend"),
    Step.RETAINED: ("未分配利润", "retained"),
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
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Noto Serif CJK SC",
)


@functools.cache
def cjk_font() -> str | None:
    """Return the name of an installed font with Chinese glyphs that matplotlib can use, if any.

    The charts use it for their Chinese labels; with ``None`` they label in
    English only.
    """
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in _CJK_FAMILIES if family in installed), None)


def _words(zh: str, en: str) -> str:
    return f"{zh} {en}" if cjk_font() is not None else en


def _yuan(amount: Decimal) -> str:
    return f"{amount:,}"


def _thousands(axis: object) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))  # type: ignore[attr-defined]


def _finish(axes: Axes) -> None:
    """Use the CJK font, if there is one, for every text of the chart."""
    family = cjk_font()
    if family is None:
        return
    from matplotlib.text import Text

    for text in axes.findobj(Text):
        text.set_fontfamily([family, "DejaVu Sans"])
    axes.tick_params(labelfontfamily=family)


def account_labels(allocation: ProfitAllocation) -> dict[str, str]:
    """Return a readable name for each account of ``allocation``, for legends.

    A shareholder is named by its name (``"shareholder:state"`` → ``"郯城县国有企业"``),
    a compound's public revenue as ``"小区公共收益 <compound>"``; in English
    (``"public revenue <compound>"``, the shareholder's id) when no CJK font
    is installed.
    """
    chinese = cjk_font() is not None
    labels: dict[str, str] = {}
    for holding in allocation.venture.holdings:
        holder = holding.shareholder
        labels[f"shareholder:{holder.id}"] = holder.name if chinese else holder.id
    for totals in allocation.cumulative():
        for account in totals:
            if account.startswith("public_revenue:") and account not in labels:
                compound = account.removeprefix("public_revenue:")
                labels[account] = _words("小区公共收益", "public revenue") + f" {compound}"
    return labels


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
    labels = [_words("利润", "profit")]
    bottoms = [0.0]
    heights = [float(period.profit)]
    amounts = [period.profit]
    colours = ["#457b9d"]
    running = period.profit
    for line in period.lines:
        if skip_zero and line.amount == 0:
            continue
        named = line.step in (Step.COMMUNITY_SHARE, Step.DIVIDEND)
        words = _words(*_STEP_WORDS[line.step])
        if line.rate is not None and line.step is Step.COMMUNITY_SHARE:
            words += f" {_percent(line.rate)}"
        labels.append(words + (f"\n{line.recipient}" if named else ""))
        bottoms.append(float(running - line.amount))
        heights.append(float(line.amount))
        amounts.append(line.amount)
        colours.append(_COLOURS[line.step])
        running -= line.amount
    positions = list(range(len(labels)))
    bars = axes.bar(
        positions, heights, bottom=bottoms, color=colours, edgecolor="#333333", linewidth=0.5
    )
    axes.bar_label(bars, labels=[_yuan(a) for a in amounts], fontsize=7, padding=2)
    axes.axhline(0, color="#333333", linewidth=0.8)
    axes.set_xticks(positions, labels, rotation=45, ha="right", fontsize=8)
    axes.set_ylabel(_words("元", "yuan"))
    _thousands(axes.yaxis)
    axes.margins(y=0.12)
    axes.set_title(
        _words(f"{period.period} 年度利润去向", f"period {period.period}: where the profit went")
    )
    _finish(axes)
    return axes


def _percent(rate: Fraction) -> str:
    percent = Fraction(rate) * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{float(percent):.2f}%"


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
    labels: Mapping[str, str] | None = None,
) -> Axes:
    """Draw the cumulative flows to each account over the periods, one line per account.

    Each account's legend entry carries its exact total by the last period,
    with thousands separators.

    Args:
        allocation: The allocation over several periods.
        accounts: As in [`cumulative_flows`][grassroots.reports.cumulative_flows].
        ax: Where to draw; a new figure if ``None``.
        labels: Legend names by account; by default those of
            [`account_labels`][grassroots.reports.account_labels].

    Returns:
        The ``Axes`` drawn on.
    """
    axes = _axes(ax)
    names = {**account_labels(allocation), **(labels or {})}
    periods = [period.period for period in allocation.periods]
    for account, amounts in cumulative_flows(allocation, accounts=accounts).items():
        last = amounts[-1] if amounts else Decimal("0.00")
        axes.plot(
            periods,
            [float(a) for a in amounts],
            marker="o",
            label=f"{names.get(account, account)}  {_yuan(last)}",
        )
    axes.set_xlabel(_words("年度", "period"))
    axes.set_ylabel(_words("累计（元）", "cumulative yuan"))
    _thousands(axes.yaxis)
    axes.set_title(_words("累计流向", "Cumulative flows"))
    final = periods[-1] if periods else ""
    axes.legend(fontsize=8, title=_words(f"累计至 {final}（元）", f"total by {final}, yuan"))
    _finish(axes)
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
    labels: Mapping[str, str] | None = None,
) -> Axes:
    """Draw each account's total over all periods against the community-share rate.

    A dashed vertical line marks the allocation's own rate (Tancheng's 10%),
    and each account's legend entry carries its exact total at that rate.

    Args:
        allocation: The allocation to vary.
        rates: The rates to try.
        accounts: The accounts to draw; by default every compound's public
            revenue and every shareholder.
        ax: Where to draw; a new figure if ``None``.
        labels: Legend names by account; by default those of
            [`account_labels`][grassroots.reports.account_labels].

    Returns:
        The ``Axes`` drawn on.
    """
    axes = _axes(ax)
    names = {**account_labels(allocation), **(labels or {})}
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
    own = allocation.policy.community_share.rate
    own_totals = allocation.totals()
    zero = Decimal("0.00")
    for account in accounts:
        values = [float(totals.get(account, zero)) for totals in runs]
        amount = own_totals.get(account, zero)
        axes.plot(
            percents, values, marker=".", label=f"{names.get(account, account)}  {_yuan(amount)}"
        )
    axes.axvline(float(own * 100), color="#c1121f", linestyle="--", linewidth=1)
    axes.annotate(
        _words(f"本案 {_percent(own)}", f"the case's {_percent(own)}"),
        (float(own * 100), 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -12),
        textcoords="offset points",
        color="#c1121f",
        fontsize=8,
    )
    axes.set_xlabel(
        _words("小区公共收益比例（占项目净利润 %）", "community share, % of project profit")
    )
    axes.set_ylabel(_words("各年合计（元）", "total yuan over all periods"))
    _thousands(axes.yaxis)
    axes.set_title(_words("小区公共收益比例的敏感性", "Sweep of the community-share rate"))
    axes.legend(
        fontsize=8,
        title=_words(f"本案 {_percent(own)} 时合计（元）", f"totals at {_percent(own)}, yuan"),
    )
    _finish(axes)
    return axes
