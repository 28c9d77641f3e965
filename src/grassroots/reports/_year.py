"""The year report (年度报告): one value holding a county's year, section by section."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from grassroots._time import SHANGHAI, require_date
from grassroots.allocation import ProfitAllocation, Step
from grassroots.branch import SourceCount
from grassroots.deliberation import (
    DeliberationReport,
    Mailbox,
    MailboxReport,
    MeetingRecord,
    MeetingSeries,
    Outcome,
    SeriesKind,
    Stage,
    SuggestionPipeline,
    deliberation_report,
    held_and_scheduled,
)
from grassroots.errors import InvalidValue
from grassroots.money import from_fen, to_fen
from grassroots.programme import MovementKind, PointsProgramme, Settlement
from grassroots.room import RoomStatus, StatusTally
from grassroots.scenarios import Scenario

__all__ = [
    "REPORT_INPUTS",
    "CompoundRevenue",
    "CoverageSummary",
    "FlowLine",
    "FundLine",
    "FundsSection",
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
]

REPORT_INPUTS = (
    "scenario",
    "programme",
    "allocations",
    "settlements",
    "pipeline",
    "meetings",
    "mailbox",
    "start",
    "end",
)
"""The keyword names of [`YearReport.build`][grassroots.reports.YearReport.build], in order.

They are stable: a simulated year hands its inputs over as a mapping with exactly
these keys.
"""

_ZERO = Decimal("0.00")
_ADOPTED = (Stage.ADOPTED, Stage.IN_PROGRESS, Stage.DONE)
_ENDED = {
    Stage.NOT_ADOPTED: Outcome.NOT_ADOPTED,
    Stage.DECLINED: Outcome.DECLINED,
    Stage.MERGED: Outcome.MERGED,
    Stage.REJECTED: Outcome.REJECTED,
}
"""How a suggestion that stopped at a final stage ended (as the deliberation report says)."""
PERIOD_RULE = "a report's period runs forward: its last day is not before its first"
"""The rule cited when a report's last day is before its first (model integrity)."""


# --- sections ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CoverageSummary:
    """How the county's compounds are covered by party branches (党组织覆盖).

    Args:
        branches: Party branches in the scenario.
        subcommunities: Compounds (小区) in the county.
        covered: Compounds covered by exactly one branch.
        uncovered: Ids of the compounds covered by no branch.
        doubly_covered: Ids of the compounds covered by more than one branch.
        outside: Coverages of compound ids the county does not have.
        secretary_sources: Secretaries per source.
    """

    branches: int
    subcommunities: int
    covered: int
    uncovered: tuple[str, ...]
    doubly_covered: tuple[str, ...]
    outside: int
    secretary_sources: tuple[SourceCount, ...]

    @property
    def complete(self) -> bool:
        """Whether every compound is covered by exactly one branch (全覆盖)."""
        return self.covered == self.subcommunities and not self.outside


@attrs.frozen(kw_only=True)
class RoomsSummary:
    """The county's public-service rooms (小区公共服务用房) by status.

    Args:
        rooms: Rooms counted.
        area: Their area in m².
        by_status: Rooms and area per status, in life order (zeros included).
    """

    rooms: int
    area: Decimal
    by_status: tuple[StatusTally, ...]

    @property
    def handed_over(self) -> int:
        """Rooms handed over or further in their life (in use, released): Tancheng's 441."""
        return sum(s.rooms for s in self.by_status if s.status.rank >= RoomStatus.HANDED_OVER.rank)


@attrs.frozen(kw_only=True)
class ProjectLine:
    """One project's result in one period and its compound's share of it.

    Args:
        project: The project's id.
        name: Its name.
        subcommunity: The compound whose public revenue it feeds.
        net_profit: Its after-tax net profit in yuan (negative for a loss).
        public_revenue: What its compound received from it (小区公共收益).
    """

    project: str
    name: str
    subcommunity: str
    net_profit: Decimal
    public_revenue: Decimal


@attrs.frozen(kw_only=True)
class FlowLine:
    """One line of a period's allocation: where an amount of the profit went.

    Args:
        step: The allocation step.
        recipient: The compound, the shareholder or the account.
        project: The project a community share comes from.
        amount: Yuan; negative only for a loss carried or absorbed.
        rate: The rate applied, exact, when the amount is a rate of a base.
    """

    step: Step
    recipient: str
    amount: Decimal
    project: str | None
    rate: Fraction | None


@attrs.frozen(kw_only=True)
class PeriodResult:
    """A venture's period: its projects' results and where the profit went.

    Args:
        period: The period's label.
        profit: The venture's after-tax profit of the period.
        other_profit: Profit or loss outside the projects (head-office costs).
        projects: Each project's result.
        flows: Every allocation line, in the order of the waterfall.
        loss_carried: Losses not yet covered at the end of the period.
    """

    period: str
    profit: Decimal
    other_profit: Decimal
    projects: tuple[ProjectLine, ...]
    flows: tuple[FlowLine, ...]
    loss_carried: Decimal

    def total(self, step: Step) -> Decimal:
        """Return the sum of the flows of ``step``."""
        return sum((f.amount for f in self.flows if f.step is step), _ZERO)


@attrs.frozen(kw_only=True)
class CompoundRevenue:
    """A compound's public revenue (小区公共收益) from a venture over the report.

    Args:
        subcommunity: The compound's id.
        name: Its name.
        amount: Yuan received.
    """

    subcommunity: str
    name: str
    amount: Decimal


@attrs.frozen(kw_only=True)
class ShareholderPart:
    """A shareholder's dividends over the report.

    Args:
        shareholder: The shareholder's id.
        name: Its name.
        amount: Yuan received.
    """

    shareholder: str
    name: str
    amount: Decimal


@attrs.frozen(kw_only=True)
class VentureResult:
    """A joint venture's results and allocations over the report's periods.

    Args:
        venture: The venture's id.
        name: Its name.
        state_share: The state-owned shareholders' share of the capital.
        periods: Each period allocated.
        public_revenue: Each compound's public revenue, over all periods.
        dividends: Each shareholder's dividends, over all periods.
        statutory_reserve: The statutory reserve (法定公积金) at the end.
        discretionary_reserve: The discretionary reserve (任意公积金) at the end.
    """

    venture: str
    name: str
    state_share: Fraction
    periods: tuple[PeriodResult, ...]
    public_revenue: tuple[CompoundRevenue, ...]
    dividends: tuple[ShareholderPart, ...]
    statutory_reserve: Decimal
    discretionary_reserve: Decimal


@attrs.frozen(kw_only=True)
class SchemePoints:
    """A points scheme's totals (积分), net of reversals.

    Args:
        scheme: The scheme's code.
        name: Its name as residents know it.
        issued: Points earned by residents.
        redeemed: Points spent at the shops.
        expired: Points that expired.
        outstanding: Points held in wallets at the end.
        exchanged_in: Points converted into the scheme.
        exchanged_out: Points converted out of it.
        adjusted: Net points added by corrections.
    """

    scheme: str
    name: str
    issued: int
    redeemed: int
    expired: int
    outstanding: int
    exchanged_in: int
    exchanged_out: int
    adjusted: int


@attrs.frozen(kw_only=True)
class FundLine:
    """A compound's public-revenue fund over the report.

    Args:
        fund: The fund's id.
        name: Its name.
        subcommunity: The compound it belongs to.
        deposited: Yuan paid in (community shares).
        discounts: Yuan paid out for discounts at the shops.
        returned: Yuan given back by refunds and repaid claims.
        balance: Yuan held at the end.
    """

    fund: str
    name: str
    subcommunity: str
    deposited: Decimal
    discounts: Decimal
    returned: Decimal
    balance: Decimal


@attrs.frozen(kw_only=True)
class SettlementSummary:
    """One settlement of the shops' discounts (结算), summed over its merchants.

    Args:
        start: The settled period's first instant.
        end: Its end (not included).
        merchants: Merchants settled.
        receipts: Redemption receipts settled.
        points: Their points.
        discounts: Their discounts in yuan.
        fund_owes: What the funds pay the merchants.
        merchant_absorbs: The merchants' own part of the discounts.
        merchant_owes: Claims collected from merchants for later refunds.
    """

    start: pendulum.DateTime
    end: pendulum.DateTime
    merchants: int
    receipts: int
    points: int
    discounts: Decimal
    fund_owes: Decimal
    merchant_absorbs: Decimal
    merchant_owes: Decimal


@attrs.frozen(kw_only=True)
class FundsSection:
    """The public-revenue funds and the settlements with the shops.

    Args:
        funds: Each fund.
        settlements: Each settlement, in order.
    """

    funds: tuple[FundLine, ...]
    settlements: tuple[SettlementSummary, ...]


@attrs.frozen(kw_only=True)
class StageCount:
    """Suggestions standing at one stage."""

    stage: Stage
    count: int


@attrs.frozen(kw_only=True)
class OutcomeCount:
    """Suggestions with one outcome."""

    outcome: Outcome
    count: int


@attrs.frozen(kw_only=True)
class SuggestionsSection:
    """Residents' suggestions by stage (居民建议), as things stood at the end.

    Args:
        community: The community whose pipeline it is.
        recorded: Suggestions recorded in the period.
        by_stage: Of those, how many stand at each stage (zeros left out).
        by_outcome: How many have each outcome (zeros left out).
        settled_in_compound_share: Of those adopted, the share adopted in the
            compound without the residents' meeting; ``None`` if none was adopted.
    """

    community: str
    recorded: int
    by_stage: tuple[StageCount, ...]
    by_outcome: tuple[OutcomeCount, ...]
    settled_in_compound_share: Fraction | None


@attrs.frozen(kw_only=True)
class MeetingLine:
    """A consultation meeting series (议事协商会): meetings held against scheduled.

    Args:
        series: The series' id.
        name: Its name.
        kind: Its kind.
        held: Meetings of the period with a record.
        scheduled: Meetings standing in the period; ``None`` without a period.
    """

    series: str
    name: str
    kind: SeriesKind
    held: int
    scheduled: int | None


@attrs.frozen(kw_only=True)
class MailboxSection:
    """The wish mailbox (微愿留言): messages of the period, at its end.

    Args:
        as_of: The moment the mailbox was looked at (the end of the period).
        received: Messages received.
        answered: Messages answered by then.
        answered_on_time: Of those, answered within the deadline.
        overdue: Messages unanswered past their deadline.
        median_answer_seconds: Median time to answer, or ``None`` if none answered.
    """

    as_of: pendulum.DateTime
    received: int
    answered: int
    answered_on_time: int
    overdue: int
    median_answer_seconds: int | None

    @property
    def on_time_share(self) -> Fraction | None:
        """Answered on time as an exact share of those answered; ``None`` if none were."""
        return Fraction(self.answered_on_time, self.answered) if self.answered else None


# --- the report --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class YearReport:
    """A county's year, section by section, with exact figures (年度报告).

    Build one with [`build`][grassroots.reports.YearReport.build]; render it with
    [`render_text`][grassroots.reports.render_text],
    [`render_json`][grassroots.reports.render_json] or
    [`render_html`][grassroots.reports.render_html]. A section is ``None`` when
    its input was not given (a Longju scenario has no venture), and the renderers
    say so. Money is ``Decimal`` yuan, points and counts are ``int``, shares are
    ``Fraction``; the JSON of [`grassroots.serialization`][grassroots.serialization]
    reads back to an equal value.

    Args:
        county: The county's id.
        county_name: Its name.
        first_day: The first local day of the period, if given.
        last_day: The last local day, if given.
        coverage: Compounds covered by party branches.
        rooms: Public-service rooms by status.
        ventures: Each venture's results and allocations.
        points: Each points scheme's totals.
        funds: Public-revenue funds and settlements.
        suggestions: Residents' suggestions by stage.
        meetings: Consultation meetings held.
        mailbox: The wish mailbox's answers.
    """

    county: str
    county_name: str
    first_day: pendulum.Date | None
    last_day: pendulum.Date | None
    coverage: CoverageSummary
    rooms: RoomsSummary
    ventures: tuple[VentureResult, ...] | None
    points: tuple[SchemePoints, ...] | None
    funds: FundsSection | None
    suggestions: SuggestionsSection | None
    meetings: tuple[MeetingLine, ...] | None
    mailbox: MailboxSection | None

    @classmethod
    def build(
        cls,
        *,
        scenario: Scenario,
        programme: PointsProgramme | None = None,
        allocations: ProfitAllocation | Iterable[ProfitAllocation] | None = None,
        settlements: Iterable[Settlement] | None = None,
        pipeline: SuggestionPipeline | DeliberationReport | None = None,
        meetings: Iterable[MeetingSeries | MeetingRecord] | None = None,
        mailbox: Mailbox | None = None,
        start: _dt.date | None = None,
        end: _dt.date | None = None,
    ) -> YearReport:
        """Return the report of a year from the library's own objects.

        The keyword names are stable ([`REPORT_INPUTS`][grassroots.reports.REPORT_INPUTS]);
        every input but the scenario may be left out, and its section is then
        ``None``.

        Args:
            scenario: The county's organisation: coverage and rooms come from it,
                and the compounds' names.
            programme: The points programme: each scheme's totals (over its whole
                ledger) and the public-revenue funds.
            allocations: One venture's profit allocation, or several; the
                compounds' public revenue comes from their community shares.
            settlements: The settlements with the shops; the programme's own by
                default.
            pipeline: The community's suggestion pipeline, or its
                [`DeliberationReport`][grassroots.deliberation.DeliberationReport]
                already made (whose meetings and mailbox stand in for
                ``meetings`` and ``mailbox`` when those are not given).
            meetings: The meeting series and the records of the meetings held,
                in any order.
            mailbox: The wish mailbox.
            start: The first local day of the period (Asia/Shanghai).
            end: The last local day, included.

        Raises:
            TypeError: an input is not of its type, or a day is a ``datetime``.
            InvalidValue: ``end`` is before ``start``.
        """
        first = None if start is None else require_date(start, "start")
        last = None if end is None else require_date(end, "end")
        if first is not None and last is not None and last < first:
            raise InvalidValue(
                f"the report's last day {last} is before its first day {first}",
                value=str(last),
                limit=str(first),
                rule=PERIOD_RULE,
            )
        if not isinstance(scenario, Scenario):
            raise TypeError(f"scenario must be a Scenario, not {type(scenario).__name__}")
        names = {s.id: s.name for s in scenario.county.subcommunities}
        if mailbox is not None and not isinstance(mailbox, Mailbox):
            raise TypeError(f"mailbox must be a Mailbox, not {type(mailbox).__name__}")
        # a deliberation report made already, or one made here for the period
        report = pipeline if isinstance(pipeline, DeliberationReport) else None
        series, records = _meeting_inputs(meetings)
        period_given = first is not None and last is not None
        if report is None and isinstance(pipeline, SuggestionPipeline) and period_given:
            report = deliberation_report(
                pipeline,
                pendulum.Interval(first, last),
                series=series,
                records=records,
                mailbox=mailbox,
            )
        return cls(
            county=scenario.county.id,
            county_name=scenario.county.name,
            first_day=first,
            last_day=last,
            coverage=_coverage(scenario),
            rooms=_rooms(scenario),
            ventures=_ventures(allocations, names),
            points=None if programme is None else _points(_programme(programme)),
            funds=_funds(programme, settlements),
            suggestions=_suggestions(pipeline, report),
            meetings=_meetings(
                meetings, series=series, records=records, report=report, first=first, last=last
            ),
            mailbox=_mailbox(mailbox, report, first, last),
        )


# --- building the sections ---------------------------------------------------------------


def _coverage(scenario: Scenario) -> CoverageSummary:
    coverage = scenario.coverage()
    return CoverageSummary(
        branches=coverage.branch_count,
        subcommunities=coverage.subcommunity_count,
        covered=len(coverage.covered),
        uncovered=coverage.uncovered,
        doubly_covered=tuple(line.subcommunity_id for line in coverage.doubly_covered),
        outside=len(coverage.outside),
        secretary_sources=coverage.secretary_sources,
    )


def _rooms(scenario: Scenario) -> RoomsSummary:
    inventory = scenario.rooms_inventory()
    return RoomsSummary(rooms=inventory.rooms, area=inventory.area, by_status=inventory.by_status)


def _allocations(
    value: ProfitAllocation | Iterable[ProfitAllocation],
) -> tuple[ProfitAllocation, ...]:
    items = (value,) if isinstance(value, ProfitAllocation) else tuple(value)
    for item in items:
        if not isinstance(item, ProfitAllocation):
            raise TypeError(f"allocations must be ProfitAllocation values, not {type(item)}")
    return items


def _ventures(
    allocations: ProfitAllocation | Iterable[ProfitAllocation] | None, names: dict[str, str]
) -> tuple[VentureResult, ...] | None:
    if allocations is None:
        return None
    return tuple(_venture(allocation, names) for allocation in _allocations(allocations))


def _venture(allocation: ProfitAllocation, names: dict[str, str]) -> VentureResult:
    venture = allocation.venture
    projects = {p.id: p for p in venture.projects}
    periods: list[PeriodResult] = []
    revenue: dict[str, Decimal] = {p.subcommunity: _ZERO for p in venture.projects}
    dividends: dict[str, Decimal] = {h.shareholder.id: _ZERO for h in venture.holdings}
    for figures, period in zip(allocation.figures, allocation.periods, strict=True):
        shares: dict[str, Decimal] = {}
        for line in period.lines:
            if line.step is Step.COMMUNITY_SHARE:
                revenue[line.recipient] = revenue.get(line.recipient, _ZERO) + line.amount
                if line.project is not None:
                    shares[line.project] = shares.get(line.project, _ZERO) + line.amount
            elif line.step is Step.DIVIDEND:
                dividends[line.recipient] = dividends.get(line.recipient, _ZERO) + line.amount
        periods.append(
            PeriodResult(
                period=period.period,
                profit=period.profit,
                other_profit=figures.other_profit,
                projects=tuple(
                    ProjectLine(
                        project=result.project,
                        name=projects[result.project].name,
                        subcommunity=projects[result.project].subcommunity,
                        net_profit=result.net_profit,
                        public_revenue=shares.get(result.project, _ZERO),
                    )
                    for result in figures.projects
                ),
                flows=tuple(
                    FlowLine(
                        step=line.step,
                        recipient=line.recipient,
                        project=line.project,
                        amount=line.amount,
                        rate=line.rate,
                    )
                    for line in period.lines
                ),
                loss_carried=period.closing.loss,
            )
        )
    holders = {h.shareholder.id: h.shareholder.name for h in venture.holdings}
    closing = allocation.closing
    return VentureResult(
        venture=venture.id,
        name=venture.name,
        state_share=venture.state_share(),
        periods=tuple(periods),
        public_revenue=tuple(
            CompoundRevenue(subcommunity=key, name=names.get(key, key), amount=amount)
            for key, amount in revenue.items()
        ),
        dividends=tuple(
            ShareholderPart(shareholder=key, name=holders.get(key, key), amount=amount)
            for key, amount in dividends.items()
        ),
        statutory_reserve=closing.statutory_reserve,
        discretionary_reserve=closing.discretionary_reserve,
    )


def _programme(value: object) -> PointsProgramme:
    if not isinstance(value, PointsProgramme):
        raise TypeError(f"programme must be a PointsProgramme, not {type(value).__name__}")
    return value


def _points(programme: PointsProgramme) -> tuple[SchemePoints, ...]:
    ledger = programme.ledger
    lines = []
    for scheme in ledger.schemes:
        totals = ledger.totals(scheme.code)
        lines.append(
            SchemePoints(
                scheme=scheme.code,
                name=scheme.name or scheme.code,
                issued=totals.issued,
                redeemed=totals.redeemed,
                expired=totals.expired,
                outstanding=totals.outstanding,
                exchanged_in=totals.exchanged_in,
                exchanged_out=totals.exchanged_out,
                adjusted=totals.adjusted,
            )
        )
    return tuple(lines)


def _fund_lines(programme: PointsProgramme) -> tuple[FundLine, ...]:
    lines = []
    for fund in programme.funds:
        moved = dict.fromkeys(MovementKind, 0)
        for movement in fund.movements:
            moved[movement.kind] += to_fen(movement.amount)
        lines.append(
            FundLine(
                fund=fund.id,
                name=fund.name or fund.id,
                subcommunity=fund.subcommunity,
                deposited=from_fen(moved[MovementKind.DEPOSIT]),
                discounts=from_fen(moved[MovementKind.DISCOUNT]),
                returned=from_fen(moved[MovementKind.REFUND] + moved[MovementKind.CLAIM_REPAID]),
                balance=fund.balance,
            )
        )
    return tuple(lines)


def _settlement(settlement: Settlement) -> SettlementSummary:
    if not isinstance(settlement, Settlement):
        raise TypeError(f"settlements must be Settlement values, not {type(settlement)}")
    lines = settlement.lines
    return SettlementSummary(
        start=settlement.start,
        end=settlement.end,
        merchants=len(lines),
        receipts=sum(len(line.receipts) for line in lines),
        points=settlement.points,
        discounts=settlement.discounts,
        fund_owes=sum((line.fund_owes for line in lines), _ZERO),
        merchant_absorbs=sum((line.merchant_absorbs for line in lines), _ZERO),
        merchant_owes=sum((line.merchant_owes for line in lines), _ZERO),
    )


def _funds(
    programme: PointsProgramme | None, settlements: Iterable[Settlement] | None
) -> FundsSection | None:
    if programme is None and settlements is None:
        return None
    given = _programme(programme) if programme is not None else None
    if settlements is None:
        settlements = given.settlements if given is not None else ()
    return FundsSection(
        funds=() if given is None else _fund_lines(given),
        settlements=tuple(_settlement(s) for s in settlements),
    )


def _suggestions(
    pipeline: SuggestionPipeline | DeliberationReport | None, report: DeliberationReport | None
) -> SuggestionsSection | None:
    if pipeline is None:
        return None
    if report is not None:
        return SuggestionsSection(
            community=report.community_id,
            recorded=report.recorded,
            by_stage=tuple(StageCount(stage=s, count=n) for s, n in report.by_stage),
            by_outcome=tuple(OutcomeCount(outcome=o, count=n) for o, n in report.by_outcome),
            settled_in_compound_share=report.settled_in_compound_share,
        )
    if not isinstance(pipeline, SuggestionPipeline):
        raise TypeError(
            "pipeline must be a SuggestionPipeline or a DeliberationReport,"
            f" not {type(pipeline).__name__}"
        )
    # No period: every suggestion so far, where it stands now.
    stages = dict.fromkeys(Stage, 0)
    outcomes = dict.fromkeys(Outcome, 0)
    adopted = compound = 0
    for suggestion in pipeline.suggestions():
        stages[suggestion.stage] += 1
        if suggestion.stage in _ADOPTED:
            adopted += 1
            compound += suggestion.settled_in_compound
            outcome = (
                Outcome.SETTLED_IN_COMPOUND
                if suggestion.settled_in_compound
                else Outcome.ADOPTED_BY_ASSEMBLY
            )
        else:
            outcome = _ENDED.get(suggestion.stage, Outcome.PENDING)
        outcomes[outcome] += 1
    return SuggestionsSection(
        community=pipeline.community.id,
        recorded=len(pipeline),
        by_stage=tuple(StageCount(stage=s, count=n) for s, n in stages.items() if n),
        by_outcome=tuple(OutcomeCount(outcome=o, count=n) for o, n in outcomes.items() if n),
        settled_in_compound_share=Fraction(compound, adopted) if adopted else None,
    )


def _meeting_inputs(
    meetings: Iterable[MeetingSeries | MeetingRecord] | None,
) -> tuple[tuple[MeetingSeries, ...], tuple[MeetingRecord, ...]]:
    if meetings is None:
        return (), ()
    series: list[MeetingSeries] = []
    records: list[MeetingRecord] = []
    for item in meetings:
        if isinstance(item, MeetingSeries):
            series.append(item)
        elif isinstance(item, MeetingRecord):
            records.append(item)
        else:
            raise TypeError(
                f"meetings must be MeetingSeries or MeetingRecord values, not {type(item)}"
            )
    return tuple(series), tuple(records)


def _meetings(
    given: object,
    *,
    series: tuple[MeetingSeries, ...],
    records: tuple[MeetingRecord, ...],
    report: DeliberationReport | None,
    first: pendulum.Date | None,
    last: pendulum.Date | None,
) -> tuple[MeetingLine, ...] | None:
    kinds = {one.id: one.kind for one in series}
    if given is None:
        if report is None or not report.meetings:
            return None
        return tuple(
            MeetingLine(
                series=m.series_id,
                name=m.name,
                kind=kinds.get(m.series_id, SeriesKind.OTHER),
                held=m.held,
                scheduled=m.scheduled,
            )
            for m in report.meetings
        )
    lines = []
    for one in series:
        if first is not None and last is not None:
            held, scheduled = held_and_scheduled(one, records, pendulum.Interval(first, last))
            lines.append(
                MeetingLine(
                    series=one.id, name=one.name, kind=one.kind, held=held, scheduled=scheduled
                )
            )
        else:
            held = len({r.occurrence.id for r in records if r.occurrence.series_id == one.id})
            lines.append(
                MeetingLine(series=one.id, name=one.name, kind=one.kind, held=held, scheduled=None)
            )
    return tuple(lines)


def _end_of(last: pendulum.Date) -> pendulum.DateTime:
    """The last instant of the local day ``last``."""
    return (
        pendulum.datetime(last.year, last.month, last.day, tz=SHANGHAI)
        .add(days=1)
        .subtract(microseconds=1)
    )


def _mailbox(
    mailbox: Mailbox | None,
    report: DeliberationReport | None,
    first: pendulum.Date | None,
    last: pendulum.Date | None,
) -> MailboxSection | None:
    seen: MailboxReport | None = None
    if mailbox is not None:
        if last is None:
            return None  # a mailbox is looked at a moment: without an end there is none
        since = (
            None
            if first is None
            else pendulum.datetime(first.year, first.month, first.day, tz=SHANGHAI)
        )
        seen = mailbox.report(as_of=_end_of(last), since=since)
    elif report is not None:
        seen = report.mailbox
    if seen is None:
        return None
    return MailboxSection(
        as_of=seen.as_of,
        received=seen.received,
        answered=seen.answered,
        answered_on_time=seen.answered_on_time,
        overdue=len(seen.overdue),
        median_answer_seconds=seen.median_answer_seconds,
    )


# --- JSON ----------------------------------------------------------------------------------


def render_json(report: YearReport, *, indent: int | None = 2) -> str:
    """Return ``report`` as JSON through the library's one converter.

    Money is exact text (``"188750.00"``), shares are fractions (``"1/2"``),
    days and times ISO 8601; [`load_report`][grassroots.reports.load_report]
    reads it back to an equal report.

    Raises:
        TypeError: ``report`` is not a [`YearReport`][grassroots.reports.YearReport].
    """
    from grassroots.serialization import dumps

    if not isinstance(report, YearReport):
        raise TypeError(f"give a YearReport, not {type(report).__name__}")
    return dumps(report, indent=indent)


def load_report(text: str) -> YearReport:
    """Return the report that [`render_json`][grassroots.reports.render_json] wrote.

    Raises:
        SerializationError: the text is not such a report.
    """
    from grassroots.serialization import loads

    return loads(text, YearReport)
