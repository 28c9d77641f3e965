"""Every public class and function of ``grassroots`` refuses bad values with our errors.

A bad *value* of the right type (a blank id, a NUL, a negative count, money
with a third place or beyond the maximum, a ratio over one) is either
accepted, where the model admits it, or refused with a
[`GrassrootsError`][grassroots.errors.GrassrootsError] subclass; a wrong
*type* raises ``TypeError``. Nothing else escapes: no bare ``ValueError``,
``decimal.InvalidOperation``, ``OverflowError`` or ``AttributeError``.

The walk takes valid instances of every public attrs class from the exported
strategies (the first draw holding one), then changes one field at a time
with ``attrs.evolve``, which runs the constructor's checks again.
"""

from __future__ import annotations

import enum
import functools
import inspect
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

import grassroots
from grassroots import strategies as gst
from grassroots.deliberation.mailbox import Service
from grassroots.deliberation.pipeline import Channel, Place
from grassroots.errors import GrassrootsError

_VENTURES = gst.joint_ventures(min_projects=1)
_CHANGES = _VENTURES.flatmap(gst.equity_changes)

# The exported strategy whose draws hold each public class (the first such draw is used).
SOURCES: dict[str, st.SearchStrategy[Any]] = {
    "Account": gst.accounts(),
    "AccountClosure": gst.account_closures(),
    "AgreedShare": gst.profit_allocations(),
    "AllocationPolicy": gst.allocation_policies(),
    "BranchMember": gst.party_branches(),
    "BranchRules": gst.party_branches(),
    "Building": gst.counties(),
    "CapitalIncrease": _CHANGES,
    "CapitalPayment": _CHANGES,
    "CapitalReduction": _CHANGES,
    "CarryForward": gst.carry_forwards(),
    "Community": gst.counties(),
    "CommunityShare": gst.allocation_policies(),
    "County": gst.counties(),
    "DividendAgreement": gst.profit_allocations(),
    "EquityTransfer": _CHANGES,
    "ExchangeRate": gst.exchange_rates(),
    "ExpiryPolicy": gst.expiry_policies(),
    "Grid": gst.counties(),
    "GridWorker": gst.counties(),
    "Hire": _VENTURES,
    "JointVenture": _VENTURES,
    "JournalEntry": gst.journal_entries(),
    "ListItem": gst.talent_programmes(),
    "Lot": gst.lots(),
    "Officer": gst.party_branches(),
    "OwnersVote": gst.owners_votes(),
    "PartyBranch": gst.party_branches(),
    "PeriodFigures": _VENTURES.flatmap(gst.period_figures),
    "ProfitAllocation": gst.profit_allocations(),
    "Project": gst.projects(),
    "PublicServiceRoom": gst.public_service_rooms(),
    "Resident": gst.residents(),
    "RewardSchedule": gst.reward_schedules(),
    "Scheme": gst.schemes(),
    "SchemeTotals": gst.scheme_totals(),
    "Shareholder": gst.shareholders(),
    "Shareholding": _VENTURES,
    "Statement": gst.statements(),
    "Street": gst.counties(),
    "Subcommunity": gst.subcommunities(),
    "Talent": gst.talent_programmes(),
    "TalentProgramme": gst.talent_programmes(),
    "Threshold": gst.thresholds(),
    "Transfer": gst.transfers(),
    "Unit": gst.counties(),
    "Actor": gst.actors(),
    "DailyLimit": gst.daily_limits(),
    "EarningCap": gst.earning_caps(),
    "FundingPolicy": gst.funding_policies(),
    "MeetingSeries": gst.meeting_series(),
    "MeetingVote": gst.meeting_votes(),
    "Merchant": gst.merchants(),
    "Message": gst.messages(),
    "Participant": gst.participants(),
    "Petition": gst.petitions(),
    "RedemptionRule": gst.redemption_rules(),
    "Reward": gst.volunteer_activities(),
    "RuleSet": gst.rule_sets(),
    "VolunteerActivity": gst.volunteer_activities(),
}

# Built by hand: no strategy draws it, and its constructor is plain.
BY_HAND: dict[str, Callable[[], object]] = {
    "Finding": lambda: grassroots.Finding(rule="a rule", subject="x0001", message="a finding"),
    "Absence": lambda: grassroots.Absence(
        person_id="m01", kind=grassroots.AbsenceKind.LONG_ILLNESS, approved_by="街道党工委"
    ),
    "CommonPartIncome": lambda: grassroots.CommonPartIncome(
        room_id="r001", subcommunity_id="x0001", period="2026", gross="1200.00"
    ),
    "ServiceCorner": lambda: grassroots.ServiceCorner(
        shop_id="shop1", shop_name="24小时便利店", services=[next(iter(Service))]
    ),
    "SuggestionDetails": lambda: grassroots.SuggestionDetails(
        text="增设充电桩",
        place=Place(subcommunity_id="x0001"),
        category="facilities",
        channel=Channel.PATROL,
    ),
}

PUBLIC_CLASSES = sorted(
    name
    for name in grassroots.__all__
    if inspect.isclass(getattr(grassroots, name))
    and attrs.has(getattr(grassroots, name))
    and not issubclass(getattr(grassroots, name), enum.Enum)
)

# Defects inside other areas' classes, by test id: each is a strict xfail naming
# the defect, so the walk stays whole and a fix turns the run red.
KNOWN_DEFECTS: dict[str, str] = {}

TEXT_VALUES: tuple[str, ...] = ("", " ", " x", "\x00", "a\x00b", "\ud800", "a\nb", "x" * 5_000)
INT_VALUES: tuple[int, ...] = (-1, -(10**30), 10**30)
DECIMAL_VALUES: tuple[object, ...] = (
    Decimal("NaN"),
    Decimal("Infinity"),
    Decimal("1e26"),
    Decimal("-1e26"),
    Decimal("0.001"),
    Decimal("-1"),
    "1e26",
    "0.005",
    "abc",
    "٣",
)
FRACTION_VALUES: tuple[object, ...] = (Fraction(-1), Fraction(3, 2), Fraction(10**12), "1/0", "x")
DATE_VALUES: tuple[pendulum.Date, ...] = (pendulum.date(1, 1, 1), pendulum.date(9999, 12, 31))
WRONG_TYPES: tuple[object, ...] = (1.5, object())


def _harvest(value: object, into: dict[type, object]) -> None:
    """Collect the first instance of every attrs class found inside ``value``."""
    if attrs.has(type(value)):
        into.setdefault(type(value), value)
        for field in attrs.fields(type(value)):
            _harvest(getattr(value, field.name), into)
    elif isinstance(value, tuple | frozenset | list):
        for item in value:
            _harvest(item, into)


def _holds(cls: type, value: object) -> bool:
    found: dict[type, object] = {}
    _harvest(value, found)
    return cls in found


@functools.cache
def _instance(name: str) -> object | None:
    """Return a valid instance of the public class ``name``, from the first fitting draw."""
    if name in BY_HAND:
        return BY_HAND[name]()
    cls = getattr(grassroots, name)
    quick = settings(
        database=None,
        max_examples=300,
        suppress_health_check=list(HealthCheck),
        deadline=None,
        phases=[Phase.generate],  # the first fitting draw will do; shrinking it costs seconds
        derandomize=True,  # the same instances every run, so each case is stable
    )
    try:
        drawn = find(SOURCES[name], functools.partial(_holds, cls), settings=quick)
    except Exception:  # noqa: BLE001 - the source never drew one
        return None
    found: dict[type, object] = {}
    _harvest(drawn, found)
    return found[cls]


def _field_types(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):
        return {}


def _bad_values(kind: Any) -> Iterator[tuple[str, object]]:
    """Yield ``("value" | "type", bad)`` for a field annotated ``kind``."""
    args = typing.get_args(kind)
    optional = type(None) in args
    core = [a for a in args if a is not type(None)] if optional else [kind]
    base = core[0] if len(core) == 1 else kind
    origin = typing.get_origin(base) or base
    if base is str:
        yield from (("value", v) for v in TEXT_VALUES)
    elif base is int:
        yield from (("value", v) for v in INT_VALUES)
        yield ("type", True)
    elif base is Decimal:
        yield from (("value", v) for v in DECIMAL_VALUES)
    elif base is Fraction:
        yield from (("value", v) for v in FRACTION_VALUES)
    elif base is pendulum.Date:
        yield from (("value", v) for v in DATE_VALUES)
    elif origin in (tuple, frozenset):
        yield ("type", "x0001")
        member = typing.get_args(base)[0] if typing.get_args(base) else Any
        if member is str:
            yield from (("value", [v]) for v in TEXT_VALUES[:6])
    elif base is bool:
        yield ("type", 1)
        yield ("type", "false")
    if not optional:
        yield ("type", None)
    yield from (("type", v) for v in WRONG_TYPES)


def _cases() -> Iterator[Any]:
    for name in PUBLIC_CLASSES:
        cls = getattr(grassroots, name)
        hints = _field_types(cls)
        for field in attrs.fields(cls):
            if not field.init or field.name not in hints:
                continue
            for index, (what, bad) in enumerate(_bad_values(hints[field.name])):
                case = f"{name}.{field.name}-{index}"
                marks = []
                if case in KNOWN_DEFECTS:
                    marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[case]))
                yield pytest.param(name, field.alias, what, bad, marks=marks, id=case)


def _outcome(call: Callable[[], object]) -> BaseException | None:
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the test classifies every kind
        return exc
    return None


class TestClasses:
    @pytest.mark.parametrize(("name", "field", "what", "bad"), list(_cases()))
    def test_one_bad_field(self, name: str, field: str, what: str, bad: object) -> None:
        """A bad value raises our error or is admitted; a wrong type raises TypeError."""
        valid = _instance(name)
        assert valid is not None, f"no exported strategy draws a {name}"
        error = _outcome(lambda: attrs.evolve(valid, **{field: bad}))
        if error is None:
            return
        if what == "value":
            assert isinstance(error, GrassrootsError), f"{type(error).__name__}: {error}"
        else:
            assert isinstance(error, TypeError | GrassrootsError), (
                f"{type(error).__name__}: {error}"
            )

    def test_every_public_class_is_walked(self) -> None:
        """Every public attrs class has a source of valid instances."""
        assert set(PUBLIC_CLASSES) == set(SOURCES) | set(BY_HAND)


FUNCTION_CASES: list[tuple[str, Callable[[], object]]] = [
    ("yuan", lambda: grassroots.yuan("1e26")),
    ("yuan", lambda: grassroots.yuan("0.005")),
    ("yuan", lambda: grassroots.yuan("٣")),
    ("yuan", lambda: grassroots.yuan(Decimal("NaN"))),
    ("yuan", lambda: grassroots.yuan("x" * 10_000)),
    ("apportion", lambda: grassroots.apportion(-1, [1])),
    ("apportion", lambda: grassroots.apportion(1, [0, 0])),
    ("apportion", lambda: grassroots.apportion(1, [])),
    ("apportion", lambda: grassroots.apportion(1, [-1, 2])),
    ("square_metres", lambda: grassroots.square_metres("1e30")),
    ("square_metres", lambda: grassroots.square_metres("0.001")),
    ("square_metres", lambda: grassroots.square_metres("abc")),
    ("raise_findings", lambda: grassroots.raise_findings(())),
    ("raise_findings", lambda: _type_error(lambda: grassroots.raise_findings("finding"))),
    ("Threshold.met", lambda: grassroots.Threshold.met(_half(), 3, 2)),
    ("Threshold.met", lambda: grassroots.Threshold.met(_half(), -1, 2)),
    ("Threshold.met", lambda: grassroots.Threshold.met(_half(), Decimal("NaN"), 2)),
    ("Threshold.minimum_of", lambda: grassroots.Threshold.minimum_of(_half(), -1)),
]


def _type_error(call: Callable[[], object]) -> None:
    """Run ``call``, turning the TypeError a wrong type must raise into success."""
    try:
        call()
    except TypeError:
        return
    raise AssertionError("a wrong type did not raise TypeError")


def _half() -> grassroots.Threshold:
    return grassroots.Threshold(
        ratio=Fraction(1, 2), base=grassroots.Base.ALL_ELIGIBLE, inclusive=False
    )


def _function_cases() -> Iterator[Any]:
    for index, (name, call) in enumerate(FUNCTION_CASES):
        case = f"{name}-{index}"
        marks = []
        if case in KNOWN_DEFECTS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[case]))
        yield pytest.param(name, call, marks=marks, id=case)


class TestFunctions:
    @pytest.mark.parametrize(("name", "call"), list(_function_cases()))
    def test_bad_arguments_raise_our_errors(self, name: str, call: Callable[[], object]) -> None:
        """A bad argument to a public function raises a GrassrootsError subclass, or nothing."""
        error = _outcome(call)
        assert error is None or isinstance(error, GrassrootsError), (
            f"{name}: {type(error).__name__}: {error}"
        )

    def test_every_public_function_is_called(self) -> None:
        """Each public function of ``grassroots`` has a bad-argument case above."""
        functions = {
            name for name in grassroots.__all__ if inspect.isfunction(getattr(grassroots, name))
        }
        called = {name.split(".")[0] for name, _ in FUNCTION_CASES}
        assert functions - called <= {"coverage_report", "room_inventory"}
