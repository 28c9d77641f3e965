"""A rule-based machine drives the suggestion pipeline with random actors, beside a plain model."""

from __future__ import annotations

from typing import Any

import pendulum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from grassroots.deliberation import (
    Actor,
    Channel,
    MeetingBase,
    MeetingKind,
    MeetingVote,
    Place,
    ReviewDecision,
    Role,
    Roster,
    Stage,
    SuggestionDetails,
    SuggestionPipeline,
)
from grassroots.errors import GrassrootsError
from grassroots.resident import Resident
from grassroots.subcommunity import (
    Building,
    Community,
    Grid,
    GridWorker,
    Subcommunity,
    SubcommunityKind,
)

ZONE = "Asia/Shanghai"
W1 = GridWorker(id="w1", name="甲")
W2 = GridWorker(id="w2", name="乙")
REP = Resident(id="rep1", household_id="h1", born_on=pendulum.Date(1970, 1, 1))
ACTORS = {
    "grid worker of b01": Actor.from_grid_worker(W1),
    "grid worker of b02": Actor.from_grid_worker(W2),
    "representative": Actor.representative(REP),
    "stranger representative": Actor(id="rep9", role=Role.REPRESENTATIVE),
    "party": Actor(id="party", role=Role.PARTY_ORGANISATION),
    "recorder": Actor(id="rec", role=Role.ASSEMBLY_RECORDER),
    "committee": Actor(id="jwh", role=Role.COMMITTEE),
}
# The plain model: who acts, which stages each action starts from, and where it leads.
RIGHT_ACTOR = {
    "shortlist": "representative",
    "merge": "representative",
    "decline": "representative",
    "resubmit": "representative",
    "draft": "party",
    "publish_review": "party",
    "assembly": "recorder",
    "assign": "committee",
    "progress": "committee",
    "complete": "committee",
    "publish_resolution": "committee",
    "publish_result": "committee",
}
ACTIONS = sorted(RIGHT_ACTOR)
SMALL = "楼道清理"
IDS = ["s1", "s2", "s3", "s4"]


def community() -> Community:
    sub = Subcommunity(
        id="longju",
        name="龙居小区",
        kind=SubcommunityKind.RESETTLEMENT,
        buildings=[Building.numbered(id=f"b0{n}", name=f"{n}栋", units=1) for n in (1, 2)],
    )
    since = pendulum.Date(2024, 1, 1)
    grids = [
        Grid.staffed(id="g1", name="一", worker=W1, since=since, buildings=["b01"]),
        Grid.staffed(id="g2", name="二", worker=W2, since=since, buildings=["b02"]),
    ]
    return Community(id="sq", name="龙居社区", subcommunities=[sub], grids=grids)


ROSTER = Roster.of(
    representatives=[REP], party_organisation="party", recorders=["rec"], committee=["jwh"]
)


def model_next(  # noqa: PLR0911, PLR0912 - the plain model spells every case out
    entry: dict[str, Any],
    *,
    action: str,
    quorate: bool,
    carried: bool,
    decision: ReviewDecision,
    reason: str,
    target: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """Return the model's next state, or None if the model refuses the action."""
    stage, small = entry["stage"], entry["small"]
    new = dict(entry)
    if action in ("shortlist", "merge", "decline"):
        if stage != "recorded" or not (quorate and carried):
            return None
        if action in ("merge", "decline") and not reason:
            return None
        if action == "merge":
            if target is None or target is entry or target["stage"] == "merged":
                return None
            new["stage"] = "merged"
        elif action == "decline":
            new["stage"] = "declined"
        else:
            new["stage"] = "adopted" if small else "shortlisted"
        return new
    if action == "draft":
        if (
            small
            or stage != "shortlisted"
            or (decision is not ReviewDecision.APPROVE and not reason)
        ):
            return None
        new["draft"] = decision
        return new
    if action == "publish_review":
        if small or stage != "shortlisted" or entry["draft"] is None:
            return None
        new["stage"] = {"approve": "approved", "return": "returned", "reject": "rejected"}[
            entry["draft"].value
        ]
        new["draft"] = None
        return new
    if action == "resubmit":
        if stage != "returned" or not reason:
            return None
        new["stage"] = "shortlisted"
        return new
    if action == "assembly":
        if stage != "approved" or not quorate:
            return None
        new["stage"] = "adopted" if carried else "not_adopted"
        return new
    if action == "assign":
        if stage != "adopted":
            return None
        new["stage"] = "in_progress"
        return new
    if action in ("progress", "complete"):
        if stage != "in_progress" or not reason:
            return None
        if action == "complete":
            new["stage"] = "done"
        return new
    if action == "publish_resolution":
        if stage not in ("adopted", "in_progress", "done") or entry["resolution"]:
            return None
        new["resolution"] = True
        return new
    # publish_result
    if stage != "done" or entry["result"] or not entry["resolution"]:
        return None
    new["result"] = True
    return new


class PipelineMachine(RuleBasedStateMachine):
    suggestions = Bundle("suggestions")

    def __init__(self) -> None:
        super().__init__()
        self.pipeline = SuggestionPipeline(community=community(), roster=ROSTER)
        self.model: dict[str, dict[str, Any]] = {}
        self.moves = 0
        self.hour = 0

    def _now(self) -> pendulum.DateTime:
        self.hour += 1
        return pendulum.datetime(2026, 3, 1, tz=ZONE).add(hours=self.hour)

    def _record(self, *, sid: str, building: str, who: str, small: bool) -> str | None:
        details = SuggestionDetails(
            text="建议",
            place=Place(subcommunity_id="longju", building_id=building),
            category=SMALL if small else "加装电梯",
            channel=Channel.PATROL,
        )
        allowed = sid not in self.model and who == f"grid worker of {building}"
        try:
            self.pipeline.record(sid, details, actor=ACTORS[who], at=self._now())
        except GrassrootsError:
            assert not allowed
            return None
        assert allowed
        self.model[sid] = {
            "stage": "recorded",
            "small": small,
            "draft": None,
            "resolution": False,
            "result": False,
        }
        self.moves += 1
        return sid

    @rule(
        target=suggestions,
        sid=st.sampled_from(IDS),
        building=st.sampled_from(["b01", "b02"]),
        who=st.sampled_from(sorted(ACTORS)),
        small=st.booleans(),
    )
    def record_by_anyone(self, *, sid: str, building: str, who: str, small: bool) -> object:
        recorded = self._record(sid=sid, building=building, who=who, small=small)
        return multiple() if recorded is None else recorded

    @rule(
        target=suggestions,
        sid=st.sampled_from(IDS),
        building=st.sampled_from(["b01", "b02"]),
        small=st.booleans(),
    )
    def record_by_the_grid_worker(self, *, sid: str, building: str, small: bool) -> object:
        who = f"grid worker of {building}"
        recorded = self._record(sid=sid, building=building, who=who, small=small)
        return multiple() if recorded is None else recorded

    def _act(
        self,
        *,
        action: str,
        sid: str,
        who: str,
        quorate: bool,
        carried: bool,
        decision: ReviewDecision,
        reason: str,
        into: str,
    ) -> None:
        now = self._now()
        day = now.date()
        reps = MeetingVote(
            kind=MeetingKind.REPRESENTATIVES_MEETING,
            held_on=day,
            base=MeetingBase.REPRESENTATIVES,
            eligible=30,
            present=20 if quorate else 19,
            in_favour=11 if carried else 10,
        )
        residents = MeetingVote(
            kind=MeetingKind.RESIDENTS_MEETING,
            held_on=day,
            base=MeetingBase.ADULT_RESIDENTS,
            eligible=100,
            present=51 if quorate else 50,
            in_favour=26 if carried else 25,
        )
        actor, p = ACTORS[who], self.pipeline
        calls = {
            "shortlist": lambda: p.shortlist(sid, vote=reps, actor=actor, at=now),
            "merge": lambda: p.merge(sid, into=into, vote=reps, actor=actor, at=now, reason=reason),
            "decline": lambda: p.decline(sid, vote=reps, actor=actor, at=now, reason=reason),
            "draft": lambda: p.draft_review(
                sid, decision=decision, actor=actor, at=now, reason=reason
            ),
            "publish_review": lambda: p.publish_review(sid, actor=actor, at=now),
            "resubmit": lambda: p.resubmit(sid, actor=actor, at=now, reason=reason),
            "assembly": lambda: p.assembly_vote(sid, vote=residents, actor=actor, at=now),
            "assign": lambda: p.assign(sid, to="物业公司", actor=actor, at=now),
            "progress": lambda: p.note_progress(sid, actor=actor, at=now, reason=reason),
            "complete": lambda: p.complete(sid, actor=actor, at=now, reason=reason),
            "publish_resolution": lambda: p.publish_resolution(sid, actor=actor, at=now),
            "publish_result": lambda: p.publish_result(sid, actor=actor, at=now),
        }
        entry = self.model.get(sid)
        expected = None
        if entry is not None and RIGHT_ACTOR[action] == who:
            expected = model_next(
                entry,
                action=action,
                quorate=quorate,
                carried=carried,
                decision=decision,
                reason=reason,
                target=self.model.get(into),
            )
        before = (self.pipeline.suggestions(), self.pipeline.moves)
        try:
            calls[action]()
        except GrassrootsError:
            assert expected is None, f"{action} on {entry} by {who} was refused"
            assert (self.pipeline.suggestions(), self.pipeline.moves) == before
            return
        assert expected is not None, f"{action} on {entry} by {who} was allowed"
        self.model[sid] = expected
        self.moves += 1

    @rule(
        action=st.sampled_from(ACTIONS),
        sid=suggestions,
        who=st.sampled_from(sorted(ACTORS)),
        quorate=st.booleans(),
        carried=st.booleans(),
        decision=st.sampled_from(list(ReviewDecision)),
        reason=st.sampled_from(["", "理由"]),
        into=st.sampled_from(IDS),
    )
    def act_as_anyone(
        self,
        *,
        action: str,
        sid: str,
        who: str,
        quorate: bool,
        carried: bool,
        decision: ReviewDecision,
        reason: str,
        into: str,
    ) -> None:
        self._act(
            action=action,
            sid=sid,
            who=who,
            quorate=quorate,
            carried=carried,
            decision=decision,
            reason=reason,
            into=into,
        )

    @rule(
        action=st.sampled_from(ACTIONS),
        sid=suggestions,
        quorate=st.booleans(),
        carried=st.booleans(),
        decision=st.sampled_from(list(ReviewDecision)),
        into=suggestions,
    )
    def act_as_the_right_actor(
        self,
        *,
        action: str,
        sid: str,
        quorate: bool,
        carried: bool,
        decision: ReviewDecision,
        into: str,
    ) -> None:
        self._act(
            action=action,
            sid=sid,
            who=RIGHT_ACTOR[action],
            quorate=quorate,
            carried=carried,
            decision=decision,
            reason="理由",
            into=into,
        )

    def _options(self, sid: str, into: str) -> list[tuple[str, ReviewDecision]]:
        entry = self.model[sid]
        return [
            (action, decision)
            for action in ACTIONS
            for decision in ReviewDecision
            if model_next(
                entry,
                action=action,
                quorate=True,
                carried=True,
                decision=decision,
                reason="理由",
                target=self.model.get(into),
            )
            is not None
        ]

    @rule(sid=suggestions, into=suggestions, data=st.data())
    def advance(self, *, sid: str, into: str, data: st.DataObject) -> None:
        """The right actor takes a move the model allows, with a carried vote and a reason."""
        options = self._options(sid, into)
        if not options:
            return
        action, decision = data.draw(st.sampled_from(options))
        self._act(
            action=action,
            sid=sid,
            who=RIGHT_ACTOR[action],
            quorate=True,
            carried=True,
            decision=decision,
            reason="理由",
            into=into,
        )

    @rule(
        sid=suggestions,
        into=suggestions,
        data=st.data(),
        weaken=st.sampled_from(["reason", "quorum", "carried", "actor"]),
        who=st.sampled_from(sorted(ACTORS)),
    )
    def almost_advance(
        self, *, sid: str, into: str, data: st.DataObject, weaken: str, who: str
    ) -> None:
        """A move the model allows with one thing wrong: no reason, a weak vote, another actor."""
        options = self._options(sid, into)
        if not options:
            return
        action, decision = data.draw(st.sampled_from(options))
        self._act(
            action=action,
            sid=sid,
            who=who if weaken == "actor" else RIGHT_ACTOR[action],
            quorate=weaken != "quorum",
            carried=weaken != "carried",
            decision=decision,
            reason="" if weaken == "reason" else "理由",
            into=into,
        )

    @rule(action=st.sampled_from(ACTIONS), who=st.sampled_from(sorted(ACTORS)))
    def act_on_an_unknown_suggestion(self, *, action: str, who: str) -> None:
        self._act(
            action=action,
            sid="s9",
            who=who,
            quorate=True,
            carried=True,
            decision=ReviewDecision.APPROVE,
            reason="理由",
            into="s1",
        )

    @invariant()
    def matches_the_model(self) -> None:
        assert len(self.pipeline.moves) == self.moves
        for sid, entry in self.model.items():
            s = self.pipeline.get(sid)
            assert s.stage is Stage(entry["stage"])
            assert (s.draft, s.resolution_published, s.result_published) == (
                entry["draft"],
                entry["resolution"],
                entry["result"],
            )

    @invariant()
    def replay_gives_the_same_state(self) -> None:
        again = SuggestionPipeline.replay(self.pipeline.moves, community=community(), roster=ROSTER)
        assert again.suggestions() == self.pipeline.suggestions()


PipelineMachine.TestCase.settings = settings(
    PipelineMachine.TestCase.settings, stateful_step_count=50
)
TestPipelineMachine = PipelineMachine.TestCase
