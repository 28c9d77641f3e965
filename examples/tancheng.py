"""Tancheng county, end to end: coverage, the joint venture's profit split, and the points cycle.

Run it after installing the package: ``python examples/tancheng.py``. The case
gives the figures it can (50 branches over 124 compounds, the state's 51%,
10% of each project's net profit to its compound); the rest is illustrative.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pendulum

from grassroots import (
    Account,
    AccountKind,
    BranchMember,
    Community,
    County,
    ExchangeRate,
    ExpiryPolicy,
    JointVenture,
    MemberStatus,
    PartyBranch,
    PeriodFigures,
    PointsLedger,
    ProfitAllocation,
    Project,
    ProjectKind,
    Scheme,
    Shareholder,
    ShareholderKind,
    Shareholding,
    Street,
    Subcommunity,
    SubcommunityKind,
    Transfer,
    TransferKind,
    coverage_report,
)
from grassroots.allocation import ProjectResult
from grassroots.ledger import quote_redemption

SHANGHAI = "Asia/Shanghai"


def coverage() -> None:
    """Fifty entity branches (实体化小区党支部) cover all 124 commercial-residential compounds."""
    numbers = itertools.count(1)
    communities = [
        Community(
            id=f"sq-{c:02}",
            name=f"城市社区{c:02}",
            subcommunities=[
                Subcommunity(
                    id=f"tc-{n:03}",
                    name=f"商住小区{n:03}",
                    kind=SubcommunityKind.COMMERCIAL_RESIDENTIAL,
                )
                for n in itertools.islice(numbers, size)
            ],
        )
        for c, size in enumerate([8] * 12 + [7] * 4, start=1)
    ]
    county = County(
        id="tancheng",
        name="郯城县",
        streets=[Street(id="street-1", name="街道一", communities=communities)],
    )
    formed = pendulum.Date(2023, 3, 1)
    plans = [[3, 3, 2]] * 10 + [[2, 2, 2, 2]] * 2 + [[3, 2, 2]] * 4
    branches: list[PartyBranch] = []
    for community, plan in zip(county.communities, plans, strict=True):
        ids = iter(s.id for s in community.subcommunities)
        for size in plan:
            n = len(branches) + 1
            members = [
                BranchMember(person_id=f"b{n}-p{m}", status=MemberStatus.FULL, joined_on=formed)
                for m in range(3 + n % 4)
            ]
            branches.append(
                PartyBranch(
                    id=f"branch-{n:02}",
                    name=f"小区党支部{n:02}",
                    coverage=list(itertools.islice(ids, size)),
                    members=members,
                    formed_on=formed,
                )
            )
    print(coverage_report(county, branches).to_text())


def profit_split() -> None:
    """A 51/49 joint venture (合资公司) over three years with one loss year."""
    state = Shareholder(id="国企", name="郯城县国有企业", kind=ShareholderKind.STATE_OWNED)
    collective = Shareholder(id="集体", name="社区集体经济组织", kind=ShareholderKind.COLLECTIVE)
    venture = JointVenture(
        id="tc-jv",
        name="郯城合资公司",
        holdings=[
            Shareholding(shareholder=state, subscribed=Decimal("510000")),
            Shareholding(shareholder=collective, subscribed=Decimal("490000")),
        ],
        projects=[
            Project(
                id="家政",
                name="家政服务公司",
                kind=ProjectKind.HOUSEKEEPING,
                subcommunity="东城小区",
            ),
            Project(
                id="便利店",
                name="24小时便利店",
                kind=ProjectKind.CONVENIENCE_STORE,
                subcommunity="西城小区",
            ),
            Project(
                id="食堂",
                name="幸福食堂",
                kind=ProjectKind.HAPPINESS_CANTEEN,
                subcommunity="南城小区",
            ),
        ],
    )
    years = [
        ("2024", "86000", "142500", "-21750", "-18000"),
        ("2025", "40250", "-195000", "3400", "-18000"),
        ("2026", "97300", "188420", "35010", "-20000"),
    ]
    figures = [
        PeriodFigures(
            period=label,
            projects=[
                ProjectResult(project="家政", net_profit=Decimal(housekeeping)),
                ProjectResult(project="便利店", net_profit=Decimal(store)),
                ProjectResult(project="食堂", net_profit=Decimal(canteen)),
            ],
            other_profit=Decimal(other),
        )
        for label, housekeeping, store, canteen, other in years
    ]
    result = ProfitAllocation(venture=venture, figures=figures)
    print(result.periods[0])
    print()
    for destination, amount in sorted(result.totals().items()):
        print(f"  {destination:<28} {amount:>12}")


def points_cycle() -> None:
    """Earn virtue points (美德积分), exchange them at the window, redeem at the canteen."""
    ledger = PointsLedger()
    for code, name in [("virtue", "美德积分"), ("window", "积分兑换窗口")]:
        ledger.add_scheme(Scheme(code=code, name=name, expiry=ExpiryPolicy.end_of_year(1)))
        for kind in (AccountKind.ISSUER, AccountKind.EXPIRY, AccountKind.EXCHANGE):
            ledger.open_account(Account(id=f"{code}:{kind.value}", scheme=code, kind=kind))
        ledger.open_account(
            Account(id=f"{code}:wang", scheme=code, kind=AccountKind.WALLET, owner="wang")
        )
    ledger.open_account(Account(id="window:canteen", scheme="window", kind=AccountKind.MERCHANT))
    opened = pendulum.datetime(2025, 1, 1, tz=SHANGHAI)
    ledger.record_rate(
        ExchangeRate(source="virtue", target="window", rate=Fraction(1), effective=opened)
    )
    confirmed = pendulum.datetime(2025, 3, 8, 17, tz=SHANGHAI)
    ledger.post(
        Transfer(
            id="2025-03 楼道清洁:wang",
            debit="virtue:issuer",
            credit="virtue:wang",
            amount=80,
            kind=TransferKind.EARN,
            at=confirmed,
            memo="confirmed by sign-in",
        )
    )
    ledger.exchange(
        id="x-1", source="virtue:wang", target="window:wang", points=80, at=confirmed.add(days=1)
    )
    lunch = pendulum.datetime(2025, 4, 2, 12, tz=SHANGHAI)
    quote = quote_redemption(
        points=ledger.spendable("window:wang", at=lunch),
        bill="15.00",
        rate=Fraction(1, 10),
        cap=Fraction(1, 2),
    )
    ledger.post(
        Transfer(
            id="meal-1",
            debit="window:wang",
            credit="window:canteen",
            amount=quote.points,
            kind=TransferKind.REDEEM,
            at=lunch,
        )
    )
    print(f"幸福食堂 bill 15.00: discount {quote.discount} for {quote.points} points")
    print(f"wallet window:wang holds {ledger.balance('window:wang')} points")
    print(f"trial balance {ledger.trial_balance()}, journal head {ledger.verify()[:16]}…")


def main() -> None:
    """Print the three parts of the walk-through."""
    print("== 党支部覆盖 (party branch coverage)")
    coverage()
    print("\n== 合资公司利润分配 (joint venture profit split)")
    profit_split()
    print("\n== 积分 (points cycle)")
    points_cycle()


if __name__ == "__main__":
    main()
