"""Read a scenario's TOML, check its shape, and build the library's objects."""

from __future__ import annotations

import datetime
import enum
import functools
import importlib.resources
import tomllib
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

import attrs
import pendulum

from grassroots._validators import require_unique, to_tuple
from grassroots.branch import (
    BranchMember,
    CoverageReport,
    MemberStatus,
    Officer,
    PartyBranch,
    SecretarySource,
    coverage_report,
)
from grassroots.deliberation import MeetingSeries, SeriesKind
from grassroots.errors import GrassrootsError, ScenarioError
from grassroots.ledger import ExchangeRate, ExpiryPolicy, Scheme
from grassroots.programme import FundingKind, FundingPolicy, Merchant, RedemptionRule, Shortfall
from grassroots.room import Ownership, PublicServiceRoom, RoomInventory, RoomStatus, room_inventory
from grassroots.scenarios._model import PipelineSetup, ProfitRange, YearModel
from grassroots.subcommunity import (
    Building,
    Community,
    County,
    Grid,
    GridWorker,
    Street,
    Subcommunity,
    SubcommunityKind,
    Unit,
)
from grassroots.venture import (
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
)

T = TypeVar("T")

MAX_COUNT: Final = 100_000
"""The largest count a scenario file may give (units, members, households, residents)."""

_FORMAT: Final = "scenario format (docs: how-to, command line)"

# --- the shape of a scenario file ------------------------------------------------------


@attrs.frozen
class _Field:
    kind: str
    required: bool = True
    enum: type[enum.Enum] | None = None
    table: dict[str, _Field] | None = None


def _req(kind: str) -> _Field:
    return _Field(kind)


def _opt(kind: str) -> _Field:
    return _Field(kind, required=False)


def _choice(cls: type[enum.Enum], *, required: bool = True) -> _Field:
    return _Field("enum", required=required, enum=cls)


def _tables(table: dict[str, _Field], *, required: bool = True) -> _Field:
    return _Field("tables", required=required, table=table)


def _table(table: dict[str, _Field]) -> _Field:
    return _Field("table", table=table)


class _Expiry(enum.Enum):
    NEVER = "never"
    AFTER_DAYS = "after_days"
    END_OF_MONTH = "end_of_month"
    END_OF_YEAR = "end_of_year"


_ROOM_STATUSES: Final = (
    RoomStatus.FOUND,
    RoomStatus.VERIFIED,
    RoomStatus.CLEARED,
    RoomStatus.HANDED_OVER,
    RoomStatus.IN_USE,
)

_SHAPE: Final[dict[str, _Field]] = {
    "county": _table({"id": _req("text"), "name": _req("text")}),
    "streets": _tables({"id": _req("text"), "name": _req("text")}),
    "communities": _tables(
        {
            "id": _req("text"),
            "name": _req("text"),
            "street": _req("text"),
            "party_organisation": _opt("text"),
            "grids": _tables(
                {
                    "id": _req("text"),
                    "name": _req("text"),
                    "buildings": _req("texts"),
                    "worker": _req("text"),
                    "since": _req("date"),
                },
                required=False,
            ),
        }
    ),
    "subcommunities": _tables(
        {
            "id": _req("text"),
            "name": _req("text"),
            "community": _req("text"),
            "kind": _choice(SubcommunityKind, required=False),
            "households": _opt("int"),
            "residents": _opt("int"),
            "merged_villages": _opt("texts"),
            "buildings": _tables(
                {"id": _req("text"), "name": _req("text"), "units": _req("int")},
                required=False,
            ),
        }
    ),
    "branches": _tables(
        {
            "id": _req("text"),
            "name": _req("text"),
            "coverage": _req("texts"),
            "full_members": _req("int"),
            "secretary_source": _choice(SecretarySource),
            "formed_on": _req("date"),
        }
    ),
    "rooms": _tables(
        {
            "id": _req("text"),
            "subcommunity": _req("text"),
            "location": _req("text"),
            "area": _req("decimal"),
            "ownership": _choice(Ownership, required=False),
            "status": _choice(RoomStatus),
            "on": _req("date"),
            "project": _opt("text"),
        },
        required=False,
    ),
    "venture": _Field(
        "table",
        required=False,
        table={
            "id": _req("text"),
            "name": _req("text"),
            "shareholders": _tables(
                {
                    "id": _req("text"),
                    "name": _req("text"),
                    "kind": _choice(ShareholderKind),
                    "subscribed": _req("decimal"),
                    "paid_in": _opt("decimal"),
                }
            ),
            "projects": _tables(
                {
                    "id": _req("text"),
                    "name": _req("text"),
                    "kind": _choice(ProjectKind),
                    "subcommunity": _req("text"),
                    "room": _opt("text"),
                },
                required=False,
            ),
        },
    ),
    "schemes": _tables(
        {
            "code": _req("text"),
            "name": _req("text"),
            "expiry": _choice(_Expiry, required=False),
            "expiry_count": _opt("int"),
        },
        required=False,
    ),
    "exchange_rates": _tables(
        {
            "source": _req("text"),
            "target": _req("text"),
            "rate": _req("ratio"),
            "effective": _req("date"),
            "reference": _opt("text"),
        },
        required=False,
    ),
    "shops": _tables(
        {
            "id": _req("text"),
            "name": _req("text"),
            "subcommunity": _req("text"),
            "project": _opt("text"),
            "schemes": _req("texts"),
            "points_per_yuan": _req("ratio"),
            "max_share": _opt("ratio"),
            "minimum_bill": _opt("decimal"),
            "funding": _choice(FundingKind),
            "fund_share": _opt("ratio"),
            "shortfall": _choice(Shortfall, required=False),
        },
        required=False,
    ),
    "meetings": _tables(
        {
            "id": _req("text"),
            "name": _req("text"),
            "kind": _choice(SeriesKind),
            "community": _req("text"),
            "first_start": _req("datetime"),
            "duration_minutes": _req("int"),
            "rule": _req("text"),
            "location": _opt("text"),
        },
        required=False,
    ),
    "deliberation": _Field(
        "table",
        required=False,
        table={
            "community": _req("text"),
            "representatives": _req("int"),
            "households": _req("int"),
            "compound_categories": _opt("texts"),
            "community_categories": _opt("texts"),
        },
    ),
    "year": _Field(
        "table",
        required=False,
        table={
            "start": _req("date"),
            "seed": _req("int"),
            "residents_per_compound": _req("int"),
            "activities_per_compound_month": _req("int"),
            "claims_per_activity": _req("int"),
            "attendance": _req("ratio"),
            "rewards": _tables({"scheme": _req("text"), "points": _req("int")}),
            "redemptions_per_compound_month": _req("int"),
            "points_per_redemption": _req("int"),
            "bill_low": _req("decimal"),
            "bill_high": _req("decimal"),
            "exchanges_per_compound_month": _req("int"),
            "suggestions_per_month": _req("int"),
            "messages_per_month": _req("int"),
            "meeting_attendance": _req("int"),
            "fund_opening": _req("decimal"),
            "profits": _tables(
                {"project": _req("text"), "low": _req("decimal"), "high": _req("decimal")},
                required=False,
            ),
        },
    ),
}

_KIND_WORDS: Final = {
    "text": "a string",
    "ratio": 'an exact ratio as a string ("2/3")',
    "datetime": "a local date-time (2025-01-01T15:00:00, Asia/Shanghai)",
    "texts": "an array of strings",
    "int": "an integer",
    "date": "a date (2023-03-01)",
    "decimal": 'an exact amount as a string ("118.00")',
    "enum": "a string",
    "tables": "an array of tables",
    "table": "a table",
}


_TOML_KINDS: Final[tuple[tuple[type | tuple[type, ...], str], ...]] = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a float"),
    (str, "a string"),
    ((datetime.datetime, datetime.time), "a date-time or a time"),
    (datetime.date, "a date"),
    (list, "an array"),
)


def _toml_kind(value: object) -> str:
    for kind, words in _TOML_KINDS:
        if isinstance(value, kind):
            return words
    return "a table"


def _fits(field: _Field, value: object) -> bool:
    checks: dict[str, Callable[[object], bool]] = {
        "text": lambda v: isinstance(v, str),
        "decimal": lambda v: isinstance(v, str),
        "ratio": lambda v: isinstance(v, str),
        "datetime": lambda v: isinstance(v, datetime.datetime) and v.tzinfo is None,
        "enum": lambda v: isinstance(v, str),
        "texts": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "date": lambda v: type(v) is datetime.date,
        "tables": lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v),
        "table": lambda v: isinstance(v, dict),
    }
    return checks[field.kind](value)


def _check(data: dict[str, Any], shape: dict[str, _Field], path: str, problems: list[str]) -> None:
    where = path or "the top level"
    problems.extend(
        f"unknown key {key!r}; expected one of {sorted(shape)} @ {where}"
        for key in sorted(set(data) - set(shape))
    )
    for key, field in shape.items():
        here = f"{path}.{key}" if path else key
        if key not in data:
            if field.required:
                problems.append(f"missing {_KIND_WORDS[field.kind]} @ {here}")
            continue
        value = data[key]
        if not _fits(field, value):
            problems.append(f"expected {_KIND_WORDS[field.kind]}, not {_toml_kind(value)} @ {here}")
            continue
        if field.kind == "int" and not 0 <= value <= MAX_COUNT:
            problems.append(f"{value} is outside 0..{MAX_COUNT} @ {here}")
        elif field.kind == "enum":
            assert field.enum is not None
            allowed = [member.value for member in field.enum]
            if value not in allowed:
                problems.append(f"{value!r} is not one of {allowed} @ {here}")
        elif field.kind == "table":
            assert field.table is not None
            _check(value, field.table, here, problems)
        elif field.kind == "tables":
            assert field.table is not None
            for index, item in enumerate(value):
                _check(item, field.table, f"{here}[{index}]", problems)


# --- the scenario ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Scenario:
    """A county's organisation and its venture, built from a scenario file.

    Args:
        county: The county with its streets, communities and compounds.
        branches: The party branches and the compounds each covers.
        rooms: The public-service rooms of the county's compounds.
        venture: The joint venture, if the file describes one.
        schemes: The points schemes (积分方案) joined in the programme.
        exchange_rates: The dated rates of the one-stop exchange window.
        shops: The project shops with their redemption rules and funding
            policies; a shop's fund is ``"fund-{its compound}"``.
        meetings: The recurring consultation meetings, as (community id, series) pairs.
        pipeline: Who runs the four-step suggestion pipeline, if anyone.
        year: The random model of a simulated year, if the file gives one.
        source: The TOML text the scenario was read from ("" if built in code).
    """

    county: County = attrs.field(validator=attrs.validators.instance_of(County))
    branches: tuple[PartyBranch, ...] = attrs.field(converter=to_tuple)
    rooms: tuple[PublicServiceRoom, ...] = attrs.field(converter=to_tuple)
    venture: JointVenture | None = None
    schemes: tuple[Scheme, ...] = attrs.field(default=(), converter=to_tuple)
    exchange_rates: tuple[ExchangeRate, ...] = attrs.field(default=(), converter=to_tuple)
    shops: tuple[Merchant, ...] = attrs.field(default=(), converter=to_tuple)
    meetings: tuple[tuple[str, MeetingSeries], ...] = attrs.field(default=(), converter=to_tuple)
    pipeline: PipelineSetup | None = None
    year: YearModel | None = None
    source: str = attrs.field(default="", eq=False, repr=False)

    def coverage(self) -> CoverageReport:
        """Return which branch covers each compound, with every gap and overlap."""
        return coverage_report(self.county, self.branches)

    def rooms_inventory(self) -> RoomInventory:
        """Return the rooms and their area by status, by compound and by ownership."""
        return room_inventory(self.rooms, county=self.county)


class _Builder:
    """Build each object once, keeping every refusal with its path."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def attempt(self, path: str, build: Callable[..., T], *args: Any) -> T | None:
        try:
            return build(*args)
        except GrassrootsError as exc:
            rule = f" ({exc.rule})" if exc.rule and exc.rule not in str(exc) else ""
            self.problems.append(f"{exc}{rule} @ {path}")
        except (TypeError, ArithmeticError) as exc:  # a value the library refuses by type
            self.problems.append(f"{exc} @ {path}")
        return None

    def unique(self, section: str, what: str) -> None:
        items = self.data.get(section, [])
        ids = [item["id"] for item in items]
        self.attempt(section, functools.partial(require_unique, ids, what=what, scope=section))

    def known(self, path: str, value: str, known: Iterable[str], what: str) -> bool:
        if value in set(known):
            return True
        self.problems.append(f"unknown {what} {value!r}; {_FORMAT}: it must be defined @ {path}")
        return False

    def county(self) -> County | None:
        data = self.data
        self.unique("streets", "street")
        self.unique("communities", "community")
        self.unique("subcommunities", "subcommunity")
        street_ids = [s["id"] for s in data["streets"]]
        community_ids = [c["id"] for c in data["communities"]]
        compounds: dict[str, list[Subcommunity]] = {c: [] for c in community_ids}
        for index, item in enumerate(data["subcommunities"]):
            path = f"subcommunities[{index}]"
            if not self.known(f"{path}.community", item["community"], community_ids, "community"):
                continue
            compound = self.attempt(path, self._subcommunity, item, path)
            if compound is not None:
                compounds[item["community"]].append(compound)
        communities: dict[str, list[Community]] = {s: [] for s in street_ids}
        for index, item in enumerate(data["communities"]):
            path = f"communities[{index}]"
            if not self.known(f"{path}.street", item["street"], street_ids, "street"):
                continue
            grids = [
                self.attempt(f"{path}.grids[{at}]", _grid, grid)
                for at, grid in enumerate(item.get("grids", []))
            ]
            if any(grid is None for grid in grids):
                continue
            community = self.attempt(
                path,
                functools.partial(
                    Community,
                    id=item["id"],
                    name=item["name"],
                    subcommunities=compounds[item["id"]],
                    grids=grids,
                    party_organisation=item.get("party_organisation"),
                ),
            )
            if community is not None:
                communities[item["street"]].append(community)
        streets = [
            self.attempt(
                f"streets[{index}]",
                functools.partial(
                    Street, id=item["id"], name=item["name"], communities=communities[item["id"]]
                ),
            )
            for index, item in enumerate(data["streets"])
        ]
        if self.problems:
            return None
        return self.attempt(
            "county",
            functools.partial(
                County, id=data["county"]["id"], name=data["county"]["name"], streets=streets
            ),
        )

    def _subcommunity(self, item: dict[str, Any], path: str) -> Subcommunity | None:
        buildings = []
        for index, building in enumerate(item.get("buildings", [])):
            buildings.append(self.attempt(f"{path}.buildings[{index}]", _building, building))
        if any(b is None for b in buildings):
            return None
        return Subcommunity(
            id=item["id"],
            name=item["name"],
            kind=SubcommunityKind(item.get("kind", SubcommunityKind.COMMERCIAL_RESIDENTIAL.value)),
            buildings=buildings,
            households=item.get("households"),
            residents=item.get("residents"),
            merged_villages=item.get("merged_villages", ()),
        )

    def branches(self, compound_ids: set[str]) -> list[PartyBranch]:
        self.unique("branches", "branch")
        built = []
        for index, item in enumerate(self.data["branches"]):
            path = f"branches[{index}]"
            for at, compound in enumerate(item["coverage"]):
                self.known(f"{path}.coverage[{at}]", compound, compound_ids, "subcommunity")
            branch = self.attempt(path, _branch, item)
            if branch is not None:
                built.append(branch)
        return built

    def rooms(self, compound_ids: set[str]) -> list[PublicServiceRoom]:
        self.unique("rooms", "room")
        built = []
        for index, item in enumerate(self.data.get("rooms", [])):
            path = f"rooms[{index}]"
            if not self.known(
                f"{path}.subcommunity", item["subcommunity"], compound_ids, "subcommunity"
            ):
                continue
            room = self.attempt(path, _room, item)
            if room is not None:
                built.append(room)
        return built

    def venture(self, compound_ids: set[str]) -> JointVenture | None:
        data = self.data.get("venture")
        if data is None:
            return None
        for index, project in enumerate(data.get("projects", [])):
            path = f"venture.projects[{index}].subcommunity"
            self.known(path, project["subcommunity"], compound_ids, "subcommunity")
        holdings = [
            self.attempt(f"venture.shareholders[{index}]", _holding, item)
            for index, item in enumerate(data["shareholders"])
        ]
        projects = [
            self.attempt(
                f"venture.projects[{index}]",
                functools.partial(
                    Project,
                    id=item["id"],
                    name=item["name"],
                    kind=ProjectKind(item["kind"]),
                    subcommunity=item["subcommunity"],
                    room=item.get("room"),
                ),
            )
            for index, item in enumerate(data.get("projects", []))
        ]
        kept_holdings = [h for h in holdings if h is not None]
        kept_projects = [p for p in projects if p is not None]
        if len(kept_holdings) < len(holdings) or len(kept_projects) < len(projects):
            return None
        return self.attempt(
            "venture",
            functools.partial(
                JointVenture,
                id=data["id"],
                name=data["name"],
                holdings=kept_holdings,
                projects=kept_projects,
            ),
        )

    # --- the points programme, the meetings and the year -----------------------------------

    def schemes(self) -> tuple[Scheme, ...]:
        self.unique_by("schemes", "code", "scheme")
        built = [
            self.attempt(f"schemes[{index}]", _scheme, item)
            for index, item in enumerate(self.data.get("schemes", []))
        ]
        return tuple(s for s in built if s is not None)

    def unique_by(self, section: str, key: str, what: str) -> None:
        ids = [item[key] for item in self.data.get(section, [])]
        self.attempt(section, functools.partial(require_unique, ids, what=what, scope=section))

    def exchange_rates(self, codes: set[str]) -> tuple[ExchangeRate, ...]:
        rates = []
        for index, item in enumerate(self.data.get("exchange_rates", [])):
            path = f"exchange_rates[{index}]"
            known = [
                self.known(f"{path}.{end}", item[end], codes, "scheme")
                for end in ("source", "target")
            ]
            if not all(known):
                continue
            rate = self.attempt(
                path,
                functools.partial(
                    ExchangeRate,
                    source=item["source"],
                    target=item["target"],
                    rate=item["rate"],
                    effective=_instant(item["effective"]),
                    reference=item.get("reference", ""),
                ),
            )
            if rate is not None:
                rates.append(rate)
        return tuple(rates)

    def shops(
        self, compounds: set[str], codes: set[str], venture: JointVenture | None
    ) -> tuple[Merchant, ...]:
        self.unique("shops", "shop")
        projects = {p.id for p in venture.projects} if venture is not None else set()
        shops = []
        for index, item in enumerate(self.data.get("shops", [])):
            path = f"shops[{index}]"
            ok = self.known(f"{path}.subcommunity", item["subcommunity"], compounds, "subcommunity")
            for at, code in enumerate(item["schemes"]):
                ok = self.known(f"{path}.schemes[{at}]", code, codes, "scheme") and ok
            if "project" in item:
                ok = self.known(f"{path}.project", item["project"], projects, "project") and ok
            if ok:
                shop = self.attempt(path, _shop, item)
                if shop is not None:
                    shops.append(shop)
        return tuple(shops)

    def meetings(self, communities: set[str]) -> tuple[tuple[str, MeetingSeries], ...]:
        self.unique("meetings", "meeting series")
        found = []
        for index, item in enumerate(self.data.get("meetings", [])):
            path = f"meetings[{index}]"
            if not self.known(f"{path}.community", item["community"], communities, "community"):
                continue
            series = self.attempt(
                path,
                functools.partial(
                    MeetingSeries,
                    id=item["id"],
                    name=item["name"],
                    kind=SeriesKind(item["kind"]),
                    first_start=pendulum.instance(item["first_start"], tz=_ZONE),
                    duration_minutes=item["duration_minutes"],
                    rule=item["rule"],
                    location=item.get("location", ""),
                ),
            )
            if series is not None:
                found.append((item["community"], series))
        return tuple(found)

    def pipeline(self, county: County) -> PipelineSetup | None:
        item = self.data.get("deliberation")
        if item is None:
            return None
        by_id = {c.id: c for c in county.communities}
        if not self.known("deliberation.community", item["community"], by_id, "community"):
            return None
        if not by_id[item["community"]].grids:
            self.problems.append(
                f"community {item['community']!r} has no grids, so no grid worker can record"
                f" suggestions; {_FORMAT} @ deliberation.community"
            )
            return None
        extra = {
            key: item[key] for key in ("compound_categories", "community_categories") if key in item
        }
        return self.attempt(
            "deliberation",
            functools.partial(
                PipelineSetup,
                community=item["community"],
                representatives=item["representatives"],
                households=item["households"],
                **extra,
            ),
        )

    def year(self, schemes: tuple[Scheme, ...], venture: JointVenture | None) -> YearModel | None:
        item = self.data.get("year")
        if item is None:
            return None
        codes = {s.code for s in schemes}
        projects = {p.id for p in venture.projects} if venture is not None else set()
        ok = True
        for index, reward in enumerate(item["rewards"]):
            ok = (
                self.known(f"year.rewards[{index}].scheme", reward["scheme"], codes, "scheme")
                and ok
            )
        profits: list[ProfitRange] = []
        for index, profit in enumerate(item.get("profits", [])):
            path = f"year.profits[{index}]"
            if not self.known(f"{path}.project", profit["project"], projects, "project"):
                ok = False
                continue
            built = self.attempt(
                path,
                functools.partial(
                    ProfitRange, project=profit["project"], low=profit["low"], high=profit["high"]
                ),
            )
            if built is None:
                ok = False
            else:
                profits.append(built)
        if not ok:
            return None
        self.attempt(
            "year.profits",
            functools.partial(
                require_unique,
                [p["project"] for p in item.get("profits", [])],
                what="project",
                scope="year.profits",
            ),
        )
        values = {
            key: value for key, value in item.items() if key not in {"rewards", "profits", "start"}
        }
        return self.attempt(
            "year",
            functools.partial(
                YearModel,
                **values,
                start=_date(item["start"]),
                rewards=[(r["scheme"], r["points"]) for r in item["rewards"]],
                profits=profits,
            ),
        )


_ZONE: Final = "Asia/Shanghai"


def _instant(value: datetime.date) -> pendulum.DateTime:
    return pendulum.datetime(value.year, value.month, value.day, tz=_ZONE)


def _scheme(item: dict[str, Any]) -> Scheme:
    rule = item.get("expiry", "never")
    count = item.get("expiry_count", 0 if rule == "never" else 1)
    return Scheme(code=item["code"], name=item["name"], expiry=ExpiryPolicy(rule=rule, count=count))


def _shop(item: dict[str, Any]) -> Merchant:
    fund = f"fund-{item['subcommunity']}"
    kind = FundingKind(item["funding"])
    shortfall = Shortfall(item.get("shortfall", Shortfall.REFUSE.value))
    if kind is FundingKind.FUND:
        funding = FundingPolicy.from_fund(fund, shortfall=shortfall)
    elif kind is FundingKind.MERCHANT:
        funding = FundingPolicy.merchant_absorbs()
    else:
        funding = FundingPolicy(
            kind=kind, fund=fund, share=item.get("fund_share", "1/2"), shortfall=shortfall
        )
    rule = RedemptionRule(
        points_per_yuan=item["points_per_yuan"],
        max_share=item.get("max_share", "1"),
        minimum_bill=item.get("minimum_bill", "0.00"),
        schemes=item["schemes"],
    )
    return Merchant(
        id=item["id"],
        name=item["name"],
        subcommunity=item["subcommunity"],
        rule=rule,
        funding=funding,
    )


def _date(value: datetime.date) -> pendulum.Date:
    return pendulum.Date(value.year, value.month, value.day)


def _building(item: dict[str, Any]) -> Building:
    units = [Unit(id=f"{item['id']}-{n}", name=f"{n}单元") for n in range(1, item["units"] + 1)]
    return Building(id=item["id"], name=item["name"], units=units)


def _grid(item: dict[str, Any]) -> Grid:
    return Grid.staffed(
        id=item["id"],
        name=item["name"],
        worker=GridWorker(id=item["worker"], name=item["worker"]),
        since=_date(item["since"]),
        buildings=item["buildings"],
    )


def _branch(item: dict[str, Any]) -> PartyBranch:
    formed = _date(item["formed_on"])
    return PartyBranch(
        id=item["id"],
        name=item["name"],
        coverage=item["coverage"],
        members=[
            BranchMember(person_id=f"{item['id']}-m{k}", status=MemberStatus.FULL, joined_on=formed)
            for k in range(1, item["full_members"] + 1)
        ],
        secretary=Officer(
            person_id=f"{item['id']}-secretary",
            source=SecretarySource(item["secretary_source"]),
            since=formed,
        ),
        formed_on=formed,
    )


def _room(item: dict[str, Any]) -> PublicServiceRoom:
    on = _date(item["on"])
    room = PublicServiceRoom.found(
        id=item["id"],
        subcommunity_id=item["subcommunity"],
        location=item["location"],
        area=item["area"],
        on=on,
        ownership=Ownership(item.get("ownership", Ownership.UNKNOWN.value)),
    )
    target = RoomStatus(item["status"])
    if target not in _ROOM_STATUSES:
        from grassroots.errors import InvalidValue

        allowed = [status.value for status in _ROOM_STATUSES]
        raise InvalidValue(
            f"a scenario room starts as one of {allowed}, not {target.value!r}",
            value=target.value,
            limit=allowed,
            rule=_FORMAT,
        )
    steps = _ROOM_STATUSES[1 : _ROOM_STATUSES.index(target) + 1]
    for step in steps:
        if step is RoomStatus.VERIFIED:
            room = room.verify(on=on)
        elif step is RoomStatus.CLEARED:
            room = room.clear(on=on)
        elif step is RoomStatus.HANDED_OVER:
            room = room.hand_over(on=on)
        else:
            room = room.put_in_use(item.get("project") or f"{item['id']}-use", on=on)
    return room


def _holding(item: dict[str, Any]) -> Shareholding:
    holder = Shareholder(id=item["id"], name=item["name"], kind=ShareholderKind(item["kind"]))
    if "paid_in" in item:
        return Shareholding(
            shareholder=holder, subscribed=item["subscribed"], paid_in=item["paid_in"]
        )
    return Shareholding(shareholder=holder, subscribed=item["subscribed"])


def parse(text: str) -> Scenario:
    """Build a scenario from its TOML text, checking every field and every rule.

    Args:
        text: The TOML text of a scenario file.

    Returns:
        The scenario, with the library's own objects.

    Raises:
        TypeError: ``text`` is not a string.
        ScenarioError: the text is not TOML, or it breaks the format or a rule of
            the model; ``problems`` lists every problem found, each with its path.
    """
    if not isinstance(text, str):
        raise TypeError(f"a scenario is TOML text, not {type(text).__name__}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _refuse([f"not TOML: {exc} @ the top level"]) from exc
    problems: list[str] = []
    _check(data, _SHAPE, "", problems)
    if problems:
        raise _refuse(problems)
    builder = _Builder(data)
    county = builder.county()
    if county is None:
        raise _refuse(builder.problems)
    compound_ids = {s.id for s in county.subcommunities}
    branches = builder.branches(compound_ids)
    rooms = builder.rooms(compound_ids)
    venture = builder.venture(compound_ids)
    schemes = builder.schemes()
    rates = builder.exchange_rates({s.code for s in schemes})
    shops = builder.shops(compound_ids, {s.code for s in schemes}, venture)
    community_ids = {c.id for c in county.communities}
    meetings = builder.meetings(community_ids)
    pipeline = builder.pipeline(county)
    year = builder.year(schemes, venture)
    if builder.problems:
        raise _refuse(builder.problems)
    return Scenario(
        county=county,
        branches=branches,
        rooms=rooms,
        venture=venture,
        schemes=schemes,
        exchange_rates=rates,
        shops=shops,
        meetings=meetings,
        pipeline=pipeline,
        year=year,
        source=text,
    )


def _refuse(problems: list[str]) -> ScenarioError:
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return ScenarioError(
        f"the scenario has {count} {noun}: " + "; ".join(problems),
        problems=tuple(problems),
        value=count,
        limit=0,
        rule=_FORMAT,
    )


def names() -> tuple[str, ...]:
    """Return the names of the scenarios shipped with the package, sorted."""
    files = importlib.resources.files("grassroots.scenarios")
    return tuple(
        sorted(f.name.removesuffix(".toml") for f in files.iterdir() if f.name.endswith(".toml"))
    )


def builtin(name: str) -> str:
    """Return the TOML text of the scenario ``name`` shipped with the package.

    Raises:
        TypeError: ``name`` is not a string.
        UnknownReference: no scenario of that name ships with the package.
    """
    if not isinstance(name, str):
        raise TypeError(f"a scenario name is a string, not {type(name).__name__}")
    if name not in names():
        from grassroots.errors import UnknownReference

        raise UnknownReference(
            f"no scenario named {name!r} ships with grassroots; there are {list(names())}",
            value=name,
            limit=list(names()),
            rule=_FORMAT,
        )
    return (importlib.resources.files("grassroots.scenarios") / f"{name}.toml").read_text(
        encoding="utf-8"
    )
