"""Keep a simulated year in a store and read it back, checked against its journal."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import attrs

from grassroots import _validators as v
from grassroots.allocation import ProfitAllocation
from grassroots.errors import CorruptRow, InvalidValue
from grassroots.ledger import GENESIS, SchemeTotals
from grassroots.programme import MovementKind, Settlement
from grassroots.scenarios import parse
from grassroots.simulation._year import Refusal, Year, simulate
from grassroots.storage import Store, Stream

__all__ = [
    "SAVE_CHUNK",
    "STORE_RULE",
    "YearInputs",
    "YearSummary",
    "latest_county",
    "load",
    "save",
    "summarise",
]

STORE_RULE: Final = (
    "a stored year is its inputs, its ledger's journal and its summary; loading replays the"
    " inputs and must give the same journal and summary (docs: explanation, simulation)"
)
SAVE_CHUNK: Final = 20_000
"""Journal entries stored per transaction: a large year is saved in bounded memory."""

_INDEX: Final = Stream(county="grassroots", community="simulation", name="index")


@attrs.frozen(kw_only=True)
class YearInputs:
    """What a year was simulated from: the scenario's TOML text, its months and its seed.

    Args:
        county: The scenario's county id (the streams' county).
        scenario: The scenario's TOML text.
        months: The months simulated.
        seed: The seed used.
    """

    county: str = attrs.field(validator=v.identifier)
    scenario: str = attrs.field(validator=attrs.validators.instance_of(str))
    months: int = attrs.field(validator=v.count)
    seed: int = attrs.field(validator=v.count)


def _amounts(value: object) -> tuple[tuple[str, Decimal], ...]:
    return tuple((str(k), Decimal(a)) for k, a in v.to_tuple(value))  # type: ignore[arg-type]


def _stages(value: object) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(s)) for k, s in v.to_tuple(value))  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class YearSummary:
    """The figures of a year that a stored copy must reproduce, as plain values.

    Args:
        head: The ledger's head digest.
        entries: The ledger's journal entries.
        events: The commands the year issued.
        scheme_totals: Each scheme's totals at the year's end.
        funds: Each fund's balance at the year's end.
        public_revenue: The community shares deposited into the funds.
        allocations: The venture's profit allocations.
        settlements: The month-end settlements.
        suggestions: Each suggestion's id and stage.
        meetings_held: The meetings held.
        messages: The mailbox's messages.
        refusals: The refused commands.
    """

    head: str = attrs.field(validator=v.text)
    entries: int = attrs.field(validator=v.count)
    events: int = attrs.field(validator=v.count)
    scheme_totals: tuple[SchemeTotals, ...] = attrs.field(converter=v.to_tuple)
    funds: tuple[tuple[str, Decimal], ...] = attrs.field(converter=_amounts)
    public_revenue: Decimal = attrs.field()
    allocations: tuple[ProfitAllocation, ...] = attrs.field(converter=v.to_tuple)
    settlements: tuple[Settlement, ...] = attrs.field(converter=v.to_tuple)
    suggestions: tuple[tuple[str, str], ...] = attrs.field(converter=_stages)
    meetings_held: int = attrs.field(validator=v.count)
    messages: int = attrs.field(validator=v.count)
    refusals: tuple[Refusal, ...] = attrs.field(converter=v.to_tuple)


def summarise(year: Year) -> YearSummary:
    """Return the figures of ``year`` that a stored copy must reproduce."""
    if not isinstance(year, Year):
        raise TypeError(f"summarise takes a Year, not {type(year).__name__}")
    ledger = year.programme.ledger
    funds = year.programme.funds
    deposits = sum(
        (m.amount for f in funds for m in f.movements if m.kind is MovementKind.DEPOSIT),
        Decimal("0.00"),
    )
    opening = sum(
        (
            m.amount
            for f in funds
            for m in f.movements
            if m.kind is MovementKind.DEPOSIT and m.reference == "opening"
        ),
        Decimal("0.00"),
    )
    return YearSummary(
        head=ledger.head,
        entries=len(ledger.journal),
        events=year.events,
        scheme_totals=[ledger.totals(s.code, at=year.last_moment) for s in ledger.schemes],
        funds=[(f.id, f.balance) for f in funds],
        public_revenue=deposits - opening,
        allocations=year.allocations,
        settlements=year.settlements,
        suggestions=[(s.id, s.stage.value) for s in year.suggestions],
        meetings_held=len(year.meeting_records),
        messages=len(year.mailbox),
        refusals=year.refusals,
    )


def _streams(county: str) -> tuple[Stream, Stream]:
    return (
        Stream(county=county, community="simulation", name="points"),
        Stream(county=county, community="simulation", name="year"),
    )


def save(year: Year, store: Store) -> Stream:
    """Store ``year``: its ledger's journal, its inputs and its summary; return the ledger's stream.

    The journal goes to the stream ``{county}/simulation/points``, in
    transactions of [`SAVE_CHUNK`][grassroots.simulation.SAVE_CHUNK] entries
    each continuing the last (so memory stays bounded); the inputs
    ([`YearInputs`][grassroots.simulation.YearInputs]) and the summary
    ([`YearSummary`][grassroots.simulation.YearSummary]) are records of
    ``{county}/simulation/year``, and the store's index names the county as its
    latest year. The records are written last: until they are, the store holds
    no loadable year, so a save cut short is never read back as a year.

    Raises:
        InvalidValue: the year's scenario was built in code, so it has no TOML
            text to store.
        ConcurrencyConflict: the store already holds a year of that county
            (nothing is written).
    """
    if not isinstance(year, Year):
        raise TypeError(f"save takes a Year, not {type(year).__name__}")
    source = year.scenario.source
    if not source:
        raise InvalidValue(
            "the year's scenario has no TOML text to store (it was not read by parse)",
            value=None,
            limit="a parsed scenario",
            rule=STORE_RULE,
        )
    county = year.scenario.county.id
    points, records = _streams(county)
    inputs = YearInputs(county=county, scenario=source, months=year.months, seed=year.seed)
    summary = summarise(year)
    journal = year.programme.ledger.journal
    head = store.head(points)
    if head != GENESIS:  # checked first, so a second year of the county writes nothing
        store.append(points, journal[:1], expected_head=GENESIS)
    for first in range(0, len(journal), SAVE_CHUNK):
        head = store.append(points, journal[first : first + SAVE_CHUNK], expected_head=head)
    store.save(records, "inputs", inputs, expected_revision=0)
    store.save(records, "summary", summary, expected_revision=0)
    store.save(_INDEX, "latest", inputs, expected_revision=store.revision(_INDEX, "latest"))
    return points


def latest_county(store: Store) -> str:
    """Return the county of the year saved last in ``store``.

    Raises:
        UnknownRecord: the store holds no simulated year.
    """
    return store.load(_INDEX, "latest", YearInputs).county


def load(store: Store, *, county: str | None = None) -> Year:
    """Read back the year of ``county`` (the latest saved by default) from ``store``.

    The stored inputs are replayed through the library; the year is refused
    unless the stored journal verifies and the replay gives the same journal
    (to its head digest) and the same summary.

    Raises:
        UnknownRecord: the store holds no year (of that county).
        CorruptRow: the stored journal, or the summary, differs from the replay.
    """
    where = latest_county(store) if county is None else v.check_identifier(county, "county")
    points, records = _streams(where)
    inputs = store.load(records, "inputs", YearInputs)
    stored = store.load(records, "summary", YearSummary)
    head = store.verify(points)
    year = simulate(parse(inputs.scenario), months=inputs.months, seed=inputs.seed)
    if head != year.programme.ledger.head:
        raise CorruptRow(
            f"the stored journal of {points} ends at {head}, not at the replay's"
            f" {year.programme.ledger.head}",
            stream=str(points),
            value=head,
            limit=year.programme.ledger.head,
            rule=STORE_RULE,
        )
    if summarise(year) != stored:
        raise CorruptRow(
            f"the stored summary of {records} differs from the replay of its inputs",
            stream=str(records),
            value="summary",
            rule=STORE_RULE,
        )
    return year
