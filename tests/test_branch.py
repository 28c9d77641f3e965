"""Party branches: forming, committees, offices, soft rules, assemblies and county coverage."""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import pendulum
import pytest

from grassroots.audit import raise_findings
from grassroots.branch import (
    ALLOWED_ABSENCE_KINDS,
    ASSEMBLY_PASSING,
    ASSEMBLY_QUORUM,
    COMMUNITY_BRANCH_RULES,
    OTHER_BRANCH_RULES,
    Absence,
    AbsenceKind,
    AssemblyDecision,
    BranchKind,
    BranchMeeting,
    BranchMember,
    BranchRules,
    MeetingKind,
    MemberStatus,
    Officer,
    PartyBranch,
    SecretarySource,
    coverage_report,
)
from grassroots.errors import (
    BranchTooSmall,
    CoverageGap,
    CoverageOutsideCounty,
    DoubleCoverage,
    InvalidCommittee,
    InvalidJointBranch,
    InvalidTransition,
    InvalidValue,
    NoVotingRight,
    QuorumNotMet,
    RuleViolation,
    UnknownReference,
)
from grassroots.serialization import dumps, loads
from grassroots.subcommunity import Community, County, Street, Subcommunity, SubcommunityKind

DAY = pendulum.Date(2023, 3, 1)


def _members(full: int, probationary: int = 0, unit: str | None = None) -> list[BranchMember]:
    return [
        BranchMember(person_id=f"p{n}", status=MemberStatus.FULL, joined_on=DAY, unit=unit)
        for n in range(full)
    ] + [
        BranchMember(person_id=f"q{n}", status=MemberStatus.PROBATIONARY, joined_on=DAY, unit=unit)
        for n in range(probationary)
    ]


def _branch(full: int = 5, probationary: int = 0, **kw: object) -> PartyBranch:
    kw.setdefault("coverage", ["x1"])
    kw.setdefault("secretary", Officer(person_id="p0", source=SecretarySource.OTHER, since=DAY))
    return PartyBranch(
        id=str(kw.pop("id", "b1")),
        name="某小区党支部",
        members=kw.pop("members", _members(full, probationary)),
        formed_on=DAY,
        **kw,  # type: ignore[arg-type]
    )


def _approved(person_id: str, kind: AbsenceKind = AbsenceKind.LONG_ILLNESS) -> Absence:
    return Absence(person_id=person_id, kind=kind, approved_by="street-committee")


def _codes(branch: PartyBranch, on: pendulum.Date | None = None) -> list[str]:
    return [f.code for f in branch.findings(on=on)]


class TestForming:
    def test_three_full_members_form_a_branch(self) -> None:
        """Three full members are enough (正式党员3人以上, art. 4)."""
        assert _branch(3).full_member_count == 3

    def test_two_full_members_do_not(self) -> None:
        """Two full members are not; probationary members do not count."""
        with pytest.raises(BranchTooSmall, match="2 full members") as caught:
            _branch(2, probationary=5)
        assert (caught.value.value, caught.value.limit) == (2, 3)
        assert "art. 4" in str(caught.value.rule)

    def test_compound_branch_covers_a_compound(self) -> None:
        """A compound branch covers at least one compound."""
        with pytest.raises(RuleViolation, match="covers no compound"):
            _branch(coverage=[])

    def test_member_ids_are_unique(self) -> None:
        """A person is a member once."""
        with pytest.raises(RuleViolation, match="member id 'p0'"):
            _branch(members=_members(3) + _members(1))

    def test_term_starts_after_forming(self) -> None:
        """A term cannot start before the branch exists."""
        with pytest.raises(RuleViolation, match="before the branch was formed"):
            _branch(term_started_on=pendulum.Date(2020, 1, 1))

    def test_full_date_only_for_full_members(self) -> None:
        """A probationary member has no full-membership date, and none before joining."""
        with pytest.raises(RuleViolation, match="probationary but has"):
            BranchMember(
                person_id="q",
                status=MemberStatus.PROBATIONARY,
                joined_on=DAY,
                full_on=pendulum.Date(2024, 3, 1),
            )
        with pytest.raises(RuleViolation, match="before joining"):
            BranchMember(
                person_id="p",
                status=MemberStatus.FULL,
                joined_on=DAY,
                full_on=pendulum.Date(2022, 3, 1),
            )

    def test_rules_are_parameters(self) -> None:
        """Other branches serve three years; rule values can be changed."""
        assert OTHER_BRANCH_RULES.term_years == 3
        assert COMMUNITY_BRANCH_RULES.term_years == 5
        assert _branch(2, rules=BranchRules(min_full_members=2)).full_member_count == 2
        with pytest.raises(RuleViolation, match="not in order"):
            BranchRules(committee_size_min=6)
        with pytest.raises(RuleViolation, match="below 1"):
            BranchRules(term_years=0)


class TestCommittee:
    def test_six_full_members_have_no_committee(self) -> None:
        """Below 7 full members a branch has a secretary, not a committee (ch. 6)."""
        with pytest.raises(InvalidCommittee, match="6 full members, fewer than 7"):
            _branch(6, committee=["p0", "p1", "p2"])

    def test_seven_full_members_may_elect_one(self) -> None:
        """At 7 full members a committee of 3 is allowed."""
        branch = _branch(7).elect_committee(["p0", "p1", "p2"], on=pendulum.Date(2024, 1, 1))
        assert branch.committee == frozenset({"p0", "p1", "p2"})
        assert branch.term_started_on == pendulum.Date(2024, 1, 1)

    def test_committee_of_two_is_refused(self) -> None:
        """A committee has at least 3 members."""
        with pytest.raises(InvalidCommittee, match="below the minimum 3"):
            _branch(7, committee=["p0", "p1"])

    def test_committee_members_are_full_members_of_the_branch(self) -> None:
        """Outsiders and probationary members do not sit on the committee."""
        with pytest.raises(InvalidCommittee, match="not a member"):
            _branch(7, committee=["p0", "p1", "stranger"])
        with pytest.raises(NoVotingRight, match="cannot sit on the committee"):
            _branch(7, probationary=1, committee=["p0", "p1", "q0"])

    def test_probationary_member_holds_no_office(self) -> None:
        """A probationary member cannot be secretary (党章 art. 7)."""
        with pytest.raises(NoVotingRight, match="cannot hold office"):
            _branch(3, probationary=1, secretary=Officer(person_id="q0", since=DAY))

    def test_an_appointed_secretary_need_not_be_a_member(self) -> None:
        """The higher organisation may appoint a secretary from outside (选派)."""
        officer = Officer(person_id="street-7", source=SecretarySource.TOWN_STREET_STAFF, since=DAY)
        assert _branch(3, secretary=officer).secretary == officer

    def test_secretary_and_deputy_are_two_people(self) -> None:
        """One person cannot be both secretary and deputy."""
        with pytest.raises(InvalidCommittee, match="both secretary and deputy"):
            _branch(3, deputy=Officer(person_id="p0", since=DAY))


class TestFindings:
    def test_a_sound_branch_has_none(self) -> None:
        """Five full members with a secretary break no soft rule."""
        assert _branch(5).findings(on=pendulum.Date(2026, 1, 1)) == ()

    def test_committee_due_at_seven(self) -> None:
        """At 7 full members and no committee, the election is due; at 6 it is not."""
        assert "organisation.committee" in _codes(_branch(7))
        assert _codes(_branch(6)) == []

    def test_committee_size_warnings(self) -> None:
        """A committee of 6 is above the usual 5, of 8 above the normal 7."""
        six = _branch(9, committee=[f"p{n}" for n in range(6)])
        eight = _branch(9, committee=[f"p{n}" for n in range(8)])
        assert any("above the usual" in f.message for f in six.findings())
        assert any("above the normal maximum 7" in f.message for f in eight.findings())

    def test_no_secretary(self) -> None:
        """A branch without a secretary is flagged."""
        assert any("no secretary" in f.message for f in _branch(3, secretary=None).findings())

    def test_secretary_outside_the_committee(self) -> None:
        """With a committee, the secretary sits on it."""
        branch = _branch(7, committee=["p1", "p2", "p3"])
        assert any("not on the committee" in f.message for f in branch.findings())

    def test_more_than_fifty_members(self) -> None:
        """Fifty members are normal; fifty-one may form a general branch (超过50人)."""
        fifty = _branch(40, probationary=10, committee=["p0", "p1", "p2"])
        fifty_one = _branch(41, probationary=10, committee=["p0", "p1", "p2"])
        assert "organisation.branch_too_large" not in _codes(fifty)
        assert "organisation.branch_too_large" in _codes(fifty_one)

    def test_a_hundred_members(self) -> None:
        """A hundred members may form a base committee."""
        branch = _branch(100, committee=["p0", "p1", "p2"])
        assert any("base committee" in f.message for f in branch.findings())

    def test_term_runs_out_on_its_anniversary(self) -> None:
        """届满 includes the day: renewal is due on the fifth anniversary, not the day before."""
        branch = _branch(3)
        assert branch.renewal_due_on == pendulum.Date(2028, 3, 1)
        assert "organisation.term_expired" not in _codes(branch, pendulum.Date(2028, 2, 29))
        assert "organisation.term_expired" in _codes(branch, pendulum.Date(2028, 3, 1))
        renewed = branch.renew(on=pendulum.Date(2028, 3, 1))
        assert renewed.renewal_due_on == pendulum.Date(2033, 3, 1)

    def test_findings_raise_as_a_group(self) -> None:
        """Findings turn into the errors a constructor would raise."""
        with pytest.raises(ExceptionGroup) as caught:
            raise_findings(_branch(7, secretary=None).findings())
        assert {type(e) for e in caught.value.exceptions} == {InvalidCommittee}


class TestJointBranch:
    def _joint(self, units: Iterable[str], members: list[BranchMember]) -> PartyBranch:
        return _branch(kind=BranchKind.JOINT, coverage=[], units=list(units), members=members)

    def test_joins_units_with_few_members(self) -> None:
        """Units with two full members each join into one branch."""
        members = _members(0)
        for unit in ("u1", "u2"):
            members += [
                BranchMember(
                    person_id=f"{unit}-{n}", status=MemberStatus.FULL, joined_on=DAY, unit=unit
                )
                for n in range(2)
            ]
        branch = self._joint(["u1", "u2"], members)
        branch = branch.appoint_secretary(Officer(person_id="u1-0", since=DAY))
        assert branch.findings() == ()

    def test_needs_two_units(self) -> None:
        """A joint branch joins two units or more."""
        with pytest.raises(InvalidJointBranch, match="joins 1 unit"):
            self._joint(["u1"], _members(3, unit="u1"))

    def test_members_come_from_its_units(self) -> None:
        """A member from another unit is refused."""
        with pytest.raises(InvalidJointBranch, match="does not join"):
            self._joint(["u1", "u2"], _members(3, unit="u9"))

    def test_more_than_five_units_is_flagged(self) -> None:
        """Six units are above the usual five (art. 5)."""
        units = [f"u{n}" for n in range(6)]
        members = [
            BranchMember(person_id=f"m{n}", status=MemberStatus.FULL, joined_on=DAY, unit=u)
            for n, u in enumerate(units)
        ]
        branch = self._joint(units, members)
        assert any("joins 6 units" in f.message for f in branch.findings())

    def test_unit_with_three_full_members_should_form_its_own(self) -> None:
        """A unit with 3 full members should have its own branch."""
        members = [
            *_members(3, unit="u1"),
            BranchMember(person_id="z", status=MemberStatus.FULL, joined_on=DAY, unit="u2"),
        ]
        branch = self._joint(["u1", "u2"], members)
        assert any("should form its own branch" in f.message for f in branch.findings())


class TestVerbs:
    def test_admit_and_remove(self) -> None:
        """Members come and go; the original is unchanged."""
        branch = _branch(3)
        bigger = branch.admit(
            BranchMember(person_id="new", status=MemberStatus.PROBATIONARY, joined_on=DAY)
        )
        assert bigger.member_count == 4
        assert branch.member_count == 3
        assert bigger.remove("new") == branch

    def test_admit_twice_is_refused(self) -> None:
        """The same person is not admitted twice."""
        with pytest.raises(RuleViolation, match="appears more than once"):
            _branch(3).admit(BranchMember(person_id="p1", status=MemberStatus.FULL, joined_on=DAY))

    def test_removing_below_three_full_members_is_refused(self) -> None:
        """A branch that would fall below 3 full members keeps its member."""
        with pytest.raises(BranchTooSmall):
            _branch(3).remove("p2")

    def test_removing_an_officer_is_refused(self) -> None:
        """Officers are replaced before they leave."""
        with pytest.raises(InvalidTransition, match="appoint a successor"):
            _branch(4).remove("p0")

    def test_removing_a_stranger_is_unknown(self) -> None:
        """Only members can be removed."""
        with pytest.raises(UnknownReference):
            _branch(4).remove("nobody")

    def test_make_full(self) -> None:
        """A probationary member becomes full and gains a vote."""
        branch = _branch(3, probationary=1).make_full("q0", on=pendulum.Date(2024, 3, 1))
        member = branch.member("q0")
        assert (member.status, member.full_on, member.votes) == (
            MemberStatus.FULL,
            pendulum.Date(2024, 3, 1),
            True,
        )
        with pytest.raises(InvalidTransition, match="already a full member"):
            branch.make_full("q0", on=pendulum.Date(2024, 3, 2))

    def test_cover_and_uncover(self) -> None:
        """Coverage grows and shrinks, but a compound branch keeps one compound."""
        branch = _branch(3).cover("x2", "x3")
        assert branch.coverage == frozenset({"x1", "x2", "x3"})
        assert branch.uncover("x1", "x2").coverage == frozenset({"x3"})
        with pytest.raises(RuleViolation, match="covers no compound"):
            branch.uncover("x1", "x2", "x3")

    def test_appoint_deputy(self) -> None:
        """A deputy is appointed and removed."""
        branch = _branch(3).appoint_deputy(Officer(person_id="p1", since=DAY))
        assert branch.deputy is not None
        assert branch.appoint_deputy(None).deputy is None


class TestAssembly:
    def _decide(self, full: int, present: int, favour: int, **kw: object) -> AssemblyDecision:
        branch = _branch(full, probationary=2)
        return branch.assembly(
            on=pendulum.Date(2024, 1, 10),
            motion="议题",
            present=[f"p{n}" for n in range(present)],
            in_favour=[f"p{n}" for n in range(favour)],
            **kw,  # type: ignore[arg-type]
        )

    def test_half_present_is_a_quorum(self) -> None:
        """Half of the voting members present is enough (半数以上, inclusive)."""
        assert self._decide(6, present=3, favour=3).present == 3

    def test_fewer_than_half_is_not(self) -> None:
        """Below half, the assembly cannot vote."""
        with pytest.raises(QuorumNotMet, match="2 of 6 voting members present") as caught:
            self._decide(6, present=2, favour=2)
        assert caught.value.limit == 3

    def test_passes_with_more_than_half_of_those_who_should_attend(self) -> None:
        """Half is not enough to pass (超过半数, strict); more than half is."""
        assert not self._decide(6, present=6, favour=3).passed
        assert self._decide(6, present=4, favour=4).passed
        assert self._decide(6, present=4, favour=4).votes_needed == 4

    def test_probationary_members_attend_but_do_not_vote(self) -> None:
        """Probationary members count neither for quorum nor as votes."""
        branch = _branch(6, probationary=2)
        with pytest.raises(QuorumNotMet):
            branch.assembly(
                on=DAY, motion="议题", present=["p0", "p1", "q0", "q1"], in_favour=["p0"]
            )
        with pytest.raises(NoVotingRight, match="q0"):
            branch.assembly(
                on=DAY, motion="议题", present=["p0", "p1", "p2", "q0"], in_favour=["q0"]
            )

    def test_excused_members_leave_the_passing_base(self) -> None:
        """Members excused with approval are not expected; 3 of 5 expected pass."""
        decision = self._decide(6, present=3, favour=3, excused=[_approved("p5")])
        assert (decision.expected, decision.passed) == (5, True)

    def test_an_excused_member_who_comes_is_expected(self) -> None:
        """An excused member who attends counts as expected again."""
        decision = self._decide(6, present=4, favour=3, excused=[_approved("p3")])
        assert (decision.expected, decision.passed) == (6, False)

    def test_votes_come_from_those_present(self) -> None:
        """A vote in favour from an absent member is refused."""
        with pytest.raises(RuleViolation, match="not present"):
            _branch(6).assembly(on=DAY, motion="议题", present=["p0", "p1", "p2"], in_favour=["p5"])

    def test_strangers_do_not_attend(self) -> None:
        """Only members are present."""
        with pytest.raises(UnknownReference, match="stranger"):
            _branch(6).assembly(on=DAY, motion="议题", present=["stranger"], in_favour=[])

    def test_decision_validates_its_counts(self) -> None:
        """A decision's counts are in order, and it refuses a missing quorum on its own."""
        with pytest.raises(RuleViolation, match="not in order"):
            AssemblyDecision(
                branch_id="b",
                held_on=DAY,
                motion="m",
                voting_members=6,
                expected=6,
                present=3,
                in_favour=4,
            )
        with pytest.raises(QuorumNotMet):
            AssemblyDecision(
                branch_id="b",
                held_on=DAY,
                motion="m",
                voting_members=6,
                expected=6,
                present=2,
                in_favour=2,
            )
        assert ASSEMBLY_QUORUM.inclusive
        assert not ASSEMBLY_PASSING.inclusive


def _county(*ids: str, kinds: dict[str, SubcommunityKind] | None = None) -> County:
    kinds = kinds or {}
    subs = [
        Subcommunity(
            id=i, name=f"{i}小区", kind=kinds.get(i, SubcommunityKind.COMMERCIAL_RESIDENTIAL)
        )
        for i in ids
    ]
    return County(
        id="k",
        name="某县",
        streets=[
            Street(
                id="s",
                name="街道",
                communities=[Community(id="c", name="社区", subcommunities=subs)],
            )
        ],
    )


class TestCoverage:
    def test_complete_coverage(self) -> None:
        """Every compound covered once is complete."""
        county = _county("x1", "x2", "x3")
        report = coverage_report(
            county, [_branch(id="b1", coverage=["x1", "x2"]), _branch(id="b2", coverage=["x3"])]
        )
        assert report.complete
        assert report.covered == ("x1", "x2", "x3")
        assert report.branches_of("x2") == ("b1",)
        assert report.findings == ()
        assert report.coverage_ratio == 1

    def test_gaps_and_overlaps_are_all_listed(self) -> None:
        """Every uncovered and doubly covered compound is listed, not just the first."""
        county = _county("x1", "x2", "x3", "x4")
        report = coverage_report(
            county,
            [
                _branch(id="b1", coverage=["x1", "x2"]),
                _branch(id="b2", coverage=["x2", "elsewhere"]),
            ],
        )
        assert not report.complete
        assert report.uncovered == ("x3", "x4")
        assert [line.subcommunity_id for line in report.doubly_covered] == ["x2"]
        assert report.doubly_covered[0].branch_ids == ("b1", "b2")
        assert [(o.branch_id, o.subcommunity_id) for o in report.outside] == [("b2", "elsewhere")]
        codes = [f.code for f in report.findings]
        assert codes == [
            DoubleCoverage.code,
            CoverageGap.code,
            CoverageGap.code,
            CoverageOutsideCounty.code,
        ]
        with pytest.raises(ExceptionGroup) as caught:
            raise_findings(report.findings)
        assert [type(e) for e in caught.value.exceptions] == [
            DoubleCoverage,
            CoverageGap,
            CoverageGap,
            CoverageOutsideCounty,
        ]

    def test_scope_by_kind(self) -> None:
        """Only compounds of the kinds in scope are counted."""
        county = _county("x1", "x2", kinds={"x2": SubcommunityKind.RESETTLEMENT})
        report = coverage_report(
            county,
            [_branch(id="b1", coverage=["x1"])],
            kinds=[SubcommunityKind.COMMERCIAL_RESIDENTIAL],
        )
        assert report.complete
        assert report.subcommunity_count == 1

    def test_text_in_chinese(self) -> None:
        """The text names the gaps and overlaps in Chinese."""
        county = _county("x1", "x2")
        text = coverage_report(
            county, [_branch(id="b1", coverage=["x1"]), _branch(id="b2", coverage=["x1"])]
        ).to_text()
        assert "未实现全覆盖" in text
        assert "未覆盖：x2" in text
        assert "重复覆盖：x1（b1、b2）" in text

    def test_secretary_sources_are_counted(self) -> None:
        """The report counts secretaries by where they come from."""
        county = _county("x1", "x2")
        report = coverage_report(
            county,
            [
                _branch(
                    id="b1",
                    coverage=["x1"],
                    secretary=Officer(
                        person_id="s", source=SecretarySource.VETERAN_PUBLIC_WELFARE, since=DAY
                    ),
                ),
                _branch(id="b2", coverage=["x2"], secretary=None),
            ],
        )
        assert [(s.source, s.secretaries) for s in report.secretary_sources] == [
            (SecretarySource.VETERAN_PUBLIC_WELFARE, 1)
        ]

    def test_duplicate_branch_ids_are_refused(self) -> None:
        """A branch is counted once."""
        with pytest.raises(RuleViolation, match="branch id 'b1'"):
            coverage_report(_county("x1"), [_branch(id="b1"), _branch(id="b1")])

    def test_unknown_compound_in_report(self) -> None:
        """Asking for a compound outside the report is an unknown reference."""
        with pytest.raises(UnknownReference):
            coverage_report(_county("x1"), []).branches_of("x9")

    def test_empty_county_is_trivially_covered(self) -> None:
        """A county without compounds is complete, with ratio 1."""
        report = coverage_report(_county(), [])
        assert report.complete
        assert report.coverage_ratio == 1


class TestSerialization:
    def test_round_trip(self) -> None:
        """Branches, decisions and reports survive JSON."""
        branch = _branch(8, probationary=1, committee=["p0", "p1", "p2"])
        assert loads(dumps(branch), PartyBranch) == branch
        decision = branch.assembly(
            on=DAY, motion="议题", present=["p0", "p1", "p2", "p3"], in_favour=["p0"]
        )
        assert loads(dumps(decision), AssemblyDecision) == decision
        report = coverage_report(_county("x1", "x2"), [branch])
        assert loads(dumps(report), type(report)) == report

    def test_loading_an_invalid_branch_fails(self) -> None:
        """JSON describing a two-member branch is refused with its problem."""
        data = dumps(_branch(3)).replace('"p2"', '"p1"')
        with pytest.raises(Exception, match="member id 'p1'"):
            loads(data, PartyBranch)


class TestShouldAttend:
    """支部工作条例 art. 11: who should attend (应到会), for quorum and for passing alike."""

    def _ten(self, absences: list[Absence | str], present: int, favour: int) -> AssemblyDecision:
        return _branch(10).assembly(
            on=pendulum.Date(2024, 1, 10),
            motion="议题",
            present=[f"p{n}" for n in range(present)],
            in_favour=[f"p{n}" for n in range(favour)],
            excused=absences,
        )

    def test_absent_members_without_an_allowed_approved_kind_still_count(self) -> None:
        """10 voting, 5 present, 5 merely excused, 3 in favour: 3 of 10 is not more than half."""
        decision = self._ten([f"p{n}" for n in range(5, 10)], present=5, favour=3)
        assert (decision.expected, decision.passed, decision.votes_needed) == (10, False, 6)

    def test_approval_without_an_allowed_kind_does_not_leave_the_base(self) -> None:
        """An approved absence for another reason (business that day) still should attend."""
        absences = [_approved(f"p{n}", AbsenceKind.OTHER) for n in range(5, 10)]
        assert not self._ten(absences, present=5, favour=3).passed

    def test_an_allowed_kind_without_approval_does_not_leave_the_base(self) -> None:
        """A long illness that the higher organisation has not approved still counts."""
        absences = [Absence(person_id=f"p{n}", kind=AbsenceKind.LONG_ILLNESS) for n in range(5, 10)]
        assert self._ten(absences, present=5, favour=3).expected == 10

    def test_approved_allowed_absences_leave_the_base(self) -> None:
        """5 approved long absences: 5 should attend, 3 in favour pass, 2 do not (超过半数)."""
        absences = [_approved(f"p{n}") for n in range(5, 10)]
        assert self._ten(absences, present=5, favour=3).passed
        assert not self._ten(absences, present=5, favour=2).passed

    def test_every_default_kind_leaves_the_base(self) -> None:
        """Each kind of the documented default set, approved, leaves the base."""
        for kind in ALLOWED_ABSENCE_KINDS:
            assert self._ten([_approved("p9", kind)], present=9, favour=5).expected == 9

    def test_quorum_uses_the_same_base(self) -> None:
        """4 of 10 present: no quorum if the 6 absent count, a quorum if away with approval."""
        with pytest.raises(QuorumNotMet, match="4 of 10 voting members present"):
            self._ten([f"p{n}" for n in range(4, 10)], present=4, favour=3)
        decision = self._ten([_approved(f"p{n}") for n in range(4, 10)], present=4, favour=3)
        assert (decision.expected, decision.passed) == (4, True)

    def test_quorum_boundary_with_approved_absences(self) -> None:
        """2 away with approval: 4 of 8 is a quorum (半数以上, inclusive), 3 of 8 is not."""
        away = [_approved("p8"), _approved("p9")]
        assert self._ten(away, present=4, favour=0).expected == 8
        with pytest.raises(QuorumNotMet, match="3 of 8 voting members present"):
            self._ten(away, present=3, favour=0)

    def test_the_allowed_kinds_are_a_parameter(self) -> None:
        """A county may allow another kind; its approved absences then leave the base."""
        rules = BranchRules(absences_leaving_base={AbsenceKind.OTHER})
        branch = _branch(10, rules=rules)
        decision = branch.assembly(
            on=DAY,
            motion="议题",
            present=[f"p{n}" for n in range(5)],
            in_favour=["p0", "p1", "p2"],
            excused=[_approved(f"p{n}", AbsenceKind.OTHER) for n in range(5, 10)],
        )
        assert decision.passed
        assert COMMUNITY_BRANCH_RULES.absences_leaving_base == ALLOWED_ABSENCE_KINDS

    def test_the_approval_is_recorded(self) -> None:
        """The decision keeps each absence with its kind and who approved it."""
        decision = self._ten([_approved("p9")], present=5, favour=5)
        assert decision.absences == (_approved("p9"),)
        assert decision.absences[0].approved_by == "street-committee"

    def test_an_absence_given_twice_is_refused(self) -> None:
        """One absence per member."""
        with pytest.raises(RuleViolation, match="more than once"):
            self._ten([_approved("p9"), "p9"], present=5, favour=5)

    def test_a_probationary_absence_changes_nothing(self) -> None:
        """Probationary members have no vote, so their absence leaves the base unchanged."""
        decision = _branch(6, probationary=2).assembly(
            on=DAY,
            motion="议题",
            present=["p0", "p1", "p2"],
            in_favour=[],
            excused=[_approved("q0")],
        )
        assert decision.expected == 6

    def test_an_absence_is_an_absence_or_an_id(self) -> None:
        """Anything else is a programming error."""
        with pytest.raises(TypeError):
            self._ten([9], present=5, favour=5)  # type: ignore[list-item]


class TestCommitteeMeeting:
    """支部工作条例 art. 12: half or more of the committee present."""

    def _committee(self, size: int) -> PartyBranch:
        return _branch(9, committee=[f"p{n}" for n in range(size)])

    def test_half_of_an_even_committee_is_enough(self) -> None:
        """2 of 4 is half (半数以上, inclusive); 1 of 4 is not."""
        branch = self._committee(4)
        meeting = branch.committee_meeting(on=DAY, present=["p0", "p1"], topic="月度例会")
        assert (meeting.kind, meeting.present) == (MeetingKind.COMMITTEE, frozenset({"p0", "p1"}))
        with pytest.raises(QuorumNotMet, match="1 of 4 committee members") as caught:
            branch.committee_meeting(on=DAY, present=["p0"])
        assert caught.value.limit == 2

    def test_an_odd_committee_needs_more_than_the_lower_half(self) -> None:
        """3 of 5 is enough; 2 of 5 is below half."""
        branch = self._committee(5)
        assert branch.committee_meeting(on=DAY, present=["p0", "p1", "p2"]).held_on == DAY
        with pytest.raises(QuorumNotMet):
            branch.committee_meeting(on=DAY, present=["p0", "p1"])

    def test_only_committee_members_attend(self) -> None:
        """Someone off the committee is refused."""
        with pytest.raises(InvalidCommittee, match="p8 is not on the committee"):
            self._committee(3).committee_meeting(on=DAY, present=["p0", "p1", "p8"])

    def test_no_committee_no_meeting(self) -> None:
        """A branch with a secretary and no committee has no committee meeting."""
        with pytest.raises(InvalidTransition, match="no committee"):
            _branch(5).committee_meeting(on=DAY, present=["p0"])


class TestCadence:
    """支部工作条例 arts 11–12: assemblies normally quarterly, committee meetings monthly."""

    START = pendulum.Date(2024, 1, 1)

    def _branch(self, committee: bool = False) -> PartyBranch:
        kw: dict[str, object] = {"committee": ["p0", "p1", "p2"]} if committee else {}
        return attrs_evolve_formed(_branch(7, **kw), self.START)

    def _assembly(self, branch: PartyBranch, on: pendulum.Date) -> AssemblyDecision:
        return branch.assembly(on=on, motion="议题", present=["p0", "p1", "p2", "p3"], in_favour=[])

    def test_a_quarter_without_an_assembly_is_reported_once_it_ends(self) -> None:
        """An assembly in Q1 only: nothing on 30 June; Q2 is reported from 1 July."""
        branch = self._branch()
        held = [self._assembly(branch, pendulum.Date(2024, 2, 5))]
        assert branch.meeting_findings(held, on=pendulum.Date(2024, 6, 30)) == ()
        found = branch.meeting_findings(held, on=pendulum.Date(2024, 7, 1))
        assert [(f.code, f.message) for f in found] == [
            (
                "organisation.meeting_overdue",
                "党支部 b1: no member assembly (党员大会) in the quarter from 2024-04-01",
            )
        ]

    def test_one_assembly_a_quarter_is_enough(self) -> None:
        """An assembly on the last day of each quarter meets the cadence."""
        branch = self._branch()
        days = [pendulum.Date(2024, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
        held = [self._assembly(branch, day).meeting() for day in days]
        assert branch.meeting_findings(held, on=pendulum.Date(2025, 1, 1)) == ()

    def test_a_partial_first_quarter_is_not_judged(self) -> None:
        """Judging starts with the first whole quarter after ``since``."""
        branch = self._branch()
        found = branch.meeting_findings(
            [], on=pendulum.Date(2024, 7, 1), since=pendulum.Date(2024, 1, 2)
        )
        assert [f.message[-10:] for f in found] == ["2024-04-01"]

    def test_committee_months(self) -> None:
        """With a committee, each whole month without a committee meeting is reported."""
        branch = self._branch(committee=True)
        meetings: list[BranchMeeting | AssemblyDecision] = [
            self._assembly(branch, pendulum.Date(2024, 1, 9)),
            branch.committee_meeting(on=pendulum.Date(2024, 1, 31), present=["p0", "p1"]),
            branch.committee_meeting(on=pendulum.Date(2024, 3, 1), present=["p0", "p1"]),
        ]
        found = branch.meeting_findings(meetings, on=pendulum.Date(2024, 4, 1))
        assert [f.message for f in found] == [
            "党支部 b1: no committee meeting (支部委员会会议) in the month from 2024-02-01"
        ]

    def test_without_a_committee_only_assemblies_count(self) -> None:
        """A branch without a committee is not asked for committee meetings."""
        branch = self._branch()
        held = [self._assembly(branch, pendulum.Date(2024, 1, 9))]
        assert branch.meeting_findings(held, on=pendulum.Date(2024, 4, 1)) == ()

    def test_other_branches_meetings_do_not_count(self) -> None:
        """A meeting of another branch does not meet this branch's cadence."""
        branch = self._branch()
        other = BranchMeeting(
            branch_id="b2", kind=MeetingKind.ASSEMBLY, held_on=pendulum.Date(2024, 1, 9)
        )
        assert len(branch.meeting_findings([other], on=pendulum.Date(2024, 4, 1))) == 1

    def test_the_cadence_is_a_parameter(self) -> None:
        """With assemblies due every half year, one in January covers January to June."""
        rules = BranchRules(assembly_every_months=6)
        branch = attrs_evolve_formed(_branch(5, rules=rules), self.START)
        held = [self._assembly(branch, pendulum.Date(2024, 1, 9))]
        assert branch.meeting_findings(held, on=pendulum.Date(2024, 12, 31)) == ()
        found = branch.meeting_findings(held, on=pendulum.Date(2025, 1, 1))
        assert [f.message.endswith("the half year from 2024-07-01") for f in found] == [True]

    def test_far_future_dates_do_not_overflow(self) -> None:
        """A check in 9999 works on period indices, not date arithmetic."""
        branch = self._branch()
        found = branch.meeting_findings(
            [], on=pendulum.Date(9999, 12, 31), since=pendulum.Date(9999, 1, 1)
        )
        assert len(found) == 3

    def test_meetings_must_be_meetings(self) -> None:
        """Anything else is a programming error."""
        with pytest.raises(TypeError):
            self._branch().meeting_findings(["x"], on=DAY)  # type: ignore[list-item]


def attrs_evolve_formed(branch: PartyBranch, on: pendulum.Date) -> PartyBranch:
    """Return ``branch`` formed (and its term started) on ``on``."""
    return attrs.evolve(branch, formed_on=on, term_started_on=on)


class TestSecretaryApproval:
    """支部工作条例 art. 21: the higher organisation approves or appoints the secretary."""

    def test_an_unrecorded_approval_is_reported(self) -> None:
        """A secretary without recorded approval is a finding; a recorded one is not."""
        assert [f.code for f in _branch(5).secretary_findings()] == ["organisation.committee"]
        approved = Officer(person_id="p0", since=DAY, approved_by="street-committee")
        assert _branch(5, secretary=approved).secretary_findings() == ()
        assert approved.approved

    def test_an_appointment_records_who_appointed(self) -> None:
        """An appointed secretary names the organisation that appointed them."""
        officer = Officer(
            person_id="street-7",
            source=SecretarySource.TOWN_STREET_STAFF,
            since=DAY,
            approved_by="street-committee",
            appointed=True,
        )
        assert _branch(5, secretary=officer).secretary.approved_by == "street-committee"  # type: ignore[union-attr]
        with pytest.raises(RuleViolation, match="not by whom"):
            Officer(person_id="street-7", since=DAY, appointed=True)

    def test_a_deputy_needs_approval_too(self) -> None:
        """The deputy's approval is checked like the secretary's."""
        officer = Officer(person_id="p0", since=DAY, approved_by="street-committee")
        branch = _branch(5, secretary=officer, deputy=Officer(person_id="p1", since=DAY))
        assert [f.message[-60:] for f in branch.secretary_findings()] == [
            "p1 has no recorded approval by the higher Party organisation"
        ]


class TestDateOverflow:
    def test_renewal_past_9999_is_our_error(self) -> None:
        """A term from 9996 runs out after 9999: InvalidValue, not Python's ValueError."""
        branch = attrs_evolve_formed(_branch(5), pendulum.Date(9996, 1, 1))
        with pytest.raises(InvalidValue, match="past the last date"):
            _ = branch.renewal_due_on
        with pytest.raises(InvalidValue):
            branch.findings(on=pendulum.Date(9999, 1, 1))

    def test_the_last_representable_renewal(self) -> None:
        """A term from 9994-12-31 runs out on 9999-12-31."""
        branch = attrs_evolve_formed(_branch(5), pendulum.Date(9994, 12, 31))
        assert branch.renewal_due_on == pendulum.Date(9999, 12, 31)
