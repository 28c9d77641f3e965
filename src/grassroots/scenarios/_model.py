"""The parts of a scenario that drive a simulated year: the pipeline roster, the year model."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from grassroots import _validators as v
from grassroots.errors import InvalidValue
from grassroots.money import yuan

__all__ = ["PipelineSetup", "ProfitRange", "YearModel"]

_YEAR_RULE = "scenario format: the [year] model (docs: reference, scenarios)"


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    items: tuple[str, ...] = v.to_tuple(value)
    for item in items:
        v.check_identifier(item, "category")
    return items


@attrs.frozen(kw_only=True)
class PipelineSetup:
    """Who runs the four-step suggestion pipeline of one community.

    Args:
        community: The community (社区) whose grid workers record suggestions.
        representatives: How many residents' representatives (居民代表) sit.
        households: The households voting in the residents' meeting (居民会议).
        compound_categories: Small matters settled in the compound (小事不出小区).
        community_categories: Big matters that go to review and the assembly (大事不出社区).
    """

    community: str = attrs.field(validator=v.identifier)
    representatives: int = attrs.field(validator=v.count)
    households: int = attrs.field(validator=v.count)
    compound_categories: tuple[str, ...] = attrs.field(
        default=("楼道清理", "环境卫生", "车辆停放"), converter=_texts
    )
    community_categories: tuple[str, ...] = attrs.field(
        default=("加装电梯", "停车场改造"), converter=_texts
    )

    def __attrs_post_init__(self) -> None:
        if self.representatives < 1 or self.households < 1:
            raise InvalidValue(
                "a pipeline needs at least one representative and one household",
                value=(self.representatives, self.households),
                limit=1,
                rule=_YEAR_RULE,
            )
        if not self.compound_categories or not self.community_categories:
            raise InvalidValue(
                "a pipeline needs at least one small and one big category",
                value=(self.compound_categories, self.community_categories),
                limit=1,
                rule=_YEAR_RULE,
            )


@attrs.frozen(kw_only=True)
class ProfitRange:
    """A project's monthly net profit, drawn evenly to the fen between ``low`` and ``high``.

    Args:
        project: The venture's project.
        low: The least monthly net profit in yuan (negative for a loss).
        high: The most, not below ``low``.
    """

    project: str = attrs.field(validator=v.identifier)
    low: Decimal = attrs.field(converter=yuan)
    high: Decimal = attrs.field(converter=yuan)

    def __attrs_post_init__(self) -> None:
        if self.high < self.low:
            raise InvalidValue(
                f"the profit range of {self.project} ends at {self.high}, below {self.low}",
                value=self.high,
                limit=self.low,
                rule=_YEAR_RULE,
            )


def _profits(value: Iterable[ProfitRange]) -> tuple[ProfitRange, ...]:
    items: tuple[ProfitRange, ...] = v.to_tuple(value)
    return items


def _rewards(value: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple((v.check_identifier(s, "scheme"), v.check_count(p, "points")) for s, p in value)


@attrs.frozen(kw_only=True)
class YearModel:
    """The random model of a year: how much happens per compound and month.

    Every count is a mean: the simulation draws each month's number evenly
    between none and twice it (so a count of 0 means never), with a
    ``random.Random`` seeded by ``seed``.

    Args:
        start: The first day of the year simulated (Asia/Shanghai).
        seed: The seed of the draws, when the caller gives none.
        residents_per_compound: Residents registered in the points programme per compound.
        activities_per_compound_month: Volunteer activities each compound's branch publishes.
        claims_per_activity: Residents who claim a place at each activity (its capacity).
        attendance: The share of claimants who turn up and are confirmed.
        rewards: The points each confirmed participant earns, per scheme.
        redemptions_per_compound_month: Redemptions tried by each compound's residents.
        points_per_redemption: The most points a resident offers at once.
        bill_low: The least bill of a redemption, in yuan.
        bill_high: The largest bill.
        exchanges_per_compound_month: Conversions at the exchange window.
        suggestions_per_month: Suggestions grid workers record in the pipeline's community.
        messages_per_month: Messages left in the wish mailbox.
        meeting_attendance: Mean residents at a consultation meeting.
        fund_opening: What each compound fund holds on the first day.
        profits: Each project's monthly net profit range.
    """

    start: pendulum.Date = attrs.field(converter=v.to_date)
    seed: int = attrs.field(validator=v.count)
    residents_per_compound: int = attrs.field(validator=v.count)
    activities_per_compound_month: int = attrs.field(validator=v.count)
    claims_per_activity: int = attrs.field(validator=v.count)
    attendance: Fraction = attrs.field(converter=v.ratio)
    rewards: tuple[tuple[str, int], ...] = attrs.field(converter=_rewards)
    redemptions_per_compound_month: int = attrs.field(validator=v.count)
    points_per_redemption: int = attrs.field(validator=v.count)
    bill_low: Decimal = attrs.field(converter=yuan)
    bill_high: Decimal = attrs.field(converter=yuan)
    exchanges_per_compound_month: int = attrs.field(validator=v.count)
    suggestions_per_month: int = attrs.field(validator=v.count)
    messages_per_month: int = attrs.field(validator=v.count)
    meeting_attendance: int = attrs.field(validator=v.count)
    fund_opening: Decimal = attrs.field(converter=yuan)
    profits: tuple[ProfitRange, ...] = attrs.field(default=(), converter=_profits)

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, object, object]] = []
        if not 0 <= self.attendance <= 1:
            problems.append(("attendance", self.attendance, "0..1"))
        if self.claims_per_activity < 1:
            problems.append(("claims_per_activity", self.claims_per_activity, 1))
        if not Decimal("0.01") <= self.bill_low <= self.bill_high:
            problems.append(("bill_low", self.bill_low, f"0.01..{self.bill_high}"))
        if self.fund_opening < 0:
            problems.append(("fund_opening", self.fund_opening, 0))
        if not any(points for _scheme, points in self.rewards):
            problems.append(("rewards", self.rewards, "at least one point"))
        if problems:
            name, value, limit = problems[0]
            raise InvalidValue(
                f"the year model's {name} {value} is outside {limit}",
                value=value,
                limit=limit,
                rule=_YEAR_RULE,
            )
