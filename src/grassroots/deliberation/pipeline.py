"""The suggestion pipeline (四步议事): grid worker, representatives, party organisation, assembly.

Longju community's way of deciding (龙居社区): 1. a grid worker (网格员)
records a residents' suggestion; 2. the residents' representatives (居民代表)
discuss it at their meeting and shortlist it, merge it with a duplicate or
decline it; 3. the community party organisation (社区党组织) reviews it —
approved for the assembly, returned with questions, or rejected — drafting its
answer before publishing it; 4. the residents' meeting (居民会议) votes; then
the residents' committee implements it and publishes the resolution and the
result (两公开). Small matters stay in the compound (小事不出小区): a
[`Routing`][grassroots.deliberation.pipeline.Routing] says, as data, which
categories are settled by the representatives without an assembly.

[`SuggestionPipeline`][grassroots.deliberation.pipeline.SuggestionPipeline] is
the aggregate: every command checks the actor's role and standing, the edge
(the table [`EDGES`][grassroots.deliberation.pipeline.EDGES]) and the votes
first, and only then records a frozen
[`Move`][grassroots.deliberation.pipeline.Move] (actor, time, reason), so a
refused command changes nothing. Replaying the moves rebuilds the same state
([`SuggestionPipeline.replay`][grassroots.deliberation.pipeline.SuggestionPipeline.replay]).

Rule: matters of all residents' interest go to the residents' meeting
(城市居民委员会组织法 2018 art. 10 ¶2); the pipeline is Longju's local practice.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

import attrs
import pendulum

from grassroots._time import local_date, require_aware
from grassroots._validators import (
    check_identifier,
    check_text,
    count,
    identifier,
    identifiers,
    name,
    optional_identifier,
    text,
    to_frozenset,
)
from grassroots.deliberation.assembly import MeetingVote
from grassroots.deliberation.rules import MeetingKind
from grassroots.errors import (
    DuplicateId,
    IllegalMove,
    InvalidValue,
    UnknownReference,
    UnknownSuggestion,
    WrongActor,
)
from grassroots.resident import Resident
from grassroots.subcommunity import Community, GridWorker

__all__ = [
    "DEFAULT_ROUTING",
    "EDGES",
    "PIPELINE_RULE",
    "ROLE_OF_ACTION",
    "SMALL_MATTERS_RULE",
    "Action",
    "Actor",
    "Channel",
    "Move",
    "Place",
    "ReviewDecision",
    "Role",
    "Roster",
    "Route",
    "Routing",
    "Stage",
    "Suggestion",
    "SuggestionDetails",
    "SuggestionPipeline",
]

PIPELINE_RULE: Final = (
    "Longju's four steps: grid worker records, representatives shortlist, party organisation"
    " reviews, residents' meeting votes (local practice; 城市居民委员会组织法 art. 10 ¶2)"
)
"""The rule cited when a move is refused."""

SMALL_MATTERS_RULE: Final = (
    "小事不出小区、大事不出社区: the category decides whether the representatives settle a"
    " matter in the compound or it goes on to the residents' meeting (Longju practice)"
)
"""The rule behind [`Routing`][grassroots.deliberation.pipeline.Routing]."""


class Role(enum.Enum):
    """Who may act on a suggestion."""

    GRID_WORKER = "grid_worker"
    """网格员: records suggestions in the grid in their charge."""
    REPRESENTATIVE = "representative"
    """居民代表: moves a suggestion through the representatives' meeting."""
    PARTY_ORGANISATION = "party_organisation"
    """社区党组织: reviews shortlisted suggestions."""
    ASSEMBLY_RECORDER = "assembly_recorder"
    """居民会议记录人: enters the residents' meeting's vote."""
    COMMITTEE = "committee"
    """居民委员会: implements, and publishes resolutions and results."""

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return {
            "grid_worker": "网格员",
            "representative": "居民代表",
            "party_organisation": "社区党组织",
            "assembly_recorder": "居民会议记录人",
            "committee": "居民委员会",
        }[self.value]


class Channel(enum.Enum):
    """Where a suggestion came from."""

    PATROL = "patrol"
    """巡查: the grid worker's rounds of the grid."""
    MEETING = "meeting"
    """议事会: a consultation meeting (书记下午茶, 坝坝会, 龙居夜话)."""
    MAILBOX = "mailbox"
    """微愿留言: the wish mailbox."""


class Route(enum.Enum):
    """Which path a suggestion takes, by its category."""

    COMPOUND = "compound"
    """小事不出小区: settled by the representatives, without an assembly."""
    COMMUNITY = "community"
    """大事不出社区: party review and the residents' meeting."""


class Stage(enum.Enum):
    """Where a suggestion stands."""

    RECORDED = "recorded"
    """Step 1 done: recorded by a grid worker."""
    SHORTLISTED = "shortlisted"
    """Step 2: shortlisted by the representatives' meeting, awaiting party review."""
    MERGED = "merged"
    """Step 2: merged into another suggestion (a duplicate). Final."""
    DECLINED = "declined"
    """Step 2: declined by the representatives, with a reason. Final."""
    RETURNED = "returned"
    """Step 3: returned by the party organisation with questions."""
    APPROVED = "approved"
    """Step 3: approved for the residents' meeting."""
    REJECTED = "rejected"
    """Step 3: rejected by the party organisation, with a reason. Final."""
    ADOPTED = "adopted"
    """Step 4 (or settled in the compound): adopted, awaiting implementation."""
    NOT_ADOPTED = "not_adopted"
    """Step 4: the residents' meeting voted it down. Final."""
    IN_PROGRESS = "in_progress"
    """Implementation: assigned, with progress notes."""
    DONE = "done"
    """Implemented. Final (the result may still be published)."""

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _STAGE_ZH[self]

    @property
    def final(self) -> bool:
        """Whether no step but publication can follow."""
        return self in {
            Stage.MERGED,
            Stage.DECLINED,
            Stage.REJECTED,
            Stage.NOT_ADOPTED,
            Stage.DONE,
        }


_STAGE_ZH: Final = MappingProxyType(
    {
        Stage.RECORDED: "已收集",
        Stage.SHORTLISTED: "代表初选通过",
        Stage.MERGED: "合并",
        Stage.DECLINED: "代表会议未采纳",
        Stage.RETURNED: "党组织退回",
        Stage.APPROVED: "党组织审核通过",
        Stage.REJECTED: "党组织否决",
        Stage.ADOPTED: "表决通过",
        Stage.NOT_ADOPTED: "居民会议未通过",
        Stage.IN_PROGRESS: "实施中",
        Stage.DONE: "已办结",
    }
)


class Action(enum.Enum):
    """A command of the pipeline; each makes one kind of move."""

    RECORD = "record"
    SHORTLIST = "shortlist"
    MERGE = "merge"
    DECLINE = "decline"
    DRAFT_REVIEW = "draft_review"
    PUBLISH_REVIEW = "publish_review"
    RESUBMIT = "resubmit"
    ASSEMBLY_VOTE = "assembly_vote"
    ASSIGN = "assign"
    PROGRESS = "progress"
    COMPLETE = "complete"
    PUBLISH_RESOLUTION = "publish_resolution"
    PUBLISH_RESULT = "publish_result"


class ReviewDecision(enum.Enum):
    """The party organisation's answer to a shortlisted suggestion."""

    APPROVE = "approve"
    """同意提交居民会议: approved for the residents' meeting."""
    RETURN = "return"
    """退回: returned to the representatives with questions."""
    REJECT = "reject"
    """否决: rejected, with a reason."""


ROLE_OF_ACTION: Final[Mapping[Action, Role]] = MappingProxyType(
    {
        Action.RECORD: Role.GRID_WORKER,
        Action.SHORTLIST: Role.REPRESENTATIVE,
        Action.MERGE: Role.REPRESENTATIVE,
        Action.DECLINE: Role.REPRESENTATIVE,
        Action.RESUBMIT: Role.REPRESENTATIVE,
        Action.DRAFT_REVIEW: Role.PARTY_ORGANISATION,
        Action.PUBLISH_REVIEW: Role.PARTY_ORGANISATION,
        Action.ASSEMBLY_VOTE: Role.ASSEMBLY_RECORDER,
        Action.ASSIGN: Role.COMMITTEE,
        Action.PROGRESS: Role.COMMITTEE,
        Action.COMPLETE: Role.COMMITTEE,
        Action.PUBLISH_RESOLUTION: Role.COMMITTEE,
        Action.PUBLISH_RESULT: Role.COMMITTEE,
    }
)
"""Who may take each action."""

_IMPLEMENTATION: Final = {
    (Stage.ADOPTED, Action.ASSIGN): frozenset({Stage.IN_PROGRESS}),
    (Stage.IN_PROGRESS, Action.PROGRESS): frozenset({Stage.IN_PROGRESS}),
    (Stage.IN_PROGRESS, Action.COMPLETE): frozenset({Stage.DONE}),
    (Stage.ADOPTED, Action.PUBLISH_RESOLUTION): frozenset({Stage.ADOPTED}),
    (Stage.IN_PROGRESS, Action.PUBLISH_RESOLUTION): frozenset({Stage.IN_PROGRESS}),
    (Stage.DONE, Action.PUBLISH_RESOLUTION): frozenset({Stage.DONE}),
    (Stage.DONE, Action.PUBLISH_RESULT): frozenset({Stage.DONE}),
}
_STEP_2: Final = {
    (Stage.RECORDED, Action.MERGE): frozenset({Stage.MERGED}),
    (Stage.RECORDED, Action.DECLINE): frozenset({Stage.DECLINED}),
}

EDGES: Final[Mapping[tuple[Route, Stage | None, Action], frozenset[Stage]]] = MappingProxyType(
    {
        **{(route, None, Action.RECORD): frozenset({Stage.RECORDED}) for route in Route},
        **{(Route.COMPOUND, *key): value for key, value in _STEP_2.items()},
        **{(Route.COMMUNITY, *key): value for key, value in _STEP_2.items()},
        (Route.COMPOUND, Stage.RECORDED, Action.SHORTLIST): frozenset({Stage.ADOPTED}),
        (Route.COMMUNITY, Stage.RECORDED, Action.SHORTLIST): frozenset({Stage.SHORTLISTED}),
        (Route.COMMUNITY, Stage.SHORTLISTED, Action.DRAFT_REVIEW): frozenset({Stage.SHORTLISTED}),
        (Route.COMMUNITY, Stage.SHORTLISTED, Action.PUBLISH_REVIEW): frozenset(
            {Stage.APPROVED, Stage.RETURNED, Stage.REJECTED}
        ),
        (Route.COMMUNITY, Stage.RETURNED, Action.RESUBMIT): frozenset({Stage.SHORTLISTED}),
        (Route.COMMUNITY, Stage.APPROVED, Action.ASSEMBLY_VOTE): frozenset(
            {Stage.ADOPTED, Stage.NOT_ADOPTED}
        ),
        **{(Route.COMPOUND, *key): value for key, value in _IMPLEMENTATION.items()},
        **{(Route.COMMUNITY, *key): value for key, value in _IMPLEMENTATION.items()},
    }
)
"""Every legal edge: (route, stage before or ``None`` for a new one, action) → stages after."""

_REVIEW_STAGE: Final = MappingProxyType(
    {
        ReviewDecision.APPROVE: Stage.APPROVED,
        ReviewDecision.RETURN: Stage.RETURNED,
        ReviewDecision.REJECT: Stage.REJECTED,
    }
)
_NEEDS_REASON: Final = frozenset(
    {Action.DECLINE, Action.MERGE, Action.RESUBMIT, Action.PROGRESS, Action.COMPLETE}
)


def _str_set(value: Iterable[str]) -> frozenset[str]:
    """Return ``value`` as a frozenset of text (typed for attrs' converter)."""
    return to_frozenset(value)


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "at")


def _actions_from(route: Route, stage: Stage | None) -> list[str]:
    """Return the actions that have an edge from ``stage`` on ``route``, sorted."""
    return sorted(a.value for (r, s, a) in EDGES if r is route and s is stage)


@attrs.frozen(kw_only=True)
class Actor:
    """Someone who acts on a suggestion, in one role.

    Build one from the organisation model:
    [`from_grid_worker`][grassroots.deliberation.pipeline.Actor.from_grid_worker]
    or [`representative`][grassroots.deliberation.pipeline.Actor.representative].

    Args:
        id: The person's or body's id (a grid worker's, a resident's, the party organisation's).
        role: The role they act in.
        name: A name for records, if any.
    """

    id: str = attrs.field(validator=identifier)
    role: Role = attrs.field(validator=attrs.validators.instance_of(Role))
    name: str | None = attrs.field(default=None, validator=attrs.validators.optional(name))

    @classmethod
    def from_grid_worker(cls, worker: GridWorker) -> Actor:
        """Return the grid worker ``worker`` as an actor."""
        if not isinstance(worker, GridWorker):
            raise TypeError(f"worker must be a GridWorker, not {type(worker).__name__}")
        return cls(id=worker.id, role=Role.GRID_WORKER, name=worker.name)

    @classmethod
    def representative(cls, resident: Resident) -> Actor:
        """Return the resident ``resident`` acting as a residents' representative."""
        if not isinstance(resident, Resident):
            raise TypeError(f"resident must be a Resident, not {type(resident).__name__}")
        return cls(id=resident.id, role=Role.REPRESENTATIVE, name=resident.report_name())


@attrs.frozen(kw_only=True)
class Roster:
    """Who holds each role in a community's pipeline (grid workers come from its grids).

    Args:
        representatives: Ids of the residents' representatives (居民代表).
        party_organisation: Id of the community party organisation (社区党组织).
        recorders: Ids of those who may enter the residents' meeting's vote.
        committee: Ids of the residents' committee (居民委员会) members who implement.
    """

    representatives: frozenset[str] = attrs.field(converter=_str_set, validator=identifiers)
    party_organisation: str = attrs.field(validator=identifier)
    recorders: frozenset[str] = attrs.field(converter=_str_set, validator=identifiers)
    committee: frozenset[str] = attrs.field(converter=_str_set, validator=identifiers)

    @classmethod
    def of(
        cls,
        *,
        representatives: Iterable[Resident],
        party_organisation: str,
        recorders: Iterable[str],
        committee: Iterable[str],
    ) -> Roster:
        """Return a roster whose representatives are these residents."""
        people = tuple(representatives)
        for person in people:
            if not isinstance(person, Resident):
                raise TypeError(f"representatives must be Residents, not {type(person).__name__}")
        return cls(
            representatives=frozenset(p.id for p in people),
            party_organisation=party_organisation,
            recorders=frozenset(recorders),
            committee=frozenset(committee),
        )


@attrs.frozen(kw_only=True)
class Routing:
    """Which categories are small matters settled in the compound (小事不出小区), as data.

    Every other category is a big matter that goes on to party review and the
    residents' meeting: an unknown category takes the full path.

    Args:
        compound: The categories settled by the representatives in the compound.
    """

    compound: frozenset[str] = attrs.field(converter=_str_set)

    @compound.validator
    def _check(self, _attribute: attrs.Attribute[frozenset[str]], value: frozenset[str]) -> None:
        for category in value:
            check_identifier(category, "category")

    def route_of(self, category: str) -> Route:
        """Return the route of a suggestion in ``category``.

        Examples:
            >>> DEFAULT_ROUTING.route_of("楼道清理"), DEFAULT_ROUTING.route_of("加装电梯")
            (<Route.COMPOUND: 'compound'>, <Route.COMMUNITY: 'community'>)
        """
        return Route.COMPOUND if category in self.compound else Route.COMMUNITY


DEFAULT_ROUTING: Final = Routing(
    compound=frozenset({"楼道清理", "环境卫生", "绿化养护", "车辆停放", "邻里纠纷", "宠物管理"})
)
"""Small matters in Longju's practice: stairwells, cleaning, greenery, parking, neighbours, pets."""


@attrs.frozen(kw_only=True)
class Place:
    """Where a suggestion is about: a compound, and a building and unit if it is that narrow.

    Args:
        subcommunity_id: The compound (小区).
        building_id: The building (楼栋), if any.
        unit_id: The unit (单元), if any; needs its building.
    """

    subcommunity_id: str = attrs.field(validator=identifier)
    building_id: str | None = attrs.field(default=None, validator=optional_identifier)
    unit_id: str | None = attrs.field(default=None, validator=optional_identifier)

    def __attrs_post_init__(self) -> None:
        if self.unit_id is not None and self.building_id is None:
            rule = "a unit (单元) is named with its building (楼栋)"
            raise InvalidValue(
                f"place names unit {self.unit_id!r} without its building ({rule})",
                value=self.unit_id,
                limit="a building id",
                rule=rule,
            )


def _nonblank_text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, attribute.name)
    if not str(value).strip():
        rule = "a suggestion says what it suggests"
        raise InvalidValue(f"{attribute.name} is blank ({rule})", value=value, limit=1, rule=rule)


@attrs.frozen(kw_only=True)
class SuggestionDetails:
    """What a grid worker records at step 1.

    Args:
        text: The suggestion, in the resident's words.
        place: Where it is about.
        category: Its category; decides the route, see
            [`Routing`][grassroots.deliberation.pipeline.Routing].
        channel: Where it came from: patrol, a meeting or the mailbox.
        raised_by: Who raised it (a resident id, or a label such as ``"3栋居民"``), if known.
        source: The meeting occurrence or mailbox message it came from, if any.
    """

    text: str = attrs.field(validator=_nonblank_text)
    place: Place = attrs.field(validator=attrs.validators.instance_of(Place))
    category: str = attrs.field(validator=identifier)
    channel: Channel = attrs.field(validator=attrs.validators.instance_of(Channel))
    raised_by: str | None = attrs.field(default=None, validator=attrs.validators.optional(name))
    source: str | None = attrs.field(default=None, validator=optional_identifier)


@attrs.frozen(kw_only=True)
class Move:
    """One recorded move of a suggestion: who did what, when, why, and from which stage to which.

    Args:
        sequence: Position in the pipeline's journal, from 0.
        suggestion_id: The suggestion moved.
        action: The command.
        actor: Who took it.
        at: When (timezone-aware).
        reason: Why, or the note, result or answer it carries (may be empty
            where no reason is required).
        before: The stage before, ``None`` for a new suggestion.
        after: The stage after.
        details: For a record: what was recorded.
        vote: For a decision of a meeting: its vote.
        target: For a merge: the suggestion merged into; for an assignment: the assignee.
        decision: For a drafted review: the decision drafted.
    """

    sequence: int = attrs.field(validator=count)
    suggestion_id: str = attrs.field(validator=identifier)
    action: Action = attrs.field(validator=attrs.validators.instance_of(Action))
    actor: Actor = attrs.field(validator=attrs.validators.instance_of(Actor))
    at: pendulum.DateTime = attrs.field(converter=_aware)
    reason: str = attrs.field(default="", validator=text)
    before: Stage | None = None
    after: Stage = attrs.field(validator=attrs.validators.instance_of(Stage))
    details: SuggestionDetails | None = None
    vote: MeetingVote | None = None
    target: str | None = attrs.field(default=None, validator=optional_identifier)
    decision: ReviewDecision | None = None


@attrs.frozen(kw_only=True)
class Suggestion:
    """The state of one suggestion, as its moves leave it.

    Args:
        id: Its id.
        details: What was recorded.
        route: Its route, from its category.
        stage: Where it stands.
        recorded_at: When it was recorded.
        stage_since: When it reached its stage.
        merged_into: The suggestion it was merged into, if merged.
        draft: The party organisation's drafted, unpublished decision, if any.
        draft_reason: The reason drafted with it.
        assignee: Who implements it, once assigned.
        resolution_published: Whether the resolution has been published (第一公开).
        result_published: Whether the result has been published (第二公开).
        decided_by: The last meeting vote that moved it, if any.
    """

    id: str
    details: SuggestionDetails
    route: Route
    stage: Stage
    recorded_at: pendulum.DateTime
    stage_since: pendulum.DateTime
    merged_into: str | None = None
    draft: ReviewDecision | None = None
    draft_reason: str = ""
    assignee: str | None = None
    resolution_published: bool = False
    result_published: bool = False
    decided_by: MeetingVote | None = None

    @property
    def settled_in_compound(self) -> bool:
        """Whether it was adopted in the compound, without the residents' meeting."""
        return self.route is Route.COMPOUND and self.stage in {
            Stage.ADOPTED,
            Stage.IN_PROGRESS,
            Stage.DONE,
        }


@attrs.frozen(kw_only=True)
class _Command:
    action: Action
    suggestion_id: str
    actor: Actor
    at: pendulum.DateTime
    reason: str = ""
    details: SuggestionDetails | None = None
    vote: MeetingVote | None = None
    target: str | None = None
    decision: ReviewDecision | None = None


class SuggestionPipeline:
    """The four-step pipeline of one community: its suggestions and their moves.

    Every command validates first and records after, so a refused command
    leaves the pipeline exactly as it was. The moves are the history;
    [`replay`][grassroots.deliberation.pipeline.SuggestionPipeline.replay]
    rebuilds the same suggestions from them.

    Args:
        community: The community (社区), for places and grid workers.
        roster: Who holds the other roles.
        routing: Which categories stay in the compound; default
            [`DEFAULT_ROUTING`][grassroots.deliberation.pipeline.DEFAULT_ROUTING].
    """

    def __init__(
        self, *, community: Community, roster: Roster, routing: Routing = DEFAULT_ROUTING
    ) -> None:
        if not isinstance(community, Community):
            raise TypeError(f"community must be a Community, not {type(community).__name__}")
        if not isinstance(roster, Roster):
            raise TypeError(f"roster must be a Roster, not {type(roster).__name__}")
        if not isinstance(routing, Routing):
            raise TypeError(f"routing must be a Routing, not {type(routing).__name__}")
        self.community: Final = community
        self.roster: Final = roster
        self.routing: Final = routing
        self._suggestions: dict[str, Suggestion] = {}
        self._moves: list[Move] = []
        self._by_suggestion: dict[str, list[Move]] = {}

    # --- reading -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._suggestions)

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(tuple(self._suggestions.values()))

    def __contains__(self, suggestion_id: object) -> bool:
        return suggestion_id in self._suggestions

    def get(self, suggestion_id: str) -> Suggestion:
        """Return the suggestion with this id.

        Raises:
            UnknownSuggestion: there is none.
        """
        try:
            return self._suggestions[suggestion_id]
        except KeyError:
            raise UnknownSuggestion(
                f"the pipeline of 社区 {self.community.id} has no suggestion {suggestion_id!r}",
                value=suggestion_id,
                rule=PIPELINE_RULE,
            ) from None

    def suggestions(self) -> tuple[Suggestion, ...]:
        """Return every suggestion, in the order recorded."""
        return tuple(self._suggestions.values())

    @property
    def moves(self) -> tuple[Move, ...]:
        """Every move, in the order made."""
        return tuple(self._moves)

    def history(self, suggestion_id: str) -> tuple[Move, ...]:
        """Return the moves of one suggestion, in order.

        Raises:
            UnknownSuggestion: there is none.
        """
        self.get(suggestion_id)
        return tuple(self._by_suggestion[suggestion_id])

    # --- commands --------------------------------------------------------------

    def record(
        self,
        suggestion_id: str,
        details: SuggestionDetails,
        *,
        actor: Actor,
        at: pendulum.DateTime,
    ) -> Suggestion:
        """Step 1: a grid worker records a suggestion.

        Raises:
            WrongActor: ``actor`` is not the grid worker in charge of the place that day.
            DuplicateId: the id is taken.
            UnknownReference: the place is not in the community.
        """
        return self._do(
            _Command(
                action=Action.RECORD,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                details=details,
            )
        )

    def shortlist(
        self,
        suggestion_id: str,
        *,
        vote: MeetingVote,
        actor: Actor,
        at: pendulum.DateTime,
        reason: str = "",
    ) -> Suggestion:
        """Step 2: the representatives' meeting shortlists it (a small matter is adopted).

        Raises:
            QuorumNotMet: the representatives' meeting had no quorum.
            VoteNotCarried: the vote did not carry.
        """
        return self._do(
            _Command(
                action=Action.SHORTLIST,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                reason=reason,
                vote=vote,
            )
        )

    def merge(
        self,
        suggestion_id: str,
        *,
        into: str,
        vote: MeetingVote,
        actor: Actor,
        at: pendulum.DateTime,
        reason: str,
    ) -> Suggestion:
        """Step 2: the representatives merge it into another suggestion (a duplicate)."""
        return self._do(
            _Command(
                action=Action.MERGE,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                reason=reason,
                vote=vote,
                target=into,
            )
        )

    def decline(
        self,
        suggestion_id: str,
        *,
        vote: MeetingVote,
        actor: Actor,
        at: pendulum.DateTime,
        reason: str,
    ) -> Suggestion:
        """Step 2: the representatives decline it, with a reason."""
        return self._do(
            _Command(
                action=Action.DECLINE,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                reason=reason,
                vote=vote,
            )
        )

    def draft_review(
        self,
        suggestion_id: str,
        *,
        decision: ReviewDecision,
        actor: Actor,
        at: pendulum.DateTime,
        reason: str = "",
    ) -> Suggestion:
        """Step 3: the party organisation drafts its answer (unpublished; may be redrafted).

        A return or a rejection needs a reason.
        """
        return self._do(
            _Command(
                action=Action.DRAFT_REVIEW,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                reason=reason,
                decision=decision,
            )
        )

    def publish_review(
        self, suggestion_id: str, *, actor: Actor, at: pendulum.DateTime
    ) -> Suggestion:
        """Step 3: the party organisation publishes its drafted answer.

        Raises:
            IllegalMove: nothing has been drafted.
        """
        return self._do(
            _Command(action=Action.PUBLISH_REVIEW, suggestion_id=suggestion_id, actor=actor, at=at)
        )

    def resubmit(
        self, suggestion_id: str, *, actor: Actor, at: pendulum.DateTime, reason: str
    ) -> Suggestion:
        """Step 3 again: a representative answers the party organisation's questions."""
        return self._do(
            _Command(
                action=Action.RESUBMIT,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                reason=reason,
            )
        )

    def assembly_vote(
        self, suggestion_id: str, *, vote: MeetingVote, actor: Actor, at: pendulum.DateTime
    ) -> Suggestion:
        """Step 4: the recorder enters the residents' meeting's vote; adopted or not.

        Raises:
            QuorumNotMet: the residents' meeting had no quorum (nothing changes).
        """
        return self._do(
            _Command(
                action=Action.ASSEMBLY_VOTE,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                vote=vote,
            )
        )

    def assign(
        self, suggestion_id: str, *, to: str, actor: Actor, at: pendulum.DateTime
    ) -> Suggestion:
        """Implementation: the committee assigns an adopted suggestion to ``to``."""
        return self._do(
            _Command(
                action=Action.ASSIGN, suggestion_id=suggestion_id, actor=actor, at=at, target=to
            )
        )

    def note_progress(
        self, suggestion_id: str, *, actor: Actor, at: pendulum.DateTime, reason: str
    ) -> Suggestion:
        """Implementation: the committee notes progress."""
        return self._do(
            _Command(
                action=Action.PROGRESS,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                reason=reason,
            )
        )

    def complete(
        self, suggestion_id: str, *, actor: Actor, at: pendulum.DateTime, reason: str
    ) -> Suggestion:
        """Implementation: the committee records it done, with the result."""
        return self._do(
            _Command(
                action=Action.COMPLETE,
                suggestion_id=suggestion_id,
                actor=actor,
                at=at,
                reason=reason,
            )
        )

    def publish_resolution(
        self, suggestion_id: str, *, actor: Actor, at: pendulum.DateTime
    ) -> Suggestion:
        """决议公开: the committee publishes the resolution, once."""
        return self._do(
            _Command(
                action=Action.PUBLISH_RESOLUTION, suggestion_id=suggestion_id, actor=actor, at=at
            )
        )

    def publish_result(
        self, suggestion_id: str, *, actor: Actor, at: pendulum.DateTime
    ) -> Suggestion:
        """结果公开: the committee publishes the result, once, after the resolution."""
        return self._do(
            _Command(action=Action.PUBLISH_RESULT, suggestion_id=suggestion_id, actor=actor, at=at)
        )

    # --- replay ------------------------------------------------------------------

    @classmethod
    def replay(
        cls,
        moves: Iterable[Move],
        *,
        community: Community,
        roster: Roster,
        routing: Routing = DEFAULT_ROUTING,
    ) -> SuggestionPipeline:
        """Rebuild a pipeline by applying ``moves`` again, each checked as when first made.

        Raises:
            IllegalMove: a move does not follow from the ones before it (a
                wrong sequence or stage), or any error the move's command raises.
        """
        pipeline = cls(community=community, roster=roster, routing=routing)
        for move in moves:
            if not isinstance(move, Move):
                raise TypeError(f"moves must be Move values, not {type(move).__name__}")
            command = _Command(
                action=move.action,
                suggestion_id=move.suggestion_id,
                actor=move.actor,
                at=move.at,
                reason=move.reason,
                details=move.details,
                vote=move.vote,
                target=move.target,
                decision=move.decision,
            )
            planned, suggestion = pipeline._plan(command)
            if planned != move:
                raise IllegalMove(
                    f"move {move.sequence} of {move.suggestion_id} does not replay: recorded"
                    f" {move.before} → {move.after} as number {move.sequence}, replayed"
                    f" {planned.before} → {planned.after} as number {planned.sequence}",
                    value=move.sequence,
                    limit=planned.sequence,
                    rule=PIPELINE_RULE,
                )
            pipeline._commit(planned, suggestion)
        return pipeline

    # --- internals -----------------------------------------------------------------

    def _do(self, command: _Command) -> Suggestion:
        move, suggestion = self._plan(command)
        self._commit(move, suggestion)
        return suggestion

    def _commit(self, move: Move, suggestion: Suggestion) -> None:
        self._moves.append(move)
        self._by_suggestion.setdefault(move.suggestion_id, []).append(move)
        self._suggestions[move.suggestion_id] = suggestion

    def _plan(self, command: _Command) -> tuple[Move, Suggestion]:
        """Check ``command`` completely and return the move and the new state; change nothing."""
        if not isinstance(command.actor, Actor):
            raise TypeError(f"actor must be an Actor, not {type(command.actor).__name__}")
        at = require_aware(command.at, "at")
        sid = check_identifier(command.suggestion_id, "suggestion id")
        reason = check_text(command.reason, "reason")
        if command.action is Action.RECORD:
            return self._plan_record(command, sid, at)
        current = self.get(sid)
        self._check_actor(command.action, command.actor)
        last = self._by_suggestion[sid][-1].at
        if at < last:
            rule = "moves of a suggestion are recorded in time order"
            raise IllegalMove(
                f"suggestion {sid}: {command.action.value} at {at.isoformat()} is before its last"
                f" move at {last.isoformat()} ({rule})",
                value=at.isoformat(),
                limit=last.isoformat(),
                rule=rule,
            )
        allowed = EDGES.get((current.route, current.stage, command.action))
        if allowed is None:
            raise IllegalMove(
                f"suggestion {sid} is {current.stage.value} ({current.stage.zh}) on the"
                f" {current.route.value} route; {command.action.value} is not a move from there"
                f" ({PIPELINE_RULE})",
                value=command.action.value,
                limit=_actions_from(current.route, current.stage),
                rule=PIPELINE_RULE,
            )
        if command.action in _NEEDS_REASON and not reason.strip():
            raise InvalidValue(
                f"suggestion {sid}: {command.action.value} needs a reason ({PIPELINE_RULE})",
                value=reason,
                limit="a reason",
                rule=PIPELINE_RULE,
            )
        new = self._next_state(current, command, at, reason)
        if new.stage not in allowed:  # pragma: no cover - the table and the planner agree
            raise IllegalMove(
                f"suggestion {sid}: {current.stage.value} → {new.stage.value} is not an edge",
                value=new.stage.value,
                limit=sorted(s.value for s in allowed),
                rule=PIPELINE_RULE,
            )
        if new.stage is not current.stage:
            new = attrs.evolve(new, stage_since=at)
        move = Move(
            sequence=len(self._moves),
            suggestion_id=sid,
            action=command.action,
            actor=command.actor,
            at=at,
            reason=reason,
            before=current.stage,
            after=new.stage,
            vote=command.vote,
            target=command.target,
            decision=command.decision,
        )
        return move, new

    def _next_state(
        self, current: Suggestion, command: _Command, at: pendulum.DateTime, reason: str
    ) -> Suggestion:
        action = command.action
        if action in {Action.SHORTLIST, Action.MERGE, Action.DECLINE}:
            return self._next_by_representatives(current, command, at)
        if action in {Action.DRAFT_REVIEW, Action.PUBLISH_REVIEW}:
            return self._next_by_review(current, command, reason)
        if action is Action.RESUBMIT:
            return attrs.evolve(current, stage=Stage.SHORTLISTED)
        if action is Action.ASSEMBLY_VOTE:
            vote = self._meeting_vote(command, MeetingKind.RESIDENTS_MEETING, at)
            vote.require_quorum()
            stage = Stage.ADOPTED if vote.passed else Stage.NOT_ADOPTED
            return attrs.evolve(current, stage=stage, decided_by=vote)
        return self._next_in_implementation(current, command)

    def _next_by_representatives(
        self, current: Suggestion, command: _Command, at: pendulum.DateTime
    ) -> Suggestion:
        vote = self._meeting_vote(command, MeetingKind.REPRESENTATIVES_MEETING, at)
        vote.require_carried()
        if command.action is Action.SHORTLIST:
            stage = Stage.ADOPTED if current.route is Route.COMPOUND else Stage.SHORTLISTED
            return attrs.evolve(current, stage=stage, decided_by=vote)
        if command.action is Action.DECLINE:
            return attrs.evolve(current, stage=Stage.DECLINED, decided_by=vote)
        target = self._merge_target(current, command.target)
        return attrs.evolve(current, stage=Stage.MERGED, merged_into=target, decided_by=vote)

    @staticmethod
    def _next_by_review(current: Suggestion, command: _Command, reason: str) -> Suggestion:
        if command.action is Action.DRAFT_REVIEW:
            decision = command.decision
            if not isinstance(decision, ReviewDecision):
                raise TypeError(f"decision must be a ReviewDecision, not {decision!r}")
            if decision is not ReviewDecision.APPROVE and not reason.strip():
                raise InvalidValue(
                    f"suggestion {current.id}: a {decision.value} needs a reason ({PIPELINE_RULE})",
                    value=reason,
                    limit="a reason",
                    rule=PIPELINE_RULE,
                )
            return attrs.evolve(current, draft=decision, draft_reason=reason)
        if current.draft is None:
            raise IllegalMove(
                f"suggestion {current.id}: the party organisation has drafted no answer to"
                f" publish ({PIPELINE_RULE})",
                value=None,
                limit="a drafted answer",
                rule=PIPELINE_RULE,
            )
        return attrs.evolve(
            current, stage=_REVIEW_STAGE[current.draft], draft=None, draft_reason=""
        )

    def _next_in_implementation(self, current: Suggestion, command: _Command) -> Suggestion:
        action = command.action
        if action is Action.ASSIGN:
            assignee = check_identifier(command.target, "assignee")
            return attrs.evolve(current, stage=Stage.IN_PROGRESS, assignee=assignee)
        if action is Action.PROGRESS:
            return current
        if action is Action.COMPLETE:
            return attrs.evolve(current, stage=Stage.DONE)
        if action is Action.PUBLISH_RESOLUTION:
            self._publish_once(current, published=current.resolution_published, what="resolution")
            return attrs.evolve(current, resolution_published=True)
        self._publish_once(current, published=current.result_published, what="result")
        if not current.resolution_published:
            raise IllegalMove(
                f"suggestion {current.id}: publish the resolution before the result (两公开)",
                value="result",
                limit="resolution first",
                rule=PIPELINE_RULE,
            )
        return attrs.evolve(current, result_published=True)

    @staticmethod
    def _publish_once(current: Suggestion, *, published: bool, what: str) -> None:
        if published:
            raise IllegalMove(
                f"suggestion {current.id}: the {what} is already published (两公开, once each)",
                value=what,
                limit="once",
                rule=PIPELINE_RULE,
            )

    def _meeting_vote(
        self, command: _Command, kind: MeetingKind, at: pendulum.DateTime
    ) -> MeetingVote:
        vote = command.vote
        if not isinstance(vote, MeetingVote):
            raise TypeError(f"vote must be a MeetingVote, not {type(vote).__name__}")
        if vote.kind is not kind:
            raise IllegalMove(
                f"suggestion {command.suggestion_id}: {command.action.value} needs a vote of the"
                f" {kind.zh}, not of the {vote.kind.zh} ({PIPELINE_RULE})",
                value=vote.kind.value,
                limit=kind.value,
                rule=PIPELINE_RULE,
            )
        if vote.held_on > local_date(at):
            rule = "a vote is entered on or after the day of its meeting"
            raise IllegalMove(
                f"suggestion {command.suggestion_id}: vote of {vote.held_on} entered on"
                f" {local_date(at)} ({rule})",
                value=str(vote.held_on),
                limit=str(local_date(at)),
                rule=rule,
            )
        return vote

    def _merge_target(self, current: Suggestion, target: str | None) -> str:
        target = check_identifier(target, "merge target")
        if target == current.id:
            raise IllegalMove(
                f"suggestion {current.id} cannot be merged into itself",
                value=target,
                limit="another suggestion",
                rule=PIPELINE_RULE,
            )
        other = self.get(target)
        if other.stage is Stage.MERGED:
            raise IllegalMove(
                f"suggestion {current.id}: {target} is itself merged into {other.merged_into};"
                " merge into that one",
                value=target,
                limit=other.merged_into,
                rule=PIPELINE_RULE,
            )
        return target

    def _check_actor(self, action: Action, actor: Actor) -> None:
        role = ROLE_OF_ACTION[action]
        holders: frozenset[str] = {
            Role.GRID_WORKER: frozenset(),
            Role.REPRESENTATIVE: self.roster.representatives,
            Role.PARTY_ORGANISATION: frozenset({self.roster.party_organisation}),
            Role.ASSEMBLY_RECORDER: self.roster.recorders,
            Role.COMMITTEE: self.roster.committee,
        }[role]
        if actor.role is not role or actor.id not in holders:
            raise WrongActor(
                f"{actor.role.zh} {actor.id} may not {action.value}; only a {role.zh} of"
                f" 社区 {self.community.id} may ({PIPELINE_RULE})",
                value=f"{actor.role.value}:{actor.id}",
                limit=role.value,
                rule=PIPELINE_RULE,
            )

    def _plan_record(
        self, command: _Command, sid: str, at: pendulum.DateTime
    ) -> tuple[Move, Suggestion]:
        details = command.details
        if not isinstance(details, SuggestionDetails):
            raise TypeError(f"details must be SuggestionDetails, not {type(details).__name__}")
        if sid in self._suggestions:
            raise DuplicateId(
                f"suggestion id {sid!r} is already recorded in 社区 {self.community.id}",
                value=sid,
                limit="each id once",
                rule=PIPELINE_RULE,
            )
        workers = self._workers_for(details.place, local_date(at))
        actor = command.actor
        if actor.role is not Role.GRID_WORKER or actor.id not in workers:
            place = details.place
            where = place.unit_id or place.building_id or place.subcommunity_id
            raise WrongActor(
                f"{actor.role.zh} {actor.id} may not record a suggestion about {where}"
                f" on {local_date(at)}; its grid workers that day: {sorted(workers)}"
                f" ({PIPELINE_RULE})",
                value=f"{actor.role.value}:{actor.id}",
                limit=sorted(workers),
                rule=PIPELINE_RULE,
            )
        route = self.routing.route_of(details.category)
        suggestion = Suggestion(
            id=sid,
            details=details,
            route=route,
            stage=Stage.RECORDED,
            recorded_at=at,
            stage_since=at,
        )
        move = Move(
            sequence=len(self._moves),
            suggestion_id=sid,
            action=Action.RECORD,
            actor=actor,
            at=at,
            reason=check_text(command.reason, "reason"),
            before=None,
            after=Stage.RECORDED,
            details=details,
        )
        return move, suggestion

    def _workers_for(self, place: Place, on: pendulum.Date) -> frozenset[str]:
        """Return the ids of the grid workers in charge of ``place`` on ``on``."""
        sub = self.community.subcommunity(place.subcommunity_id)
        if place.building_id is not None:
            building = next((b for b in sub.buildings if b.id == place.building_id), None)
            if building is None:
                raise UnknownReference(
                    f"小区 {sub.id} has no building {place.building_id!r}",
                    value=place.building_id,
                    rule=PIPELINE_RULE,
                )
            units = [u.id for u in building.units]
            if place.unit_id is not None:
                if place.unit_id not in units:
                    raise UnknownReference(
                        f"building {building.id} has no unit {place.unit_id!r}",
                        value=place.unit_id,
                        rule=PIPELINE_RULE,
                    )
                units = [place.unit_id]
        else:
            units = [u.id for u in sub.units()]
        grids = (
            {grid.id: grid for grid in map(self.community.grid_of, units)}.values()
            if units
            else self.community.grids
        )
        workers = (grid.worker_on(on) for grid in grids)
        return frozenset(w.id for w in workers if w is not None)
