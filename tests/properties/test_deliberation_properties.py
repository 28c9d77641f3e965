"""Invariants of deliberation: quorum, rule sets, pipeline edges, recurrence, deadlines."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import strategies as gst
from grassroots.deliberation import (
    EDGES,
    RULES_2018,
    RULES_2026,
    Actor,
    Channel,
    Mailbox,
    MeetingBase,
    MeetingKind,
    MeetingSeries,
    MeetingVote,
    Message,
    MessageChannel,
    Petition,
    PetitionBase,
    Place,
    ReviewDecision,
    Role,
    Roster,
    SeriesKind,
    SuggestionDetails,
    SuggestionPipeline,
    Triage,
    rules_for,
)
from grassroots.errors import GrassrootsError, InvalidValue
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
LAST_2018 = pendulum.Date(2025, 12, 31)


def strictly_more_than_half(part: int, whole: int) -> bool:
    return 2 * part > whole


def expected_quorum(vote: MeetingVote) -> bool:
    """The quorum worked out in integers, from the articles, independently of Threshold."""
    n, e = vote.present, vote.eligible
    if vote.base is MeetingBase.REPRESENTATIVES:
        return e > 0 and 3 * n >= 2 * e  # local practice: 三分之二以上
    if vote.held_on > LAST_2018 and vote.base is MeetingBase.HOUSEHOLDS:
        return e > 0 and 3 * n >= 2 * e  # 2026 set (unverified): 三分之二以上的户
    return strictly_more_than_half(n, e)  # art. 9 ¶3: 过半数


class TestQuorumArithmetic:
    @given(gst.meeting_votes(max_eligible=400))
    def test_quorum_and_passing_match_the_articles(self, vote: MeetingVote) -> None:
        """Quorum and passing agree with the integer reading of each article, for both sets."""
        assert vote.quorate == expected_quorum(vote)
        carried = strictly_more_than_half(vote.in_favour, vote.present)
        assert vote.passed == (vote.quorate and carried)

    @given(
        st.sampled_from(["2018", "2026"]),
        st.sampled_from(list(MeetingBase)),
        st.integers(min_value=1, max_value=20_000),
    )
    def test_one_below_the_minimum_fails_and_the_minimum_meets(
        self, set_name: str, base: MeetingBase, eligible: int
    ) -> None:
        """At the exact boundary for every base and both rule sets (the day picks the set)."""
        day = LAST_2018 if set_name == "2018" else LAST_2018.add(days=1)
        two_thirds = base is MeetingBase.REPRESENTATIVES or (
            set_name == "2026" and base is MeetingBase.HOUSEHOLDS
        )
        minimum = (2 * eligible + 2) // 3 if two_thirds else eligible // 2 + 1
        kind = (
            MeetingKind.REPRESENTATIVES_MEETING
            if base is MeetingBase.REPRESENTATIVES
            else MeetingKind.RESIDENTS_MEETING
        )

        def attended(present: int) -> MeetingVote:
            return MeetingVote(
                kind=kind, held_on=day, base=base, eligible=eligible, present=present, in_favour=0
            )

        assert attended(minimum).rules.name == set_name
        assert attended(minimum).quorate
        assert not attended(minimum - 1).quorate

    @given(gst.meeting_days(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
    def test_the_day_picks_the_set(self, day: pendulum.Date) -> None:
        """2018 rules through 2025-12-31, 2026 rules from 2026-01-01."""
        assert rules_for(day) is (RULES_2018 if day <= LAST_2018 else RULES_2026)

    @given(gst.petitions(max_total=500))
    def test_petitions_match_article_10(self, petition: Petition) -> None:
        """1/5 of adults or households, 1/3 of groups, inclusive; representatives per the set."""
        s, t = petition.signed, petition.total
        new = petition.on > LAST_2018
        if petition.meeting is MeetingKind.REPRESENTATIVES_MEETING:
            expected = petition.base is PetitionBase.REPRESENTATIVES and t > 0 and 5 * s >= t
        elif petition.base in (PetitionBase.ADULT_RESIDENTS, PetitionBase.HOUSEHOLDS):
            expected = t > 0 and 5 * s >= t
        elif petition.base is PetitionBase.RESIDENTS_GROUPS:
            expected = t > 0 and 3 * s >= t
        else:
            expected = new and t > 0 and 3 * s >= t
        assert petition.obliges_meeting == expected

    @given(
        st.one_of(st.integers(min_value=-5, max_value=50), st.booleans(), st.floats(), st.text()),
        st.one_of(st.integers(min_value=-5, max_value=50), st.none()),
    )
    def test_hostile_counts_raise_only_typed_errors(
        self, present: object, eligible: object
    ) -> None:
        """Bad counts raise TypeError or one of our errors, never anything else."""

        def build() -> MeetingVote:
            return MeetingVote(
                kind=MeetingKind.RESIDENTS_MEETING,
                held_on=LAST_2018,
                base=MeetingBase.HOUSEHOLDS,
                eligible=eligible,  # type: ignore[arg-type]
                present=present,  # type: ignore[arg-type]
                in_favour=0,
            )

        def is_count(value: object) -> bool:
            return type(value) is int and value >= 0

        if is_count(present) and is_count(eligible) and present <= eligible:  # type: ignore[operator]
            assert build().present == present
        else:
            with pytest.raises((TypeError, InvalidValue)):
                build()


W = GridWorker(id="w1", name="网格员")
REP = Resident(id="rep1", household_id="h1", born_on=pendulum.Date(1970, 1, 1))
ACTORS = [
    Actor.from_grid_worker(W),
    Actor(id="w2", role=Role.GRID_WORKER),
    Actor.representative(REP),
    Actor(id="rep2", role=Role.REPRESENTATIVE),
    Actor(id="party", role=Role.PARTY_ORGANISATION),
    Actor(id="rec", role=Role.ASSEMBLY_RECORDER),
    Actor(id="jwh", role=Role.COMMITTEE),
]


def small_pipeline() -> SuggestionPipeline:
    sub = Subcommunity(
        id="longju",
        name="龙居小区",
        kind=SubcommunityKind.RESETTLEMENT,
        buildings=[Building.numbered(id="b01", name="1栋", units=2)],
    )
    grid = Grid.staffed(
        id="g1", name="网格", worker=W, since=pendulum.Date(2024, 1, 1), buildings=["b01"]
    )
    community = Community(id="sq", name="龙居社区", subcommunities=[sub], grids=[grid])
    roster = Roster.of(
        representatives=[REP], party_organisation="party", recorders=["rec"], committee=["jwh"]
    )
    return SuggestionPipeline(community=community, roster=roster)


COMMANDS = st.tuples(
    st.sampled_from(
        [
            "record",
            "shortlist",
            "merge",
            "decline",
            "draft",
            "publish_review",
            "resubmit",
            "assembly",
            "assign",
            "progress",
            "complete",
            "publish_resolution",
            "publish_result",
        ]
    ),
    st.sampled_from(["s1", "s2", "s3"]),
    st.sampled_from(ACTORS),
    st.sampled_from(["楼道清理", "加装电梯"]),
    st.booleans(),  # quorate
    st.booleans(),  # carried
    st.sampled_from(list(ReviewDecision)),
    st.sampled_from(["", "理由"]),
)


def run(pipeline: SuggestionPipeline, command: tuple[object, ...], step: int) -> None:
    name, sid, actor, category, quorate, carried, decision, reason = command
    at = pendulum.datetime(2026, 3, 1, tz=ZONE).add(hours=step)
    day = at.date()
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
    assert isinstance(sid, str)
    assert isinstance(actor, Actor)
    assert isinstance(reason, str)
    assert isinstance(category, str)
    assert isinstance(decision, ReviewDecision)
    p = pipeline
    calls = {
        "record": lambda: p.record(
            sid,
            SuggestionDetails(
                text="建议",
                place=Place(subcommunity_id="longju", building_id="b01"),
                category=category,
                channel=Channel.PATROL,
            ),
            actor=actor,
            at=at,
        ),
        "shortlist": lambda: p.shortlist(sid, vote=reps, actor=actor, at=at),
        "merge": lambda: p.merge(sid, into="s1", vote=reps, actor=actor, at=at, reason=reason),
        "decline": lambda: p.decline(sid, vote=reps, actor=actor, at=at, reason=reason),
        "draft": lambda: p.draft_review(sid, decision=decision, actor=actor, at=at, reason=reason),
        "publish_review": lambda: p.publish_review(sid, actor=actor, at=at),
        "resubmit": lambda: p.resubmit(sid, actor=actor, at=at, reason=reason),
        "assembly": lambda: p.assembly_vote(sid, vote=residents, actor=actor, at=at),
        "assign": lambda: p.assign(sid, to="物业", actor=actor, at=at),
        "progress": lambda: p.note_progress(sid, actor=actor, at=at, reason=reason),
        "complete": lambda: p.complete(sid, actor=actor, at=at, reason=reason),
        "publish_resolution": lambda: p.publish_resolution(sid, actor=actor, at=at),
        "publish_result": lambda: p.publish_result(sid, actor=actor, at=at),
    }
    assert isinstance(name, str)
    calls[name]()


class TestPipelineSequences:
    @given(st.lists(COMMANDS, max_size=40))
    def test_no_sequence_takes_an_illegal_edge_and_refusals_change_nothing(
        self, commands: list[tuple[object, ...]]
    ) -> None:
        """Every recorded move is an edge of the table; a refused call changes nothing."""
        p = small_pipeline()
        for step, command in enumerate(commands):
            before = (p.suggestions(), p.moves)
            try:
                run(p, command, step)
            except GrassrootsError:
                assert (p.suggestions(), p.moves) == before
                continue
            move = p.moves[-1]
            route = p.get(move.suggestion_id).route
            assert move.after in EDGES[(route, move.before, move.action)]
            assert move.sequence == len(p.moves) - 1
        again = SuggestionPipeline.replay(p.moves, community=p.community, roster=p.roster)
        assert (again.suggestions(), again.moves) == (p.suggestions(), p.moves)


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class TestRecurrence:
    @given(
        gst.meeting_days(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
        gst.meeting_days(min_value=dt.date(2023, 6, 1), max_value=dt.date(2028, 6, 30)),
        st.integers(min_value=0, max_value=400),
        st.integers(min_value=0, max_value=23),
    )
    def test_weekly_occurrences_are_exactly_the_weekdays(
        self, first: pendulum.Date, start: pendulum.Date, length: int, hour: int
    ) -> None:
        """Occurrences in a period are that weekday's days from the first start, at its hour."""
        series = MeetingSeries(
            id="tea",
            name="书记下午茶",
            kind=SeriesKind.AFTERNOON_TEA,
            first_start=pendulum.datetime(first.year, first.month, first.day, hour, tz=ZONE),
            duration_minutes=90,
            rule=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[first.weekday()]}",
        )
        end = start.add(days=length)
        found = series.occurrences(pendulum.interval(start, end))
        expected = [
            start.add(days=i)
            for i in range(length + 1)
            if start.add(days=i).weekday() == first.weekday() and start.add(days=i) >= first
        ]
        assert [o.start.date() for o in found] == expected
        assert all(
            o.start.hour == hour and o.start.utcoffset() == dt.timedelta(hours=8) for o in found
        )

    @given(
        gst.meeting_series(),
        st.integers(min_value=0, max_value=400),
        st.integers(min_value=0, max_value=400),
    )
    def test_changes_touch_one_occurrence(
        self, series: MeetingSeries, offset: int, length: int
    ) -> None:
        """Cancelling one occurrence removes exactly it and keeps the rest."""
        start = series.first_start.date().add(days=offset)
        period = pendulum.interval(start, start.add(days=length))
        found = series.occurrences(period)
        if not found:  # a period between two occurrences; a daily series has none
            assert not series.rule.startswith("FREQ=DAILY")
            return
        victim = found[len(found) // 2]
        after = series.cancel(victim.original_start).occurrences(period)
        assert [o.id for o in after] == [o.id for o in found if o.id != victim.id]

    @given(
        gst.meeting_series(),
        st.text(
            alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")),
            min_size=1,
            max_size=80,
        ).filter(str.strip),
    )
    def test_ics_lines_fold_and_unfold(self, series: MeetingSeries, name: str) -> None:
        """Every physical line is at most 75 octets; unfolding gives back the escaped name."""
        text = attrs.evolve(series, name=name).to_ics(stamp=pendulum.datetime(2026, 1, 1))
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        escaped = name.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        assert f"SUMMARY:{escaped}" in text.replace("\r\n ", "").split("\r\n")


ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\x00", "a\nb", "\ud800", "龙居", "x" * 5000]),
    st.integers(),
    st.none(),
)


class TestHostileDetails:
    @given(ODD_TEXT, ODD_TEXT, ODD_TEXT)
    def test_odd_details_raise_only_typed_errors(
        self, text: object, category: object, actor_id: object
    ) -> None:
        """Odd text, categories and ids are accepted, or refused with TypeError or InvalidValue."""
        for build in (
            lambda: SuggestionDetails(
                text=text,  # type: ignore[arg-type]
                place=Place(subcommunity_id="longju"),
                category=category,  # type: ignore[arg-type]
                channel=Channel.PATROL,
            ),
            lambda: Actor(id=actor_id, role=Role.GRID_WORKER),  # type: ignore[arg-type]
            lambda: Place(subcommunity_id=actor_id),  # type: ignore[arg-type]
        ):
            try:
                made = build()
            except (TypeError, InvalidValue):
                continue
            assert made == build()


RULE_PARTS = st.lists(
    st.sampled_from(
        [
            "FREQ=DAILY",
            "FREQ=WEEKLY",
            "FREQ=MONTHLY",
            "FREQ=YEARLY",
            "FREQ=HOURLY",
            "INTERVAL=2",
            "INTERVAL=7",
            "INTERVAL=12",
            "INTERVAL=1000",
            "INTERVAL=0",
            "BYDAY=MO",
            "BYDAY=WE,FR",
            "BYDAY=1WE",
            "BYDAY=-1FR",
            "BYDAY=5SU",
            "BYDAY=53MO",
            "BYMONTHDAY=29",
            "BYMONTHDAY=31",
            "BYMONTHDAY=-1",
            "BYMONTHDAY=0",
            "BYMONTH=2",
            "BYMONTH=2,4",
            "BYMONTH=13",
            "WKST=SU",
            "COUNT=3",
            "BYSETPOS=1",
        ]
    ),
    min_size=1,
    max_size=4,
    unique=True,
).map(";".join)


class TestHostileRules:
    @given(RULE_PARTS, gst.meeting_days(min_value=dt.date(2016, 1, 1)))
    def test_any_rule_is_refused_or_recurs(self, rule: str, day: pendulum.Date) -> None:
        """A rule is refused with InvalidValue, or its first start is its first occurrence."""
        start = pendulum.datetime(day.year, day.month, day.day, 19, tz=ZONE)
        try:
            series = MeetingSeries(
                id="s",
                name="会",
                kind=SeriesKind.OTHER,
                first_start=start,
                duration_minutes=60,
                rule=rule,
            )
        except InvalidValue:
            return
        (first, *_later) = series.occurrences(pendulum.interval(day, day.add(days=400)))
        assert first.start == start


class TestDeadlines:
    @given(gst.messages(), st.integers(min_value=0, max_value=60))
    def test_overdue_exactly_after_the_last_local_day(self, message: Message, days: int) -> None:
        """Not overdue at the last instant of the last local day; overdue at the next midnight."""
        box = Mailbox(deadline_days=days)
        box.receive(message)
        due = box.due_on(message.id)
        arrived = message.received_at.in_timezone(ZONE)
        assert due == arrived.date().add(days=days)
        midnight = pendulum.datetime(due.year, due.month, due.day, tz=ZONE).add(days=1)
        assert not box.is_overdue(message.id, as_of=midnight.subtract(microseconds=1))
        assert box.is_overdue(message.id, as_of=midnight)
        box.triage(message.id, Triage.REPLY, at=midnight)
        box.answer(message.id, at=midnight, text="答复")
        assert box.answered_on_time(message.id) is False
        assert not box.is_overdue(message.id, as_of=midnight)

    @given(st.sampled_from(list(MessageChannel)), st.integers(min_value=0, max_value=10))
    def test_report_counts_add_up(self, channel: MessageChannel, n: int) -> None:
        """Answered plus unanswered is received; overdue only among the unanswered."""
        box = Mailbox()
        t = pendulum.datetime(2026, 1, 1, tz=ZONE)
        for i in range(n):
            box.receive(Message(id=f"m{i}", received_at=t, channel=channel, text=""))
            if i % 2:
                box.triage(f"m{i}", Triage.REPLY, at=t)
                box.answer(f"m{i}", at=t.add(days=i), text="好")
        report = box.report(as_of=t.add(days=30))
        assert report.received == n
        assert report.answered == n // 2
        assert len(report.overdue) == n - n // 2
        assert report.answered_on_time == sum(1 for i in range(n) if i % 2 and i <= 7)


@pytest.mark.parametrize("base", list(MeetingBase))
def test_boundary_table_is_total(base: MeetingBase) -> None:
    """Both shipped sets give every base a quorum."""
    assert RULES_2018.quorum_for(base).ratio > 0
    assert RULES_2026.quorum_for(base).ratio > 0
