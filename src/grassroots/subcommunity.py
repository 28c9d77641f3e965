"""Places: county → street → community (社区) → subcommunity (小区) → building → unit, and grids.

Use this module to describe where things are. A
[`County`][grassroots.subcommunity.County] (县、区 or 县级市) holds
[`Street`][grassroots.subcommunity.Street] values (街道、镇 or 乡), each holding
[`Community`][grassroots.subcommunity.Community] values (社区, the level of the
residents' committee), each holding
[`Subcommunity`][grassroots.subcommunity.Subcommunity] values (小区, a
residential compound) with their [`Building`][grassroots.subcommunity.Building]
values (楼栋) and [`Unit`][grassroots.subcommunity.Unit] values (单元, a
stairwell entrance). A community divides its units among
[`Grid`][grassroots.subcommunity.Grid] values (网格), each looked after by a
[`GridWorker`][grassroots.subcommunity.GridWorker] (网格员).

Every place has a stable id (referred to by branches, rooms and projects) and a
Chinese name. Ids of subcommunities are unique in their county; ids of
buildings, units and grids are unique in their community.

Rule: every unit of a community is in exactly one grid of that community
(grid management practice, 网格化管理: one unit, one grid, one grid worker).

Examples:
    The Longju compound (龙居小区) of Hanzhou street, Guanghan: a resettlement
    compound (安置小区) merged from 6 relocated villages, 17 buildings and 39
    units, all covered by grid workers.

    >>> import pendulum
    >>> buildings = [Building.numbered(id=f"b{n:02}", name=f"{n}栋", units=3) for n in range(1, 6)]
    >>> buildings += [
    ...     Building.numbered(id=f"b{n:02}", name=f"{n}栋", units=2) for n in range(6, 18)
    ... ]
    >>> longju = Subcommunity(
    ...     id="longju",
    ...     name="龙居小区",
    ...     kind=SubcommunityKind.RESETTLEMENT,
    ...     buildings=buildings,
    ...     residents=10_200,
    ...     merged_villages=[f"拆迁村{n}" for n in range(1, 7)],
    ... )
    >>> longju.building_count, longju.unit_count, len(longju.merged_villages)
    (17, 39, 6)
    >>> grid = Grid.staffed(
    ...     id="g1",
    ...     name="龙居网格",
    ...     worker=GridWorker(id="w1", name="网格员甲"),
    ...     since=pendulum.Date(2023, 1, 1),
    ...     buildings=[b.id for b in buildings],
    ... )
    >>> community = Community(
    ...     id="longju-sq", name="龙居社区", subcommunities=[longju], grids=[grid]
    ... )
    >>> community.grid_of("b17-2").worker.name
    '网格员甲'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator

import attrs
import pendulum

from grassroots._validators import (
    identifier,
    identifiers,
    instances_of,
    name,
    names,
    optional_count,
    optional_name,
    require_unique,
    to_date,
    to_frozenset,
    to_optional_date,
    to_tuple,
)
from grassroots.audit import Finding
from grassroots.errors import (
    GridGap,
    GridOverlap,
    InvalidTransition,
    RuleViolation,
    UnknownReference,
)

__all__ = [
    "GRID_RULE",
    "Building",
    "Community",
    "County",
    "CountyKind",
    "Grid",
    "GridAssignment",
    "GridWorker",
    "Street",
    "StreetKind",
    "Subcommunity",
    "SubcommunityKind",
    "Unit",
    "grid_findings",
]

GRID_RULE = "网格化管理: every unit of a community is in exactly one grid of that community"
"""The grid rule, as cited in errors and findings (local grid-management practice)."""


class CountyKind(enum.Enum):
    """The kind of county-level division (县级行政区)."""

    COUNTY = "county"
    """县, such as Tancheng county (郯城县)."""
    DISTRICT = "district"
    """市辖区, a city district."""
    COUNTY_LEVEL_CITY = "county_level_city"
    """县级市, such as Guanghan (广汉市)."""

    @property
    def zh(self) -> str:
        """The Chinese name of the kind."""
        return {"county": "县", "district": "区", "county_level_city": "县级市"}[self.value]


class StreetKind(enum.Enum):
    """The kind of township-level division (乡级行政区)."""

    STREET = "street"
    """街道, an urban subdistrict with a street office."""
    TOWN = "town"
    """镇."""
    TOWNSHIP = "township"
    """乡."""

    @property
    def zh(self) -> str:
        """The Chinese name of the kind."""
        return {"street": "街道", "town": "镇", "township": "乡"}[self.value]


class SubcommunityKind(enum.Enum):
    """The kind of residential compound (小区)."""

    COMMERCIAL_RESIDENTIAL = "commercial_residential"
    """商住小区: commercial housing, often with shops on the ground floor (Tancheng's 124)."""
    RESETTLEMENT = "resettlement"
    """安置小区: housing for relocated villagers, such as Longju (龙居)."""
    WORK_UNIT = "work_unit"
    """单位小区: a former work-unit housing estate."""
    OLD_ESTATE = "old_estate"
    """老旧小区: an old estate, often without a property-service company."""
    OTHER = "other"
    """Any other kind."""

    @property
    def zh(self) -> str:
        """The Chinese name of the kind."""
        return {
            "commercial_residential": "商住小区",
            "resettlement": "安置小区",
            "work_unit": "单位小区",
            "old_estate": "老旧小区",
            "other": "其他小区",
        }[self.value]


@attrs.frozen(kw_only=True)
class Unit:
    """A unit (单元): one stairwell entrance of a building, the smallest place a grid holds.

    Args:
        id: Stable id, unique in its community.
        name: Chinese name, such as ``"1单元"``.
        households: Households (户) living in the unit, if surveyed.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    households: int | None = attrs.field(default=None, validator=optional_count)


@attrs.frozen(kw_only=True)
class Building:
    """A building (楼栋) of a subcommunity, made of one or more units (单元).

    Args:
        id: Stable id, unique in its community.
        name: Chinese name, such as ``"3栋"``.
        units: The building's units, at least one.

    Raises:
        RuleViolation: the building has no unit, or a unit id repeats.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    units: tuple[Unit, ...] = attrs.field(converter=to_tuple, validator=instances_of(Unit))

    def __attrs_post_init__(self) -> None:
        if not self.units:
            raise RuleViolation(
                f"building {self.id} has no unit; a building has at least one unit",
                value=0,
                limit=1,
                rule="a building (楼栋) has at least one unit (单元)",
            )
        require_unique((u.id for u in self.units), what="unit", scope=f"building {self.id}")

    @classmethod
    def numbered(cls, *, id: str, name: str, units: int) -> Building:  # noqa: A002
        """Return a building with ``units`` units named ``1单元``, ``2单元``, ….

        Unit ids are the building id, a hyphen and the unit number (``"b03-2"``).

        Examples:
            >>> [u.id for u in Building.numbered(id="b03", name="3栋", units=2).units]
            ['b03-1', 'b03-2']
        """
        return cls(
            id=id,
            name=name,
            units=[Unit(id=f"{id}-{n}", name=f"{n}单元") for n in range(1, units + 1)],
        )


@attrs.frozen(kw_only=True)
class Subcommunity:
    """A subcommunity (小区): a residential compound of a community, with its buildings.

    Args:
        id: Stable id, unique in its county; branches and rooms refer to it.
        name: Chinese name, such as ``"龙居小区"``.
        kind: Commercial-residential (商住), resettlement (安置), ….
        buildings: The buildings (楼栋), if recorded. A compound known only by
            name (as Tancheng's 124 are in the case) has none.
        households: Households (户), if surveyed.
        residents: Residents (常住居民), if counted.
        merged_villages: For a resettlement compound, the villages whose
            people it rehoused (Longju: 6 relocated villages, 拆迁村).

    Raises:
        RuleViolation: a building or unit id repeats in the compound.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    kind: SubcommunityKind = attrs.field(validator=attrs.validators.instance_of(SubcommunityKind))
    buildings: tuple[Building, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Building)
    )
    households: int | None = attrs.field(default=None, validator=optional_count)
    residents: int | None = attrs.field(default=None, validator=optional_count)
    merged_villages: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=names)

    def __attrs_post_init__(self) -> None:
        require_unique((b.id for b in self.buildings), what="building", scope=f"小区 {self.id}")
        require_unique((u.id for u in self.units()), what="unit", scope=f"小区 {self.id}")
        require_unique(self.merged_villages, what="village", scope=f"小区 {self.id}")

    def units(self) -> Iterator[Unit]:
        """Yield every unit of every building, in order."""
        for building in self.buildings:
            yield from building.units

    @property
    def building_count(self) -> int:
        """The number of buildings (楼栋)."""
        return len(self.buildings)

    @property
    def unit_count(self) -> int:
        """The number of units (单元)."""
        return sum(len(b.units) for b in self.buildings)


@attrs.frozen(kw_only=True)
class GridWorker:
    """A grid worker (网格员): collects residents' views and suggestions in one grid.

    Args:
        id: Stable id.
        name: Name as used in the community's own records.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)


@attrs.frozen(kw_only=True)
class GridAssignment:
    """One grid worker's time in charge of a grid, from ``since`` until ``until`` (exclusive).

    Args:
        worker: The grid worker.
        since: First day in charge.
        until: The day the next worker took over, or ``None`` while in charge.
    """

    worker: GridWorker = attrs.field(validator=attrs.validators.instance_of(GridWorker))
    since: pendulum.Date = attrs.field(converter=to_date)
    until: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.until < self.since:
            raise RuleViolation(
                f"grid assignment of {self.worker.id} ends {self.until} before it starts"
                f" {self.since}",
                value=str(self.until),
                limit=str(self.since),
                rule="an assignment ends on or after its first day",
            )

    def covers(self, on: pendulum.Date) -> bool:
        """Return whether the worker was in charge on ``on``."""
        return self.since <= on and (self.until is None or on < self.until)


@attrs.frozen(kw_only=True)
class Grid:
    """A grid (网格): whole buildings or single units of one community, with its grid worker.

    A building listed in ``buildings`` brings all of its units. The grid keeps
    the history of its workers: reassigning closes the current assignment and
    opens a new one ([`reassign`][grassroots.subcommunity.Grid.reassign]).

    Args:
        id: Stable id, unique in its community.
        name: Chinese name.
        buildings: Ids of whole buildings in the grid.
        units: Ids of single units in the grid (beyond its whole buildings).
        assignments: The workers in charge, oldest first; the last is current
            and open-ended. Use [`staffed`][grassroots.subcommunity.Grid.staffed]
            to start a grid with one worker.

    Raises:
        RuleViolation: the grid holds nothing, has no worker, or its assignments
            overlap, run backwards or leave the current one closed.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    buildings: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=identifiers
    )
    units: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=identifiers
    )
    assignments: tuple[GridAssignment, ...] = attrs.field(
        converter=to_tuple, validator=instances_of(GridAssignment)
    )

    def __attrs_post_init__(self) -> None:
        if not self.buildings and not self.units:
            raise RuleViolation(
                f"grid {self.id} holds no building and no unit ({GRID_RULE})",
                value=0,
                limit=1,
                rule=GRID_RULE,
            )
        if not self.assignments:
            raise RuleViolation(
                f"grid {self.id} has no grid worker; each grid has one ({GRID_RULE})",
                value=0,
                limit=1,
                rule=GRID_RULE,
            )
        for earlier, later in zip(self.assignments, self.assignments[1:], strict=False):
            if earlier.until is None or earlier.until > later.since:
                raise RuleViolation(
                    f"grid {self.id}: assignment of {later.worker.id} from {later.since} overlaps"
                    f" that of {earlier.worker.id} (until {earlier.until or 'open'})",
                    value=str(later.since),
                    limit=str(earlier.until),
                    rule="one grid worker at a time, history kept in order",
                )
        if self.assignments[-1].until is not None:
            raise RuleViolation(
                f"grid {self.id} has no current grid worker (the last assignment ended"
                f" {self.assignments[-1].until})",
                value=str(self.assignments[-1].until),
                limit="open-ended",
                rule=GRID_RULE,
            )

    @classmethod
    def staffed(
        cls,
        *,
        id: str,  # noqa: A002
        name: str,
        worker: GridWorker,
        since: pendulum.Date,
        buildings: Iterable[str] = (),
        units: Iterable[str] = (),
    ) -> Grid:
        """Return a new grid with one grid worker in charge from ``since``."""
        return cls(
            id=id,
            name=name,
            buildings=to_frozenset(buildings),
            units=to_frozenset(units),
            assignments=(GridAssignment(worker=worker, since=since),),
        )

    @property
    def worker(self) -> GridWorker:
        """The grid worker in charge now (the last assignment)."""
        return self.assignments[-1].worker

    def worker_on(self, on: pendulum.Date) -> GridWorker | None:
        """Return the grid worker in charge on ``on``, or ``None`` if there was none."""
        for assignment in self.assignments:
            if assignment.covers(on):
                return assignment.worker
        return None

    def reassign(self, worker: GridWorker, *, on: pendulum.Date) -> Grid:
        """Return this grid with ``worker`` in charge from ``on``; the history is kept.

        Raises:
            InvalidTransition: ``on`` is before the current worker's first day,
                or ``worker`` is already in charge.

        Examples:
            >>> grid = Grid.staffed(
            ...     id="g1",
            ...     name="一网格",
            ...     worker=GridWorker(id="w1", name="甲"),
            ...     since=pendulum.Date(2023, 1, 1),
            ...     buildings=["b01"],
            ... )
            >>> grid = grid.reassign(GridWorker(id="w2", name="乙"), on=pendulum.Date(2024, 3, 1))
            >>> grid.worker.name, grid.worker_on(pendulum.Date(2023, 6, 1)).name
            ('乙', '甲')
        """
        current = self.assignments[-1]
        on = to_date(on)
        if worker.id == current.worker.id:
            raise InvalidTransition(
                f"grid {self.id}: {worker.id} is already its grid worker",
                value=worker.id,
                limit="another worker",
                rule="reassigning a grid worker names a new worker",
            )
        if on < current.since:
            raise InvalidTransition(
                f"grid {self.id}: reassignment on {on} is before the current worker's first"
                f" day {current.since}",
                value=str(on),
                limit=str(current.since),
                rule="grid history is kept in order",
            )
        closed = attrs.evolve(current, until=on)
        return attrs.evolve(
            self,
            assignments=(*self.assignments[:-1], closed, GridAssignment(worker=worker, since=on)),
        )

    def unit_ids(self, buildings: Iterable[Building]) -> frozenset[str]:
        """Return the ids of every unit in this grid, given the community's buildings."""
        ids = set(self.units)
        for building in buildings:
            if building.id in self.buildings:
                ids.update(u.id for u in building.units)
        return frozenset(ids)


def grid_findings(
    subcommunities: Iterable[Subcommunity], grids: Iterable[Grid]
) -> tuple[Finding, ...]:
    """Return every unit left out of the grids or put in more than one, as findings.

    Rule: every unit of a community is in exactly one grid of that community
    (网格化管理).

    Args:
        subcommunities: The community's compounds.
        grids: The community's grids.

    Returns:
        One [`Finding`][grassroots.audit.Finding] per unit in no grid (code
        ``organisation.grid_gap``) or in several (``organisation.grid_overlap``),
        in the order of the units; empty when the grids are sound.

    Raises:
        UnknownReference: a grid names a building or unit the compounds do not have.
    """
    buildings = [b for s in subcommunities for b in s.buildings]
    unit_ids = [u.id for b in buildings for u in b.units]
    building_ids = {b.id for b in buildings}
    known_units = set(unit_ids)
    holders: dict[str, list[str]] = {unit_id: [] for unit_id in unit_ids}
    for grid in grids:
        for building_id in sorted(grid.buildings - building_ids):
            raise UnknownReference(
                f"grid {grid.id} names building {building_id!r}, which is not in its community",
                value=building_id,
                rule=GRID_RULE,
            )
        for unit_id in sorted(grid.units - known_units):
            raise UnknownReference(
                f"grid {grid.id} names unit {unit_id!r}, which is not in its community",
                value=unit_id,
                rule=GRID_RULE,
            )
        for unit_id in grid.unit_ids(buildings):
            holders[unit_id].append(grid.id)
    findings: list[Finding] = []
    for unit_id in unit_ids:
        held_by = holders[unit_id]
        if not held_by:
            findings.append(
                Finding(
                    rule=GRID_RULE,
                    subject=unit_id,
                    message=f"unit {unit_id} is in no grid ({GRID_RULE})",
                    code=GridGap.code,
                )
            )
        elif len(held_by) > 1:
            findings.append(
                Finding(
                    rule=GRID_RULE,
                    subject=unit_id,
                    message=f"unit {unit_id} is in {len(held_by)} grids {sorted(held_by)}"
                    f" ({GRID_RULE})",
                    code=GridOverlap.code,
                )
            )
    return tuple(findings)


@attrs.frozen(kw_only=True)
class Community:
    """A community (社区): the area of one residents' committee, with its compounds and grids.

    Rule: every unit of its compounds is in exactly one of its grids.

    Source: grid-management practice (网格化管理); local practice, not statute.

    Args:
        id: Stable id, unique in its county.
        name: Chinese name, such as ``"龙居社区"``.
        subcommunities: Its compounds (小区).
        grids: Its grids (网格); every unit of its compounds is in exactly one.
        party_organisation: The name of the community's Party organisation
            (社区党组织: 党委, 党总支 or 党支部), if it has one.

    Raises:
        GridGap: a unit is in no grid.
        GridOverlap: a unit is in more than one grid.
        UnknownReference: a grid names a building or unit the community lacks.
        RuleViolation: an id repeats.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    subcommunities: tuple[Subcommunity, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Subcommunity)
    )
    grids: tuple[Grid, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Grid)
    )
    party_organisation: str | None = attrs.field(default=None, validator=optional_name)

    def __attrs_post_init__(self) -> None:
        scope = f"社区 {self.id}"
        require_unique((s.id for s in self.subcommunities), what="subcommunity", scope=scope)
        buildings = [b for s in self.subcommunities for b in s.buildings]
        require_unique((b.id for b in buildings), what="building", scope=scope)
        require_unique((u.id for b in buildings for u in b.units), what="unit", scope=scope)
        require_unique((g.id for g in self.grids), what="grid", scope=scope)
        for finding in grid_findings(self.subcommunities, self.grids):
            error = GridGap if finding.code == GridGap.code else GridOverlap
            raise error(
                f"社区 {self.id}: {finding.message}",
                value=finding.subject,
                limit="exactly one grid",
                rule=GRID_RULE,
            )

    def subcommunity(self, subcommunity_id: str) -> Subcommunity:
        """Return the compound with this id.

        Raises:
            UnknownReference: the community has no such compound.
        """
        for sub in self.subcommunities:
            if sub.id == subcommunity_id:
                return sub
        raise UnknownReference(
            f"社区 {self.id} has no subcommunity {subcommunity_id!r}", value=subcommunity_id
        )

    def grid(self, grid_id: str) -> Grid:
        """Return the grid with this id.

        Raises:
            UnknownReference: the community has no such grid.
        """
        for grid in self.grids:
            if grid.id == grid_id:
                return grid
        raise UnknownReference(f"社区 {self.id} has no grid {grid_id!r}", value=grid_id)

    def grid_of(self, unit_id: str) -> Grid:
        """Return the one grid that holds the unit with this id.

        Raises:
            UnknownReference: the community has no such unit.
        """
        buildings = [b for s in self.subcommunities for b in s.buildings]
        for grid in self.grids:
            if unit_id in grid.unit_ids(buildings):
                return grid
        raise UnknownReference(f"社区 {self.id} has no unit {unit_id!r}", value=unit_id)

    def reassign_grid_worker(
        self, grid_id: str, worker: GridWorker, *, on: pendulum.Date
    ) -> Community:
        """Return this community with ``worker`` in charge of grid ``grid_id`` from ``on``.

        Raises:
            UnknownReference: the community has no such grid.
            InvalidTransition: as [`Grid.reassign`][grassroots.subcommunity.Grid.reassign].
        """
        target = self.grid(grid_id)
        updated = target.reassign(worker, on=on)
        return attrs.evolve(
            self, grids=tuple(updated if g.id == grid_id else g for g in self.grids)
        )

    @property
    def unit_count(self) -> int:
        """The number of units (单元) in all the community's compounds."""
        return sum(s.unit_count for s in self.subcommunities)

    @property
    def building_count(self) -> int:
        """The number of buildings (楼栋) in all the community's compounds."""
        return sum(s.building_count for s in self.subcommunities)


@attrs.frozen(kw_only=True)
class Street:
    """A street (街道), town (镇) or township (乡): the level above communities.

    Args:
        id: Stable id, unique in its county.
        name: Chinese name, such as ``"汉州街道"``.
        communities: Its communities (社区).
        kind: Street, town or township.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    communities: tuple[Community, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Community)
    )
    kind: StreetKind = attrs.field(
        default=StreetKind.STREET, validator=attrs.validators.instance_of(StreetKind)
    )

    def __attrs_post_init__(self) -> None:
        require_unique((c.id for c in self.communities), what="community", scope=f"{self.id}")


@attrs.frozen(kw_only=True)
class County:
    """A county-level division (县、区 or 县级市): the scope of coverage and inventory reports.

    Args:
        id: Stable id.
        name: Chinese name, such as ``"郯城县"``.
        streets: Its streets, towns and townships.
        kind: County, district or county-level city.

    Raises:
        RuleViolation: a street, community or subcommunity id repeats in the county.

    Examples:
        >>> county = County(
        ...     id="tancheng",
        ...     name="郯城县",
        ...     streets=[
        ...         Street(
        ...             id="s1",
        ...             name="某街道",
        ...             communities=[
        ...                 Community(
        ...                     id="c1",
        ...                     name="某社区",
        ...                     party_organisation="某社区党委",
        ...                     subcommunities=[
        ...                         Subcommunity(
        ...                             id="x1",
        ...                             name="某小区",
        ...                             kind=SubcommunityKind.COMMERCIAL_RESIDENTIAL,
        ...                         )
        ...                     ],
        ...                 )
        ...             ],
        ...         )
        ...     ],
        ... )
        >>> [s.name for s in county.subcommunities], county.community_of("x1").name
        (['某小区'], '某社区')
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=name)
    streets: tuple[Street, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Street)
    )
    kind: CountyKind = attrs.field(
        default=CountyKind.COUNTY, validator=attrs.validators.instance_of(CountyKind)
    )

    def __attrs_post_init__(self) -> None:
        scope = f"county {self.id}"
        require_unique((s.id for s in self.streets), what="street", scope=scope)
        require_unique((c.id for c in self.communities), what="community", scope=scope)
        require_unique((s.id for s in self.subcommunities), what="subcommunity", scope=scope)

    @property
    def communities(self) -> tuple[Community, ...]:
        """Every community of every street, in order."""
        return tuple(c for street in self.streets for c in street.communities)

    @property
    def subcommunities(self) -> tuple[Subcommunity, ...]:
        """Every compound of every community, in order."""
        return tuple(s for c in self.communities for s in c.subcommunities)

    @property
    def subcommunity_ids(self) -> frozenset[str]:
        """The ids of every compound."""
        return frozenset(s.id for s in self.subcommunities)

    @property
    def community_party_organisations(self) -> tuple[str, ...]:
        """The names of the communities' Party organisations (社区党组织), in order."""
        return tuple(
            c.party_organisation for c in self.communities if c.party_organisation is not None
        )

    def subcommunity(self, subcommunity_id: str) -> Subcommunity:
        """Return the compound with this id.

        Raises:
            UnknownReference: the county has no such compound.
        """
        for sub in self.subcommunities:
            if sub.id == subcommunity_id:
                return sub
        raise UnknownReference(
            f"{self.name} has no subcommunity {subcommunity_id!r}", value=subcommunity_id
        )

    def community_of(self, subcommunity_id: str) -> Community:
        """Return the community that holds the compound with this id.

        Raises:
            UnknownReference: the county has no such compound.
        """
        for community in self.communities:
            if any(s.id == subcommunity_id for s in community.subcommunities):
                return community
        raise UnknownReference(
            f"{self.name} has no subcommunity {subcommunity_id!r}", value=subcommunity_id
        )
