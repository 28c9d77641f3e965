"""The suggestion pipeline: who may act, which moves exist, and what a refusal leaves."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from grassroots.deliberation import (
    EDGES,
    Action,
    Actor,
    Channel,
    MeetingBase,
    MeetingKind,
    MeetingVote,
    Move,
    Place,
    ReviewDecision,
    Role,
    Roster,
    Route,
    Routing,
    Stage,
    SuggestionDetails,
    SuggestionPipeline,
)
from grassroots.errors import (
    DuplicateId,
    IllegalMove,
    InvalidTransition,
    InvalidValue,
    QuorumNotMet,
    UnknownReference,
    UnknownSuggestion,
    VoteNotCarried,
    WrongActor,
)
from grassroots.resident import Resident
from grassroots.serialization import dumps, loads
from grassroots.subcommunity import (
    Building,
    Community,
    Grid,
    GridWorker,
    Subcommunity,
    SubcommunityKind,
)

ZONE = "Asia/Shanghai"
W1 = GridWorker(id="w1", name="网格员甲")
W2 = GridWorker(id="w2", name="网格员乙")
REP = Resident(id="rep1", household_id="h1", born_on=pendulum.Date(1970, 1, 1))
REPRESENTATIVE = Actor.representative(REP)
PARTY = Actor(id="longju-party", role=Role.PARTY_ORGANISATION, name="龙居社区党委")
RECORDER = Actor(id="rec1", role=Role.ASSEMBLY_RECORDER)
COMMITTEE = Actor(id="jwh1", role=Role.COMMITTEE)
GRID_1 = Actor.from_grid_worker(W1)
GRID_2 = Actor.from_grid_worker(W2)


def community() -> Community:
    buildings = [Building.numbered(id=f"b{n:02}", name=f"{n}栋", units=2) for n in (1, 2)]
    sub = Subcommunity(
        id="longju", name="龙居小区", kind=SubcommunityKind.RESETTLEMENT, buildings=buildings
    )
    grids = [
        Grid.staffed(
            id="g1", name="一网格", worker=W1, since=pendulum.Date(2024, 1, 1), buildings=["b01"]
        ),
        Grid.staffed(
            id="g2", name="二网格", worker=W2, since=pendulum.Date(2024, 1, 1), buildings=["b02"]
        ),
    ]
    return Community(id="longju-sq", name="龙居社区", subcommunities=[sub], grids=grids)


def pipeline() -> SuggestionPipeline:
    roster = Roster.of(
        representatives=[REP],
        party_organisation="longju-party",
        recorders=["rec1"],
        committee=["jwh1"],
    )
    return SuggestionPipeline(community=community(), roster=roster)


def at(day: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, tz=ZONE)


def details(category: str = "加装电梯", unit: str = "b01-1") -> SuggestionDetails:
    return SuggestionDetails(
        text="1栋1单元加装电梯",
        place=Place(subcommunity_id="longju", building_id=unit[:3], unit_id=unit),
        category=category,
        channel=Channel.PATROL,
        raised_by="1栋居民",
    )


def reps_vote(present: int = 20, in_favour: int = 11, day: int = 4) -> MeetingVote:
    return MeetingVote(
        kind=MeetingKind.REPRESENTATIVES_MEETING,
        held_on=pendulum.Date(2026, 3, day),
        base=MeetingBase.REPRESENTATIVES,
        eligible=30,
        present=present,
        in_favour=in_favour,
    )


def assembly_vote(present: int = 51, in_favour: int = 26, day: int = 20) -> MeetingVote:
    return MeetingVote(
        kind=MeetingKind.RESIDENTS_MEETING,
        held_on=pendulum.Date(2026, 3, day),
        base=MeetingBase.ADULT_RESIDENTS,
        eligible=100,
        present=present,
        in_favour=in_favour,
    )


def to_assembly(p: SuggestionPipeline, sid: str = "s1") -> None:
    p.record(sid, details(), actor=GRID_1, at=at(1))
    p.shortlist(sid, vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
    p.draft_review(sid, decision=ReviewDecision.APPROVE, actor=PARTY, at=at(6))
    p.publish_review(sid, actor=PARTY, at=at(7))


def snapshot(p: SuggestionPipeline) -> tuple[object, ...]:
    return (p.suggestions(), p.moves)


class TestRecord:
    def test_the_grid_worker_of_the_unit_records(self) -> None:
        """The worker in charge of the unit's grid records; the suggestion starts at step 1."""
        p = pipeline()
        s = p.record("s1", details(), actor=GRID_1, at=at(1))
        assert (s.stage, s.route, len(p.history("s1"))) == (Stage.RECORDED, Route.COMMUNITY, 1)

    def test_another_grids_worker_is_refused(self) -> None:
        """A grid worker of another grid may not record in this unit."""
        p = pipeline()
        with pytest.raises(WrongActor) as info:
            p.record("s1", details(), actor=GRID_2, at=at(1))
        assert info.value.limit == ["w1"]
        assert len(p) == 0

    def test_a_representative_cannot_record(self) -> None:
        """Only a grid worker records: a representative with the worker's id is refused."""
        p = pipeline()
        with pytest.raises(WrongActor):
            p.record("s1", details(), actor=Actor(id="w1", role=Role.REPRESENTATIVE), at=at(1))

    def test_a_worker_before_their_first_day_is_refused(self) -> None:
        """The worker must be in charge on the local day of the record."""
        p = pipeline()
        with pytest.raises(WrongActor):
            p.record("s1", details(), actor=GRID_1, at=pendulum.datetime(2023, 12, 31, tz=ZONE))

    def test_compound_wide_place_accepts_any_of_its_workers(self) -> None:
        """A suggestion about the whole compound may be recorded by any of its grid workers."""
        p = pipeline()
        whole = attrs.evolve(details(), place=Place(subcommunity_id="longju"))
        p.record("s1", whole, actor=GRID_2, at=at(1))
        assert "s1" in p

    def test_unknown_places_are_refused(self) -> None:
        """A building or unit outside the community is an unknown reference."""
        p = pipeline()
        for place in (
            Place(subcommunity_id="longju", building_id="b09"),
            Place(subcommunity_id="longju", building_id="b01", unit_id="b02-1"),
            Place(subcommunity_id="elsewhere"),
        ):
            with pytest.raises(UnknownReference):
                p.record("s1", attrs.evolve(details(), place=place), actor=GRID_1, at=at(1))
        assert len(p) == 0

    def test_duplicate_id_is_refused(self) -> None:
        """A suggestion id is recorded once."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        with pytest.raises(DuplicateId):
            p.record("s1", details(), actor=GRID_1, at=at(2))

    def test_blank_text_and_unit_without_building_are_refused(self) -> None:
        """Details say something, and a unit comes with its building."""
        with pytest.raises(InvalidValue):
            attrs.evolve(details(), text="  ")
        with pytest.raises(InvalidValue):
            Place(subcommunity_id="longju", unit_id="b01-1")

    def test_naive_time_is_a_type_error(self) -> None:
        """Time is aware: a naive datetime is API misuse."""
        p = pipeline()
        with pytest.raises(TypeError):
            p.record("s1", details(), actor=GRID_1, at=pendulum.naive(2026, 3, 1))


class TestFullPath:
    def test_a_big_matter_goes_through_all_four_steps(self) -> None:
        """Record, shortlist, review, assembly, implementation and both publications."""
        p = pipeline()
        to_assembly(p)
        assert p.get("s1").stage is Stage.APPROVED
        p.assembly_vote("s1", vote=assembly_vote(), actor=RECORDER, at=at(20, 20))
        p.publish_resolution("s1", actor=COMMITTEE, at=at(21))
        p.assign("s1", to="电梯公司", actor=COMMITTEE, at=at(22))
        p.note_progress("s1", actor=COMMITTEE, at=at(25), reason="井道施工")
        p.complete("s1", actor=COMMITTEE, at=at(30), reason="电梯投入使用")
        final = p.publish_result("s1", actor=COMMITTEE, at=at(31))
        assert (final.stage, final.resolution_published, final.result_published) == (
            Stage.DONE,
            True,
            True,
        )
        assert [m.action for m in p.history("s1")] == [
            Action.RECORD,
            Action.SHORTLIST,
            Action.DRAFT_REVIEW,
            Action.PUBLISH_REVIEW,
            Action.ASSEMBLY_VOTE,
            Action.PUBLISH_RESOLUTION,
            Action.ASSIGN,
            Action.PROGRESS,
            Action.COMPLETE,
            Action.PUBLISH_RESULT,
        ]
        assert not final.settled_in_compound

    def test_the_assembly_can_vote_it_down(self) -> None:
        """25 of 51 present in favour is not more than half: not adopted."""
        p = pipeline()
        to_assembly(p)
        s = p.assembly_vote("s1", vote=assembly_vote(51, 25), actor=RECORDER, at=at(20, 20))
        assert s.stage is Stage.NOT_ADOPTED

    def test_an_inquorate_assembly_changes_nothing(self) -> None:
        """50 of 100 adults present is no quorum under either rule set: refused, nothing changes."""
        p = pipeline()
        to_assembly(p)
        before = snapshot(p)
        with pytest.raises(QuorumNotMet) as info:
            p.assembly_vote("s1", vote=assembly_vote(50, 50), actor=RECORDER, at=at(20, 20))
        assert info.value.limit == 51
        assert snapshot(p) == before

    def test_a_return_goes_back_to_the_representatives(self) -> None:
        """Returned with questions, a representative's answer puts it back before the party."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
        p.draft_review("s1", decision=ReviewDecision.RETURN, actor=PARTY, at=at(5), reason="费用?")
        assert p.get("s1").stage is Stage.SHORTLISTED  # a draft is not published
        p.publish_review("s1", actor=PARTY, at=at(6))
        assert p.get("s1").stage is Stage.RETURNED
        p.resubmit("s1", actor=REPRESENTATIVE, at=at(8), reason="住户分摊方案已附")
        assert p.get("s1").stage is Stage.SHORTLISTED

    def test_a_draft_can_be_redrafted_before_publication(self) -> None:
        """The published answer is the last draft."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
        p.draft_review("s1", decision=ReviewDecision.APPROVE, actor=PARTY, at=at(5))
        p.draft_review("s1", decision=ReviewDecision.REJECT, actor=PARTY, at=at(5), reason="违规")
        assert p.publish_review("s1", actor=PARTY, at=at(6)).stage is Stage.REJECTED

    def test_publishing_without_a_draft_is_illegal(self) -> None:
        """There is nothing to publish before a draft."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
        with pytest.raises(IllegalMove):
            p.publish_review("s1", actor=PARTY, at=at(6))

    def test_rejection_and_return_need_a_reason(self) -> None:
        """A refusal says why."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
        for decision in (ReviewDecision.RETURN, ReviewDecision.REJECT):
            with pytest.raises(InvalidValue):
                p.draft_review("s1", decision=decision, actor=PARTY, at=at(5))


class TestSmallMatters:
    def test_a_small_matter_is_settled_in_the_compound(self) -> None:
        """A stairwell clean-up is adopted by the representatives: no party review, no assembly."""
        p = pipeline()
        p.record("s1", details("楼道清理"), actor=GRID_1, at=at(1))
        s = p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
        assert (s.route, s.stage, s.settled_in_compound) == (Route.COMPOUND, Stage.ADOPTED, True)
        with pytest.raises(IllegalMove):
            p.draft_review("s1", decision=ReviewDecision.APPROVE, actor=PARTY, at=at(5))

    def test_routing_is_data(self) -> None:
        """A community that sends parking to the assembly says so in its routing."""
        p = SuggestionPipeline(
            community=community(), roster=pipeline().roster, routing=Routing(compound=["楼道清理"])
        )
        assert p.record("s1", details("车辆停放"), actor=GRID_1, at=at(1)).route is Route.COMMUNITY


class TestRepresentatives:
    def test_an_inquorate_representatives_meeting_is_refused(self) -> None:
        """19 of 30 representatives is below two thirds: nothing changes."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        before = snapshot(p)
        with pytest.raises(QuorumNotMet):
            p.shortlist("s1", vote=reps_vote(19, 19), actor=REPRESENTATIVE, at=at(4))
        assert snapshot(p) == before

    def test_a_vote_that_did_not_carry_is_refused(self) -> None:
        """10 of 20 present is not more than half."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        with pytest.raises(VoteNotCarried):
            p.shortlist("s1", vote=reps_vote(20, 10), actor=REPRESENTATIVE, at=at(4))

    def test_the_wrong_body_s_vote_is_refused(self) -> None:
        """Shortlisting takes the representatives' vote, not the assembly's."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        with pytest.raises(IllegalMove):
            p.shortlist("s1", vote=assembly_vote(day=3), actor=REPRESENTATIVE, at=at(4))

    def test_a_vote_from_the_future_is_refused(self) -> None:
        """A vote is entered on or after its meeting's day."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        with pytest.raises(IllegalMove):
            p.shortlist("s1", vote=reps_vote(day=5), actor=REPRESENTATIVE, at=at(4))

    def test_merging_needs_another_live_suggestion(self) -> None:
        """A duplicate merges into another suggestion, not into itself or a merged one."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        p.record("s2", details(), actor=GRID_1, at=at(1))
        p.record("s3", details(), actor=GRID_1, at=at(1))
        with pytest.raises(IllegalMove):
            p.merge("s2", into="s2", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4), reason="同")
        with pytest.raises(UnknownSuggestion):
            p.merge("s2", into="s9", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4), reason="同")
        s2 = p.merge("s2", into="s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4), reason="同")
        assert (s2.stage, s2.merged_into) == (Stage.MERGED, "s1")
        with pytest.raises(IllegalMove):
            p.merge("s3", into="s2", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4), reason="同")

    def test_declining_needs_a_reason(self) -> None:
        """A declined suggestion says why."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        with pytest.raises(InvalidValue):
            p.decline("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4), reason=" ")
        s = p.decline("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4), reason="不属社区事务")
        assert s.stage is Stage.DECLINED


class TestRefusals:
    @pytest.mark.parametrize(
        "actor", [GRID_1, PARTY, RECORDER, COMMITTEE, Actor(id="rep9", role=Role.REPRESENTATIVE)]
    )
    def test_only_a_listed_representative_shortlists(self, actor: Actor) -> None:
        """Every other role, and a representative not on the roster, is refused."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(1))
        before = snapshot(p)
        with pytest.raises(WrongActor) as info:
            p.shortlist("s1", vote=reps_vote(), actor=actor, at=at(4))
        assert isinstance(info.value, InvalidTransition)
        assert snapshot(p) == before

    def test_moves_cannot_go_back_in_time(self) -> None:
        """A move earlier than the suggestion's last one is refused."""
        p = pipeline()
        p.record("s1", details(), actor=GRID_1, at=at(5))
        with pytest.raises(IllegalMove):
            p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))

    def test_publications_happen_once_and_in_order(self) -> None:
        """The result follows the resolution, and neither is published twice."""
        p = pipeline()
        p.record("s1", details("楼道清理"), actor=GRID_1, at=at(1))
        p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
        p.assign("s1", to="物业公司", actor=COMMITTEE, at=at(5))
        p.complete("s1", actor=COMMITTEE, at=at(6), reason="已清理")
        with pytest.raises(IllegalMove):
            p.publish_result("s1", actor=COMMITTEE, at=at(7))
        p.publish_resolution("s1", actor=COMMITTEE, at=at(7))
        with pytest.raises(IllegalMove):
            p.publish_resolution("s1", actor=COMMITTEE, at=at(7))
        p.publish_result("s1", actor=COMMITTEE, at=at(8))
        with pytest.raises(IllegalMove):
            p.publish_result("s1", actor=COMMITTEE, at=at(8))

    def test_notes_and_results_need_text(self) -> None:
        """A progress note and a completion say what happened; blank ones change nothing."""
        p = pipeline()
        p.record("s1", details("楼道清理"), actor=GRID_1, at=at(1))
        p.shortlist("s1", vote=reps_vote(), actor=REPRESENTATIVE, at=at(4))
        p.assign("s1", to="物业公司", actor=COMMITTEE, at=at(5))
        before = snapshot(p)
        with pytest.raises(InvalidValue):
            p.note_progress("s1", actor=COMMITTEE, at=at(6), reason="")
        with pytest.raises(InvalidValue):
            p.complete("s1", actor=COMMITTEE, at=at(6), reason=" ")
        assert snapshot(p) == before

    def test_unknown_suggestion(self) -> None:
        """A command on an unknown id names it."""
        with pytest.raises(UnknownSuggestion):
            pipeline().publish_review("nope", actor=PARTY, at=at(1))

    def test_every_edge_has_the_role_table_s_actor(self) -> None:
        """The edge table mentions every action, and the record edge starts from nothing."""
        assert {a for (_r, _s, a) in EDGES} == set(Action)
        assert all((s is None) == (a is Action.RECORD) for (_r, s, a) in EDGES)


class TestReplay:
    def test_replay_rebuilds_the_same_state(self) -> None:
        """Replaying the moves gives the same suggestions and moves."""
        p = pipeline()
        to_assembly(p)
        p.assembly_vote("s1", vote=assembly_vote(), actor=RECORDER, at=at(20, 20))
        p.record("s2", details("楼道清理", "b02-2"), actor=GRID_2, at=at(2))
        again = SuggestionPipeline.replay(p.moves, community=p.community, roster=p.roster)
        assert snapshot(again) == snapshot(p)

    def test_replay_refuses_a_tampered_move(self) -> None:
        """A move whose recorded stage does not follow is refused."""
        p = pipeline()
        to_assembly(p)
        moves = list(p.moves)
        moves[1] = attrs.evolve(moves[1], after=Stage.APPROVED)
        with pytest.raises(IllegalMove):
            SuggestionPipeline.replay(moves, community=p.community, roster=p.roster)

    def test_moves_round_trip_through_json(self) -> None:
        """Moves go to JSON and back unchanged, and replay from there."""
        p = pipeline()
        to_assembly(p)
        back = loads(dumps(list(p.moves)), list[Move])
        assert tuple(back) == p.moves
        again = SuggestionPipeline.replay(back, community=p.community, roster=p.roster)
        assert again.suggestions() == p.suggestions()
