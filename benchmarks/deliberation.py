"""Benchmark deliberation: pipeline moves per second, replay, and occurrences of a series.

Run from the project root::

    python benchmarks/deliberation.py                 # 1,000 and 10,000 suggestions
    python benchmarks/deliberation.py --sizes 1000 --repeat 5

For each size it records that many suggestions in Longju's compound (17
buildings, 39 units, 4 grid workers) and takes each through the four steps:
shortlisted by the representatives' meeting, reviewed (drafted, published) by
the party organisation, voted by the residents' meeting — five moves each, one
in five a small matter settled in the compound after two. It prints moves per
second, then the same for a replay of the moves, beside a baseline in the same
run: a plain loop that sets the same stages in a dict with no checks. Last it
times the weekly tea's occurrences over ten years against a plain day-by-day
loop.

Goals: 10,000 moves per second for commands and for replay on one core; a
decade of weekly occurrences in under 50 ms.
"""

from __future__ import annotations

import argparse
import time

import pendulum

from grassroots.deliberation import (
    Actor,
    Channel,
    MeetingBase,
    MeetingKind,
    MeetingSeries,
    MeetingVote,
    Place,
    ReviewDecision,
    Role,
    Roster,
    SeriesKind,
    SuggestionDetails,
    SuggestionPipeline,
)
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
GOAL_MOVES_PER_SECOND = 10_000
GOAL_DECADE_MS = 50


def longju() -> tuple[Community, list[GridWorker]]:
    buildings = [
        Building.numbered(id=f"lj-{n:02}", name=f"{n}栋", units=3 if n <= 5 else 2)
        for n in range(1, 18)
    ]
    compound = Subcommunity(
        id="longju", name="龙居小区", kind=SubcommunityKind.RESETTLEMENT, buildings=buildings
    )
    workers = [GridWorker(id=f"worker-{g}", name=f"网格员{g}") for g in range(1, 5)]
    spans = [range(1, 5), range(5, 9), range(9, 13), range(13, 18)]
    grids = [
        Grid.staffed(
            id=f"grid-{g}",
            name=f"{g}号网格",
            worker=workers[g - 1],
            since=pendulum.Date(2022, 1, 1),
            buildings=[f"lj-{n:02}" for n in span],
        )
        for g, span in enumerate(spans, start=1)
    ]
    return Community(id="sq", name="龙居社区", subcommunities=[compound], grids=grids), workers


REP = Resident(id="rep-01", household_id="h-01", born_on=pendulum.Date(1965, 5, 1))
ROSTER = Roster.of(
    representatives=[REP], party_organisation="party", recorders=["rec"], committee=["jwh"]
)


def run_commands(size: int) -> tuple[SuggestionPipeline, float]:
    community, _workers = longju()
    pipeline = SuggestionPipeline(community=community, roster=ROSTER)
    rep = Actor.representative(REP)
    party = Actor(id="party", role=Role.PARTY_ORGANISATION)
    recorder = Actor(id="rec", role=Role.ASSEMBLY_RECORDER)
    at = pendulum.datetime(2026, 3, 2, 10, tz=ZONE)
    reps = MeetingVote(
        kind=MeetingKind.REPRESENTATIVES_MEETING,
        held_on=at.date(),
        base=MeetingBase.REPRESENTATIVES,
        eligible=30,
        present=25,
        in_favour=20,
    )
    assembly = MeetingVote(
        kind=MeetingKind.RESIDENTS_MEETING,
        held_on=at.date(),
        base=MeetingBase.HOUSEHOLDS,
        eligible=2_400,
        present=1_700,
        in_favour=1_200,
    )
    places = [
        (Place(subcommunity_id="longju", building_id=b.id, unit_id=u.id), g)
        for b in community.subcommunity("longju").buildings
        for u in b.units
        for g in [community.grid_of(u.id).worker]
    ]
    start = time.perf_counter()
    for n in range(size):
        place, worker = places[n % len(places)]
        small = n % 5 == 0
        sid = f"s{n}"
        details = SuggestionDetails(
            text="建议",
            place=place,
            category="楼道清理" if small else "加装电梯",
            channel=Channel.PATROL,
        )
        pipeline.record(sid, details, actor=Actor.from_grid_worker(worker), at=at)
        pipeline.shortlist(sid, vote=reps, actor=rep, at=at)
        if small:
            continue
        pipeline.draft_review(sid, decision=ReviewDecision.APPROVE, actor=party, at=at)
        pipeline.publish_review(sid, actor=party, at=at)
        pipeline.assembly_vote(sid, vote=assembly, actor=recorder, at=at)
    return pipeline, time.perf_counter() - start


def run_baseline(size: int) -> float:
    start = time.perf_counter()
    stages: dict[str, str] = {}
    journal: list[tuple[str, str]] = []
    for n in range(size):
        sid = f"s{n}"
        steps = ["recorded", "adopted"] if n % 5 == 0 else ["recorded", "shortlisted"]
        if n % 5:
            steps += ["shortlisted", "approved", "adopted"]
        for stage in steps:
            stages[sid] = stage
            journal.append((sid, stage))
    return time.perf_counter() - start


def decade() -> tuple[float, float, int]:
    tea = MeetingSeries(
        id="tea",
        name="书记下午茶",
        kind=SeriesKind.AFTERNOON_TEA,
        first_start=pendulum.datetime(2026, 1, 7, 15, tz=ZONE),
        duration_minutes=90,
        rule="FREQ=WEEKLY;BYDAY=WE",
    )
    period = pendulum.interval(pendulum.Date(2026, 1, 1), pendulum.Date(2035, 12, 31))
    start = time.perf_counter()
    found = tea.occurrences(period)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    day, last, plain = period.start, period.end, []
    while day <= last:
        if day.weekday() == 2:
            plain.append(pendulum.datetime(day.year, day.month, day.day, 15, tz=ZONE))
        day = day.add(days=1)
    baseline = time.perf_counter() - start
    assert [o.start for o in found] == plain
    return ours, baseline, len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    community, _ = longju()
    print(f"goal: {GOAL_MOVES_PER_SECOND:,} moves/s; decade of teas < {GOAL_DECADE_MS} ms")
    for size in args.sizes:
        best = best_replay = best_base = float("inf")
        moves = 0
        for _ in range(args.repeat):
            pipeline, took = run_commands(size)
            moves = len(pipeline.moves)
            best = min(best, took)
            start = time.perf_counter()
            SuggestionPipeline.replay(pipeline.moves, community=community, roster=ROSTER)
            best_replay = min(best_replay, time.perf_counter() - start)
            best_base = min(best_base, run_baseline(size))
        print(
            f"{size:>7,} suggestions, {moves:>7,} moves:"
            f" commands {moves / best:>9,.0f} moves/s,"
            f" replay {moves / best_replay:>9,.0f} moves/s,"
            f" plain dict baseline {moves / best_base:>12,.0f} moves/s"
        )
    ours, baseline, count = decade()
    print(
        f"weekly tea 2026-2035: {count} occurrences in {ours * 1000:.1f} ms"
        f" (plain day loop {baseline * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
