"""Simulate a scenario's year through the library's public API, drawn from one seed."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import attrs
import pendulum

from grassroots import _validators as v
from grassroots.allocation import PeriodFigures, ProfitAllocation, ProjectResult
from grassroots.deliberation import (
    ANSWER_DEADLINE_DAYS,
    Actor,
    Channel,
    DeliberationReport,
    Mailbox,
    MailboxReport,
    MeetingBase,
    MeetingKind,
    MeetingRecord,
    MeetingSeries,
    MeetingVote,
    Message,
    MessageChannel,
    Place,
    ReviewDecision,
    Role,
    Roster,
    Routing,
    Stage,
    Suggestion,
    SuggestionDetails,
    SuggestionPipeline,
    Triage,
    deliberation_report,
)
from grassroots.errors import GrassrootsError, InvalidValue
from grassroots.ledger import PointsLedger
from grassroots.money import from_fen, to_fen
from grassroots.programme import (
    EarnerGroup,
    LoopReport,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    Reward,
    Settlement,
    VolunteerActivity,
    wallet_id,
)
from grassroots.resident import Resident
from grassroots.scenarios import Scenario
from grassroots.subcommunity import Community

__all__ = ["SIMULATION_RULE", "Refusal", "Year", "simulate"]

SIMULATION_RULE: Final = (
    "a simulated year needs the scenario's [year] model, 1 to 120 months and a seed of 0 or more"
    " (docs: reference, scenarios)"
)
"""The rule cited when a simulation is refused before it starts."""

ZONE: Final = "Asia/Shanghai"
ADMIN: Final = "county-admin"
MAX_MONTHS: Final = 120

Progress = Callable[[int, int], None]
"""Called after each month with (months done, months in all)."""

_GROUPS: Final = (
    EarnerGroup.RESIDENT,
    EarnerGroup.RESIDENT,
    EarnerGroup.PARTY_MEMBER,
    EarnerGroup.ORGANISATION_STAFF,
    EarnerGroup.NEW_EMPLOYMENT,
)
_CHANNELS: Final = tuple(MessageChannel)
_EVERYONE: Final = frozenset(EarnerGroup)
_HOUR: Final = 3600
_DAY: Final = 24 * _HOUR

# A month's commands wait in one queue, ordered by (second, kind, draw): the kind
# both breaks ties between commands in the same second and names the command.
_PUBLISH, _CONFIRM, _REDEEM, _EXCHANGE, _MESSAGE, _SUGGESTION, _MEETING = range(7)

_Queue = list[tuple[Any, ...]]
"""A month's queue: (second, kind, draw, the command's arguments...).

Its entries hold only strings, numbers and the few value objects a command
needs, no closures: a large county's month queues hundreds of thousands of
commands, and entries the cyclic garbage collector can leave untracked keep
its full collections as cheap per command at 16× as at 1×.
"""


@attrs.frozen(kw_only=True)
class Refusal:
    """A command of the year that a rule refused; it changed nothing.

    Args:
        kind: What was tried: ``"redeem"``, ``"exchange"``, ``"confirm"`` or a pipeline step.
        subject: The id of what was tried (a receipt, a conversion, an activity).
        at: When.
        code: The refusing error's code, such as ``"points.fund_insufficient"``.
        rule: The rule it cited.
    """

    kind: str = attrs.field(validator=v.identifier)
    subject: str = attrs.field(validator=v.identifier)
    at: pendulum.DateTime
    code: str = attrs.field(validator=v.text)
    rule: str = attrs.field(validator=v.text)


@attrs.define(kw_only=True, eq=False)
class Year:
    """What a simulated year produced: the library's own objects, as they stand at its end.

    Build one with [`simulate`][grassroots.simulation.simulate], or read one back
    with [`load`][grassroots.simulation.load].

    Args:
        scenario: The scenario simulated.
        start: The first instant of the year (Asia/Shanghai).
        end: The instant after its last (exclusive).
        months: How many months were simulated.
        seed: The seed the draws came from.
        programme: The points programme; its ``ledger`` holds every point.
        allocations: The joint venture's profit allocation, one period per month
            (empty without a venture or profits).
        settlements: The month-end settlements of the shops' discounts.
        pipeline: The four-step suggestion pipeline, if the scenario has one.
        meetings: The consultation meeting series of the scenario.
        meeting_records: The records of the meetings held.
        mailbox: The wish mailbox (微愿留言).
        refusals: Every command a rule refused (nothing of it was applied).
        events: How many commands the year issued, set-up (schemes, rates,
            registrations, funds, shops) and refused ones included.
    """

    scenario: Scenario
    start: pendulum.DateTime
    end: pendulum.DateTime
    months: int
    seed: int
    programme: PointsProgramme
    allocations: tuple[ProfitAllocation, ...]
    settlements: tuple[Settlement, ...]
    pipeline: SuggestionPipeline | None
    meetings: tuple[MeetingSeries, ...]
    meeting_records: tuple[MeetingRecord, ...]
    mailbox: Mailbox
    refusals: tuple[Refusal, ...]
    events: int

    @property
    def period(self) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """The year's first instant and the instant after its last, in Asia/Shanghai."""
        return (self.start, self.end)

    @property
    def ledger(self) -> PointsLedger:
        """The points ledger of the programme."""
        return self.programme.ledger

    @property
    def suggestions(self) -> tuple[Suggestion, ...]:
        """The pipeline's suggestions as they stand (none without a pipeline)."""
        return () if self.pipeline is None else tuple(self.pipeline)

    @property
    def last_moment(self) -> pendulum.DateTime:
        """The last second of the year, for reports "as of" its end."""
        return self.end.subtract(seconds=1)

    def loops(self) -> tuple[LoopReport, ...]:
        """The loop (profit → public revenue → discounts → volunteering) of each fund's compound."""
        compounds = sorted({fund.subcommunity for fund in self.programme.funds})
        return tuple(self.programme.loop(code) for code in compounds)

    def mailbox_report(self) -> MailboxReport:
        """What the mailbox answered, on time or late, by the end of the year."""
        return self.mailbox.report(as_of=self.last_moment, since=self.start)

    def deliberation(self) -> DeliberationReport | None:
        """The pipeline community's report for the year (``None`` without a pipeline)."""
        if self.pipeline is None:
            return None
        days = pendulum.Interval(self.start.date(), self.last_moment.date())
        return deliberation_report(
            self.pipeline,
            days,
            series=self.meetings,
            records=self.meeting_records,
            mailbox=self.mailbox,
        )

    def report_inputs(self) -> dict[str, object]:
        """Return the keyword arguments of the year's report, by key.

        ``YearReport.build(**year.report_inputs())`` is the report of the year
        ([`YearReport.build`][grassroots.reports.YearReport.build]); the keys are
        exactly [`REPORT_INPUTS`][grassroots.reports.REPORT_INPUTS].

        Keys:
            ``"scenario"``: the [`Scenario`][grassroots.scenarios.Scenario].
            ``"programme"``: the [`PointsProgramme`][grassroots.programme.PointsProgramme]
                (its ledger holds every point).
            ``"allocations"``: tuple of
                [`ProfitAllocation`][grassroots.allocation.ProfitAllocation], one period a month.
            ``"settlements"``: tuple of [`Settlement`][grassroots.programme.Settlement].
            ``"pipeline"``: the [`SuggestionPipeline`][grassroots.deliberation.SuggestionPipeline]
                or ``None``.
            ``"meetings"``: the [`MeetingSeries`][grassroots.deliberation.MeetingSeries]
                followed by the [`MeetingRecord`][grassroots.deliberation.MeetingRecord] values.
            ``"mailbox"``: the [`Mailbox`][grassroots.deliberation.Mailbox].
            ``"start"``, ``"end"``: the year's first and last local day
                (``pendulum.Date``, Asia/Shanghai, both included).
        """
        return {
            "scenario": self.scenario,
            "programme": self.programme,
            "allocations": self.allocations,
            "settlements": self.settlements,
            "pipeline": self.pipeline,
            "meetings": (*self.meetings, *self.meeting_records),
            "mailbox": self.mailbox,
            "start": self.start.date(),
            "end": self.last_moment.date(),
        }


def _draw(rng: random.Random, mean: int) -> int:
    """A count with the given mean: even between 0 and twice it."""
    return rng.randint(0, 2 * mean) if mean else 0


def _check(scenario: object, months: object, seed: object) -> None:
    if not isinstance(scenario, Scenario):
        raise TypeError(f"simulate takes a Scenario, not {type(scenario).__name__}")
    months = v.check_count(months, "months")
    if scenario.year is None:
        raise InvalidValue(
            "the scenario has no [year] model to simulate",
            value=None,
            limit="a [year] table",
            rule=SIMULATION_RULE,
        )
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidValue(
            f"{months} months is outside 1..{MAX_MONTHS}",
            value=months,
            limit=(1, MAX_MONTHS),
            rule=SIMULATION_RULE,
        )
    if seed is not None:
        v.check_count(seed, "seed")


class _Run:
    """One year's run: the domain objects, the random draws, and the event queue."""

    def __init__(self, scenario: Scenario, months: int, seed: int) -> None:
        model = scenario.year
        assert model is not None
        self.scenario = scenario
        self.model = model
        self.months = months
        self.rng = random.Random(seed)  # noqa: S311 - a simulation's draws, not a secret
        first = model.start
        self.start = pendulum.datetime(first.year, first.month, first.day, tz=ZONE)
        self.end = self.start.add(months=months)
        self.events = 0
        self.refusals: list[Refusal] = []
        self.programme = PointsProgramme(
            administrators=[ADMIN],
            exchange_schemes=[s.code for s in scenario.schemes],
        )
        self.residents: dict[str, tuple[str, ...]] = {}
        self.branch_of: dict[str, str] = {}
        self.allocation: ProfitAllocation | None = None
        self.settlements: list[Settlement] = []
        self.mailbox = Mailbox()
        self.records: list[MeetingRecord] = []
        self.pipeline: SuggestionPipeline | None = None
        self.community: Community | None = None
        self.places: list[tuple[Place, Actor]] = []
        self.workers: dict[Place, Actor] = {}
        self.next_id = 0
        # The first instant of the month being run: its queued commands hold seconds from
        # it rather than times, which would keep every queue entry tracked by the collector.
        self.first = self.start
        self.rewards: tuple[Reward, ...] = ()

    # --- set-up --------------------------------------------------------------------------

    def set_up(self) -> None:
        programme = self.programme
        scenario = self.scenario
        for scheme in scenario.schemes:
            programme.add_scheme(scheme)
        for rate in scenario.exchange_rates:
            programme.window.set_rate(rate)
        self.events += len(scenario.schemes) + len(scenario.exchange_rates)
        for branch in scenario.branches:
            for covered in sorted(branch.coverage):
                self.branch_of.setdefault(covered, branch.id)
        # One frozenset per group, shared by every participant in it.
        groups = {group: frozenset([group]) for group in _GROUPS}
        for compound in scenario.county.subcommunities:
            people = []
            for number in range(self.model.residents_per_compound):
                rid = f"{compound.id}-r{number}"
                group = _GROUPS[self.rng.randrange(len(_GROUPS))]
                programme.register(Participant(id=rid, groups=groups[group]))
                people.append(rid)
            self.events += len(people)
            self.residents[compound.id] = tuple(people)
        funded = sorted({shop.subcommunity for shop in scenario.shops})
        if scenario.venture is not None:
            funded = sorted(set(funded) | {p.subcommunity for p in scenario.venture.projects})
        for compound_id in funded:
            fund = PublicRevenueFund(
                id=f"fund-{compound_id}", subcommunity=compound_id, name="小区公共收益"
            )
            programme.add_fund(fund)
            if self.model.fund_opening:
                fund.deposit(self.model.fund_opening, at=self.start, reference="opening")
                self.events += 1
        for shop in scenario.shops:
            programme.add_merchant(shop)
        self.events += len(funded) + len(scenario.shops)
        if scenario.venture is not None and self.model.profits:
            self.allocation = ProfitAllocation(venture=scenario.venture, figures=[])
        self._set_up_pipeline()

    def _set_up_pipeline(self) -> None:
        setup = self.scenario.pipeline
        if setup is None:
            return
        community = next(c for c in self.scenario.county.communities if c.id == setup.community)
        representatives = [
            Resident(
                id=f"{community.id}-rep{n}",
                household_id=f"{community.id}-h{n}",
                born_on=pendulum.Date(1960 + n % 30, 1 + n % 12, 1),
            )
            for n in range(setup.representatives)
        ]
        roster = Roster.of(
            representatives=representatives,
            party_organisation=f"{community.id}-party",
            recorders=[f"{community.id}-recorder"],
            committee=[f"{community.id}-committee"],
        )
        self.pipeline = SuggestionPipeline(
            community=community,
            roster=roster,
            routing=Routing(compound=setup.compound_categories),
        )
        self.community = community
        self.rep = Actor.representative(representatives[0])
        self.party = Actor(id=roster.party_organisation, role=Role.PARTY_ORGANISATION)
        self.recorder = Actor(id=f"{community.id}-recorder", role=Role.ASSEMBLY_RECORDER)
        self.committee = Actor(id=f"{community.id}-committee", role=Role.COMMITTEE)
        for compound in community.subcommunities:
            for building in compound.buildings:
                for unit in building.units:
                    grid = community.grid_of(unit.id)
                    place = Place(
                        subcommunity_id=compound.id, building_id=building.id, unit_id=unit.id
                    )
                    worker = Actor.from_grid_worker(grid.worker)
                    self.places.append((place, worker))
                    self.workers.setdefault(place, worker)

    # --- one month -----------------------------------------------------------------------

    def month(self, index: int) -> None:
        first = self.start.add(months=index)
        last = self.start.add(months=index + 1)
        span = int((last - first).total_seconds())
        self.first = first
        queue: _Queue = []

        def at(second: int, kind: int, *arguments: Any) -> None:
            queue.append((second, kind, len(queue), *arguments))

        self._draw_activities(first, span, at)
        self._draw_redemptions(span, at)
        self._draw_deliberation(first, last, span, at)
        queue.sort()  # the draw number is unique, so arguments are never compared
        commands: tuple[Callable[..., None], ...] = (
            self._publish,
            self._confirm,
            self._redeem,
            self._exchange,
            self._message,
            self._suggestion,
            self._meeting,
        )
        for item in queue:
            commands[item[1]](first + _dt.timedelta(seconds=item[0]), *item[3:])
        self._close_month(index, first, last)

    def _id(self, prefix: str) -> str:
        self.next_id += 1
        return f"{prefix}{self.next_id}"

    def _draw_activities(self, first: pendulum.DateTime, span: int, at: Any) -> None:
        model = self.model
        rewards = tuple(Reward(scheme=s, points=p) for s, p in model.rewards if p)
        latest = span - 2 * _DAY
        self.rewards = rewards
        for compound_id, people in self.residents.items():
            organiser = self.branch_of.get(compound_id)
            if organiser is None or not people:
                continue
            for _ in range(_draw(self.rng, model.activities_per_compound_month)):
                begin = self.rng.randrange(_DAY, latest) // _HOUR * _HOUR
                key = self._id("act-")
                claimants = self.rng.sample(people, min(len(people), model.claims_per_activity))
                came = tuple(p for p in claimants if self.rng.random() < model.attendance)
                published = begin - _HOUR
                at(published, _PUBLISH, key, compound_id, begin, tuple(claimants))
                at(begin + 3 * _HOUR, _CONFIRM, key, organiser, came)

    def _publish(
        self,
        when: pendulum.DateTime,
        key: str,
        compound_id: str,
        begin: int,
        claimants: tuple[str, ...],
    ) -> None:
        """Publish an activity an hour before it begins, and take its claims."""
        first = self.first
        organiser = self.branch_of[compound_id]
        activity = VolunteerActivity(
            id=key,
            title="志愿服务",
            organiser=organiser,
            place="小区",
            subcommunity=compound_id,
            start=first + _dt.timedelta(seconds=begin),
            end=first + _dt.timedelta(seconds=begin + 2 * _HOUR),
            rewards=self.rewards,
            capacity=self.model.claims_per_activity,
            eligible=_EVERYONE,
        )
        self.programme.publish(activity, by=organiser)
        for resident in claimants:
            self.programme.claim(key, resident, by=resident, at=when)
        self.events += 1 + len(claimants)

    def _confirm(
        self, when: pendulum.DateTime, key: str, organiser: str, came: tuple[str, ...]
    ) -> None:
        self.events += 1
        if not came:
            return
        try:
            self.programme.confirm(key, came, by=organiser, at=when)
        except GrassrootsError as exc:
            self._refused("confirm", key, when, exc)

    def _draw_redemptions(self, span: int, at: Any) -> None:
        model = self.model
        shops = self.programme.merchants
        if not shops:
            return
        joined = self.programme.window.schemes
        pairs = sorted(
            {(r.source, r.target) for r in self.scenario.exchange_rates}
            if len(joined) > 1
            else set()
        )
        accepted = [sorted(shop.rule.schemes) for shop in shops]
        low, high = to_fen(model.bill_low), to_fen(model.bill_high)
        for people in self.residents.values():
            if not people:
                continue
            for _ in range(_draw(self.rng, model.redemptions_per_compound_month)):
                which = self.rng.randrange(len(shops))
                shop, schemes = shops[which], accepted[which]
                scheme = schemes[self.rng.randrange(len(schemes))]
                bill = from_fen(self.rng.randint(low, high)) + shop.rule.minimum_bill
                resident = people[self.rng.randrange(len(people))]
                second = self.rng.randrange(span)
                at(second, _REDEEM, resident, shop.id, scheme, bill)
            if not pairs:
                continue
            for _ in range(_draw(self.rng, model.exchanges_per_compound_month)):
                source, target = pairs[self.rng.randrange(len(pairs))]
                resident = people[self.rng.randrange(len(people))]
                at(self.rng.randrange(span), _EXCHANGE, resident, source, target)

    def _redeem(
        self, when: pendulum.DateTime, resident: str, shop: str, scheme: str, bill: Decimal
    ) -> None:
        held = self.programme.ledger.spendable(wallet_id(scheme, resident), at=when)
        offered = min(held, self.model.points_per_redemption)
        if not offered:
            return
        key = self._id("rcpt-")
        self.events += 1
        try:
            self.programme.redeem(
                id=key,
                resident=resident,
                merchant=shop,
                scheme=scheme,
                bill=bill,
                points=offered,
                at=when,
            )
        except GrassrootsError as exc:
            self._refused("redeem", key, when, exc)

    def _exchange(self, when: pendulum.DateTime, resident: str, source: str, target: str) -> None:
        held = self.programme.ledger.spendable(wallet_id(source, resident), at=when)
        if held < 3:  # nobody queues at the window for a point or two
            return
        key = self._id("xchg-")
        self.events += 1
        try:
            self.programme.exchange(
                id=key, resident=resident, source=source, target=target, points=held, at=when
            )
        except GrassrootsError as exc:
            self._refused("exchange", key, when, exc)

    def _refused(
        self, kind: str, subject: str, when: pendulum.DateTime, exc: GrassrootsError
    ) -> None:
        self.refusals.append(
            Refusal(kind=kind, subject=subject, at=when, code=exc.code, rule=exc.rule or "")
        )

    # --- deliberation and the mailbox ----------------------------------------------------

    def _draw_deliberation(
        self, first: pendulum.DateTime, last: pendulum.DateTime, span: int, at: Any
    ) -> None:
        model = self.model
        compounds = list(self.residents)
        for _ in range(_draw(self.rng, model.messages_per_month)):
            second = self.rng.randrange(span)
            compound = compounds[self.rng.randrange(len(compounds))] if compounds else None
            message = Message(
                id=self._id("msg-"),
                received_at=first + _dt.timedelta(seconds=second),
                channel=_CHANNELS[self.rng.randrange(len(_CHANNELS))],
                text="微愿留言",
                subcommunity_id=compound,
            )
            answer_after = self.rng.randint(1, ANSWER_DEADLINE_DAYS + 3) * _DAY
            suggestion = self.pipeline is not None and self.rng.random() < 0.3
            at(second, _MESSAGE, message, answer_after, suggestion)
        if self.pipeline is None:
            return
        for _ in range(_draw(self.rng, model.suggestions_per_month)):
            second = self.rng.randrange(span)
            at(second, _SUGGESTION, None)
        days = pendulum.Interval(first.date(), last.subtract(days=1).date())
        for series in self.scenario.meetings:
            if series[0] != self.pipeline.community.id:
                continue
            for occurrence in series[1].occurrences(days):
                second = int((occurrence.end - first).total_seconds())
                if 0 <= second < span:
                    at(second, _MEETING, occurrence)

    def _message(
        self, when: pendulum.DateTime, message: Message, answer_after: int, suggestion: bool
    ) -> None:
        self.mailbox.receive(message)
        self.events += 1
        reply = when + _dt.timedelta(seconds=answer_after)
        if reply >= self.end:
            return
        if suggestion:
            sid = self._record_suggestion(when, Channel.MAILBOX, message.id)
            self.mailbox.triage(message.id, Triage.SUGGESTION, at=when, reference=sid)
        else:
            outcome = Triage.SERVICE_REQUEST if self.rng.random() < 0.5 else Triage.REPLY
            self.mailbox.triage(message.id, outcome, at=when)
        self.mailbox.answer(message.id, at=reply, text="已答复")
        self.events += 2

    def _meeting(self, when: pendulum.DateTime, occurrence: Any) -> None:
        attendees = _draw(self.rng, self.model.meeting_attendance)
        raised: tuple[SuggestionDetails, ...] = ()
        if self.rng.random() < 0.5 and self.places:
            place = self.places[self.rng.randrange(len(self.places))][0]
            raised = (self._details(place, Channel.MEETING, occurrence.id),)
        self.records.append(
            MeetingRecord(occurrence=occurrence, attendees=attendees, suggestions=raised)
        )
        self.events += 1
        for details in raised:
            self._record_details(when, details)

    def _details(self, place: Place, channel: Channel, source: str | None) -> SuggestionDetails:
        setup = self.scenario.pipeline
        assert setup is not None
        small = self.rng.random() < 0.7
        categories = setup.compound_categories if small else setup.community_categories
        return SuggestionDetails(
            text="居民建议",
            place=place,
            category=categories[self.rng.randrange(len(categories))],
            channel=channel,
            source=source,
        )

    def _suggestion(self, when: pendulum.DateTime, source: str | None) -> None:
        self._record_suggestion(when, Channel.PATROL, source)

    def _record_suggestion(
        self, when: pendulum.DateTime, channel: Channel, source: str | None
    ) -> str:
        place = self.places[self.rng.randrange(len(self.places))][0]
        return self._record_details(when, self._details(place, channel, source))

    def _record_details(self, when: pendulum.DateTime, details: SuggestionDetails) -> str:
        pipeline = self.pipeline
        assert pipeline is not None
        assert self.community is not None
        worker = self.workers[details.place]
        sid = self._id("sug-")
        pipeline.record(sid, details, actor=worker, at=when)
        self.events += 1
        self._follow(sid, when)
        return sid

    def _follow(self, sid: str, when: pendulum.DateTime) -> None:  # noqa: PLR0911 - one per step
        """Take a recorded suggestion as far as the year allows, each step days after the last."""
        pipeline = self.pipeline
        setup = self.scenario.pipeline
        assert pipeline is not None
        assert setup is not None
        rng = self.rng
        step = when

        def later(days: int) -> bool:
            nonlocal step
            step = step.add(days=days)
            return step < self.end

        if not later(7):
            return
        seats = setup.representatives
        present = rng.randint(min(seats, -(-2 * seats // 3)), seats)  # a quorum of two thirds
        reps = MeetingVote(
            kind=MeetingKind.REPRESENTATIVES_MEETING,
            held_on=step.date(),
            base=MeetingBase.REPRESENTATIVES,
            eligible=setup.representatives,
            present=present,
            in_favour=present,
        )
        self.events += 1
        if rng.random() < 0.15:  # the representatives carry a motion to decline it
            pipeline.decline(sid, vote=reps, actor=self.rep, at=step, reason="代表会议未采纳")
            return
        suggestion = pipeline.shortlist(sid, vote=reps, actor=self.rep, at=step)
        if suggestion.stage is Stage.SHORTLISTED:
            if not later(14):
                return
            approve = rng.random() < 0.8
            decision = ReviewDecision.APPROVE if approve else ReviewDecision.REJECT
            reason = "" if approve else "不符合政策"
            pipeline.draft_review(sid, decision=decision, actor=self.party, at=step, reason=reason)
            pipeline.publish_review(sid, actor=self.party, at=step)
            self.events += 2
            if not approve or not later(14):
                return
            households = setup.households
            present = rng.randint(households // 2, households)
            vote = MeetingVote(
                kind=MeetingKind.RESIDENTS_MEETING,
                held_on=step.date(),
                base=MeetingBase.HOUSEHOLDS,
                eligible=households,
                present=present,
                in_favour=rng.randint(present // 3, present),
            )
            self.events += 1
            try:
                suggestion = pipeline.assembly_vote(sid, vote=vote, actor=self.recorder, at=step)
            except GrassrootsError as exc:  # no quorum: the meeting is held again later
                self._refused("assembly_vote", sid, step, exc)
                return
            if suggestion.stage is not Stage.ADOPTED:
                return
        if not later(3):
            return
        pipeline.assign(sid, to="物业公司", actor=self.committee, at=step)
        self.events += 1
        if not later(rng.randint(5, 40)):
            return
        pipeline.complete(sid, actor=self.committee, at=step, reason="已办结")
        self.events += 1

    # --- month end -----------------------------------------------------------------------

    def _close_month(self, index: int, first: pendulum.DateTime, last: pendulum.DateTime) -> None:
        if self.allocation is not None:
            label = first.format("YYYY-MM")
            figures = PeriodFigures(
                period=label,
                projects=[
                    ProjectResult(
                        project=profit.project,
                        net_profit=from_fen(
                            self.rng.randint(to_fen(profit.low), to_fen(profit.high))
                        ),
                    )
                    for profit in self.model.profits
                ],
            )
            self.allocation = self.allocation.extend([figures])
            self.programme.deposit_allocation(self.allocation.period(label), at=last)
            self.events += 1
        self.settlements.append(self.programme.settle(first, last, at=last))
        self.events += 1
        del index

    def year(self, seed: int) -> Year:
        return Year(
            scenario=self.scenario,
            start=self.start,
            end=self.end,
            months=self.months,
            seed=seed,
            programme=self.programme,
            allocations=() if self.allocation is None else (self.allocation,),
            settlements=tuple(self.settlements),
            pipeline=self.pipeline,
            meetings=tuple(series for _community, series in self.scenario.meetings),
            meeting_records=tuple(self.records),
            mailbox=self.mailbox,
            refusals=tuple(self.refusals),
            events=self.events,
        )


def simulate(
    scenario: Scenario,
    *,
    months: int = 12,
    seed: int | None = None,
    progress: Progress | None = None,
) -> Year:
    """Run a scenario's year through the library, month by month, from one seed.

    Each month, every compound's branch publishes volunteer activities that its
    residents claim, attend and are confirmed for (points credited online);
    residents redeem points as discounts at the shops (paid by the compounds'
    public revenue under each shop's funding policy) and convert them at the
    exchange window; the pipeline's community records suggestions (on patrol,
    at its meetings and from the mailbox) and takes each through the four steps
    as far as the year allows; the mailbox's messages are answered. At each
    month's end the venture's profit is allocated (10% of each project's net
    profit to its compound's public revenue, 公司法 art. 210 for the rest) and
    the shops' discounts are settled.

    Everything goes through the public API, so every rule applies: a command a
    rule refuses is kept as a [`Refusal`][grassroots.simulation.Refusal] and
    changes nothing. The same scenario, months and seed give the same year;
    nothing reads the clock.

    Args:
        scenario: A scenario with a ``[year]`` model.
        months: How many months to simulate from the model's start (1 to 120).
        seed: The seed of the draws; the model's ``seed`` if not given.
        progress: Called after each month with (months done, months in all).

    Returns:
        The [`Year`][grassroots.simulation.Year].

    Raises:
        TypeError: ``scenario`` is not a Scenario.
        InvalidValue: the scenario has no ``[year]`` model, or ``months`` or
            ``seed`` is out of range.

    Examples:
        >>> from grassroots.scenarios import builtin, parse
        >>> from grassroots.simulation import summarise
        >>> year = simulate(parse(builtin("longju")), months=1, seed=7)
        >>> year.programme.ledger.verify() == year.programme.ledger.head
        True
        >>> again = simulate(parse(builtin("longju")), months=1, seed=7)
        >>> summarise(again) == summarise(year)
        True
    """
    _check(scenario, months, seed)
    model = scenario.year
    assert model is not None
    used = model.seed if seed is None else seed
    run = _Run(scenario, months, used)
    run.set_up()
    for index in range(months):
        run.month(index)
        if progress is not None:
            progress(index + 1, months)
    return run.year(used)
