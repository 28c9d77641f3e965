"""Tancheng (郯城县): one compound's points programme over November 2026, worked by hand.

The case: the branch publishes a volunteer activity → residents claim it and
take part → points are credited online → points are redeemed offline as
discounts at the venture's three shops (the 24-hour convenience store, the
housekeeping company and the happiness canteen 幸福食堂). 10% of each
project's net profit goes to the compound's public revenue (小区公共收益),
which pays for the discounts: profit → public revenue → discounts → volunteering.
"新新向党" party points and 美德积分 virtue points meet in one exchange window.

Assumptions the case leaves open, made explicit here: a point is worth 1 jiao
(10 points a yuan) at every shop; points may pay all of a store bill, half a
canteen meal and a fifth of a housekeeping bill of at least 50 yuan; the fund
pays the store's and the canteen's discounts and half of the housekeeping
company's; party points convert 1:1 into virtue points, 2/3 from 16 November;
no resident earns more than 100 virtue points a month.

The figures, by hand:

- October's profits: canteen 12,000.00, store 6,500.00, housekeeping 3,500.00;
  10% of each is 1,200.00 + 650.00 + 350.00 = 2,200.00 into the fund.
- Earned: zhang 20 virtue (clean-up) and 30 party (policy talk); liu 20
  virtue; chen 20 + 50 + 30 virtue (the last activity pays 40, but only 30 are
  left under the monthly cap of 100); zhao 50 virtue (no-show at the clean-up).
- zhang converts 10 party points on 15 November at 1 (10 virtue) and 10 on
  20 November at 2/3: 6 virtue for 9 points, the 10th stays.
- Store: liu, 8.50 bill, 20 points → 2.00 off, 6.50 to pay.
- Canteen: zhao, 15.00 meal, 50 points → 5.00 off (half would be 7.50).
- Housekeeping (29 November): chen, 80.00 bill, 100 points → 10.00 off (a fifth would be
  16.00); the fund pays 5.00, the company absorbs 5.00.
- Canteen: zhang, 12.00 meal, 36 points → 3.60 off; half refunded the next
  day: 18 points and 1.80 of discount back, 4.20 in money.
- Settlement of November: store 2.00, housekeeping 10.00 (fund 5.00),
  canteen 5.00 + 1.80 = 6.80; the fund pays 13.80 and keeps 2,186.20.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest

from grassroots import errors
from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult
from grassroots.ledger import ExchangeRate, ExpiryPolicy, Scheme
from grassroots.programme import (
    CapPeriod,
    EarnerGroup,
    EarningCap,
    FundingPolicy,
    Merchant,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    VolunteerActivity,
    wallet_id,
)
from grassroots.venture import (
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)

BRANCH = "branch-dongcheng"  # 东城小区党支部
COMMITTEE = "committee-dongcheng"  # 居委会
COMPOUND = "dongcheng"


def when(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> pendulum.DateTime:
    """Return a time in 2026, Asia/Shanghai."""
    return pendulum.datetime(2026, month, day, hour, minute, tz="Asia/Shanghai")


def october() -> ProfitAllocation:
    """Return the venture's October 2026 allocation with the three projects' profits."""
    soe = Shareholder(id="soe", name="县属国企", kind=ShareholderKind.STATE_OWNED)
    coll = Shareholder(id="coll", name="社区集体经济组织", kind=ShareholderKind.COLLECTIVE)
    projects = [
        Project(id=pid, name=name, kind=kind, subcommunity=COMPOUND)
        for pid, name, kind in [
            ("store", "24小时便利店", ProjectKind.CONVENIENCE_STORE),
            ("housekeeping", "家政公司", ProjectKind.HOUSEKEEPING),
            ("canteen", "幸福食堂", ProjectKind.HAPPINESS_CANTEEN),
        ]
    ]
    venture = JointVenture(
        id="jv",
        name="郯城合资公司",
        holdings=[
            Shareholding(shareholder=soe, subscribed=Decimal("510000")),
            Shareholding(shareholder=coll, subscribed=Decimal("490000")),
        ],
        projects=projects,
    )
    return ProfitAllocation(
        venture=venture,
        figures=[
            PeriodFigures(
                period="2026-10",
                projects=[
                    ProjectResult(project="canteen", net_profit=Decimal("12000.00")),
                    ProjectResult(project="store", net_profit=Decimal("6500.00")),
                    ProjectResult(project="housekeeping", net_profit=Decimal("3500.00")),
                ],
            )
        ],
    )


def activity(  # noqa: PLR0917 - the activity's facts, in the order of a notice
    aid: str,
    title: str,
    organiser: str,
    start: pendulum.DateTime,
    hours: int,
    reward: Reward,
    eligible: list[EarnerGroup],
) -> VolunteerActivity:
    """Return an activity in the compound with ten places."""
    return VolunteerActivity(
        id=aid,
        title=title,
        organiser=organiser,
        place="东城小区",
        subcommunity=COMPOUND,
        start=start,
        end=start.add(hours=hours),
        rewards=[reward],
        capacity=10,
        eligible=eligible,
        content=title,
    )


@pytest.fixture
def month() -> PointsProgramme:
    """Run November 2026 in the compound, up to (not including) the settlement."""
    programme = PointsProgramme(
        administrators=["platform-admin"],
        caps=[EarningCap(scheme="virtue", period=CapPeriod.MONTH, points=100)],
        exchange_schemes=["party", "virtue"],
    )
    yearly = ExpiryPolicy.end_of_year(1)
    programme.add_scheme(Scheme(code="party", name="新新向党", expiry=yearly))
    programme.add_scheme(Scheme(code="virtue", name="美德积分", expiry=yearly))
    people = {
        "zhang": EarnerGroup.PARTY_MEMBER,
        "liu": EarnerGroup.ORGANISATION_STAFF,
        "chen": EarnerGroup.NEW_EMPLOYMENT,
        "zhao": EarnerGroup.RESIDENT,
    }
    for pid, group in people.items():
        programme.register(
            Participant(id=pid, groups=[group], honour_board=pid in {"zhang", "zhao"})
        )
    fund = PublicRevenueFund(id="fund-dongcheng", subcommunity=COMPOUND, name="东城小区公共收益")
    programme.add_fund(fund)
    programme.deposit_allocation(october().periods[0], at=when(1, 9))
    everyone = list(EarnerGroup)
    shops = [
        ("store", "24小时便利店", RedemptionRule(points_per_yuan=10, schemes=["virtue"]),
         FundingPolicy.from_fund(fund.id)),
        ("housekeeping", "家政公司",
         RedemptionRule(points_per_yuan=10, max_share="1/5", minimum_bill="50.00",
                        schemes=["virtue"]),
         FundingPolicy.split(fund.id, "1/2")),
        ("canteen", "幸福食堂",
         RedemptionRule(points_per_yuan=10, max_share="1/2", schemes=["virtue"]),
         FundingPolicy.from_fund(fund.id)),
    ]  # fmt: skip
    for mid, name, rule, funding in shops:
        programme.add_merchant(
            Merchant(id=mid, name=name, subcommunity=COMPOUND, rule=rule, funding=funding)
        )
    programme.window.set_rate(
        ExchangeRate(source="party", target="virtue", rate=Fraction(1), effective=when(1, 0))
    )
    programme.window.set_rate(
        ExchangeRate(
            source="party",
            target="virtue",
            rate=Fraction(2, 3),
            effective=when(16, 0),
            reference="居民代表会议 2026-11-12",
        )
    )

    # 7 November: stairwell clean-up, everyone may come; zhao does not show up.
    programme.publish(
        activity(
            "a1", "楼道清扫", BRANCH, when(7, 9), 2, Reward(scheme="virtue", points=20), everyone
        ),
        by=BRANCH,
    )
    for pid in people:
        programme.claim("a1", pid, by=pid, at=when(5))
    programme.sign_in("a1", "chen", by="chen", at=when(7, 9, 15))
    programme.sign_out("a1", "chen", by="chen", at=when(7, 11))
    programme.confirm("a1", ["zhang", "liu", "chen"], by=BRANCH, at=when(7, 12))
    programme.redeem(
        id="s-1108",
        resident="liu",
        merchant="store",
        scheme="virtue",
        bill="8.50",
        points=20,
        at=when(8, 19),
    )

    # 14 November: a policy talk for party members.
    programme.publish(
        activity("a2", "政策宣讲", BRANCH, when(14, 14), 2, Reward(scheme="party", points=30),
                 [EarnerGroup.PARTY_MEMBER]),
        by=BRANCH,
    )  # fmt: skip
    programme.claim("a2", "zhang", by="zhang", at=when(10))
    programme.confirm("a2", ["zhang"], by=BRANCH, at=when(14, 17))
    programme.exchange(
        id="w-1115", resident="zhang", source="party", target="virtue", points=10, at=when(15)
    )
    programme.exchange(
        id="w-1120", resident="zhang", source="party", target="virtue", points=10, at=when(20)
    )

    # 21 November: medicine runs for elderly residents, organised by the residents' committee.
    programme.publish(
        activity("a3", "为老人送药", COMMITTEE, when(21, 9), 3, Reward(scheme="virtue", points=50),
                 [EarnerGroup.NEW_EMPLOYMENT, EarnerGroup.RESIDENT]),
        by=COMMITTEE,
    )  # fmt: skip
    programme.claim("a3", "chen", by="chen", at=when(18))
    programme.claim("a3", "zhao", by="zhao", at=when(18))
    programme.confirm("a3", ["chen", "zhao"], by=COMMITTEE, at=when(21, 13))
    programme.redeem(
        id="c-1122",
        resident="zhao",
        merchant="canteen",
        scheme="virtue",
        bill="15.00",
        points=50,
        at=when(22, 12),
    )
    programme.redeem(
        id="c-1125",
        resident="zhang",
        merchant="canteen",
        scheme="virtue",
        bill="12.00",
        points=36,
        at=when(25, 12),
    )
    programme.refund("c-1125", id="c-1125-r1", at=when(26), bill="6.00")

    # 28 November: the sports day pays 40, but chen has only 30 left under the cap.
    programme.publish(
        activity("a4", "社区运动会", BRANCH, when(28, 8), 4, Reward(scheme="virtue", points=40),
                 everyone),
        by=BRANCH,
    )  # fmt: skip
    programme.claim("a4", "chen", by="chen", at=when(27))
    programme.confirm("a4", ["chen"], by=BRANCH, at=when(28, 13))
    programme.redeem(
        id="h-1129",
        resident="chen",
        merchant="housekeeping",
        scheme="virtue",
        bill="80.00",
        points=100,
        at=when(29),
    )
    return programme


class TestTheMonth:
    def test_the_community_share_fills_the_fund(self, month: PointsProgramme) -> None:
        """10% of 12,000.00 + 6,500.00 + 3,500.00 is 2,200.00; the discounts took 15.80 net."""
        fund = month.fund("fund-dongcheng")
        deposits = [m.amount for m in fund.movements if m.kind.value == "deposit"]
        assert sum(deposits, Decimal("0.00")) == Decimal("2200.00")
        # 2.00 + 5.00 + 5.00 (half of 10.00) + 3.60 - 1.80 refunded
        assert fund.balance == Decimal("2186.20")

    def test_earnings(self, month: PointsProgramme) -> None:
        """Points earned, converted and spent leave zhang 18 virtue and 11 party points."""
        ledger = month.ledger
        assert ledger.balance(wallet_id("virtue", "zhang")) == 20 + 10 + 6 - 36 + 18
        assert ledger.balance(wallet_id("party", "zhang")) == 30 - 10 - 9
        for pid in ("liu", "chen", "zhao"):
            assert ledger.balance(wallet_id("virtue", pid)) == 0
        virtue = ledger.totals("virtue")
        assert (virtue.issued, virtue.exchanged_in, virtue.redeemed) == (190, 16, 188)
        assert ledger.trial_balance() == {"party": 0, "virtue": 0}

    def test_the_rate_in_force(self, month: PointsProgramme) -> None:
        """On 15 November 10 party points gave 10; on the 20th 9 gave 6 and the 10th stayed."""
        first, second = month.window.receipts
        assert (first.spent, first.received) == (10, 10)
        assert (second.spent, second.received, second.remainder) == (9, 6, 1)
        assert second.rate.reference == "居民代表会议 2026-11-12"

    def test_the_receipts(self, month: PointsProgramme) -> None:
        """Each discount as worked by hand, to the fen."""
        figures = {
            r.id: (r.points, r.discount, r.payable, r.fund_part, r.merchant_part)
            for r in month.receipts
        }
        assert figures == {
            "s-1108": (20, Decimal("2.00"), Decimal("6.50"), Decimal("2.00"), Decimal("0.00")),
            "c-1122": (50, Decimal("5.00"), Decimal("10.00"), Decimal("5.00"), Decimal("0.00")),
            "h-1129": (100, Decimal("10.00"), Decimal("70.00"), Decimal("5.00"), Decimal("5.00")),
            "c-1125": (36, Decimal("3.60"), Decimal("8.40"), Decimal("3.60"), Decimal("0.00")),
        }
        (refund,) = month.refunds("c-1125")
        assert (refund.points, refund.discount, refund.money) == (
            18,
            Decimal("1.80"),
            Decimal("4.20"),
        )

    def test_housekeeping_below_its_minimum_bill_is_refused(self, month: PointsProgramme) -> None:
        """A 45.00 housekeeping bill is below the 50.00 minimum; nothing changes."""
        length = len(month.ledger)
        with pytest.raises(errors.RedemptionRefused):
            month.redeem(
                id="h-1130", resident="zhang", merchant="housekeeping", scheme="virtue",
                bill="45.00", points=18, at=when(30),
            )  # fmt: skip
        assert len(month.ledger) == length

    def test_the_monthly_cap(self, month: PointsProgramme) -> None:
        """Chen had 70 of 100 this month, so the 40-point sports day credits 30."""
        record = month.activities.attendance("a4", "chen")
        assert record is not None
        assert record.credited == (("virtue", 30),)
        assert month.ledger.totals("virtue").issued == 60 + 100 + 30

    def test_settlement(self, month: PointsProgramme) -> None:
        """The fund pays the store 2.00, housekeeping 5.00 and the canteen 6.80: 13.80."""
        settlement = month.settle(when(1, 0), when(1, 0, month=12), at=when(1, 2, month=12))
        lines = {
            line.merchant: (line.points, line.discounts, line.fund_owes, line.merchant_absorbs)
            for line in settlement.lines
        }
        assert lines == {
            "store": (20, Decimal("2.00"), Decimal("2.00"), Decimal("0.00")),
            "housekeeping": (100, Decimal("10.00"), Decimal("5.00"), Decimal("5.00")),
            "canteen": (68, Decimal("6.80"), Decimal("6.80"), Decimal("0.00")),
        }
        assert settlement.funds == (("fund-dongcheng", Decimal("13.80")),)
        assert settlement.discounts == Decimal("18.80")
        assert month.fund("fund-dongcheng").balance == Decimal("2200.00") - Decimal("13.80")
        assert month.audit() == ()

    def test_a_refund_after_settlement_is_a_claim_on_the_canteen(
        self, month: PointsProgramme
    ) -> None:
        """The other half of zhang's meal, refunded on 2 December, makes the canteen owe 1.80."""
        month.settle(when(1, 0), when(1, 0, month=12), at=when(1, 2, month=12))
        record = month.refund("c-1125", id="c-1125-r2", at=when(2, month=12))
        assert (record.points, record.fund, record.after_settlement) == (18, Decimal("1.80"), True)
        assert month.pending_claims() == {"canteen": Decimal("1.80")}
        assert month.ledger.balance(wallet_id("virtue", "zhang")) == 36


class TestTheLoop:
    def test_one_report_from_profit_to_volunteering(self, month: PointsProgramme) -> None:
        """2,200.00 of profit share paid 13.80 of discounts for 188 points of volunteering."""
        month.settle(when(1, 0), when(1, 0, month=12), at=when(1, 2, month=12))
        report = month.loop(COMPOUND)
        assert report.community_share == Decimal("2200.00")
        assert (report.fund_discounts, report.merchant_discounts) == (
            Decimal("13.80"),
            Decimal("5.00"),
        )
        assert report.balance == Decimal("2186.20")
        assert report.points_redeemed == 20 + 50 + 100 + 18
        # zhang, liu, chen at the clean-up; zhang at the talk; chen, zhao; chen at sports day
        assert (report.participations, report.points_earned) == (7, 60 + 30 + 100 + 30)
        assert report.minutes == 105


class TestRecordsAndPrivacy:
    def test_certificates_from_whoever_recorded(self, month: PointsProgramme) -> None:
        """The branch certifies the clean-up (105 signed minutes), the committee the medicine."""
        by_branch = month.certificate("chen", by=BRANCH, at=when(30))
        assert [line.activity for line in by_branch.lines] == ["a1", "a4"]
        assert by_branch.lines[0].signed_minutes == 105
        assert by_branch.points == {"virtue": 50}
        by_committee = month.certificate("chen", by=COMMITTEE, at=when(30))
        assert [line.activity for line in by_committee.lines] == ["a3"]

    def test_the_honour_board_is_opt_in(self, month: PointsProgramme) -> None:
        """Chen earned most but did not opt in; the board names zhao (50) and zhang (20)."""
        board = month.honour_board("virtue")
        assert [(line.resident, line.points) for line in board] == [("zhao", 50), ("zhang", 20)]

    def test_balances_are_private(self, month: PointsProgramme) -> None:
        """The branch may not read zhang's balance; zhang and the platform's administrator may."""
        with pytest.raises(errors.PermissionDenied):
            month.balance("zhang", "virtue", viewer=BRANCH, at=when(30))
        assert month.balance("zhang", "virtue", viewer="platform-admin", at=when(30)) == 18
