"""The Tancheng case (郯城县): a state-owned enterprise holds 51% of a joint venture.

The county's state-owned enterprise (国企) and a community collective economic
organisation (集体经济组织) set up a joint venture (合资公司), the state holding
51%, run on market terms. It runs a housekeeping company, a 24-hour
convenience store and a happiness canteen (幸福食堂) in residential compounds,
hires residents first (homemakers, new graduates), and sends 10% of each
project's net profit to the compound's public revenue (小区公共收益).

The registered capital and the profit figures are illustrative: the case gives
only the 51% and the 10%.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum
import pytest

from grassroots import errors
from grassroots.allocation import (
    PeriodFigures,
    ProfitAllocation,
    ProjectResult,
    Step,
    owners_income,
)
from grassroots.room import Ownership, PublicServiceRoom
from grassroots.venture import (
    Background,
    Hire,
    JointVenture,
    Matter,
    Project,
    ProjectKind,
    ResolutionKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)

ORDINARY, SPECIAL = ResolutionKind.ORDINARY, ResolutionKind.SPECIAL
STATE = Shareholder(id="soe", name="郯城县国有企业", kind=ShareholderKind.STATE_OWNED)
COLLECTIVE = Shareholder(id="coll", name="社区集体经济组织", kind=ShareholderKind.COLLECTIVE)


@pytest.fixture
def venture() -> JointVenture:
    """The joint venture: 510,000 yuan state, 490,000 yuan collective, three projects."""
    return JointVenture(
        id="tancheng-jv",
        name="郯城合资公司",
        holdings=[
            Shareholding(shareholder=STATE, subscribed=Decimal("510000")),
            Shareholding(shareholder=COLLECTIVE, subscribed=Decimal("490000")),
        ],
        projects=[
            Project(
                id="housekeeping",
                name="家政服务公司",
                kind=ProjectKind.HOUSEKEEPING,
                subcommunity="compound-a",
                room="compound-a-room-1",
            ),
            Project(
                id="store",
                name="24小时便利店",
                kind=ProjectKind.CONVENIENCE_STORE,
                subcommunity="compound-b",
                room="compound-b-room-3",
            ),
            Project(
                id="canteen",
                name="幸福食堂",
                kind=ProjectKind.HAPPINESS_CANTEEN,
                subcommunity="compound-c",
            ),
        ],
    )


class TestControl:
    def test_the_state_holds_fifty_one_percent(self, venture: JointVenture) -> None:
        """国企占股51%: the state share is exactly 51/100 and meets the policy."""
        assert venture.state_share() == Fraction(51, 100)
        holding = venture.controlling_shareholder()
        assert holding is not None
        assert holding.id == "soe"

    def test_the_state_carries_ordinary_resolutions_alone(self, venture: JointVenture) -> None:
        """51% is more than half of all votes (公司法 art. 66 ¶2)."""
        assert venture.vote(ORDINARY, in_favour={"soe"}).passed
        assert venture.carrying_coalitions(ORDINARY) == (frozenset({"soe"}),)

    def test_the_state_cannot_carry_special_resolutions_alone(self, venture: JointVenture) -> None:
        """51% is below two thirds (公司法 art. 66 ¶3): only both together carry one."""
        assert not venture.vote(SPECIAL, in_favour={"soe"}).passed
        assert venture.carrying_coalitions(SPECIAL) == (frozenset({"coll", "soe"}),)

    def test_the_collective_blocks_special_resolutions(self, venture: JointVenture) -> None:
        """49% is a blocking minority for special resolutions, but not for ordinary ones."""
        assert venture.can_block(SPECIAL, {"coll"})
        assert not venture.can_block(ORDINARY, {"coll"})
        assert venture.blocking_coalitions(SPECIAL) == (frozenset({"coll"}), frozenset({"soe"}))

    def test_capital_cannot_be_raised_over_the_collectives_head(
        self, venture: JointVenture
    ) -> None:
        """A capital increase is a special resolution, so the collective must agree."""
        with pytest.raises(errors.ResolutionNotPassed):
            venture.increase_capital(STATE, Decimal("100000"), approved_by={"soe"})
        bigger = venture.increase_capital(STATE, Decimal("100000"), approved_by={"soe", "coll"})
        assert bigger.state_share() == Fraction(61, 110)

    def test_the_state_cannot_sell_below_fifty_one_percent(self, venture: JointVenture) -> None:
        """Selling even one fen of the state's 51% to the collective is refused."""
        with pytest.raises(errors.StateShareTooLow):
            venture.transfer("soe", COLLECTIVE, Decimal("0.01"))


class TestJobs:
    def test_residents_first(self, venture: JointVenture) -> None:
        """Operators are hired from residents: homemakers and new graduates."""
        hires = [
            ("housekeeping", Hire(person="r1", resident=True, background=Background.HOMEMAKER)),
            ("housekeeping", Hire(person="r2", resident=True, background=Background.HOMEMAKER)),
            ("store", Hire(person="r3", resident=True, background=Background.NEW_GRADUATE)),
            ("store", Hire(person="x1", resident=False)),
            ("canteen", Hire(person="r4", resident=True, background=Background.HOMEMAKER)),
        ]
        for project, hire in hires:
            venture = venture.hire(project, hire)
        staffing = venture.staffing()
        assert (staffing.jobs, staffing.homemakers, staffing.new_graduates) == (5, 3, 1)
        assert staffing.residents_share == Fraction(4, 5)
        assert venture.project("store").staffing().residents_share == Fraction(1, 2)


class TestProfitSplit:
    def test_ten_percent_of_each_project_to_its_compound(self, venture: JointVenture) -> None:
        """Each compound receives 10% of its project's net profit; the rest follows art. 210.

        Housekeeping 80,000, store 150,000, canteen 20,000: compounds get 8,000,
        15,000 and 2,000. The venture keeps 225,000: 22,500 to the statutory
        reserve, 202,500 to shareholders by paid-in capital, 51% and 49%:
        103,275 and 99,225.
        """
        figures = PeriodFigures(
            period="2024",
            projects=[
                ProjectResult(project="housekeeping", net_profit=Decimal("80000")),
                ProjectResult(project="store", net_profit=Decimal("150000")),
                ProjectResult(project="canteen", net_profit=Decimal("20000")),
            ],
        )
        period = ProfitAllocation(venture=venture, figures=[figures]).periods[0]
        assert period.community_shares() == {
            "compound-a": Decimal("8000.00"),
            "compound-b": Decimal("15000.00"),
            "compound-c": Decimal("2000.00"),
        }
        assert period.total(Step.STATUTORY_RESERVE) == Decimal("22500.00")
        assert period.dividends() == {"soe": Decimal("103275.00"), "coll": Decimal("99225.00")}

    def test_a_losing_canteen_pays_nothing(self, venture: JointVenture) -> None:
        """The canteen's loss gives its compound nothing that year, and never a negative share."""
        figures = PeriodFigures(
            period="2024",
            projects=[
                ProjectResult(project="store", net_profit=Decimal("50000")),
                ProjectResult(project="canteen", net_profit=Decimal("-12000")),
            ],
        )
        period = ProfitAllocation(venture=venture, figures=[figures]).periods[0]
        assert period.community_shares() == {
            "compound-b": Decimal("5000.00"),
            "compound-c": Decimal("0.00"),
        }


class TestSpecialMattersAndOwners:
    """The 51% state side decides the day-to-day; the structure needs the collective too."""

    def test_the_state_cannot_dissolve_or_amend_alone(self, venture: JointVenture) -> None:
        """51% is below two thirds: no dissolution and no new articles without the collective."""
        for matter in (Matter.DISSOLVE, Matter.AMEND_ARTICLES, Matter.MERGE):
            assert not venture.resolve(matter, in_favour={"soe"}).passed
            assert venture.resolve(matter, in_favour={"soe", "coll"}).passed

    def test_nor_by_calling_it_ordinary(self, venture: JointVenture) -> None:
        """Putting the change of form to an ordinary resolution is refused outright."""
        with pytest.raises(errors.ResolutionNotPassed):
            venture.resolve(Matter.CHANGE_FORM, in_favour={"soe"}, kind=ORDINARY)

    def test_the_housekeeping_rooms_fee_is_the_owners_when_it_is_their_common_part(
        self, venture: JointVenture
    ) -> None:
        """10% of 120,000 is 12,000 for compound-a; less 1,500 of costs, the owners get 10,500."""
        result = ProfitAllocation(
            venture=venture,
            figures=[
                PeriodFigures(
                    period="2024",
                    projects=[ProjectResult(project="housekeeping", net_profit=Decimal("120000"))],
                )
            ],
        )
        room = PublicServiceRoom.found(
            id="compound-a-room-1",
            subcommunity_id="compound-a",
            location="1号楼底商",
            area="85.00",
            on=pendulum.Date(2023, 6, 1),
            ownership=Ownership.OWNERS_COMMON,
        )
        (income,) = owners_income(
            result, "2024", [room], reasonable_costs={"compound-a-room-1": "1500"}
        )
        assert (income.gross, income.net) == (Decimal("12000.00"), Decimal("10500.00"))
        unknown = attrs.evolve(room, ownership=Ownership.UNKNOWN)
        assert owners_income(result, "2024", [unknown]) == ()
