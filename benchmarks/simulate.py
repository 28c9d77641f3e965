"""Benchmark the simulated Tancheng year at 1×, 4× and 16× the case's size, in memory and on SQLite.

Run from the project root::

    python benchmarks/simulate.py                    # 1×, 4×, 16× (16× samples 3 months)
    python benchmarks/simulate.py --scales 1 4       # a quicker look
    python benchmarks/simulate.py --sample-months 12 # the whole year at every scale
    python benchmarks/simulate.py --scales 1 4 --instructions 3   # instruction counts (callgrind)

A scale of k copies the case k times: k × 124 compounds (each with its grid and
buildings), k × 50 branches, k × 16 communities, k × 441 rooms and k × 3 shops,
so residents (60 a compound), activities, claims, redemptions, exchanges and
messages grow k times too; the venture and its three projects stay one. Each
run is a fresh process (peak memory is its resident set's high-water mark,
``ru_maxrss``) that simulates the year with the scenario's seed; the SQLite run
also saves it (journal and records) to a new file.

Printed for each scale and store: events, wall and CPU seconds, events per
second of each, peak memory; the CPU seconds of the set-up (schemes, rates,
registrations, funds, shops) and of the months apart, and the CPU seconds the
cyclic garbage collector took (it stays on, as users run the library; full
collections apart). Then, per store, the growth ratio: CPU seconds per event
at k× over those at 1× for the same months, measured in the same run (a
sampled scale gets a 1× run of the same months), for the whole run and for the
set-up and the months apart. Linear cost keeps it near 1; CPU time is the
steadier figure on a shared machine, and still moves by 10-20% under load.

``--instructions MONTHS`` counts instructions instead, which do not move with
the machine's load: each scale runs three times under ``valgrind
--tool=callgrind`` (parse the scenario; parse and set up; parse, set up and
simulate MONTHS months, with ``PYTHONHASHSEED=0``), and the differences give
instructions per event of the set-up and of the months, and their growth over
the smallest scale. ``--src`` counts another checkout with the same harness.
Instructions do not see cache misses, so they show work that grows with the
county, not a larger heap's slower memory.
The largest scale simulates fewer months when ``--sample-months`` says so; its
rates are per event, so they compare with the whole years, and the output says
which months were sampled.

Goal: the 1× year in under 30 s on SQLite (simulate and save).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

GOAL_SECONDS = 30.0
ROOT = Path(__file__).resolve().parents[1]


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    assert isinstance(value, dict), type(value)
    return "{ " + ", ".join(f"{json.dumps(k)} = {_value(v)}" for k, v in value.items()) + " }"


def to_toml(data: dict[str, Any]) -> str:
    """Write ``data`` as TOML, every value inline at the top level."""
    return "".join(f"{json.dumps(key)} = {_value(value)}\n" for key, value in data.items())


def scaled(text: str, scale: int) -> str:
    """Return the Tancheng scenario with its organisation and shops copied ``scale`` times."""
    data = tomllib.loads(text)
    if scale == 1:
        return text
    communities, compounds = list(data["communities"]), list(data["subcommunities"])
    branches, rooms, shops = list(data["branches"]), list(data["rooms"]), list(data["shops"])
    for copy in range(1, scale):

        def tag(name: str, copy: int = copy) -> str:
            return f"{name}-x{copy}"

        for item in data["communities"]:
            grids = [
                {
                    **grid,
                    "id": tag(grid["id"]),
                    "worker": tag(grid["worker"]),
                    "buildings": [tag(b) for b in grid["buildings"]],
                }
                for grid in item.get("grids", [])
            ]
            communities.append({**item, "id": tag(item["id"]), "grids": grids})
        for item in data["subcommunities"]:
            buildings = [{**b, "id": tag(b["id"])} for b in item.get("buildings", [])]
            compounds.append(
                {
                    **item,
                    "id": tag(item["id"]),
                    "community": tag(item["community"]),
                    "buildings": buildings,
                }
            )
        for item in data["branches"]:
            coverage = [tag(c) for c in item["coverage"]]
            branches.append({**item, "id": tag(item["id"]), "coverage": coverage})
        for item in data["rooms"]:
            room = {**item, "id": tag(item["id"]), "subcommunity": tag(item["subcommunity"])}
            if "project" in room:
                room["project"] = tag(room["project"])
            rooms.append(room)
        for item in data["shops"]:
            shop = {k: v for k, v in item.items() if k != "project"}
            shops.append({**shop, "id": tag(item["id"]), "subcommunity": tag(item["subcommunity"])})
    data.update(
        communities=communities,
        subcommunities=compounds,
        branches=branches,
        rooms=rooms,
        shops=shops,
    )
    return to_toml(data)


class _Collections:
    """CPU seconds the cyclic garbage collector spends, full collections apart (it stays on)."""

    def __init__(self) -> None:
        self.began = 0.0
        self.seconds = 0.0
        self.full = 0.0
        self.full_count = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.began = time.process_time()
            return
        spent = time.process_time() - self.began
        self.seconds += spent
        if info["generation"] == 2:
            self.full += spent
            self.full_count += 1


def _scenario(scale: int) -> Any:
    from grassroots.scenarios import builtin, parse

    return parse(scaled(builtin("tancheng"), scale))


def _run_year(scenario: Any, months: int, stage: str = "all") -> tuple[Any, dict[str, float]]:
    """Simulate the year as ``simulate`` does, timing its set-up and its months apart.

    ``stage`` stops early, for the instruction counts: ``"setup"`` only sets the year up.
    """
    from grassroots.simulation import _year

    assert scenario.year is not None
    seed = scenario.year.seed
    figures: dict[str, float] = {}
    cpu = time.process_time()
    run = _year._Run(scenario, months, seed)
    run.set_up()
    figures["setup_cpu"] = time.process_time() - cpu
    figures["setup_events"] = run.events
    if stage == "setup":
        return None, figures
    cpu = time.process_time()
    for index in range(months):
        run.month(index)
    figures["months_cpu"] = time.process_time() - cpu
    figures["months_events"] = run.events - figures["setup_events"]
    return run.year(seed), figures


def one(scale: int, store: str, months: int) -> dict[str, object]:
    """Simulate one scale in this process and return its figures."""
    from grassroots.simulation import save

    scenario = _scenario(scale)
    collections = _Collections()
    gc.callbacks.append(collections)
    started, cpu = time.perf_counter(), time.process_time()
    year, split = _run_year(scenario, months)
    simulated = time.perf_counter() - started
    saved = 0.0
    if store == "sqlite":
        from grassroots.storage.sqlite import SqliteStore

        with tempfile.TemporaryDirectory() as folder:
            db = SqliteStore(Path(folder) / "year.sqlite")
            began = time.perf_counter()
            save(year, db)
            saved = time.perf_counter() - began
            db.close()
    cpu = time.process_time() - cpu
    gc.callbacks.remove(collections)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "scale": scale,
        "store": store,
        "months": months,
        "compounds": len(scenario.county.subcommunities),
        "events": year.events,
        "entries": len(year.programme.ledger.journal),
        "seconds": simulated + saved,
        "cpu": cpu,
        "saved": saved,
        "peak": peak,
        "gc": collections.seconds,
        "gc_full": collections.full,
        "gc_full_count": collections.full_count,
        **split,
    }


def _run(scale: int, store: str, months: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(  # noqa: S603 - this script, with its own arguments
        [sys.executable, __file__, "--one", str(scale), store, str(months)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_COLLECTED = re.compile(r"Collected : (\d+)")
STAGES = ("parse", "setup", "all")


def count_stage(scale: int, months: int, stage: str) -> None:
    """One stage of the instruction counts, in this process: print its events as JSON."""
    scenario = _scenario(scale)
    figures: dict[str, float] = {}
    if stage != "parse":
        _year, figures = _run_year(scenario, months, stage)
    print(json.dumps(figures))


def instructions(src: Path, scale: int, months: int, stage: str) -> tuple[int, dict[str, float]]:
    """Run one stage under callgrind; return its instruction count and its events."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(src)}
    done = subprocess.run(  # noqa: S603 - valgrind on this script, with its own arguments
        [  # noqa: S607 - valgrind from PATH
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--count-stage",
            str(scale),
            str(months),
            stage,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    found = _COLLECTED.search(done.stderr)
    assert found is not None, done.stderr
    return int(found.group(1)), json.loads(done.stdout.strip().splitlines()[-1])


def report_instructions(src: Path, scales: list[int], months: int) -> None:
    """Print instructions per event of the set-up and of the months, and their growth."""
    per: dict[int, tuple[float, float, float]] = {}
    for scale in sorted(scales):
        counts, events = {}, {}
        for stage in STAGES:
            counts[stage], events[stage] = instructions(src, scale, months, stage)
        setup = (counts["setup"] - counts["parse"]) / events["setup"]["setup_events"]
        month = (counts["all"] - counts["setup"]) / events["all"]["months_events"]
        total_events = events["all"]["setup_events"] + events["all"]["months_events"]
        total = (counts["all"] - counts["parse"]) / total_events
        per[scale] = (setup, month, total)
        print(
            f"{scale:>3}× {months:>2} months: set-up {setup:>9,.0f} instructions/event"
            f" ({events['all']['setup_events']:,.0f} events),"
            f" months {month:>9,.0f} ({events['all']['months_events']:,.0f} events),"
            f" both {total:>9,.0f}"
        )
    smallest = min(per)
    for scale in sorted(per):
        if scale == smallest:
            continue
        ratios = [per[scale][i] / per[smallest][i] for i in range(3)]
        print(
            f"instruction growth, {scale}× over {smallest}× ({months} months; 1.00 is linear):"
            f" set-up {ratios[0]:.3f}, months {ratios[1]:.3f}, both {ratios[2]:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument(
        "--sample-months",
        type=int,
        default=3,
        help="months simulated at the largest scale when it is 16× or more (default 3)",
    )
    parser.add_argument(
        "--instructions",
        type=int,
        metavar="MONTHS",
        help="count instructions per event under callgrind instead, over MONTHS months",
    )
    parser.add_argument(
        "--src", type=Path, default=ROOT / "src", help="the library to count (--instructions)"
    )
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--count-stage", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_stage:
        count_stage(int(args.count_stage[0]), int(args.count_stage[1]), args.count_stage[2])
        return
    if args.instructions:
        report_instructions(args.src.resolve(), args.scales, args.instructions)
        return
    if args.one:
        scale, store, months = int(args.one[0]), args.one[1], int(args.one[2])
        print(json.dumps(one(scale, store, months)))
        return
    print(f"goal: the 1× Tancheng year in under {GOAL_SECONDS:.0f} s on SQLite (simulate + save)")
    largest = max(args.scales)
    smallest = min(args.scales)
    results: dict[tuple[int, str, int], dict[str, Any]] = {}
    plan = []
    for scale in sorted(args.scales):
        months = args.sample_months if scale == largest and scale >= 16 else 12
        plan.append((scale, months))
        if months != 12 and (smallest, months) not in plan:
            plan.append((smallest, months))  # the same months at the smallest scale, for growth
    for scale, months in sorted(plan, key=lambda item: (item[0], -item[1])):
        for store in ("memory", "sqlite"):
            row = _run(scale, store, months)
            results[(scale, store, months)] = row
            sampled = "" if months == 12 else f"  (months 1-{months} of 12 sampled)"
            print(
                f"{scale:>3}× {store:<6} {row['compounds']:>5} compounds {months:>2} months:"
                f" {row['events']:>9,} events {row['entries']:>9,} entries"
                f" {row['seconds']:>6.1f} s wall ({row['saved']:.1f} s saving)"
                f" {row['cpu']:>6.1f} s CPU"
                f" {row['events'] / row['seconds']:>7,.0f} events/s wall"
                f" {row['events'] / row['cpu']:>7,.0f} events/s CPU"
                f" peak {row['peak'] / 2**20:>6,.0f} MiB{sampled}"
            )
            print(
                f"      set-up {row['setup_cpu']:.2f} s CPU ({row['setup_events']:,.0f} events),"
                f" months {row['months_cpu']:.2f} s CPU ({row['months_events']:,.0f} events);"
                f" garbage collector {row['gc']:.2f} s, of it {row['gc_full']:.2f} s in"
                f" {row['gc_full_count']} full collections"
            )
    for store in ("memory", "sqlite"):
        parts = []
        for scale, months in plan:
            base = results.get((smallest, store, months))
            if base is None or scale == smallest:
                continue
            row = results[(scale, store, months)]
            ratio = (row["cpu"] / row["events"]) / (base["cpu"] / base["events"])
            setup = (row["setup_cpu"] / row["setup_events"]) / (
                base["setup_cpu"] / base["setup_events"]
            )
            month = (row["months_cpu"] / row["months_events"]) / (
                base["months_cpu"] / base["months_events"]
            )
            parts.append(
                f"{scale}× over {smallest}× ({months} months): {ratio:.2f}"
                f" (set-up {setup:.2f}, months {month:.2f})"
            )
        print(
            f"growth ({store}, CPU s per event over the smallest's; 1.00 is linear): "
            + ", ".join(parts)
        )
    one_x = results.get((1, "sqlite", 12))
    if one_x is not None:
        verdict = "met" if one_x["seconds"] < GOAL_SECONDS else "NOT met"
        print(
            f"1× year on SQLite: {one_x['seconds']:.1f} s, goal < {GOAL_SECONDS:.0f} s: {verdict}"
        )


if __name__ == "__main__":
    main()
