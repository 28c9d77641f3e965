"""Strategies for the points programme (private module; import from grassroots.strategies).

Everything is built through the public constructors, so what these strategies
draw is always valid.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots.programme import (
    CapBehaviour,
    CapPeriod,
    DailyLimit,
    EarnerGroup,
    EarningCap,
    FundingPolicy,
    Merchant,
    Participant,
    RedemptionRule,
    Reward,
    Shortfall,
    VolunteerActivity,
)
from grassroots.strategies._ledger import ledger_times

__all__ = [
    "daily_limits",
    "earning_caps",
    "funding_policies",
    "merchants",
    "participants",
    "redemption_rules",
    "volunteer_activities",
]

_IDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_NAMES = st.sampled_from(["楼道清扫", "便民理发", "垃圾分类宣传", "24小时便利店", "幸福食堂", "x"])
_SCHEMES = st.sampled_from(["party", "virtue", "unified"])


def participants(*, ids: st.SearchStrategy[str] = _IDS) -> st.SearchStrategy[Participant]:
    """Draw a [`Participant`][grassroots.programme.activity.Participant] in one or more groups.

    Shrinks toward one group and no honour-board consent. Needs the ``hypothesis`` extra.
    """
    return st.builds(
        Participant,
        id=ids,
        groups=st.frozensets(st.sampled_from(EarnerGroup), min_size=1),
        honour_board=st.booleans(),
    )


def volunteer_activities(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    schemes: st.SearchStrategy[str] = _SCHEMES,
    min_capacity: int = 1,
    max_capacity: int = 50,
) -> st.SearchStrategy[VolunteerActivity]:
    """Draw a [`VolunteerActivity`][grassroots.programme.activity.VolunteerActivity].

    Its length is 1 to 600 minutes; its rewards are 1 to 3 schemes of 1 to
    100 points each. Shrinks toward short activities of one place and one
    reward. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: the capacity bounds are not 1 ≤ min ≤ max.
    """
    if not 1 <= min_capacity <= max_capacity:
        raise InvalidArgument(
            f"need 1 <= min_capacity {min_capacity} <= max_capacity {max_capacity}"
        )

    @st.composite
    def build(draw: st.DrawFn) -> VolunteerActivity:
        start = draw(ledger_times())
        codes = draw(st.lists(schemes, min_size=1, max_size=3, unique=True))
        return VolunteerActivity(
            id=draw(ids),
            title=draw(_NAMES),
            organiser=draw(_IDS),
            place=draw(_NAMES),
            subcommunity=draw(_IDS),
            start=start,
            end=start.add(minutes=draw(st.integers(min_value=1, max_value=600))),
            rewards=[
                Reward(scheme=code, points=draw(st.integers(min_value=1, max_value=100)))
                for code in codes
            ],
            capacity=draw(st.integers(min_value=min_capacity, max_value=max_capacity)),
            eligible=draw(st.frozensets(st.sampled_from(EarnerGroup), min_size=1)),
        )

    return build()


def earning_caps(*, schemes: st.SearchStrategy[str] = _SCHEMES) -> st.SearchStrategy[EarningCap]:
    """Draw an [`EarningCap`][grassroots.programme.caps.EarningCap] on points, credits or both.

    Shrinks toward a daily cap of one point that credits up to the cap.
    Needs the ``hypothesis`` extra.
    """
    limits = st.one_of(st.none(), st.integers(min_value=1, max_value=500))
    return st.builds(
        EarningCap,
        scheme=schemes,
        period=st.sampled_from(CapPeriod),
        points=st.integers(min_value=1, max_value=500),
        credits=limits,
        behaviour=st.sampled_from(CapBehaviour),
    )


def redemption_rules(
    *, schemes: st.SearchStrategy[str] = _SCHEMES
) -> st.SearchStrategy[RedemptionRule]:
    """Draw a [`RedemptionRule`][grassroots.programme.shop.RedemptionRule].

    Points per yuan are exact fractions from 1/10 to 1000, the largest share is
    above 0 and at most 1, the minimum bill 0 to 50 yuan. Shrinks toward a
    rule taking any bill at one point a yuan. Needs the ``hypothesis`` extra.
    """
    return st.builds(
        RedemptionRule,
        points_per_yuan=st.builds(
            Fraction,
            st.integers(min_value=1, max_value=1000),
            st.integers(min_value=1, max_value=10),
        ),
        max_share=st.builds(
            lambda num, den: Fraction(min(num, den), den),
            st.integers(min_value=1, max_value=100),
            st.integers(min_value=1, max_value=100),
        ),
        minimum_bill=st.integers(min_value=0, max_value=5000).map(lambda fen: Decimal(fen) / 100),
        schemes=st.frozensets(schemes, min_size=1),
    )


def funding_policies(*, funds: st.SearchStrategy[str] = _IDS) -> st.SearchStrategy[FundingPolicy]:
    """Draw a [`FundingPolicy`][grassroots.programme.fund.FundingPolicy]: fund, merchant or split.

    Shrinks toward the merchant absorbing every discount. Needs the ``hypothesis`` extra.
    """
    shortfalls = st.sampled_from(Shortfall)
    return st.one_of(
        st.just(FundingPolicy.merchant_absorbs()),
        st.builds(
            lambda fund, short: FundingPolicy.from_fund(fund, shortfall=short), funds, shortfalls
        ),
        st.builds(
            lambda fund, num, short: FundingPolicy.split(fund, Fraction(num, 100), shortfall=short),
            funds,
            st.integers(min_value=1, max_value=99),
            shortfalls,
        ),
    )


def merchants(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    funding: st.SearchStrategy[FundingPolicy] | None = None,
) -> st.SearchStrategy[Merchant]:
    """Draw a [`Merchant`][grassroots.programme.shop.Merchant] with a rule and a funding policy.

    Shrinks toward a merchant that absorbs its discounts. Needs the ``hypothesis`` extra.
    """
    return st.builds(
        Merchant,
        id=ids,
        name=_NAMES,
        subcommunity=_IDS,
        rule=redemption_rules(),
        funding=funding_policies() if funding is None else funding,
    )


def daily_limits(*, schemes: st.SearchStrategy[str] = _SCHEMES) -> st.SearchStrategy[DailyLimit]:
    """Draw a [`DailyLimit`][grassroots.programme.window.DailyLimit] of 1 to 1,000 points.

    Shrinks toward one point a day. Needs the ``hypothesis`` extra.
    """
    return st.builds(DailyLimit, scheme=schemes, points=st.integers(min_value=1, max_value=1000))
