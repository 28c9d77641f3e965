"""Longju community (龙居社区), Hanzhou street, Guanghan: a resettlement compound and its grids.

The case: the largest resettlement compound in Deyang, merged from 6 relocated
villages; grid workers cover its 17 buildings and 39 units; over 10,000
residents. The spread of units over buildings, the grids and the exact
headcount are illustrative.
"""

from __future__ import annotations

import pendulum
import pytest

from grassroots.errors import GridGap
from grassroots.serialization import dumps, loads
from grassroots.subcommunity import (
    Building,
    Community,
    County,
    CountyKind,
    Grid,
    GridWorker,
    Street,
    Subcommunity,
    SubcommunityKind,
    grid_findings,
)

SINCE = pendulum.Date(2022, 1, 1)


def longju_compound() -> Subcommunity:
    # 5 buildings of 3 units and 12 of 2: 17 buildings, 39 units.
    buildings = [
        Building.numbered(id=f"lj-{n:02}", name=f"{n}栋", units=3 if n <= 5 else 2)
        for n in range(1, 18)
    ]
    return Subcommunity(
        id="longju",
        name="龙居小区",
        kind=SubcommunityKind.RESETTLEMENT,
        buildings=buildings,
        residents=10_200,
        merged_villages=[f"拆迁村{n}" for n in range(1, 7)],
    )


def grids() -> list[Grid]:
    groups = [range(1, 5), range(5, 9), range(9, 13), range(13, 18)]
    return [
        Grid.staffed(
            id=f"grid-{g}",
            name=f"龙居{g}号网格",
            worker=GridWorker(id=f"worker-{g}", name=f"网格员{g}"),
            since=SINCE,
            buildings=[f"lj-{n:02}" for n in numbers],
        )
        for g, numbers in enumerate(groups, start=1)
    ]


def guanghan() -> County:
    longju = Community(
        id="longju-sq",
        name="龙居社区",
        subcommunities=[longju_compound()],
        grids=grids(),
        party_organisation="龙居社区党委",
    )
    others = [Community(id=f"hz-{n:02}", name=f"汉州街道社区{n:02}") for n in range(2, 13)]
    return County(
        id="guanghan",
        name="广汉市",
        kind=CountyKind.COUNTY_LEVEL_CITY,
        streets=[Street(id="hanzhou", name="汉州街道", communities=[longju, *others])],
    )


class TestLongju:
    def test_resettlement_compound_of_six_villages(self) -> None:
        """Longju is a resettlement compound merged from 6 relocated villages."""
        compound = guanghan().subcommunity("longju")
        assert compound.kind is SubcommunityKind.RESETTLEMENT
        assert len(compound.merged_villages) == 6

    def test_over_ten_thousand_residents(self) -> None:
        """More than 10,000 residents live in the compound."""
        assert (guanghan().subcommunity("longju").residents or 0) > 10_000

    def test_grid_workers_cover_17_buildings_and_39_units(self) -> None:
        """Every one of the 39 units of the 17 buildings is in exactly one grid."""
        community = guanghan().community_of("longju")
        assert (community.building_count, community.unit_count) == (17, 39)
        assert grid_findings(community.subcommunities, community.grids) == ()
        covered = {u.id for b in longju_compound().buildings for u in b.units}
        assert {u for u in covered if community.grid_of(u)} == covered
        assert {community.grid_of(u).worker.id for u in covered} == {
            f"worker-{g}" for g in range(1, 5)
        }

    def test_a_building_left_out_is_refused(self) -> None:
        """Leaving the 17th building out of the grids is refused."""
        partial = grids()[:-1]
        with pytest.raises(GridGap):
            Community(
                id="longju-sq", name="龙居社区", subcommunities=[longju_compound()], grids=partial
            )

    def test_reassigning_a_grid_worker_keeps_the_history(self) -> None:
        """A new grid worker takes over; who was in charge before is still known."""
        county = guanghan()
        community = county.community_of("longju").reassign_grid_worker(
            "grid-1", GridWorker(id="worker-9", name="网格员9"), on=pendulum.Date(2024, 9, 1)
        )
        grid = community.grid("grid-1")
        assert grid.worker.id == "worker-9"
        assert grid.worker_on(pendulum.Date(2023, 6, 1)).id == "worker-1"  # type: ignore[union-attr]

    def test_hanzhou_street_has_twelve_communities(self) -> None:
        """The 坝坝会 spread to the 12 communities of Hanzhou street."""
        assert len(guanghan().streets[0].communities) == 12

    def test_json_round_trip(self) -> None:
        """The whole county survives JSON."""
        county = guanghan()
        assert loads(dumps(county), County) == county
