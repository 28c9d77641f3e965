"""Joint ventures: shareholding, the state share, votes, resolutions, equity changes, projects."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest

from grassroots import errors
from grassroots.serialization import dumps, loads, structure, unstructure
from grassroots.threshold import Base, Threshold
from grassroots.venture import (
    CONTROLLING_SHARE,
    EXTRAORDINARY_MEETING,
    ORDINARY_RESOLUTION,
    SPECIAL_MATTERS,
    SPECIAL_RESOLUTION,
    STATE_SHARE_MINIMUM,
    Background,
    CapitalIncrease,
    CapitalPayment,
    CapitalReduction,
    EquityChange,
    EquityTransfer,
    Hire,
    JointVenture,
    Matter,
    Project,
    ProjectKind,
    Resolution,
    ResolutionKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
    Staffing,
    VotingBasis,
)

ORDINARY = ResolutionKind.ORDINARY
SPECIAL = ResolutionKind.SPECIAL

SOE = Shareholder(id="soe", name="郯城县国有资产运营公司", kind=ShareholderKind.STATE_OWNED)
COLL = Shareholder(id="coll", name="社区股份经济合作社", kind=ShareholderKind.COLLECTIVE)
PVT = Shareholder(id="pvt", name="民营物业公司", kind=ShareholderKind.PRIVATE)


def holding(holder: Shareholder, subscribed: str, paid_in: str | None = None) -> Shareholding:
    if paid_in is None:
        return Shareholding(shareholder=holder, subscribed=Decimal(subscribed))
    return Shareholding(
        shareholder=holder, subscribed=Decimal(subscribed), paid_in=Decimal(paid_in)
    )


def venture(*holdings: Shareholding, **kwargs: object) -> JointVenture:
    return JointVenture(id="jv", name="合资公司", holdings=holdings, **kwargs)  # type: ignore[arg-type]


def tancheng() -> JointVenture:
    return venture(holding(SOE, "510000"), holding(COLL, "490000"))


def person(number: int) -> Shareholder:
    return Shareholder(id=f"p{number}", name=f"股东{number}", kind=ShareholderKind.INDIVIDUAL)


class TestShareholding:
    def test_paid_in_defaults_to_subscribed(self) -> None:
        """A holding without paid_in is fully paid in."""
        assert holding(SOE, "510000").paid_in == Decimal("510000.00")

    def test_unpaid_capital(self) -> None:
        """Unpaid capital is subscribed minus paid-in."""
        assert holding(COLL, "490000", "90000.50").unpaid == Decimal("399999.50")

    def test_paid_in_above_subscribed_is_refused(self) -> None:
        """Paid-in capital cannot exceed subscribed capital (art. 47)."""
        with pytest.raises(errors.InvalidContribution, match=r"art\. 47") as info:
            holding(COLL, "100", "100.01")
        assert info.value.limit == Decimal("100.00")

    def test_subscribed_must_be_positive(self) -> None:
        """A shareholder subscribes something."""
        with pytest.raises(errors.InvalidContribution):
            holding(COLL, "0")

    def test_float_money_is_a_type_error(self) -> None:
        """Money never comes in as float."""
        with pytest.raises(TypeError, match="float"):
            Shareholding(shareholder=SOE, subscribed=510000.0)  # type: ignore[arg-type]

    def test_negative_votes_are_refused(self) -> None:
        """Votes set by the articles are not negative."""
        with pytest.raises(errors.VotingRightsError):
            Shareholding(shareholder=SOE, subscribed=Decimal(1), votes=Fraction(-1))


class TestVentureRules:
    def test_registered_capital_is_subscribed_capital(self) -> None:
        """Registered capital sums subscribed, not paid-in, capital (art. 47)."""
        jv = venture(holding(SOE, "510000", "100000"), holding(COLL, "490000", "0"))
        assert jv.registered_capital == Decimal("1000000.00")
        assert jv.paid_in_capital == Decimal("100000.00")

    def test_no_shareholder_is_refused(self) -> None:
        """A company has at least one shareholder (art. 42)."""
        with pytest.raises(errors.ShareholderCountOutOfRange, match=r"art\. 42"):
            venture()

    def test_fifty_one_shareholders_are_refused(self) -> None:
        """A limited liability company has at most fifty shareholders (art. 42)."""
        holders = [holding(person(n), "1") for n in range(51)]
        with pytest.raises(errors.ShareholderCountOutOfRange) as info:
            venture(*holders, min_state_share=None)
        assert (info.value.value, info.value.limit) == (51, 50)

    def test_fifty_shareholders_are_allowed(self) -> None:
        """Fifty is within the limit ("以下" includes the number)."""
        holders = [holding(person(n), "1") for n in range(50)]
        assert len(venture(*holders, min_state_share=None).holdings) == 50

    def test_articles_may_lower_the_limit_but_not_raise_it(self) -> None:
        """max_shareholders may be below 50 but not above."""
        with pytest.raises(errors.ShareholderCountOutOfRange):
            venture(holding(SOE, "1"), max_shareholders=51)
        with pytest.raises(errors.ShareholderCountOutOfRange):
            venture(holding(SOE, "1"), holding(COLL, "0.5"), max_shareholders=1)

    def test_duplicate_shareholder_is_refused(self) -> None:
        """Each shareholder id appears once."""
        with pytest.raises(errors.DuplicateId):
            venture(holding(SOE, "60"), holding(SOE, "40"))

    def test_state_share_below_the_minimum_is_refused(self) -> None:
        """A state share of 50.99% is below the 51% policy."""
        with pytest.raises(errors.StateShareTooLow) as info:
            venture(holding(SOE, "5099"), holding(COLL, "4901"))
        assert info.value.value == Fraction(5099, 10000)
        assert info.value.limit == Fraction(51, 100)
        assert "Tancheng" in str(info.value.rule)

    def test_state_share_exactly_at_the_minimum_is_allowed(self) -> None:
        """Exactly 51% meets the inclusive minimum."""
        assert tancheng().state_share() == Fraction(51, 100)

    def test_collective_capital_is_not_state_capital(self) -> None:
        """Only state-owned enterprises count toward the state share."""
        jv = venture(holding(SOE, "60"), holding(COLL, "40"))
        assert jv.state_share() == Fraction(3, 5)

    def test_the_policy_is_a_parameter(self) -> None:
        """A venture without the policy may have no state shareholder."""
        jv = venture(holding(COLL, "1"), min_state_share=None)
        assert jv.state_share() == 0
        two_thirds = Threshold(ratio=Fraction(2, 3), base=Base.CAPITAL, inclusive=True)
        with pytest.raises(errors.StateShareTooLow):
            venture(holding(SOE, "51"), holding(COLL, "49"), min_state_share=two_thirds)

    def test_controlling_shareholder_needs_more_than_half(self) -> None:
        """Art. 265: more than 50% of the capital controls; exactly 50% does not."""
        assert tancheng().controlling_shareholder() == holding(SOE, "510000")
        even = venture(holding(SOE, "50"), holding(PVT, "50"), min_state_share=None)
        assert even.controlling_shareholder() is None

    def test_capital_due_within_five_years(self) -> None:
        """Art. 47: subscribed capital is due five years after founding."""
        jv = venture(
            holding(SOE, "510000"),
            holding(COLL, "490000", "0"),
            founded_on=pendulum.Date(2024, 7, 1),
        )
        assert jv.capital_due_on == pendulum.Date(2029, 7, 1)
        assert jv.unpaid_after_deadline(pendulum.Date(2029, 7, 1)) == ()
        assert [h.id for h in jv.unpaid_after_deadline(pendulum.Date(2029, 7, 2))] == ["coll"]

    def test_articles_may_shorten_the_payment_period(self) -> None:
        """The articles may set fewer than five years, not more."""
        jv = venture(
            holding(SOE, "1"), founded_on=pendulum.Date(2024, 1, 31), capital_payment_years=2
        )
        assert jv.capital_due_on == pendulum.Date(2026, 1, 31)
        with pytest.raises(errors.InvalidContribution):
            venture(holding(SOE, "1"), capital_payment_years=6)

    def test_unknown_shareholder(self) -> None:
        """Looking up a missing shareholder raises UnknownReference, a LookupError."""
        with pytest.raises(LookupError):
            tancheng().holding("nobody")


class TestVotingRights:
    def test_votes_follow_subscribed_capital_by_default(self) -> None:
        """Art. 65: votes by capital contribution."""
        jv = venture(holding(SOE, "510000", "0"), holding(COLL, "490000"))
        assert jv.voting_shares() == {"soe": Fraction(51, 100), "coll": Fraction(49, 100)}

    def test_articles_may_count_paid_in_capital(self) -> None:
        """With VotingBasis.PAID_IN, unpaid capital carries no vote."""
        jv = venture(
            holding(SOE, "510000", "300000"),
            holding(COLL, "490000", "100000"),
            voting=VotingBasis.PAID_IN,
        )
        assert jv.voting_shares() == {"soe": Fraction(3, 4), "coll": Fraction(1, 4)}

    def test_articles_may_set_their_own_weights(self) -> None:
        """With VotingBasis.ARTICLES, each holding's votes come from the articles."""
        jv = venture(
            Shareholding(shareholder=SOE, subscribed=Decimal(51), votes=Fraction(1)),
            Shareholding(shareholder=COLL, subscribed=Decimal(49), votes=Fraction(1)),
            voting=VotingBasis.ARTICLES,
        )
        assert jv.voting_shares()["coll"] == Fraction(1, 2)
        assert not jv.can_carry(ORDINARY, {"soe"})

    def test_articles_weights_must_be_given_for_everyone(self) -> None:
        """Under ARTICLES every holding has votes."""
        with pytest.raises(errors.VotingRightsError):
            venture(
                Shareholding(shareholder=SOE, subscribed=Decimal(51), votes=Fraction(1)),
                holding(COLL, "49"),
                voting=VotingBasis.ARTICLES,
            )

    def test_weights_given_where_capital_decides_are_refused(self) -> None:
        """Votes on a holding contradict votes by capital."""
        with pytest.raises(errors.VotingRightsError):
            venture(Shareholding(shareholder=SOE, subscribed=Decimal(1), votes=Fraction(1)))

    def test_a_venture_needs_some_votes(self) -> None:
        """Votes by paid-in capital with nothing paid in leave no one to vote."""
        with pytest.raises(errors.VotingRightsError):
            venture(holding(SOE, "1", "0"), voting=VotingBasis.PAID_IN)


class TestResolutions:
    def test_ordinary_resolution_needs_more_than_half_of_all_votes(self) -> None:
        """Art. 66 ¶2: exactly half fails, half plus one fen of capital passes."""
        even = venture(holding(SOE, "50"), holding(PVT, "50"), min_state_share=None)
        assert not even.vote(ORDINARY, in_favour={"soe"}).passed
        uneven = venture(holding(SOE, "50.01"), holding(PVT, "50"), min_state_share=None)
        assert uneven.vote(ORDINARY, in_favour={"soe"}).passed

    def test_special_resolution_needs_two_thirds(self) -> None:
        """Art. 66 ¶3: two thirds passes, one fen less fails."""
        at = venture(holding(SOE, "200"), holding(PVT, "100"), min_state_share=None)
        assert at.vote(SPECIAL, in_favour={"soe"}).passed
        below = venture(holding(SOE, "199.99"), holding(PVT, "100.01"), min_state_share=None)
        assert not below.vote(SPECIAL, in_favour={"soe"}).passed

    def test_absent_votes_count_against(self) -> None:
        """The base is all voting rights, so nobody voting means it fails."""
        outcome = tancheng().vote(ORDINARY, in_favour=set())
        assert outcome == Resolution(
            kind=ORDINARY,
            in_favour=frozenset(),
            votes_for=Fraction(0),
            threshold=ORDINARY_RESOLUTION,
            passed=False,
        )

    def test_outcome_explains_itself(self) -> None:
        """A resolution says its share in favour and the threshold."""
        text = str(tancheng().vote(SPECIAL, in_favour={"soe"}))
        assert text == "special resolution fails: 51/100 in favour, needs " + str(
            SPECIAL_RESOLUTION
        )

    def test_unknown_voter(self) -> None:
        """A vote by someone who is not a shareholder is refused."""
        with pytest.raises(errors.UnknownReference):
            tancheng().vote(ORDINARY, in_favour={"soe", "mayor"})

    def test_a_single_id_is_not_a_coalition(self) -> None:
        """Passing a bare string is a programming error, not a set of letters."""
        with pytest.raises(TypeError):
            tancheng().vote(ORDINARY, in_favour="soe")

    def test_blocking_is_the_complement_not_carrying(self) -> None:
        """A coalition blocks when everyone else together cannot carry."""
        jv = venture(
            holding(SOE, "40"), holding(COLL, "35"), holding(PVT, "25"), min_state_share=None
        )
        assert not jv.can_block(SPECIAL, {"pvt"})  # the other 75% carry
        assert jv.can_block(SPECIAL, {"coll"})  # the other 65% do not
        assert not jv.can_block(ORDINARY, {"soe"})  # the other 60% carry

    def test_minimal_coalitions_of_three(self) -> None:
        """With 40/35/25, any two carry an ordinary resolution, only 40+35 a special one."""
        jv = venture(
            holding(SOE, "40"), holding(COLL, "35"), holding(PVT, "25"), min_state_share=None
        )
        pairs = (  # smallest first, then by sorted ids
            frozenset({"coll", "pvt"}),
            frozenset({"coll", "soe"}),
            frozenset({"pvt", "soe"}),
        )
        assert jv.carrying_coalitions(ORDINARY) == pairs
        assert jv.blocking_coalitions(ORDINARY) == pairs
        assert jv.carrying_coalitions(SPECIAL) == (frozenset({"coll", "soe"}),)
        assert jv.blocking_coalitions(SPECIAL) == (frozenset({"coll"}), frozenset({"soe"}))

    def test_coalition_limit(self) -> None:
        """Listing coalitions stops at the limit instead of running forever."""
        holders = [holding(person(n), "1") for n in range(20)]
        jv = venture(*holders, min_state_share=None)
        with pytest.raises(ValueError, match="more than 100"):
            jv.carrying_coalitions(ORDINARY, limit=100)

    def test_extraordinary_meeting_needs_a_tenth(self) -> None:
        """Art. 62: one tenth of the votes may require a meeting; one fen less may not."""
        jv = venture(holding(SOE, "90"), holding(PVT, "10"), min_state_share=None)
        assert jv.may_require_meeting({"pvt"})
        jv = venture(holding(SOE, "90.01"), holding(PVT, "9.99"), min_state_share=None)
        assert not jv.may_require_meeting({"pvt"})


class TestEquityChanges:
    def test_transfer_to_a_new_shareholder(self) -> None:
        """A transfer moves subscribed and paid-in capital to the buyer."""
        jv = venture(holding(SOE, "600", "300"), holding(COLL, "400"))
        after = jv.transfer("soe", PVT, Decimal("50"))
        assert after.holding("soe") == holding(SOE, "550", "250")
        assert after.holding("pvt") == holding(PVT, "50", "50")
        assert after.registered_capital == jv.registered_capital

    def test_transfer_of_a_whole_holding_removes_the_seller(self) -> None:
        """A seller left with nothing is no longer a shareholder."""
        jv = venture(holding(SOE, "60"), holding(COLL, "40"))
        after = jv.transfer("coll", PVT, Decimal("40"))
        assert after.shareholder_ids == ("soe", "pvt")

    def test_transfer_to_an_existing_shareholder(self) -> None:
        """Capital bought by an existing shareholder is added to its holding."""
        jv = venture(holding(SOE, "51"), holding(COLL, "39"), holding(PVT, "10"))
        after = jv.transfer("pvt", COLL, Decimal("10"))
        assert after.holding("coll").subscribed == Decimal("49.00")

    def test_transfer_below_the_state_minimum_is_refused(self) -> None:
        """Selling one fen of the 51% is refused and changes nothing."""
        jv = tancheng()
        with pytest.raises(errors.StateShareTooLow):
            jv.transfer("soe", COLL, Decimal("0.01"))
        assert jv == tancheng()

    def test_transfer_of_more_than_held_is_refused(self) -> None:
        """Nobody gives up more capital than it holds."""
        with pytest.raises(errors.InvalidContribution):
            tancheng().transfer("coll", PVT, Decimal("490000.01"))

    def test_transfer_to_oneself_is_refused(self) -> None:
        """A transfer goes to another person."""
        with pytest.raises(errors.InvalidTransition):
            tancheng().transfer("coll", COLL, Decimal(1))

    def test_a_known_id_must_name_the_same_shareholder(self) -> None:
        """A buyer with an existing id but another name is a clash, not a merge."""
        impostor = Shareholder(id="coll", name="另一家", kind=ShareholderKind.PRIVATE)
        with pytest.raises(errors.DuplicateId):
            venture(holding(SOE, "60"), holding(COLL, "40")).transfer("soe", impostor, Decimal(1))

    def test_a_fifty_first_shareholder_is_refused(self) -> None:
        """A transfer that would make 51 shareholders is refused (art. 42)."""
        jv = venture(*(holding(person(n), "10") for n in range(50)), min_state_share=None)
        with pytest.raises(errors.ShareholderCountOutOfRange):
            jv.transfer("p0", PVT, Decimal(1))

    def test_capital_increase_needs_a_special_resolution(self) -> None:
        """Art. 66 ¶3: the 51% alone cannot increase capital; with the collective it can."""
        jv = tancheng()
        with pytest.raises(errors.ResolutionNotPassed, match=r"art\. 66 ¶3") as info:
            jv.increase_capital(SOE, Decimal("100000"), approved_by={"soe"})
        assert info.value.value == Fraction(51, 100)
        after = jv.increase_capital(SOE, Decimal("100000"), approved_by={"soe", "coll"})
        assert after.registered_capital == Decimal("1100000.00")
        assert after.holding("soe").paid_in == Decimal("510000.00")

    def test_capital_increase_cannot_dilute_the_state_below_the_minimum(self) -> None:
        """Even unanimously, new private capital may not push the state below 51%."""
        with pytest.raises(errors.StateShareTooLow):
            tancheng().increase_capital(PVT, Decimal("1"), approved_by={"soe", "coll"})

    def test_capital_reduction(self) -> None:
        """A reduction with a special resolution shrinks the holding and the capital."""
        jv = venture(holding(SOE, "600", "600"), holding(COLL, "400", "400"))
        after = jv.reduce_capital(
            "coll", Decimal("100"), paid_in=Decimal("100"), approved_by={"soe", "coll"}
        )
        assert after.holding("coll") == holding(COLL, "300", "300")
        with pytest.raises(errors.ResolutionNotPassed):
            jv.reduce_capital("coll", Decimal("100"), approved_by={"soe"})

    def test_reduction_must_return_paid_in_capital_it_removes(self) -> None:
        """Paid-in capital left may not exceed subscribed capital left."""
        jv = venture(holding(SOE, "600"), holding(COLL, "400"))
        with pytest.raises(errors.InvalidContribution):
            jv.reduce_capital("coll", Decimal("100"), approved_by={"soe", "coll"})

    def test_payment_of_subscribed_capital(self) -> None:
        """Paying in raises paid-in capital up to subscribed, not beyond."""
        jv = venture(holding(SOE, "510000"), holding(COLL, "490000", "0"))
        assert jv.pay_in("coll", Decimal("490000")).holding("coll").unpaid == 0
        with pytest.raises(errors.InvalidContribution):
            jv.pay_in("coll", Decimal("490000.01"))

    def test_new_holder_under_article_votes_needs_votes(self) -> None:
        """Under VotingBasis.ARTICLES a new shareholder must be given votes."""
        jv = venture(
            Shareholding(shareholder=SOE, subscribed=Decimal(60), votes=Fraction(2)),
            Shareholding(shareholder=COLL, subscribed=Decimal(40), votes=Fraction(1)),
            voting=VotingBasis.ARTICLES,
        )
        with pytest.raises(errors.VotingRightsError):
            jv.transfer("coll", PVT, Decimal(5))
        after = jv.transfer("coll", PVT, Decimal(5), votes=Fraction(1, 2))
        assert after.holding("pvt").votes == Fraction(1, 2)
        assert after.holding("coll").votes == Fraction(1)

    def test_votes_are_refused_where_capital_decides(self) -> None:
        """Giving votes in a change while votes follow capital is refused."""
        with pytest.raises(errors.VotingRightsError):
            tancheng().transfer("coll", PVT, Decimal(5), votes=Fraction(1))

    def test_apply_takes_change_values(self) -> None:
        """Each verb is apply() of a change value."""
        jv = tancheng()
        change = CapitalPayment(shareholder="coll", amount=Decimal(1))
        with pytest.raises(errors.InvalidContribution):
            jv.apply(change)  # fully paid already
        with pytest.raises(TypeError):
            jv.apply("transfer")  # type: ignore[arg-type]


class TestProjectsAndStaff:
    def canteen(self) -> Project:
        return Project(
            id="canteen",
            name="幸福食堂",
            kind=ProjectKind.HAPPINESS_CANTEEN,
            subcommunity="dongcheng",
            room="dongcheng-101",
        )

    def test_project_refers_to_compound_and_room_by_id(self) -> None:
        """A project names its compound and room by id strings."""
        store = Project(
            id="store", name="24小时便利店", kind=ProjectKind.CONVENIENCE_STORE, subcommunity="x"
        )
        assert (store.subcommunity, store.room) == ("x", None)

    def test_empty_ids_are_refused(self) -> None:
        """An id must name something."""
        with pytest.raises(ValueError, match=r"empty|blank"):
            Project(id="p", name="p", kind=ProjectKind.OTHER, subcommunity=" ")
        with pytest.raises(errors.InvalidValue, match="is empty"):
            Project(id="p", name="p", kind=ProjectKind.OTHER, subcommunity="")

    def test_residents_share_of_jobs(self) -> None:
        """Three residents among four hires is a 3/4 share."""
        jv = tancheng().open_project(self.canteen())
        for who, resident, background in [
            ("wang", True, Background.HOMEMAKER),
            ("li", True, Background.NEW_GRADUATE),
            ("zhao", True, Background.HOMEMAKER),
            ("chen", False, Background.OTHER),
        ]:
            jv = jv.hire("canteen", Hire(person=who, resident=resident, background=background))
        assert jv.staffing() == Staffing(jobs=4, residents=3, homemakers=2, new_graduates=1)
        assert jv.staffing().residents_share == Fraction(3, 4)

    def test_no_jobs_no_share(self) -> None:
        """With nobody hired, the residents' share is undefined (None)."""
        assert tancheng().staffing().residents_share is None

    def test_staffing_adds_up_over_projects(self) -> None:
        """Venture staffing is the sum over its projects."""
        store = Project(
            id="store",
            name="便利店",
            kind=ProjectKind.CONVENIENCE_STORE,
            subcommunity="xicheng",
            staff=[Hire(person="sun", resident=False)],
        )
        jv = tancheng().open_project(self.canteen().hire(Hire(person="wang", resident=True)))
        jv = jv.open_project(store)
        assert jv.staffing().residents_share == Fraction(1, 2)

    def test_the_same_person_is_hired_once_per_project(self) -> None:
        """A person hired twice in a project is refused."""
        with pytest.raises(errors.DuplicateId):
            self.canteen().hire(Hire(person="wang", resident=True)).hire(
                Hire(person="wang", resident=False)
            )

    def test_project_ids_are_unique(self) -> None:
        """Two projects with one id are refused."""
        with pytest.raises(errors.DuplicateId):
            tancheng().open_project(self.canteen()).open_project(self.canteen())

    def test_hiring_in_an_unknown_project(self) -> None:
        """Hiring names a project of the venture."""
        with pytest.raises(errors.UnknownReference):
            tancheng().hire("nowhere", Hire(person="wang", resident=True))


class TestSerialization:
    def test_venture_round_trip(self) -> None:
        """A venture with projects, staff and a founding date survives JSON."""
        jv = tancheng().open_project(
            Project(
                id="canteen",
                name="幸福食堂",
                kind=ProjectKind.HAPPINESS_CANTEEN,
                subcommunity="dongcheng",
                staff=[Hire(person="wang", resident=True, background=Background.HOMEMAKER)],
            )
        )
        jv = attrs_evolve(jv, founded_on=pendulum.Date(2024, 7, 1))
        text = dumps(jv)
        assert (
            '"min_state_share": {"base": "capital", "inclusive": true, "ratio": "51/100"}' in text
        )
        assert loads(text, JointVenture) == jv

    def test_changes_carry_a_type_tag(self) -> None:
        """Each equity change is written with a type tag and read back by it."""
        changes: list[EquityChange] = [
            EquityTransfer(seller="soe", buyer=PVT, subscribed=Decimal(1), paid_in=Decimal(1)),
            CapitalIncrease(
                shareholder=SOE, subscribed=Decimal(1), paid_in=Decimal(0), approved_by={"soe"}
            ),
            CapitalReduction(
                shareholder="coll", subscribed=Decimal(1), paid_in=Decimal(0), approved_by={"soe"}
            ),
            CapitalPayment(shareholder="coll", amount=Decimal("0.01")),
        ]
        data = unstructure(changes)
        assert [item["type"] for item in data] == [
            "transfer",
            "capital_increase",
            "capital_reduction",
            "capital_payment",
        ]
        assert [structure(item, EquityChange) for item in data] == changes  # type: ignore[arg-type]

    def test_a_change_without_a_tag_is_refused(self) -> None:
        """The union cannot be read without its tag."""
        with pytest.raises(errors.SerializationError, match="type"):
            structure({"shareholder": "coll", "amount": "1.00"}, EquityChange)  # type: ignore[arg-type]

    def test_an_invalid_venture_is_refused_on_reading(self) -> None:
        """JSON that breaks the state-share policy does not load."""
        data = unstructure(tancheng())
        data["holdings"][0]["subscribed"] = "1.00"
        data["holdings"][0]["paid_in"] = "1.00"
        with pytest.raises(errors.SerializationError, match="state share"):
            structure(data, JointVenture)

    def test_policy_default_is_the_module_constant(self) -> None:
        """The default state-share policy is STATE_SHARE_MINIMUM."""
        assert tancheng().min_state_share == STATE_SHARE_MINIMUM


def attrs_evolve(jv: JointVenture, **changes: object) -> JointVenture:
    import attrs

    return attrs.evolve(jv, **changes)  # type: ignore[arg-type]


class TestSpecialMatters:
    """公司法 art. 66 ¶3: the special matters need a special resolution."""

    def test_each_special_matter_needs_two_thirds(self) -> None:
        """51% passes none of them; 51% + 49% passes each."""
        jv = tancheng()
        for matter in SPECIAL_MATTERS:
            assert matter.legal_kind is SPECIAL
            assert not jv.resolve(matter, in_favour={"soe"}).passed
            passed = jv.resolve(
                matter, in_favour={"soe", "coll"}, held_on=pendulum.Date(2024, 5, 1)
            )
            assert (passed.passed, passed.kind, passed.matter) == (True, SPECIAL, matter)
            assert passed.held_on == pendulum.Date(2024, 5, 1)

    def test_an_ordinary_resolution_for_a_special_matter_is_refused(self) -> None:
        """Amending the articles by ordinary resolution is refused, even with every vote."""
        for matter in SPECIAL_MATTERS:
            with pytest.raises(errors.ResolutionNotPassed, match="ordinary resolution") as caught:
                tancheng().resolve(matter, in_favour={"soe", "coll"}, kind=ORDINARY)
            assert "art. 66 ¶3" in caught.value.rule

    def test_a_recorded_resolution_keeps_the_rule(self) -> None:
        """A resolution read from a record is checked too: no ordinary kind for a special matter."""
        with pytest.raises(errors.ResolutionNotPassed):
            Resolution(
                kind=ORDINARY,
                in_favour={"soe"},
                votes_for=Fraction(51, 100),
                threshold=ORDINARY_RESOLUTION,
                passed=True,
                matter=Matter.MERGE,
            )

    def test_exactly_two_thirds_passes_and_one_fen_less_fails(self) -> None:
        """2/3 of the capital carries a special matter (三分之二以上); a fen less does not."""
        exact = venture(holding(SOE, "200000"), holding(PVT, "100000"))
        assert exact.resolve(Matter.CHANGE_FORM, in_favour={"soe"}).passed
        short = venture(holding(SOE, "199999.99"), holding(PVT, "100000.01"))
        assert not short.resolve(Matter.CHANGE_FORM, in_favour={"soe"}).passed

    def test_ordinary_business_takes_more_than_half(self) -> None:
        """An ordinary matter passes with 51%, and a special resolution may be asked for it."""
        jv = tancheng()
        assert Matter.ORDINARY_BUSINESS.legal_kind is ORDINARY
        assert jv.resolve(Matter.ORDINARY_BUSINESS, in_favour={"soe"}).passed
        assert not jv.resolve(Matter.ORDINARY_BUSINESS, in_favour={"soe"}, kind=SPECIAL).passed

    def test_a_matter_must_be_a_matter(self) -> None:
        """A string is a programming error."""
        with pytest.raises(TypeError):
            tancheng().resolve("merge", in_favour={"soe"})  # type: ignore[arg-type]

    def test_a_resolution_round_trips(self) -> None:
        """A recorded resolution survives JSON."""
        done = tancheng().resolve(Matter.AMEND_ARTICLES, in_favour={"soe", "coll"}, text="修改章程")
        assert loads(dumps(done), Resolution) == done


class TestVentureParameters:
    """公司法 arts 62 and 265 are parameters with the legal defaults."""

    def test_one_tenth_may_require_a_meeting_and_less_may_not(self) -> None:
        """Exactly 1/10 of the votes may (十分之一以上); one fen less may not."""
        assert tancheng().extraordinary_meeting == EXTRAORDINARY_MEETING
        tenth = venture(holding(SOE, "900000"), holding(PVT, "100000"), min_state_share=None)
        assert tenth.may_require_meeting({"pvt"})
        less = venture(holding(SOE, "900000.01"), holding(PVT, "99999.99"), min_state_share=None)
        assert not less.may_require_meeting({"pvt"})

    def test_the_meeting_threshold_is_a_parameter(self) -> None:
        """Articles asking for more than the law allows are modelled by a stricter threshold."""
        fifth = Threshold(ratio=Fraction(1, 5), base=Base.ALL_VOTING_RIGHTS, inclusive=True)
        jv = venture(
            holding(SOE, "900000"),
            holding(PVT, "100000"),
            min_state_share=None,
            extraordinary_meeting=fifth,
        )
        assert not jv.may_require_meeting({"pvt"})

    def test_controlling_is_more_than_half_and_a_parameter(self) -> None:
        """50% is not controlling (超过); 50% and a fen is; a parameter may say otherwise."""
        assert tancheng().controlling_share == CONTROLLING_SHARE
        half = venture(holding(SOE, "500000"), holding(PVT, "500000"), min_state_share=None)
        assert half.controlling_shareholder() is None
        more = venture(holding(SOE, "500000.01"), holding(PVT, "499999.99"), min_state_share=None)
        assert more.controlling_shareholder() == holding(SOE, "500000.01")
        at_half = Threshold(ratio=Fraction(1, 2), base=Base.CAPITAL, inclusive=True)
        assert attrs_evolve(half, controlling_share=at_half).controlling_shareholder() is not None


class TestDateOverflow:
    """Dates past the calendar's end raise our error, not Python's."""

    def test_capital_due_on_past_9999(self) -> None:
        """Founded in 9997 with five years to pay: the due day does not exist."""
        jv = attrs_evolve(tancheng(), founded_on=pendulum.Date(9997, 1, 1))
        with pytest.raises(errors.InvalidValue, match="past the last date"):
            _ = jv.capital_due_on
        with pytest.raises(errors.InvalidValue):
            jv.unpaid_after_deadline(pendulum.Date(9999, 1, 1))

    def test_the_last_representable_due_day(self) -> None:
        """Founded on 9994-12-31, capital is due on 9999-12-31."""
        jv = attrs_evolve(tancheng(), founded_on=pendulum.Date(9994, 12, 31))
        assert jv.capital_due_on == pendulum.Date(9999, 12, 31)

    def test_coalition_listing_beyond_the_limit_is_our_error(self) -> None:
        """Too many minimal coalitions raise InvalidValue, not a bare ValueError."""
        jv = venture(*(holding(person(n), "1") for n in range(8)), min_state_share=None)
        with pytest.raises(errors.InvalidValue, match="raise the limit"):
            jv.carrying_coalitions(ORDINARY, limit=3)
