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

from grassroots import _tabular
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

    def row(self) -> dict[str, object]:
        """Return the stage's time as a plain dict (``mean_seconds`` an exact ``Fraction``)."""
        return {
            "stage": self.stage.value,
            "zh": self.stage.zh,
            "visits": self.visits,
            "seconds": self.seconds,
            "mean_seconds": self.mean_seconds,
        }

    def to_dataframe(self) -> Any:
        """Return the stage's time as a one-row ``pandas.DataFrame`` (the ``notebook`` extra).

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        return _tabular.dataframe([self.row()], _STAGE_TIME_COLUMNS)

    def _repr_html_(self) -> str:
        table = _tabular.Table(
            caption=f"环节用时 time in stage {self.stage.value}",
            columns=_STAGE_TIME_COLUMNS,
            rows=(self.row(),),
        )
        return _tabular.html_tables([table], name="stage-time")


_STAGE_TIME_COLUMNS = (
    _tabular.Column("stage", "环节"),
    _tabular.Column("zh", "名称"),
    _tabular.Column("visits", "进入次数", "int"),
    _tabular.Column("seconds", "用时（秒）", "int"),
    _tabular.Column("mean_seconds", "平均用时（秒）", "fraction"),
)


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

    def rows(self) -> list[dict[str, object]]:
        """Return the pipeline's stages as plain dicts, in the order of `Stage`.

        One row per stage that suggestions stand at or passed through in the
        period: ``standing`` (how many stand there at the end), ``visits`` and
        ``seconds`` (time spent in it), ``mean_seconds`` (exact ``Fraction``).
        """
        standing = dict(self.by_stage)
        times = {t.stage: t for t in self.time_in_stage}
        rows: list[dict[str, object]] = []
        for stage in Stage:
            if stage not in standing and stage not in times:
                continue
            time = times.get(stage)
            rows.append(
                {
                    "stage": stage.value,
                    "zh": stage.zh,
                    "standing": standing.get(stage, 0),
                    "visits": 0 if time is None else time.visits,
                    "seconds": 0 if time is None else time.seconds,
                    "mean_seconds": None if time is None else time.mean_seconds,
                }
            )
        return rows

    def to_dataframe(self) -> Any:
        """Return `rows()`, the pipeline's stages, as a ``pandas.DataFrame`` (``notebook`` extra).

        Counts and seconds are ``Int64`` columns; the community, the period,
        the suggestions recorded, the outcomes (value to count) and the share
        settled in the compound are in ``DataFrame.attrs``.

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        frame = _tabular.dataframe(self.rows(), _STAGE_COLUMNS)
        frame.attrs.update(
            community_id=self.community_id,
            first_day=self.first_day,
            last_day=self.last_day,
            recorded=self.recorded,
            outcomes={o.value: n for o, n in self.by_outcome},
            settled_in_compound_share=self.settled_in_compound_share,
        )
        return frame

    def _repr_html_(self) -> str:
        share = self.settled_in_compound_share
        tables = [
            _tabular.Table(
                caption=(
                    f"社区 {self.community_id} 议事 deliberation {self.first_day.isoformat()}"
                    f" – {self.last_day.isoformat()}: 建议 suggestions {self.recorded:,}"
                ),
                columns=_STAGE_COLUMNS,
                rows=tuple(self.rows()),
                notes=(
                    "小事不出小区 settled in the compound: "
                    + ("—" if share is None else _tabular.cell(share)),
                ),
            ),
            _tabular.Table(
                caption="结果 outcomes",
                columns=(
                    _tabular.Column("outcome", "结果"),
                    _tabular.Column("count", "数量", "int"),
                ),
                rows=tuple({"outcome": o.value, "count": n} for o, n in self.by_outcome),
            ),
        ]
        if self.meetings:
            tables.append(
                _tabular.Table(
                    caption="议事会议 meetings held against scheduled",
                    columns=(
                        _tabular.Column("series_id", "系列"),
                        _tabular.Column("name", "名称"),
                        _tabular.Column("held", "召开", "int"),
                        _tabular.Column("scheduled", "计划", "int"),
                    ),
                    rows=tuple(attrs.asdict(m) for m in self.meetings),
                )
            )
        if self.turnout:
            tables.append(
                _tabular.Table(
                    caption="居民会议出席 residents' meeting turnout",
                    columns=(
                        _tabular.Column("held_on", "日期", "time"),
                        _tabular.Column("present", "出席", "int"),
                        _tabular.Column("eligible", "应到", "int"),
                        _tabular.Column("quorate", "达到法定人数", "flag"),
                    ),
                    rows=tuple(
                        {
                            "held_on": t.held_on,
                            "present": t.present,
                            "eligible": t.eligible,
                            "quorate": t.quorate,
                        }
                        for t in self.turnout
                    ),
                )
            )
        if self.mailbox is not None:
            box = self.mailbox
            tables.append(
                _tabular.Table(
                    caption="微愿留言 wish mailbox",
                    columns=(
                        _tabular.Column("received", "收到", "int"),
                        _tabular.Column("answered", "已答复", "int"),
                        _tabular.Column("answered_on_time", "按时答复", "int"),
                        _tabular.Column("overdue", "逾期未答复", "int"),
                    ),
                    rows=(
                        {
                            "received": box.received,
                            "answered": box.answered,
                            "answered_on_time": box.answered_on_time,
                            "overdue": len(box.overdue),
                        },
                    ),
                )
            )
        return _tabular.html_tables(tables, name="deliberation")


_STAGE_COLUMNS = (
    _tabular.Column("stage", "环节"),
    _tabular.Column("zh", "名称"),
    _tabular.Column("standing", "停留建议", "int"),
    _tabular.Column("visits", "进入次数", "int"),
    _tabular.Column("seconds", "用时（秒）", "int"),
    _tabular.Column("mean_seconds", "平均用时（秒）", "fraction"),
)


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
