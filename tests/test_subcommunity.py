"""Places: buildings, units, compounds, grids and their workers, communities and counties."""

from __future__ import annotations

import json

import pendulum
import pytest

from grassroots.errors import (
    DuplicateId,
    GridGap,
    GridOverlap,
    InvalidTransition,
    InvalidValue,
    RuleViolation,
    SerializationError,
    UnknownReference,
)
from grassroots.serialization import dumps, loads
from grassroots.subcommunity import (
    Building,
    Community,
    County,
    CountyKind,
    Grid,
    GridAssignment,
    GridWorker,
    Street,
    Subcommunity,
    SubcommunityKind,
    Unit,
    grid_findings,
)

DAY = pendulum.Date(2023, 1, 1)


def _compound(sub_id: str = "x1", buildings: int = 2, units: int = 2) -> Subcommunity:
    return Subcommunity(
        id=sub_id,
        name=f"{sub_id}小区",
        kind=SubcommunityKind.COMMERCIAL_RESIDENTIAL,
        buildings=[
            Building.numbered(id=f"{sub_id}-b{n}", name=f"{n}栋", units=units)
            for n in range(1, buildings + 1)
        ],
    )


def _grid(
    grid_id: str = "g1", *, buildings: tuple[str, ...] = (), units: tuple[str, ...] = ()
) -> Grid:
    return Grid.staffed(
        id=grid_id,
        name=f"{grid_id}网格",
        worker=GridWorker(id=f"{grid_id}-w", name="网格员"),
        since=DAY,
        buildings=buildings,
        units=units,
    )


class TestBuilding:
    def test_numbered_units_have_stable_ids(self) -> None:
        """A numbered building names its units 1单元, 2单元 with ids derived from its own."""
        building = Building.numbered(id="b3", name="3栋", units=3)
        assert [(u.id, u.name) for u in building.units] == [
            ("b3-1", "1单元"),
            ("b3-2", "2单元"),
            ("b3-3", "3单元"),
        ]

    def test_a_building_has_a_unit(self) -> None:
        """A building without units is refused."""
        with pytest.raises(RuleViolation, match="no unit"):
            Building(id="b1", name="1栋", units=[])

    def test_unit_ids_are_unique(self) -> None:
        """Two units of one building cannot share an id."""
        with pytest.raises(RuleViolation, match="appears more than once"):
            Building(id="b1", name="1栋", units=[Unit(id="u", name="1"), Unit(id="u", name="2")])


class TestSubcommunity:
    def test_counts_buildings_and_units(self) -> None:
        """A compound counts its buildings and units."""
        compound = _compound(buildings=3, units=2)
        assert (compound.building_count, compound.unit_count) == (3, 6)
        assert len(list(compound.units())) == 6

    def test_compound_known_by_name_only(self) -> None:
        """A compound may be recorded without buildings, as the case's 124 are."""
        compound = Subcommunity(id="x", name="某小区", kind=SubcommunityKind.COMMERCIAL_RESIDENTIAL)
        assert compound.unit_count == 0

    def test_blank_id_is_refused(self) -> None:
        """An id of spaces is not an id."""
        with pytest.raises(RuleViolation, match="blank"):
            Subcommunity(id="  ", name="某小区", kind=SubcommunityKind.OTHER)

    def test_non_text_id_is_a_type_error(self) -> None:
        """An id that is not text is a programming error."""
        with pytest.raises(TypeError, match="id must be str"):
            Subcommunity(id=7, name="某小区", kind=SubcommunityKind.OTHER)  # type: ignore[arg-type]

    def test_negative_residents_are_refused(self) -> None:
        """A count of residents is never negative."""
        with pytest.raises(RuleViolation, match="negative"):
            Subcommunity(id="x", name="某小区", kind=SubcommunityKind.OTHER, residents=-1)

    def test_building_ids_are_unique(self) -> None:
        """Two buildings of one compound cannot share an id."""
        building = Building.numbered(id="b1", name="1栋", units=1)
        with pytest.raises(RuleViolation, match="building id 'b1'"):
            Subcommunity(
                id="x", name="某小区", kind=SubcommunityKind.OTHER, buildings=[building, building]
            )

    def test_kind_has_a_chinese_name(self) -> None:
        """Each kind of compound has its Chinese name."""
        assert SubcommunityKind.RESETTLEMENT.zh == "安置小区"
        assert SubcommunityKind.COMMERCIAL_RESIDENTIAL.zh == "商住小区"


class TestGrid:
    def test_reassign_keeps_the_history(self) -> None:
        """Reassigning closes the current assignment and opens a new one."""
        grid = _grid(buildings=("b1",)).reassign(
            GridWorker(id="w2", name="乙"), on=pendulum.Date(2024, 3, 1)
        )
        assert [a.worker.id for a in grid.assignments] == ["g1-w", "w2"]
        assert grid.assignments[0].until == pendulum.Date(2024, 3, 1)
        assert grid.worker.id == "w2"

    def test_worker_on_a_day(self) -> None:
        """The worker in charge on a day is found in the history."""
        grid = _grid(buildings=("b1",)).reassign(
            GridWorker(id="w2", name="乙"), on=pendulum.Date(2024, 3, 1)
        )
        assert grid.worker_on(pendulum.Date(2024, 2, 29)).id == "g1-w"  # type: ignore[union-attr]
        assert grid.worker_on(pendulum.Date(2024, 3, 1)).id == "w2"  # type: ignore[union-attr]
        assert grid.worker_on(pendulum.Date(2022, 12, 31)) is None

    def test_reassign_to_the_same_worker_is_refused(self) -> None:
        """Reassigning names a new worker."""
        grid = _grid(buildings=("b1",))
        with pytest.raises(InvalidTransition, match="already its grid worker"):
            grid.reassign(grid.worker, on=pendulum.Date(2024, 1, 1))

    def test_reassign_before_the_current_start_is_refused(self) -> None:
        """History runs forward."""
        with pytest.raises(InvalidTransition, match="before the current worker"):
            _grid(buildings=("b1",)).reassign(
                GridWorker(id="w2", name="乙"), on=pendulum.Date(2022, 1, 1)
            )

    def test_an_empty_grid_is_refused(self) -> None:
        """A grid holds at least one building or unit."""
        with pytest.raises(RuleViolation, match="holds no building"):
            _grid()

    def test_a_grid_has_a_current_worker(self) -> None:
        """The last assignment stays open."""
        closed = GridAssignment(
            worker=GridWorker(id="w", name="甲"), since=DAY, until=pendulum.Date(2024, 1, 1)
        )
        with pytest.raises(RuleViolation, match="no current grid worker"):
            Grid(id="g", name="g", buildings=["b1"], assignments=[closed])

    def test_overlapping_assignments_are_refused(self) -> None:
        """One grid worker at a time."""
        first = GridAssignment(worker=GridWorker(id="w1", name="甲"), since=DAY)
        second = GridAssignment(worker=GridWorker(id="w2", name="乙"), since=DAY)
        with pytest.raises(RuleViolation, match="overlaps"):
            Grid(id="g", name="g", buildings=["b1"], assignments=[first, second])

    def test_an_assignment_ends_after_it_starts(self) -> None:
        """An assignment cannot end before its first day."""
        with pytest.raises(RuleViolation, match="before it starts"):
            GridAssignment(
                worker=GridWorker(id="w", name="甲"), since=DAY, until=pendulum.Date(2022, 1, 1)
            )

    def test_a_datetime_is_not_a_date(self) -> None:
        """Days are dates; a time of day is a programming error."""
        with pytest.raises(TypeError, match="must be a Date"):
            GridAssignment(
                worker=GridWorker(id="w", name="甲"),
                since=pendulum.datetime(2023, 1, 1),  # type: ignore[arg-type]
            )


class TestCommunity:
    def test_every_unit_in_one_grid(self) -> None:
        """Whole buildings and single units together cover the community once."""
        compound = _compound(buildings=2, units=2)
        community = Community(
            id="c",
            name="社区",
            subcommunities=[compound],
            grids=[
                _grid("g1", buildings=("x1-b1",)),
                _grid("g2", units=("x1-b2-1", "x1-b2-2")),
            ],
        )
        assert community.grid_of("x1-b1-2").id == "g1"
        assert community.grid_of("x1-b2-1").id == "g2"

    def test_a_unit_in_no_grid_is_refused(self) -> None:
        """A unit left out of the grids is a gap."""
        with pytest.raises(GridGap, match="x1-b2-1 is in no grid"):
            Community(
                id="c",
                name="社区",
                subcommunities=[_compound()],
                grids=[_grid("g1", buildings=("x1-b1",))],
            )

    def test_a_unit_in_two_grids_is_refused(self) -> None:
        """A unit in two grids is an overlap."""
        with pytest.raises(GridOverlap, match="x1-b1-1 is in 2 grids"):
            Community(
                id="c",
                name="社区",
                subcommunities=[_compound()],
                grids=[
                    _grid("g1", buildings=("x1-b1", "x1-b2")),
                    _grid("g2", units=("x1-b1-1",)),
                ],
            )

    def test_grid_naming_an_unknown_building_is_refused(self) -> None:
        """A grid names only buildings of its own community."""
        with pytest.raises(UnknownReference, match="building 'elsewhere'"):
            Community(
                id="c",
                name="社区",
                subcommunities=[_compound(buildings=1, units=1)],
                grids=[_grid("g1", buildings=("x1-b1", "elsewhere"))],
            )

    def test_grid_findings_list_every_problem(self) -> None:
        """The audit lists every gap and overlap, not just the first."""
        findings = grid_findings(
            [_compound(buildings=2, units=2)],
            [_grid("g1", units=("x1-b1-1",)), _grid("g2", units=("x1-b1-1",))],
        )
        codes = [(f.subject, f.code) for f in findings]
        assert codes == [
            ("x1-b1-1", "organisation.grid_overlap"),
            ("x1-b1-2", "organisation.grid_gap"),
            ("x1-b2-1", "organisation.grid_gap"),
            ("x1-b2-2", "organisation.grid_gap"),
        ]

    def test_reassign_a_grid_worker(self) -> None:
        """The community returns a copy with the grid's new worker and the old one kept."""
        community = Community(
            id="c",
            name="社区",
            subcommunities=[_compound(buildings=1, units=1)],
            grids=[_grid("g1", buildings=("x1-b1",))],
        )
        changed = community.reassign_grid_worker(
            "g1", GridWorker(id="w9", name="丙"), on=pendulum.Date(2025, 1, 1)
        )
        assert changed.grid("g1").worker.id == "w9"
        assert community.grid("g1").worker.id == "g1-w"
        assert len(changed.grid("g1").assignments) == 2

    def test_unknown_grid_and_unit(self) -> None:
        """Lookups of ids the community lacks raise UnknownReference."""
        community = Community(id="c", name="社区")
        with pytest.raises(UnknownReference):
            community.grid("nope")
        with pytest.raises(UnknownReference):
            community.grid_of("nope")
        with pytest.raises(UnknownReference):
            community.subcommunity("nope")

    def test_unit_ids_unique_across_compounds(self) -> None:
        """Grids refer to units by id, so unit ids are unique in the community."""
        one = Subcommunity(
            id="x1",
            name="一",
            kind=SubcommunityKind.OTHER,
            buildings=[Building(id="b1", name="1栋", units=[Unit(id="u", name="1单元")])],
        )
        two = Subcommunity(
            id="x2",
            name="二",
            kind=SubcommunityKind.OTHER,
            buildings=[Building(id="b2", name="1栋", units=[Unit(id="u", name="1单元")])],
        )
        with pytest.raises(RuleViolation, match="unit id 'u'"):
            Community(id="c", name="社区", subcommunities=[one, two])


class TestCounty:
    def _county(self) -> County:
        return County(
            id="k",
            name="某县",
            kind=CountyKind.COUNTY,
            streets=[
                Street(
                    id="s1",
                    name="街道",
                    communities=[
                        Community(
                            id="c1",
                            name="一社区",
                            party_organisation="一社区党委",
                            subcommunities=[_compound("x1", 0)],
                        ),
                        Community(id="c2", name="二社区", subcommunities=[_compound("x2", 0)]),
                    ],
                )
            ],
        )

    def test_lookups(self) -> None:
        """The county finds compounds and their communities by id."""
        county = self._county()
        assert county.subcommunity("x2").name == "x2小区"
        assert county.community_of("x2").id == "c2"
        assert county.subcommunity_ids == frozenset({"x1", "x2"})
        assert county.community_party_organisations == ("一社区党委",)

    def test_unknown_compound(self) -> None:
        """A compound the county lacks is an unknown reference."""
        with pytest.raises(UnknownReference, match="nope"):
            self._county().subcommunity("nope")
        with pytest.raises(UnknownReference, match="nope"):
            self._county().community_of("nope")

    def test_compound_ids_unique_in_the_county(self) -> None:
        """Branches and rooms refer to compounds by id, so ids are unique county-wide."""
        with pytest.raises(RuleViolation, match="subcommunity id 'x1'"):
            County(
                id="k",
                name="某县",
                streets=[
                    Street(
                        id="s1",
                        name="街道",
                        communities=[
                            Community(id="c1", name="一", subcommunities=[_compound("x1", 0)]),
                            Community(id="c2", name="二", subcommunities=[_compound("x1", 0)]),
                        ],
                    )
                ],
            )

    def test_json_round_trip(self) -> None:
        """A county with grids and history survives JSON."""
        compound = _compound(buildings=1, units=2)
        grid = _grid("g1", buildings=("x1-b1",)).reassign(
            GridWorker(id="w2", name="乙"), on=pendulum.Date(2024, 1, 1)
        )
        county = County(
            id="k",
            name="某县",
            streets=[
                Street(
                    id="s",
                    name="街道",
                    communities=[
                        Community(id="c", name="社区", subcommunities=[compound], grids=[grid])
                    ],
                )
            ],
        )
        assert loads(dumps(county), County) == county


class TestOneVocabulary:
    """Ids, names and collections follow the shared rules."""

    def test_a_bare_string_is_not_a_collection_of_ids(self) -> None:
        """``buildings="x0001"`` would become the ids 'x', '0' and '1'."""
        with pytest.raises(TypeError, match="collection"):
            _grid(buildings="x1-b1")  # type: ignore[arg-type]

    def test_a_bare_string_is_not_a_list_of_villages(self) -> None:
        """``merged_villages="拆迁村1"`` would become its characters."""
        with pytest.raises(TypeError, match="collection"):
            Subcommunity(
                id="x1",
                name="x1小区",
                kind=SubcommunityKind.RESETTLEMENT,
                merged_villages="拆迁村1",  # type: ignore[arg-type]
            )

    @pytest.mark.parametrize("bad", ["", " ", " x1", "x1 ", "x\x001", "x\ud800", "x" * 129])
    def test_ids_follow_the_id_rule(self, bad: str) -> None:
        """A blank, padded, control-character or over-long id is an InvalidValue."""
        with pytest.raises(InvalidValue, match="an id is 1-128 printable characters"):
            Unit(id=bad, name="1单元")

    @pytest.mark.parametrize("bad", ["", "  ", "a\nb", "a\x00b", "名" * 201])
    def test_names_follow_the_name_rule(self, bad: str) -> None:
        """A blank, multi-line, NUL or over-long name is an InvalidValue."""
        with pytest.raises(InvalidValue, match="a name is one non-blank line"):
            Unit(id="u1", name=bad)

    def test_an_inner_space_in_an_id_is_allowed(self) -> None:
        """Ids may hold a space inside, as printed ids do."""
        assert Unit(id="1 单元", name="1单元").id == "1 单元"

    def test_repeated_ids_are_duplicate_ids(self) -> None:
        """Two buildings with one id are refused as a DuplicateId, still a RuleViolation."""
        building = Building.numbered(id="b1", name="1栋", units=1)
        with pytest.raises(DuplicateId, match="'b1' appears more than once"):
            Subcommunity(
                id="x1",
                name="x1小区",
                kind=SubcommunityKind.OTHER,
                buildings=[building, building],
            )

    def test_a_wrong_member_type_is_a_type_error(self) -> None:
        """A building list holding a string is a TypeError, not an AttributeError."""
        with pytest.raises(TypeError, match="must hold Building values"):
            Subcommunity(
                id="x1",
                name="x1小区",
                kind=SubcommunityKind.OTHER,
                buildings=["b1"],  # type: ignore[list-item]
            )

    def test_the_wire_refuses_a_string_for_a_set_of_ids(self) -> None:
        """In JSON too, a string where the grid's units belong is refused with its path."""
        data = json.loads(dumps(_grid(units=("x1-b1-u1",))))
        data["units"] = "x1-b1-u1"
        with pytest.raises(SerializationError) as info:
            loads(json.dumps(data), Grid)
        assert any(p.endswith("@ $.units") for p in info.value.problems)
