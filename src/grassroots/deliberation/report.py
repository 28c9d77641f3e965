"""The deliberation report of a community for a period.

[`deliberation_report`][grassroots.deliberation.report.deliberation_report]
answers, for the suggestions recorded in the period (local days in
Asia/Shanghai, both ends included) and as things stood at its end: how many
are at each stage and with which outcome, how long they spent in each stage,
what share of the adopted ones were settled inside the compound
(小事不出小区), the assembly's turnout, the consultation meetings held against
those scheduled, and the wish mailbox's answers on time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs
import pendulum

from grassroots._time import SHANGHAI, local_date
from grassroots._validators import to_tuple
from grassroots.deliberation.assembly import MeetingVote
from grassroots.deliberation.mailbox import Mailbox, MailboxReport
from grassroots.deliberation.meeting import (
    MeetingRecord,
    MeetingSeries,
    _period,
    held_and_scheduled,
)
from grassroots.deliberation.pipeline import Action, Move, Route, Stage, SuggestionPipeline
from grassroots.deliberation.rules import MeetingKind

__all__ = [
    "DeliberationReport",
    "MeetingCount",
    "Outcome",
    "StageTime",
    "Turnout",
    "deliberation_report",
]


class Outcome(enum.Enum):
    """How a suggestion ended, or that it has not ended yet."""

    PENDING = "pending"
    """Still moving through the steps."""
    SETTLED_IN_COMPOUND = "settled_in_compound"
    """Adopted by the representatives in the compound, without the assembly."""
    ADOPTED_BY_ASSEMBLY = "adopted_by_assembly"
    """Adopted by the residents' meeting."""
    NOT_ADOPTED = "not_adopted"
    """Voted down by the residents' meeting."""
    DECLINED = "declined"
    """Declined by the representatives."""
    MERGED = "merged"
    """Merged into another suggestion."""
    REJECTED = "rejected"
    """Rejected by the party organisation."""


_ADOPTED = frozenset({Stage.ADOPTED, Stage.IN_PROGRESS, Stage.DONE})
_ENDED = {
    Stage.NOT_ADOPTED: Outcome.NOT_ADOPTED,
    Stage.DECLINED: Outcome.DECLINED,
    Stage.MERGED: Outcome.MERGED,
    Stage.REJECTED: Outcome.REJECTED,
}


@attrs.frozen(kw_only=True)
class StageTime:
    """Time spent in one stage, summed over the suggestions that were in it.

    Args:
        stage: The stage.
        visits: How many times a suggestion entered it.
        seconds: Whole seconds spent in it, up to the end of the period for those still there.
    """

    stage: Stage
    visits: int
    seconds: int

    @property
    def mean_seconds(self) -> Fraction | None:
        """The exact mean per visit, or ``None`` without visits."""
        return Fraction(self.seconds, self.visits) if self.visits else None


@attrs.frozen(kw_only=True)
class Turnout:
    """The attendance of one residents' meeting vote.

    Args:
        held_on: The day.
        present: Those present.
        eligible: The base.
        quorate: Whether it had its quorum.
    """

    held_on: pendulum.Date
    present: int
    eligible: int
    quorate: bool

    @property
    def share(self) -> Fraction:
        """Those present as an exact share of the base."""
        return Fraction(self.present, self.eligible) if self.eligible else Fraction(0)


@attrs.frozen(kw_only=True)
class MeetingCount:
    """Occurrences of one series in the period: held against scheduled.

    Args:
        series_id: The series.
        name: Its name.
        held: Occurrences with a record.
        scheduled: Occurrences standing in the period (cancelled ones left out).
    """

    series_id: str
    name: str
    held: int
    scheduled: int


@attrs.frozen(kw_only=True)
class DeliberationReport:
    """A community's deliberation in a period, as things stood at its end.

    Args:
        community_id: The community.
        first_day: The first local day of the period.
        last_day: The last local day.
        recorded: Suggestions recorded in the period.
        by_stage: Of those, how many stand at each stage, in the order of
            [`Stage`][grassroots.deliberation.pipeline.Stage] (zeros left out).
        by_outcome: How many have each outcome, in the order of
            [`Outcome`][grassroots.deliberation.report.Outcome] (zeros left out).
        time_in_stage: Time spent in each stage visited.
        settled_in_compound_share: Of those adopted, the share adopted in the
            compound without the assembly; ``None`` if none was adopted.
        turnout: Each residents' meeting vote held in the period.
        meetings: Each series' occurrences held against scheduled.
        mailbox: The mailbox's messages received in the period, at its end.
    """

    community_id: str
    first_day: pendulum.Date
    last_day: pendulum.Date
    recorded: int
    by_stage: tuple[tuple[Stage, int], ...]
    by_outcome: tuple[tuple[Outcome, int], ...]
    time_in_stage: tuple[StageTime, ...]
    settled_in_compound_share: Fraction | None
    turnout: tuple[Turnout, ...]
    meetings: tuple[MeetingCount, ...]
    mailbox: MailboxReport | None

    def stage(self, stage: Stage) -> int:
        """Return how many of the period's suggestions stand at ``stage``."""
        return dict(self.by_stage).get(stage, 0)

    def outcome(self, outcome: Outcome) -> int:
        """Return how many of the period's suggestions have ``outcome``."""
        return dict(self.by_outcome).get(outcome, 0)


def _outcome(route: Route, stage: Stage) -> Outcome:
    if stage in _ADOPTED:
        return (
            Outcome.SETTLED_IN_COMPOUND if route is Route.COMPOUND else Outcome.ADOPTED_BY_ASSEMBLY
        )
    return _ENDED.get(stage, Outcome.PENDING)


def deliberation_report(
    pipeline: SuggestionPipeline,
    period: pendulum.Interval[Any],
    *,
    series: Iterable[MeetingSeries] = (),
    records: Iterable[MeetingRecord] = (),
    mailbox: Mailbox | None = None,
    assembly_votes: Iterable[MeetingVote] = (),
) -> DeliberationReport:
    """Return the report of ``pipeline``'s community for ``period``.

    Args:
        pipeline: The community's suggestion pipeline.
        period: The local days covered, both ends included.
        series: The community's meeting series.
        records: The records of held meetings.
        mailbox: The community's wish mailbox, if any.
        assembly_votes: Residents' meeting votes besides those in the pipeline
            (a meeting that failed its quorum never reaches it).

    Examples:
        See the Longju year in the tutorial.
    """
    first, last = _period(period)
    end = pendulum.datetime(last.year, last.month, last.day, tz=SHANGHAI).add(days=1)
    histories: dict[str, list[Move]] = {}
    for move in pipeline.moves:
        if move.at < end:
            histories.setdefault(move.suggestion_id, []).append(move)
    in_period = {
        sid: moves for sid, moves in histories.items() if first <= local_date(moves[0].at) <= last
    }
    stages: dict[Stage, int] = {}
    outcomes: dict[Outcome, int] = {}
    visits: dict[Stage, int] = {}
    seconds: dict[Stage, int] = {}
    adopted = compound = 0
    for sid, moves in in_period.items():
        route = pipeline.get(sid).route
        stage = moves[-1].after
        stages[stage] = stages.get(stage, 0) + 1
        outcome = _outcome(route, stage)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if stage in _ADOPTED:
            adopted += 1
            compound += route is Route.COMPOUND
        changes = [m for m in moves if m.before is not m.after]
        for this, following in zip(changes, [*changes[1:], None], strict=True):
            until = following.at if following is not None else end
            visits[this.after] = visits.get(this.after, 0) + 1
            spent = int((until - this.at).total_seconds())
            seconds[this.after] = seconds.get(this.after, 0) + spent
    votes = {
        m.vote
        for moves in histories.values()
        for m in moves
        if m.action is Action.ASSEMBLY_VOTE and m.vote is not None
    }
    votes.update(v for v in to_tuple(assembly_votes) if v.kind is MeetingKind.RESIDENTS_MEETING)
    turnout = sorted(
        (
            Turnout(held_on=v.held_on, present=v.present, eligible=v.eligible, quorate=v.quorate)
            for v in votes
            if first <= v.held_on <= last
        ),
        key=lambda t: (t.held_on, t.present, t.eligible),
    )
    held_records = to_tuple(records)
    meetings = []
    for one in to_tuple(series):
        held, scheduled = held_and_scheduled(one, held_records, period)
        meetings.append(
            MeetingCount(series_id=one.id, name=one.name, held=held, scheduled=scheduled)
        )
    since = pendulum.datetime(first.year, first.month, first.day, tz=SHANGHAI)
    return DeliberationReport(
        community_id=pipeline.community.id,
        first_day=first,
        last_day=last,
        recorded=len(in_period),
        by_stage=tuple((s, stages[s]) for s in Stage if s in stages),
        by_outcome=tuple((o, outcomes[o]) for o in Outcome if o in outcomes),
        time_in_stage=tuple(
            StageTime(stage=s, visits=visits[s], seconds=seconds[s]) for s in Stage if s in visits
        ),
        settled_in_compound_share=Fraction(compound, adopted) if adopted else None,
        turnout=tuple(turnout),
        meetings=tuple(meetings),
        mailbox=None
        if mailbox is None
        else mailbox.report(as_of=end.subtract(microseconds=1), since=since),
    )
