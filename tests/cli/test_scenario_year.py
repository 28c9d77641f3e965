"""The scenario format's points, shops, meetings, pipeline and year model: every problem at once."""

from __future__ import annotations

import copy
import datetime
import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scenario_loader import to_toml

from grassroots.errors import ScenarioError
from grassroots.scenarios import builtin, names, parse

LONGJU: dict[str, Any] = tomllib.loads(builtin("longju"))
SECTIONS = ("schemes", "exchange_rates", "shops", "meetings", "deliberation", "year")


def _longju() -> dict[str, Any]:
    return copy.deepcopy(LONGJU)


def _problems(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(ScenarioError) as caught:
        parse(to_toml(data))
    return caught.value.problems


class TestShipped:
    def test_both_cases_ship(self) -> None:
        assert names() == ("longju", "tancheng")

    def test_longju_figures(self) -> None:
        longju = parse(builtin("longju"))
        (compound,) = longju.county.subcommunities
        assert len(compound.merged_villages) == 6
        assert len(compound.buildings) == 17
        assert sum(len(b.units) for b in compound.buildings) == 39
        assert compound.residents is not None
        assert compound.residents > 10_000
        assert {s.kind.value for _c, s in longju.meetings} == {
            "afternoon_tea",
            "open_air",
            "evening_talk",
        }
        assert longju.pipeline is not None
        assert longju.pipeline.community == "longju"
        assert longju.year is not None

    def test_tancheng_joins_two_schemes_and_runs_three_shops(self) -> None:
        tancheng = parse(builtin("tancheng"))
        assert {s.name for s in tancheng.schemes} == {"新新向党", "美德积分"}
        (rate,) = tancheng.exchange_rates
        assert (rate.source, rate.target) == ("party", "virtue")
        assert len(tancheng.shops) == 3
        assert {s.subcommunity for s in tancheng.shops} == {"tc-001", "tc-002", "tc-003"}
        assert tancheng.year is not None
        assert {p.project for p in tancheng.year.profits} == {"housekeeping", "store", "canteen"}
        assert tancheng.source == builtin("tancheng")


class TestEveryProblemAtOnce:
    def test_wrong_types_in_every_new_section_are_all_listed(self) -> None:
        data = _longju()
        data["schemes"][0]["expiry"] = "sometimes"
        data["shops"][0]["points_per_yuan"] = 10
        data["meetings"][0]["first_start"] = datetime.date(2025, 1, 1)
        data["deliberation"]["households"] = "3400"
        data["year"]["attendance"] = 0.8
        problems = _problems(data)
        assert len(problems) == 5
        wheres = sorted(p.rsplit(" @ ", 1)[1] for p in problems)
        assert wheres == [
            "deliberation.households",
            "meetings[0].first_start",
            "schemes[0].expiry",
            "shops[0].points_per_yuan",
            "year.attendance",
        ]

    def test_unknown_references_are_all_listed(self) -> None:
        data = _longju()
        data["shops"][0]["schemes"] = ["virtue", "gold"]
        data["shops"][0]["subcommunity"] = "nowhere"
        data["meetings"][1]["community"] = "elsewhere"
        data["year"]["rewards"][0]["scheme"] = "gold"
        data["deliberation"]["community"] = "elsewhere"
        problems = _problems(data)
        wheres = sorted(p.rsplit(" @ ", 1)[1] for p in problems)
        assert wheres == [
            "deliberation.community",
            "meetings[1].community",
            "shops[0].schemes[1]",
            "shops[0].subcommunity",
            "year.rewards[0].scheme",
        ]

    def test_a_meeting_whose_start_is_not_an_occurrence(self) -> None:
        data = _longju()
        data["meetings"][0]["first_start"] = datetime.datetime(2025, 1, 2, 15)  # noqa: DTZ001 - TOML local, a Thursday
        (problem,) = _problems(data)
        assert problem.endswith("@ meetings[0]")


class TestYearModel:
    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("attendance", "3/2"),
            ("claims_per_activity", 0),
            ("bill_low", "0.00"),
            ("fund_opening", "-1.00"),
        ],
    )
    def test_each_bound_is_refused_with_its_path(self, key: str, value: object) -> None:
        data = _longju()
        data["year"][key] = value
        (problem,) = _problems(data)
        assert problem.endswith("@ year")
        assert key in problem

    def test_a_profit_range_ending_below_its_start(self) -> None:
        data = tomllib.loads(builtin("tancheng"))
        data["year"]["profits"][1]["high"] = "-1.00"
        (problem,) = _problems(data)
        assert problem.endswith("@ year.profits[1]")


_HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["1/0", "nan", "-1", "0", "99999999999", "2/3", "\x00", "FREQ=SECONDLY"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _leaf_paths(data: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _leaf_paths(value, (*path, key)) or [(*path, key)]
    elif isinstance(data, list) and data and not all(isinstance(i, str) for i in data):
        for index, item in enumerate(data):
            found += _leaf_paths(item, (*path, index))
    return found


LEAVES = [p for p in _leaf_paths(LONGJU) if p[0] in SECTIONS]


class TestHostile:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(changes=st.lists(st.tuples(st.sampled_from(LEAVES), _HOSTILE), min_size=1, max_size=4))
    def test_any_value_is_accepted_or_refused_with_paths(
        self, changes: list[tuple[tuple[Any, ...], object]]
    ) -> None:
        data = _longju()
        for path, value in changes:
            node: Any = data
            for step in path[:-1]:
                node = node[step]
            if value is None:
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
        try:
            text = to_toml(data)
        except (AssertionError, TypeError, ValueError):
            return  # not expressible in TOML by the test's writer
        problems: tuple[str, ...] | None = None
        try:
            built = parse(text)
        except ScenarioError as exc:
            problems = exc.problems
        if problems is None:
            assert built.county.id == "guanghan"
        else:
            assert problems
            assert all(" @ " in problem for problem in problems)
