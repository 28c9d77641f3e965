"""A structured mutation fuzzer for the wire: hostile JSON is refused or kept exactly.

For every public type with an exported strategy: draw a valid value,
unstructure it, mutate the JSON (drop, add and rename keys; wrong JSON types;
huge and negative numbers; ``NaN``, ``Infinity`` and ``1e309``; three-place
money; naive and bogus times; NUL, lone surrogates, empty and very long
strings; deep nesting), then load it. The oracle: loading either raises
[`SerializationError`][grassroots.errors.SerializationError] with a path for
every problem, or returns a value that unstructures back to exactly the
mutated input (a key the input leaves out may come back with its documented
default; every key it gives must come back as given). Any other exception is
an escape; any other value is a silent coercion.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots import strategies as gst
from grassroots.errors import SerializationError
from grassroots.serialization import MAX_DEPTH, loads, structure, unstructure

Json = Any
Path = tuple[str | int, ...]

# Every exported strategy that draws a public type, with how to draw it.
STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "account_closures": gst.account_closures(),
    "accounts": gst.accounts(),
    "allocation_policies": gst.allocation_policies(),
    "carry_forwards": gst.carry_forwards(),
    "counties": gst.counties(),
    "draws": gst.draws(),
    "equity_changes": gst.joint_ventures().flatmap(gst.equity_changes),
    "exchange_rates": gst.exchange_rates(),
    "expiry_policies": gst.expiry_policies(),
    "fen_amounts": gst.fen_amounts(),
    "fractions_between": gst.fractions_between(),
    "joint_ventures": gst.joint_ventures(),
    "journal_entries": gst.journal_entries(),
    "ledger_times": gst.ledger_times(),
    "lots": gst.lots(),
    "owners_votes": gst.owners_votes(),
    "party_branches": gst.party_branches(),
    "period_figures": gst.joint_ventures(min_projects=1).flatmap(gst.period_figures),
    "points_ledgers": gst.points_ledgers(),
    "profit_allocations": gst.profit_allocations(),
    "projects": gst.projects(),
    "public_service_rooms": gst.public_service_rooms(),
    "redemption_quotes": gst.redemption_quotes(),
    "residents": gst.residents(),
    "reward_schedules": gst.reward_schedules(),
    "scheme_totals": gst.scheme_totals(),
    "schemes": gst.schemes(),
    "shareholders": gst.shareholders(),
    "statements": gst.statements(),
    "subcommunities": gst.subcommunities(),
    "talent_programmes": gst.talent_programmes(),
    "thresholds": gst.thresholds(),
    "transfers": gst.transfers(),
    "yuan_amounts": gst.yuan_amounts(min_value=-(10**6)),
    "actors": gst.actors(),
    "daily_limits": gst.daily_limits(),
    "earning_caps": gst.earning_caps(),
    "funding_policies": gst.funding_policies(),
    "meeting_series": gst.meeting_series(),
    "meeting_votes": gst.meeting_votes(),
    "merchants": gst.merchants(),
    "messages": gst.messages(),
    "participants": gst.participants(),
    "petitions": gst.petitions(),
    "redemption_rules": gst.redemption_rules(),
    "rule_sets": gst.rule_sets(),
    "volunteer_activities": gst.volunteer_activities(),
}

# Defects inside other areas' classes (not the converter), each a strict xfail
# naming the defect, so the oracle stays whole and a fix turns the run red.
KNOWN_DEFECTS: dict[str, str] = {}

# Values that are valid JSON but of every wrong kind, boundary and oddity.
HOSTILE_VALUES: list[Json] = [
    None,
    True,
    False,
    0,
    -1,
    2**63,
    -(2**63) - 1,
    10**400,
    5.7,
    -0.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x" * 10_000,
    "٣",
    "3",
    "false",
    "null",
    "1e309",
    "12.345",
    "12.3",
    "-0.00",
    "1/0",
    "2/4",
    "2026-01-01T08:00:00",
    "2026-02-30T08:00:00+08:00",
    "2026-13-01",
    "20260101",
    "2026-01-01T08:00:00Z",
    "2026-01-01 08:00:00+08:00",
    "P1W",
    [],
    [1],
    ["x0001"],
    {},
    {"k": [1]},
    {"type": "nope"},
]

DEEP_TEXT = "[" * 100_000 + "]" * 100_000
"""Nesting far past the parser's recursion limit; placed in text, never built as data."""


def _paths(node: Json, path: Path = ()) -> list[Path]:
    """Return the path of every node of a JSON tree, the root first."""
    found = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            found.extend(_paths(child, (*path, key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.extend(_paths(child, (*path, index)))
    return found


def _get(node: Json, path: Path) -> Json:
    for step in path:
        node = node[step]
    return node


def _set(root: Json, path: Path, value: Json) -> Json:
    """Return a copy of ``root`` with the node at ``path`` replaced by ``value``."""
    if not path:
        return value
    copy = json.loads(json.dumps(root))
    parent = _get(copy, path[:-1])
    parent[path[-1]] = value
    return copy


def _variants(node: Json) -> list[Json]:
    """Return mutations that fit the node's own kind: near misses of valid data."""
    if isinstance(node, bool):
        return [not node, int(node), str(node).lower()]
    if isinstance(node, int):
        return [node + 1, -node - 1, node * 10**20, str(node), float(node), node + 0.5, True]
    if isinstance(node, str):
        return [
            node + "5",
            node[:-1],
            " " + node,
            node + "\x00",
            node + "\ud800",
            node.upper(),
            node.replace("-", "/"),
            node.replace("+08:00", ""),
            node * 400,
            [node],
            None,
        ]
    if isinstance(node, list):
        return [
            node[::-1],
            node + node[:1],
            node[1:],
            [node],
            json.dumps(node),
            dict(enumerate(node)) if node else {"0": None},
            "".join(map(str, node)),
        ]
    if isinstance(node, dict):
        return [list(node), list(node.values()), [node], json.dumps(node)]
    return []


@st.composite
def _mutations(draw: st.DrawFn, data: Json) -> tuple[Json, str | None]:
    """Return a mutated copy of ``data``, and raw text to splice in for a deep node, if any."""
    path = draw(st.sampled_from(_paths(data)))
    node = _get(data, path)
    choice = draw(st.sampled_from(["hostile", "variant", "keys", "deep", "deep_text"]))
    if choice == "keys" and isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        changed = dict(node)
        operation = draw(st.sampled_from(["drop", "add", "rename"]))
        if operation == "drop":
            del changed[key]
        elif operation == "add":
            changed[draw(st.sampled_from(["extra", key + "_", "", "\x00", "type"]))] = draw(
                st.sampled_from(HOSTILE_VALUES)
            )
        else:
            changed[key.upper() + "x"] = changed.pop(key)
        return _set(data, path, changed), None
    if choice == "variant" and _variants(node):
        return _set(data, path, draw(st.sampled_from(_variants(node)))), None
    if choice == "deep":
        nested: Json = draw(st.sampled_from([[], {}, "x", 1]))
        for _ in range(draw(st.integers(MAX_DEPTH - 5, MAX_DEPTH + 50))):
            nested = [nested]
        return _set(data, path, nested), None
    if choice == "deep_text":
        return _set(data, path, "\x00DEEP\x00"), DEEP_TEXT
    return _set(data, path, draw(st.sampled_from(HOSTILE_VALUES))), None


def _canonical(data: Json) -> str:
    """Return JSON text that tells ``true`` from ``1`` and ``1`` from ``1.0``."""
    return json.dumps(data, sort_keys=True, allow_nan=True)


def _kept(back: Json, given: Json) -> bool:
    """Return whether ``back`` is ``given`` exactly, but for defaults of keys left out."""
    if isinstance(given, dict):
        return (
            isinstance(back, dict)
            and set(given) <= set(back)
            and all(_kept(back[key], value) for key, value in given.items())
        )
    if isinstance(given, list):
        return (
            isinstance(back, list)
            and len(back) == len(given)
            and all(_kept(b, g) for b, g in zip(back, given, strict=True))
        )
    return type(back) is type(given) and _canonical(back) == _canonical(given)


def _check(load: Callable[[], Any], mutated: Json) -> None:
    """Assert the oracle: refused with paths, or accepted and unstructured back exactly."""
    refused: SerializationError | None = None
    try:
        value = load()
    except SerializationError as exc:
        refused = exc
    if refused is not None:
        assert refused.problems, refused
        assert all(" @ $" in problem for problem in refused.problems), refused.problems
        assert len(str(refused)) < 20_000
        return
    back = unstructure(value)
    assert _kept(back, mutated), (
        f"silent coercion: {_canonical(mutated)[:300]} became {_canonical(back)[:300]}"
    )


def _cases() -> list[Any]:
    cases = []
    for name in STRATEGIES:
        marks = []
        if name in KNOWN_DEFECTS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[name]))
        cases.append(pytest.param(name, marks=marks, id=name))
    return cases


class TestMutatedPayloads:
    @pytest.mark.parametrize("name", _cases())
    @given(data=st.data())
    def test_refused_with_a_path_or_kept_exactly(self, name: str, data: st.DataObject) -> None:
        """A mutated payload either raises SerializationError with paths or round-trips exactly."""
        value = data.draw(STRATEGIES[name], label="valid")
        cls: type[Any] = type(value)
        original = unstructure(value)
        mutated, splice = data.draw(_mutations(original), label="mutated")
        if splice is None:
            _check(lambda: structure(mutated, cls), mutated)
            text = json.dumps(mutated, allow_nan=True)
        else:
            text = json.dumps(mutated).replace('"\\u0000DEEP\\u0000"', splice)
        try:
            reread = json.loads(text)
        except (RecursionError, ValueError):
            reread = None
        _check(lambda: loads(text, cls), reread)

    @pytest.mark.parametrize("name", _cases())
    @given(data=st.data())
    def test_valid_payloads_round_trip(self, name: str, data: st.DataObject) -> None:
        """The unmutated payload loads back to an equal value with the same JSON."""
        value = data.draw(STRATEGIES[name], label="valid")
        text = json.dumps(unstructure(value))
        back = loads(text, type(value))
        assert back == value
        assert _canonical(unstructure(back)) == _canonical(json.loads(text))


# Exported strategies the fuzzer leaves out, and why.
NOT_FUZZED = {
    "covering_branches": "branches for given compounds; each is fuzzed as party_branches",
    "meeting_days": "draws plain dates, fuzzed inside every meeting and rule-set payload",
}


def test_every_exported_strategy_is_fuzzed_or_excused() -> None:
    """A strategy added to grassroots.strategies is fuzzed, or listed here with a reason."""
    assert set(gst.__all__) == set(STRATEGIES) | set(NOT_FUZZED)
