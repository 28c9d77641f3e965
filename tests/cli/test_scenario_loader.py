"""The scenario loader: the Tancheng figures, and every problem of a hostile file listed."""

from __future__ import annotations

import copy
import datetime
import json
import math
import pickle
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.errors import ScenarioError, SerializationError, UnknownReference
from grassroots.scenarios import builtin, names, parse

FORMED = datetime.date(2023, 3, 1)


def _minimal() -> dict[str, Any]:
    return {
        "county": {"id": "tancheng", "name": "郯城县"},
        "streets": [{"id": "street-1", "name": "街道一"}],
        "communities": [{"id": "sq-01", "name": "城市社区01", "street": "street-1"}],
        "subcommunities": [
            {"id": "tc-001", "name": "商住小区001", "community": "sq-01", "households": 300}
        ],
        "branches": [
            {
                "id": "branch-01",
                "name": "小区党支部01",
                "coverage": ["tc-001"],
                "full_members": 3,
                "secretary_source": "community_worker",
                "formed_on": FORMED,
            }
        ],
        "rooms": [
            {
                "id": "room-001",
                "subcommunity": "tc-001",
                "location": "底商",
                "area": "118.00",
                "status": "handed_over",
                "on": datetime.date(2023, 6, 1),
            }
        ],
        "venture": {
            "id": "tc-jv",
            "name": "郯城合资公司",
            "shareholders": [
                {"id": "guoqi", "name": "国企", "kind": "state_owned", "subscribed": "510000.00"},
                {"id": "jiti", "name": "集体", "kind": "collective", "subscribed": "490000.00"},
            ],
            "projects": [
                {
                    "id": "store",
                    "name": "24小时便利店",
                    "kind": "convenience_store",
                    "subcommunity": "tc-001",
                }
            ],
        },
    }


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | datetime.date):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value).replace("inf", "inf")
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    assert isinstance(value, dict)
    inner = ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items())
    return "{ " + inner + " }"


def to_toml(data: dict[str, Any]) -> str:
    """Write ``data`` as TOML, every value inline at the top level."""
    return "".join(f"{json.dumps(key)} = {_toml_value(value)}\n" for key, value in data.items())


def _leaves(data: object, path: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else key
            if isinstance(value, dict | list) and not (
                isinstance(value, list) and all(isinstance(i, str) for i in value)
            ):
                found += _leaves(value, here)
            else:
                found.append((here, value))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += _leaves(item, f"{path}[{index}]")
    return found


def _tables(data: object, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        found.append(path)
        for key, value in data.items():
            found += _tables(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += _tables(item, f"{path}[{index}]")
    return found


def _parent_and_key(data: dict[str, Any], path: str) -> tuple[Any, str | int]:
    steps: list[str | int] = []
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            steps.append(int(part[1:-1]))
        elif part:
            steps.append(part)
    node: Any = data
    for step in steps[:-1]:
        node = node[step]
    return node, steps[-1]


def _node(data: dict[str, Any], path: str) -> Any:
    if not path:
        return data
    parent, key = _parent_and_key(data, path)
    return parent[key]


def _wrong(value: object) -> list[object]:
    """Values of a TOML type the field does not take."""
    if isinstance(value, bool):
        return ["true", 1]
    if isinstance(value, int):
        return ["3", 1.5, True, [3]]
    if isinstance(value, datetime.date):
        return ["2023-03-01", 20230301, datetime.datetime(2023, 3, 1, 8, 0, tzinfo=datetime.UTC)]
    if isinstance(value, list):
        return ["tc-001", [1, 2], 7]
    return [3, 1.5, False, ["x"], {"x": "y"}, datetime.date(2023, 3, 1)]


LEAVES = [path for path, _ in _leaves(_minimal())]
REQUIRED_LEAVES = [p for p in LEAVES if not p.endswith(("households", "party_organisation"))]
TABLES = _tables(_minimal())


class TestTancheng:
    def test_the_case_figures(self) -> None:
        tancheng = parse(builtin("tancheng"))
        county = tancheng.county
        assert len(county.communities) == 16
        assert len(county.subcommunities) == 124
        assert len(tancheng.branches) == 50
        coverage = tancheng.coverage()
        assert coverage.complete
        assert coverage.findings == ()
        inventory = tancheng.rooms_inventory()
        assert (inventory.rooms, inventory.area) == (441, Decimal("52000.00"))
        # 440 rooms of 118 m² and one of 80 m²: 80 + 440 × 118 = 52,000.
        assert sorted({r.area for r in tancheng.rooms}) == [Decimal("80.00"), Decimal("118.00")]
        venture = tancheng.venture
        assert venture is not None
        assert venture.state_share() == Fraction(51, 100)
        kinds = {p.kind.value for p in venture.projects}
        assert kinds == {"housekeeping", "convenience_store", "happiness_canteen"}

    def test_names_lists_the_shipped_scenarios(self) -> None:
        assert "tancheng" in names()
        assert names() == tuple(sorted(names()))

    def test_an_unknown_name_is_an_unknown_reference(self) -> None:
        with pytest.raises(UnknownReference, match="longju-2030"):
            builtin("longju-2030")

    def test_wrong_argument_types(self) -> None:
        with pytest.raises(TypeError):
            parse(b"[county]")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            builtin(1)  # type: ignore[arg-type]


class TestMinimal:
    def test_the_minimal_scenario_loads(self) -> None:
        built = parse(to_toml(_minimal()))
        assert [s.id for s in built.county.subcommunities] == ["tc-001"]
        assert built.coverage().complete
        assert built.rooms_inventory().area == Decimal("118.00")

    def test_not_toml_is_refused(self) -> None:
        with pytest.raises(ScenarioError, match="not TOML") as info:
            parse("county = [")
        assert isinstance(info.value, SerializationError)
        assert len(info.value.problems) == 1

    def test_the_error_survives_pickling(self) -> None:
        with pytest.raises(ScenarioError) as info:
            parse("x = 1")
        again = pickle.loads(pickle.dumps(info.value))
        assert type(again) is ScenarioError
        assert again.problems == info.value.problems


class TestDomainRules:
    def test_a_state_share_below_51_percent_names_the_rule_and_path(self) -> None:
        data = _minimal()
        data["venture"]["shareholders"][0]["subscribed"] = "490000.00"
        data["venture"]["shareholders"][1]["subscribed"] = "510000.00"
        with pytest.raises(ScenarioError) as info:
            parse(to_toml(data))
        (problem,) = info.value.problems
        assert problem.endswith("@ venture")
        assert "51/100" in problem

    def test_every_refused_object_is_listed(self) -> None:
        data = _minimal()
        data["branches"][0]["full_members"] = 2  # a branch needs 3 full members
        data["rooms"][0]["area"] = "0.00"  # a room's area is more than zero
        data["venture"]["projects"][0]["subcommunity"] = "tc-999"
        data["branches"][0]["coverage"] = ["tc-001", "tc-404"]
        with pytest.raises(ScenarioError) as info:
            parse(to_toml(data))
        paths = sorted(p.rsplit(" @ ", 1)[1] for p in info.value.problems)
        assert paths == [
            "branches[0]",
            "branches[0].coverage[1]",
            "rooms[0]",
            "venture.projects[0].subcommunity",
        ]

    @pytest.mark.parametrize(
        ("path", "value"),
        [("branches[0].full_members", 10**12), ("subcommunities[0].households", -1)],
    )
    def test_counts_out_of_range_are_refused_before_anything_is_built(
        self, path: str, value: int
    ) -> None:
        data = _minimal()
        parent, key = _parent_and_key(data, path)
        parent[key] = value
        with pytest.raises(ScenarioError) as info:
            parse(to_toml(data))
        assert info.value.problems == (f"{value} is outside 0..100000 @ {path}",)

    def test_duplicate_ids_are_refused(self) -> None:
        data = _minimal()
        data["rooms"].append(copy.deepcopy(data["rooms"][0]))
        with pytest.raises(ScenarioError, match="room-001") as info:
            parse(to_toml(data))
        assert any(p.endswith("@ rooms") for p in info.value.problems)


class TestHostileFiles:
    @given(
        wrong=st.lists(st.sampled_from(LEAVES), unique=True, max_size=6).flatmap(
            lambda paths: st.tuples(
                st.just(paths),
                st.tuples(*[st.sampled_from(_wrong(dict(_leaves(_minimal()))[p])) for p in paths]),
            )
        ),
        unknown=st.lists(
            st.tuples(
                st.sampled_from(TABLES),
                st.text(alphabet="abcdefghijklmnopqrstuvwxyz_区", min_size=1, max_size=8),
            ),
            unique_by=lambda t: t,
            max_size=4,
        ),
        missing=st.lists(st.sampled_from(REQUIRED_LEAVES), unique=True, max_size=4),
    )
    def test_every_problem_is_listed_with_its_path(
        self,
        wrong: tuple[list[str], tuple[object, ...]],
        unknown: list[tuple[str, str]],
        missing: list[str],
    ) -> None:
        paths, values = wrong
        missing = [p for p in missing if p not in paths]
        data = _minimal()
        expected: list[str] = []
        for path, value in zip(paths, values, strict=True):
            parent, key = _parent_and_key(data, path)
            parent[key] = value
            expected.append(f" @ {path}")
        for path in missing:
            parent, key = _parent_and_key(data, path)
            del parent[key]
            expected.append(f" @ {path}")
        added = set()
        for table, key in unknown:
            node = _node(data, table)
            shape_keys = set(_node(_minimal(), table))
            if key in shape_keys or (table, key) in added:
                continue
            node[key] = "x"
            added.add((table, key))
            expected.append(f"unknown key {key!r}")
        if not expected:
            parse(to_toml(data))
            return
        with pytest.raises(ScenarioError) as info:
            parse(to_toml(data))
        problems = info.value.problems
        assert len(problems) == len(expected), problems
        for fragment in expected:
            assert any(fragment in problem for problem in problems), (fragment, problems)
        for path in paths:
            (problem,) = [p for p in problems if p.endswith(f" @ {path}")]
            assert problem.startswith("expected ") or " is not one of " in problem
        for path in missing:
            (problem,) = [p for p in problems if p.endswith(f" @ {path}")]
            assert problem.startswith("missing ")

    @given(st.dictionaries(st.text(min_size=1, max_size=10), st.integers(), max_size=5))
    def test_top_level_junk_is_refused_not_crashed(self, junk: dict[str, int]) -> None:
        with pytest.raises(ScenarioError) as info:
            parse(to_toml(junk))
        assert info.value.problems
        assert all(" @ " in problem for problem in info.value.problems)
