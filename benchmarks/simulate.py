"""Benchmark the simulated Tancheng year at 1×, 4× and 16× the case's size, in memory and on SQLite.

Run from the project root::

    python benchmarks/simulate.py                    # 1×, 4×, 16× (16× samples 3 months)
    python benchmarks/simulate.py --scales 1 4       # a quicker look
    python benchmarks/simulate.py --sample-months 12 # the whole year at every scale

A scale of k copies the case k times: k × 124 compounds (each with its grid and
buildings), k × 50 branches, k × 16 communities, k × 441 rooms and k × 3 shops,
so residents (60 a compound), activities, claims, redemptions, exchanges and
messages grow k times too; the venture and its three projects stay one. Each
run is a fresh process (peak memory is its resident set's high-water mark,
``ru_maxrss``) that simulates the year with the scenario's seed; the SQLite run
also saves it (journal and records) to a new file.

Printed for each scale and store: events, wall and CPU seconds, events per
second of each, peak memory; then, per store, the growth ratio: the CPU time at
k× over k times the CPU time at 1× for the same months, measured in the same
run (a sampled scale gets a 1× run of the same months). Linear cost keeps it
near 1; CPU time is the steadier figure on a shared machine.
The largest scale simulates fewer months when ``--sample-months`` says so; its
rates are per event, so they compare with the whole years, and the output says
which months were sampled.

Goal: the 1× year in under 30 s on SQLite (simulate and save).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
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


def one(scale: int, store: str, months: int) -> dict[str, object]:
    """Simulate one scale in this process and return its figures."""
    from grassroots.scenarios import builtin, parse
    from grassroots.simulation import save, simulate

    scenario = parse(scaled(builtin("tancheng"), scale))
    started, cpu = time.perf_counter(), time.process_time()
    year = simulate(scenario, months=months)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument(
        "--sample-months",
        type=int,
        default=3,
        help="months simulated at the largest scale when it is 16× or more (default 3)",
    )
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
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
    for store in ("memory", "sqlite"):
        parts = []
        for scale, months in plan:
            base = results.get((smallest, store, months))
            if base is None or scale == smallest:
                continue
            ratio = results[(scale, store, months)]["cpu"] / (scale / smallest * base["cpu"])
            parts.append(f"{scale}× over {smallest}× ({months} months): {ratio:.2f}")
        print(
            f"growth ({store}, CPU time over size × the smallest's; 1.00 is linear): "
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
