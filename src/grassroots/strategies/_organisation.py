"""Strategies for places, people, branches, rooms and talent (private module).

Import them from [`grassroots.strategies`][grassroots.strategies].
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Sequence
from decimal import Decimal

import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots.branch import (
    COMMITTEE_FROM_FULL_MEMBERS,
    COMMITTEE_SIZE_MAX,
    COMMITTEE_SIZE_MIN,
    MIN_FULL_MEMBERS,
    BranchKind,
    BranchMember,
    MemberStatus,
    Officer,
    PartyBranch,
    SecretarySource,
)
from grassroots.money import yuan
from grassroots.resident import Resident, ResidentGroup
from grassroots.room import (
    ART_278_PARTICIPATION,
    ART_278_SPECIAL_APPROVAL,
    Ownership,
    OwnersVote,
    PublicServiceRoom,
    RoomStatus,
    square_metres,
)
from grassroots.subcommunity import (
    Building,
    Community,
    County,
    CountyKind,
    Grid,
    GridWorker,
    Street,
    StreetKind,
    Subcommunity,
    SubcommunityKind,
)
from grassroots.talent import (
    Firm,
    FirmKind,
    Intermediary,
    IntermediaryKind,
    LiaisonEvent,
    ListItem,
    ListKind,
    RewardSchedule,
    Talent,
    TalentOrigin,
    TalentProgramme,
)

_FIRST_DAY = _dt.date(2000, 1, 1)
_LAST_DAY = _dt.date(2035, 12, 31)


def _dates(
    min_value: _dt.date = _FIRST_DAY, max_value: _dt.date = _LAST_DAY
) -> st.SearchStrategy[pendulum.Date]:
    return st.dates(min_value=min_value, max_value=max_value).map(
        lambda d: pendulum.Date(d.year, d.month, d.day)
    )


def _check_sizes(low: int, high: int, low_name: str, high_name: str) -> None:
    if low < 0:
        raise InvalidArgument(f"{low_name} {low} is negative")
    if low > high:
        raise InvalidArgument(f"{low_name} {low} is greater than {high_name} {high}")


def _cuts(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` non-negative sizes."""
    points = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *points, total]
    return [b - a for a, b in itertools.pairwise(edges)]


# --- places ---------------------------------------------------------------------------


@st.composite
def _subcommunity(
    draw: st.DrawFn,
    sub_id: str,
    kinds: st.SearchStrategy[SubcommunityKind],
    max_buildings: int,
    max_units: int,
) -> Subcommunity:
    kind = draw(kinds)
    buildings = [
        Building.numbered(id=f"{sub_id}-b{n}", name=f"{n}栋", units=draw(st.integers(1, max_units)))
        for n in range(1, draw(st.integers(0, max_buildings)) + 1)
    ]
    villages: list[str] = []
    if kind is SubcommunityKind.RESETTLEMENT:
        villages = [f"{sub_id}-村{n}" for n in range(1, draw(st.integers(0, 6)) + 1)]
    residents = draw(st.none() | st.integers(0, 20_000))
    households = draw(st.none() | st.integers(0, 5_000))
    return Subcommunity(
        id=sub_id,
        name=f"{sub_id}小区",
        kind=kind,
        buildings=buildings,
        households=households,
        residents=residents,
        merged_villages=villages,
    )


def subcommunities(
    *,
    kinds: st.SearchStrategy[SubcommunityKind] = st.sampled_from(SubcommunityKind),
    max_buildings: int = 4,
    max_units: int = 4,
) -> st.SearchStrategy[Subcommunity]:
    """Draw a [`Subcommunity`][grassroots.subcommunity.Subcommunity] (小区) with its buildings.

    Shrinks toward a compound of the first kind with no building. Needs the
    ``hypothesis`` extra.

    Args:
        kinds: The kinds to draw from.
        max_buildings: Most buildings (0 allowed, as for a compound known by name only).
        max_units: Most units per building (at least 1).

    Raises:
        InvalidArgument: ``max_buildings`` is negative or ``max_units`` below 1.
    """
    _check_sizes(0, max_buildings, "0", "max_buildings")
    _check_sizes(1, max_units, "1", "max_units")
    ids = st.integers(1, 9_999).map(lambda n: f"x{n:04}")
    return ids.flatmap(lambda sub_id: _subcommunity(sub_id, kinds, max_buildings, max_units))


@st.composite
def _grids(draw: st.DrawFn, community_id: str, subs: Sequence[Subcommunity]) -> list[Grid]:
    buildings = [b for s in subs for b in s.buildings]
    if not buildings:
        return []
    grid_count = draw(st.integers(1, 3))
    whole: dict[int, list[str]] = {g: [] for g in range(grid_count)}
    single: dict[int, list[str]] = {g: [] for g in range(grid_count)}
    for building in buildings:
        if draw(st.booleans()):
            whole[draw(st.integers(0, grid_count - 1))].append(building.id)
        else:
            for unit in building.units:
                single[draw(st.integers(0, grid_count - 1))].append(unit.id)
    grids: list[Grid] = []
    for g in range(grid_count):
        if not whole[g] and not single[g]:
            continue
        grid_id = f"{community_id}-g{g}"
        since = draw(_dates(max_value=_dt.date(2030, 12, 31)))
        grid = Grid.staffed(
            id=grid_id,
            name=f"{g + 1}号网格",
            worker=GridWorker(id=f"{grid_id}-w0", name="网格员"),
            since=since,
            buildings=whole[g],
            units=single[g],
        )
        for n in range(1, draw(st.integers(0, 2)) + 1):
            since = since.add(days=draw(st.integers(0, 400)))
            grid = grid.reassign(GridWorker(id=f"{grid_id}-w{n}", name="网格员"), on=since)
        grids.append(grid)
    return grids


@st.composite
def _county(
    draw: st.DrawFn,
    *,
    min_subcommunities: int,
    max_subcommunities: int,
    max_streets: int,
    max_communities: int,
    kinds: st.SearchStrategy[SubcommunityKind],
    max_buildings: int,
    max_units: int,
) -> County:
    total = draw(st.integers(min_subcommunities, max_subcommunities))
    street_count = draw(st.integers(1, max_streets))
    streets: list[Street] = []
    sub_number = 0
    for street_index, subs_in_street in enumerate(_cuts(draw, total, street_count)):
        community_count = draw(st.integers(1, max_communities))
        communities: list[Community] = []
        for community_index, size in enumerate(_cuts(draw, subs_in_street, community_count)):
            community_id = f"c{street_index}-{community_index}"
            subs = []
            for _ in range(size):
                sub_number += 1
                subs.append(
                    draw(_subcommunity(f"x{sub_number:04}", kinds, max_buildings, max_units))
                )
            communities.append(
                Community(
                    id=community_id,
                    name=f"{community_id}社区",
                    subcommunities=subs,
                    grids=draw(_grids(community_id, subs)),
                    party_organisation=draw(st.none() | st.just(f"{community_id}社区党委")),
                )
            )
        streets.append(
            Street(
                id=f"s{street_index}",
                name=f"{street_index}街道",
                communities=communities,
                kind=draw(st.sampled_from(StreetKind)),
            )
        )
    return County(id="county", name="某县", streets=streets, kind=draw(st.sampled_from(CountyKind)))


def counties(
    *,
    min_subcommunities: int = 0,
    max_subcommunities: int = 12,
    max_streets: int = 3,
    max_communities: int = 3,
    kinds: st.SearchStrategy[SubcommunityKind] = st.sampled_from(SubcommunityKind),
    max_buildings: int = 2,
    max_units: int = 3,
) -> st.SearchStrategy[County]:
    """Draw a [`County`][grassroots.subcommunity.County]: streets, communities, compounds and grids.

    Every unit is in exactly one grid of its community; grids change workers
    now and then. Compound ids are ``x0001``, ``x0002``, … in county order.
    Shrinks toward one street with one empty community. Needs the
    ``hypothesis`` extra.

    Args:
        min_subcommunities: Fewest compounds in the county.
        max_subcommunities: Most compounds in the county.
        max_streets: Most streets (at least 1).
        max_communities: Most communities per street (at least 1).
        kinds: The kinds of compound to draw from.
        max_buildings: Most buildings per compound.
        max_units: Most units per building (at least 1).

    Raises:
        InvalidArgument: a bound is negative, a minimum exceeds its maximum, or
            ``max_streets``, ``max_communities`` or ``max_units`` is below 1.
    """
    _check_sizes(min_subcommunities, max_subcommunities, "min_subcommunities", "max_subcommunities")
    _check_sizes(1, max_streets, "1", "max_streets")
    _check_sizes(1, max_communities, "1", "max_communities")
    _check_sizes(0, max_buildings, "0", "max_buildings")
    _check_sizes(1, max_units, "1", "max_units")
    return _county(
        min_subcommunities=min_subcommunities,
        max_subcommunities=max_subcommunities,
        max_streets=max_streets,
        max_communities=max_communities,
        kinds=kinds,
        max_buildings=max_buildings,
        max_units=max_units,
    )


# --- people -------------------------------------------------------------------------------


@st.composite
def _resident(draw: st.DrawFn) -> Resident:
    groups = set(
        draw(st.frozensets(st.sampled_from(ResidentGroup), max_size=3))
        - {ResidentGroup.PARTY_MEMBER_PROBATIONARY}
    )
    if ResidentGroup.PARTY_MEMBER_FULL not in groups and draw(st.booleans()):
        groups.add(ResidentGroup.PARTY_MEMBER_PROBATIONARY)
    name = draw(st.none() | st.sampled_from(["林某", "叶某", "薛某", "蒋某"]))
    return Resident(
        id=f"r{draw(st.integers(1, 99_999))}",
        household_id=f"h{draw(st.integers(1, 9_999))}",
        born_on=draw(_dates(min_value=_dt.date(1920, 1, 1), max_value=_dt.date(2025, 12, 31))),
        groups=groups,
        name=name,
        named_in_reports=name is not None and draw(st.booleans()),
    )


def residents() -> st.SearchStrategy[Resident]:
    """Draw a [`Resident`][grassroots.resident.Resident], with groups and an optional opt-in name.

    Shrinks toward a resident with no group and no name. Needs the
    ``hypothesis`` extra.
    """
    return _resident()


# --- branches -------------------------------------------------------------------------------


@st.composite
def _branch(
    draw: st.DrawFn,
    *,
    coverage: st.SearchStrategy[frozenset[str]],
    kinds: st.SearchStrategy[BranchKind],
    min_full: int,
    max_full: int,
    max_probationary: int,
    branch_id: str | None,
) -> PartyBranch:
    kind = draw(kinds)
    formed_on = draw(_dates(max_value=_dt.date(2030, 12, 31)))
    full = draw(st.integers(min_full, max_full))
    probationary = draw(st.integers(0, max_probationary))
    units: list[str] = []
    if kind is BranchKind.JOINT:
        units = [f"unit{n}" for n in range(draw(st.integers(2, 7)))]

    def unit() -> str | None:
        return draw(st.sampled_from(units)) if units else None

    members = [
        BranchMember(
            person_id=f"p{n}",
            status=MemberStatus.FULL,
            joined_on=formed_on.add(days=draw(st.integers(-20_000, 2_000))),
            unit=unit(),
        )
        for n in range(full)
    ] + [
        BranchMember(
            person_id=f"q{n}",
            status=MemberStatus.PROBATIONARY,
            joined_on=formed_on.add(days=draw(st.integers(-20_000, 2_000))),
            unit=unit(),
        )
        for n in range(probationary)
    ]
    full_ids = [m.person_id for m in members if m.status is MemberStatus.FULL]
    committee: list[str] = []
    if full >= COMMITTEE_FROM_FULL_MEMBERS and draw(st.booleans()):
        size = draw(st.integers(COMMITTEE_SIZE_MIN, min(COMMITTEE_SIZE_MAX + 1, full)))
        committee = full_ids[:size]
    pool = committee or full_ids
    secretary = None
    if draw(st.booleans()):
        approved_by = draw(st.none() | st.just("street-party-committee"))
        secretary = Officer(
            person_id=draw(st.sampled_from(pool)),
            source=draw(st.sampled_from(SecretarySource)),
            since=formed_on,
            approved_by=approved_by,
            appointed=approved_by is not None and draw(st.booleans()),
        )
    deputy = None
    others = [p for p in pool if secretary is None or p != secretary.person_id]
    if len(others) > 0 and draw(st.booleans()):
        deputy = Officer(person_id=draw(st.sampled_from(others)), since=formed_on)
    cover = draw(coverage)
    if kind is BranchKind.COMPOUND and not cover:
        cover = frozenset({"x0001"})
    return PartyBranch(
        id=branch_id or f"b{draw(st.integers(1, 9_999))}",
        name="某党支部",
        kind=kind,
        coverage=cover,
        units=units,
        members=members,
        secretary=secretary,
        deputy=deputy,
        committee=committee,
        formed_on=formed_on,
        term_started_on=formed_on.add(days=draw(st.integers(0, 2_000))),
    )


def party_branches(
    *,
    coverage: st.SearchStrategy[frozenset[str]] | None = None,
    kinds: st.SearchStrategy[BranchKind] = st.sampled_from(BranchKind),
    min_full_members: int = MIN_FULL_MEMBERS,
    max_full_members: int = 12,
    max_probationary_members: int = 3,
) -> st.SearchStrategy[PartyBranch]:
    """Draw a valid [`PartyBranch`][grassroots.branch.PartyBranch] (党支部).

    Branches with 7 or more full members sometimes have a committee (up to 8,
    so the soft warnings appear too); secretaries and deputies come and go.
    Shrinks toward a compound branch with 3 full members and no officers.
    Needs the ``hypothesis`` extra.

    Args:
        coverage: Sets of compound ids to cover; default 1 to 4 ids ``x0001``…
            A compound branch given an empty set covers ``x0001``.
        kinds: Compound (实体化小区党支部) or joint (联合党支部).
        min_full_members: Fewest full members, at least 3 (支部工作条例 art. 4).
        max_full_members: Most full members.
        max_probationary_members: Most probationary members.

    Raises:
        InvalidArgument: ``min_full_members`` is below 3 or above
            ``max_full_members``, or ``max_probationary_members`` is negative.
    """
    if min_full_members < MIN_FULL_MEMBERS:
        raise InvalidArgument(
            f"min_full_members {min_full_members} is below {MIN_FULL_MEMBERS}; a branch needs"
            " at least 3 full members (支部工作条例 art. 4)"
        )
    _check_sizes(min_full_members, max_full_members, "min_full_members", "max_full_members")
    _check_sizes(0, max_probationary_members, "0", "max_probationary_members")
    if coverage is None:
        coverage = st.frozensets(
            st.integers(1, 200).map(lambda n: f"x{n:04}"), min_size=1, max_size=4
        )
    return _branch(
        coverage=coverage,
        kinds=kinds,
        min_full=min_full_members,
        max_full=max_full_members,
        max_probationary=max_probationary_members,
        branch_id=None,
    )


@st.composite
def _covering(draw: st.DrawFn, county: County, max_per_branch: int) -> tuple[PartyBranch, ...]:
    ids = [s.id for s in county.subcommunities]
    groups: list[list[str]] = []
    index = 0
    while index < len(ids):
        size = draw(st.integers(1, max_per_branch))
        groups.append(ids[index : index + size])
        index += size
    return tuple(
        draw(
            _branch(
                coverage=st.just(frozenset(group)),
                kinds=st.just(BranchKind.COMPOUND),
                min_full=MIN_FULL_MEMBERS,
                max_full=6,
                max_probationary=1,
                branch_id=f"b{n:03}",
            )
        )
        for n, group in enumerate(groups, start=1)
    )


def covering_branches(
    county: County, *, max_per_branch: int = 4
) -> st.SearchStrategy[tuple[PartyBranch, ...]]:
    """Draw compound branches that cover every compound of ``county`` exactly once.

    Compounds are taken in county order, 1 to ``max_per_branch`` per branch;
    branch ids are ``b001``, ``b002``, …. Shrinks toward one compound per branch.
    Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: ``max_per_branch`` is below 1.
    """
    _check_sizes(1, max_per_branch, "1", "max_per_branch")
    return _covering(county, max_per_branch)


# --- rooms ------------------------------------------------------------------------------------


@st.composite
def _owners_vote(
    draw: st.DrawFn, subcommunity_id: str, held_on: pendulum.Date, passing: bool | None
) -> OwnersVote:
    owners = draw(st.integers(1, 500))
    area_cents = draw(st.integers(100, 10_000_000))
    if passing:
        p_owners = draw(st.integers(ART_278_PARTICIPATION.minimum_of(owners), owners))
        p_cents = draw(st.integers(ART_278_PARTICIPATION.minimum_of(area_cents), area_cents))
        a_owners = draw(st.integers(ART_278_SPECIAL_APPROVAL.minimum_of(p_owners), p_owners))
        a_cents = draw(st.integers(ART_278_SPECIAL_APPROVAL.minimum_of(p_cents), p_cents))
    else:
        p_owners = draw(st.integers(0, owners))
        p_cents = draw(st.integers(0, area_cents))
        a_owners = draw(st.integers(0, p_owners))
        a_cents = draw(st.integers(0, p_cents))
    vote = OwnersVote(
        subcommunity_id=subcommunity_id,
        held_on=held_on,
        matter="利用共有部分从事经营活动",
        total_area=Decimal(area_cents) / 100,
        total_owners=owners,
        participating_area=Decimal(p_cents) / 100,
        participating_owners=p_owners,
        approving_area=Decimal(a_cents) / 100,
        approving_owners=a_owners,
    )
    if passing is False and vote.approved():
        # A failing vote was asked for: approval by nobody never passes.
        return OwnersVote(
            subcommunity_id=subcommunity_id,
            held_on=held_on,
            matter=vote.matter,
            total_area=vote.total_area,
            total_owners=owners,
            participating_area=vote.participating_area,
            participating_owners=p_owners,
            approving_area=Decimal(0),
            approving_owners=0,
        )
    return vote


def owners_votes(
    *,
    subcommunity_ids: st.SearchStrategy[str] = st.just("x0001"),
    passing: bool | None = None,
) -> st.SearchStrategy[OwnersVote]:
    """Draw an [`OwnersVote`][grassroots.room.OwnersVote] of a compound's owners (民法典 art. 278).

    Areas are exact to 0.01 m². Shrinks toward one owner and a vote nobody
    joined. Needs the ``hypothesis`` extra.

    Args:
        subcommunity_ids: The compound whose owners vote.
        passing: ``True`` for votes that approve business use of common parts
            (double 2/3 participation, double 3/4 approval), ``False`` for votes
            that do not, ``None`` for either.
    """
    return st.tuples(subcommunity_ids, _dates()).flatmap(
        lambda pair: _owners_vote(pair[0], pair[1], passing)
    )


@st.composite
def _room(
    draw: st.DrawFn,
    *,
    subcommunity_ids: st.SearchStrategy[str],
    statuses: st.SearchStrategy[RoomStatus],
    ownerships: st.SearchStrategy[Ownership],
    min_area: Decimal,
    max_area: Decimal,
) -> PublicServiceRoom:
    target = draw(statuses)
    sub_id = draw(subcommunity_ids)
    cents = draw(st.integers(int(min_area * 100), int(max_area * 100)))
    day = draw(_dates(max_value=_dt.date(2030, 12, 31)))
    room = PublicServiceRoom.found(
        id=f"r{draw(st.integers(1, 99_999))}",
        subcommunity_id=sub_id,
        location=draw(st.sampled_from(["1栋底商", "物业用房", "架空层", "地下室"])),
        area=Decimal(cents) / 100,
        on=day,
        ownership=draw(ownerships),
    )

    def later() -> pendulum.Date:
        return room.since.add(days=draw(st.integers(0, 90)))

    for step in (RoomStatus.VERIFIED, RoomStatus.CLEARED, RoomStatus.HANDED_OVER):
        if target.rank < step.rank:
            return room
        move = {
            RoomStatus.VERIFIED: room.verify,
            RoomStatus.CLEARED: room.clear,
            RoomStatus.HANDED_OVER: room.hand_over,
        }[step]
        room = move(on=later())
    if target.rank < RoomStatus.IN_USE.rank:
        return room
    cycles = draw(st.integers(0, 2)) if target is RoomStatus.IN_USE else draw(st.integers(0, 1))
    for n in range(cycles + 1):
        on = later()
        business = draw(st.booleans())
        vote = None
        if (business and room.needs_owners_vote) or draw(st.booleans()):
            vote = draw(_owners_vote(sub_id, on, passing=True))
        room = room.put_in_use(f"project-{n}", on=on, business_use=business, owners_vote=vote)
        if n < cycles or target is RoomStatus.RELEASED:
            room = room.release(on=later())
    return room


def public_service_rooms(
    *,
    subcommunity_ids: st.SearchStrategy[str] = st.integers(1, 200).map(lambda n: f"x{n:04}"),
    statuses: st.SearchStrategy[RoomStatus] = st.sampled_from(RoomStatus),
    ownerships: st.SearchStrategy[Ownership] = st.sampled_from(Ownership),
    min_area: Decimal | int | str = "1.00",
    max_area: Decimal | int | str = "2000.00",
) -> st.SearchStrategy[PublicServiceRoom]:
    """Draw a [`PublicServiceRoom`][grassroots.room.PublicServiceRoom] with a lawful life.

    The room walks its life step by step to a drawn status, sometimes going
    into use and being released more than once; owners' common parts in
    business use carry a vote that meets 民法典 art. 278. Shrinks toward a room
    just found, of the smallest area. Needs the ``hypothesis`` extra.

    Args:
        subcommunity_ids: The compounds to draw from.
        statuses: The status the room ends in.
        ownerships: The ownerships to draw from.
        min_area: Smallest area in m² (more than 0, two places at most).
        max_area: Largest area in m².

    Raises:
        InvalidArgument: an area bound is not positive, has more than two
            places, or ``min_area`` exceeds ``max_area``.
    """
    try:
        low, high = square_metres(min_area), square_metres(max_area)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(str(exc)) from exc
    if low <= 0:
        raise InvalidArgument(f"min_area {low} is not positive; a room has a positive area")
    if low > high:
        raise InvalidArgument(f"min_area {low} is greater than max_area {high}")
    return _room(
        subcommunity_ids=subcommunity_ids,
        statuses=statuses,
        ownerships=ownerships,
        min_area=low,
        max_area=high,
    )


# --- talent -------------------------------------------------------------------------------------


@st.composite
def _programme(draw: st.DrawFn, max_items: int, max_talents: int) -> TalentProgramme:
    firms = [
        Firm(id=f"f{n}", name=f"企业{n}", kind=draw(st.sampled_from(FirmKind)))
        for n in range(draw(st.integers(0, 4)))
    ]
    intermediaries = [
        Intermediary(id=f"m{n}", name=f"中介{n}", kind=draw(st.sampled_from(IntermediaryKind)))
        for n in range(draw(st.integers(0, 3)))
    ]
    items = []
    for n in range(draw(st.integers(0, max_items))):
        published = draw(_dates(max_value=_dt.date(2030, 12, 31)))
        days_open = draw(st.none() | st.integers(0, 365))
        closed = None if days_open is None else published.add(days=days_open)
        items.append(
            ListItem(
                id=f"i{n}",
                kind=draw(st.sampled_from(ListKind)),
                title="清单信息",
                published_on=published,
                online=draw(st.booleans()),
                closed_on=closed,
            )
        )
    events = [
        LiaisonEvent(id=f"e{n}", held_on=draw(_dates()), title="对接联系活动")
        for n in range(draw(st.integers(0, 4)))
    ]
    visits = [
        (draw(st.sampled_from(firms)).id, draw(_dates()))
        for _ in range(draw(st.integers(0, 5)) if firms else 0)
    ]
    talents = []
    for n in range(draw(st.integers(0, max_talents))):
        intermediary = draw(st.none() | st.sampled_from(intermediaries)) if intermediaries else None
        name = draw(st.none() | st.just(f"人才{n}"))
        talents.append(
            Talent(
                id=f"t{n}",
                field=draw(st.sampled_from(["电子信息", "食品加工", "现代农业", "医药"])),
                origin=draw(st.sampled_from(TalentOrigin)),
                brought_in_on=draw(_dates()),
                firm_id=draw(st.sampled_from([None, *(f.id for f in firms)])),
                intermediary_id=None if intermediary is None else intermediary.id,
                intermediary_key_role=intermediary is not None and draw(st.booleans()),
                name=name,
                named_in_reports=name is not None and draw(st.booleans()),
            )
        )
    programme = TalentProgramme(
        county_id="county",
        items=items,
        events=events,
        firms=firms,
        intermediaries=intermediaries,
        talents=talents,
    )
    for firm_id, on in visits:
        programme = programme.visit(firm_id, on=on)
    return programme


def talent_programmes(
    *, max_items: int = 20, max_talents: int = 10
) -> st.SearchStrategy[TalentProgramme]:
    """Draw a [`TalentProgramme`][grassroots.talent.TalentProgramme]: lists, events, firms, talents.

    Shrinks toward an empty programme. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: a maximum is negative.
    """
    _check_sizes(0, max_items, "0", "max_items")
    _check_sizes(0, max_talents, "0", "max_talents")
    return _programme(max_items, max_talents)


def reward_schedules() -> st.SearchStrategy[RewardSchedule]:
    """Draw a [`RewardSchedule`][grassroots.talent.RewardSchedule] with amounts up to 100,000 yuan.

    Shrinks toward a zero schedule without cap. Needs the ``hypothesis`` extra.
    """
    amounts = st.integers(0, 10_000_000).map(lambda fen: yuan(Decimal(fen) / 100))
    return st.builds(
        RewardSchedule,
        per_talent=amounts,
        per_returning_native=st.none() | amounts,
        cap_per_intermediary=st.none() | amounts,
    )
