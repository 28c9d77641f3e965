"""The simulated year: deterministic from its seed, conserving points and money, stored."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.errors import ConcurrencyConflict, CorruptRow, InvalidValue, UnknownRecord
from grassroots.ledger import Transfer, TransferKind
from grassroots.programme import MovementKind, wallet_id
from grassroots.reports import REPORT_INPUTS, YearReport
from grassroots.scenarios import Scenario, builtin, parse
from grassroots.simulation import (
    Year,
    YearInputs,
    YearSummary,
    load,
    save,
    simulate,
    summarise,
)
from grassroots.storage import Stream
from grassroots.storage.memory import MemoryStore
from grassroots.storage.sqlite import SqliteStore

SEEDS = st.integers(min_value=0, max_value=2**32)
SLOW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def scenario(name: str) -> Scenario:
    return parse(builtin(name))


def _wallet_sum(year: Year, scheme: str) -> int:
    ledger = year.programme.ledger
    residents = [
        f"{compound.id}-r{n}"
        for compound in year.scenario.county.subcommunities
        for n in range(year.scenario.year.residents_per_compound)  # type: ignore[union-attr]
    ]
    return sum(ledger.balance(wallet_id(scheme, rid)) for rid in residents)


def _check_conservation(year: Year) -> None:
    ledger = year.programme.ledger
    for scheme in ledger.schemes:
        totals = ledger.totals(scheme.code, at=year.last_moment)
        flows = (
            totals.issued
            + totals.adjusted
            + totals.exchanged_in
            - totals.exchanged_out
            - totals.redeemed
            - totals.expired
        )
        assert totals.outstanding == flows, scheme.code
        assert _wallet_sum(year, scheme.code) == totals.outstanding, scheme.code
        redeemed = sum(r.points for r in year.programme.receipts if r.scheme == scheme.code)
        assert redeemed == totals.redeemed
    for fund in year.programme.funds:
        deposits = sum(
            (m.amount for m in fund.movements if m.kind is MovementKind.DEPOSIT), Decimal(0)
        )
        paid = sum((r.fund_part for r in year.programme.receipts if r.fund == fund.id), Decimal(0))
        assert fund.balance == deposits - paid >= 0, fund.id
    shares = sum(
        (
            amount
            for allocation in year.allocations
            for period in allocation.periods
            for amount in period.community_shares().values()
        ),
        Decimal(0),
    )
    opening = sum(
        (
            m.amount
            for f in year.programme.funds
            for m in f.movements
            if m.kind is MovementKind.DEPOSIT and m.reference == "opening"
        ),
        Decimal(0),
    )
    assert summarise(year).public_revenue == shares
    assert opening == year.scenario.year.fund_opening * len(year.programme.funds)  # type: ignore[union-attr]


def _check_refusals_left_nothing(year: Year) -> None:
    ledger = year.programme.ledger
    transfer_ids = {e.record.id for e in ledger.journal if isinstance(e.record, Transfer)}
    receipts = {r.id for r in year.programme.receipts}
    exchanges = {r.id for r in year.programme.window.receipts}
    for refusal in year.refusals:
        if refusal.kind == "redeem":
            assert refusal.subject not in receipts
            assert f"redeem/{refusal.subject}" not in transfer_ids
        elif refusal.kind == "exchange":
            assert refusal.subject not in exchanges
            assert not any(t.startswith(f"xchg/{refusal.subject}") for t in transfer_ids)


class TestTheYear:
    @SLOW
    @given(seed=SEEDS, months=st.integers(min_value=1, max_value=3))
    def test_a_seed_gives_the_same_year(self, seed: int, months: int) -> None:
        first = simulate(scenario("longju"), months=months, seed=seed)
        again = simulate(scenario("longju"), months=months, seed=seed)
        assert summarise(first) == summarise(again)
        assert first.pipeline.moves == again.pipeline.moves  # type: ignore[union-attr]

    def test_other_seeds_give_other_years(self) -> None:
        heads = {simulate(scenario("longju"), months=1, seed=s).ledger.head for s in range(3)}
        assert len(heads) == 3

    def test_the_scenario_seed_is_the_default(self) -> None:
        model_seed = scenario("longju").year.seed  # type: ignore[union-attr]
        default = simulate(scenario("longju"), months=1)
        assert default.seed == model_seed
        assert summarise(default) == summarise(
            simulate(scenario("longju"), months=1, seed=model_seed)
        )

    @SLOW
    @given(seed=SEEDS)
    def test_tancheng_conserves_points_and_money(self, seed: int) -> None:
        year = simulate(scenario("tancheng"), months=2, seed=seed)
        _check_conservation(year)
        _check_refusals_left_nothing(year)
        ledger = year.programme.ledger
        assert ledger.verify() == ledger.head
        assert ledger.audit() == ()
        assert year.programme.audit() == ()

    @SLOW
    @given(seed=SEEDS)
    def test_longju_conserves_and_verifies(self, seed: int) -> None:
        year = simulate(scenario("longju"), months=3, seed=seed)
        _check_conservation(year)
        _check_refusals_left_nothing(year)
        assert year.programme.ledger.audit() == ()

    def test_tancheng_year_uses_both_schemes_and_the_window(self) -> None:
        year = simulate(scenario("tancheng"), months=3, seed=11)
        totals = {s.code: year.ledger.totals(s.code) for s in year.ledger.schemes}
        assert set(totals) == {"party", "virtue"}
        assert totals["party"].exchanged_out > 0
        assert totals["virtue"].exchanged_in > 0
        assert all(
            r.kind is TransferKind.REDEEM for r in (x.transfer for x in year.programme.receipts)
        )
        assert len(year.settlements) == 3
        assert [p.period for p in year.allocations[0].periods] == ["2025-01", "2025-02", "2025-03"]
        policies = {m.id: m.funding.kind.value for m in year.programme.merchants}
        assert policies == {
            "shop-housekeeping": "split",
            "shop-store": "fund",
            "shop-canteen": "fund",
        }

    def test_longju_runs_the_pipeline_and_the_meetings(self) -> None:
        year = simulate(scenario("longju"), months=12, seed=3)
        held = {r.occurrence.series_id for r in year.meeting_records}
        assert held == {"tea", "bababa", "yehua"}
        counts = {
            series: sum(1 for r in year.meeting_records if r.occurrence.series_id == series)
            for series in held
        }
        assert counts["tea"] in {52, 53}
        assert counts["bababa"] == 12
        assert counts["yehua"] == 4
        stages = {s.stage.value for s in year.suggestions}
        assert {"done", "declined"} <= stages
        report = year.deliberation()
        assert report is not None
        report_mail = year.mailbox_report()
        assert report_mail.received == len(year.mailbox)

    def test_report_inputs_hold_the_public_objects(self) -> None:
        year = simulate(scenario("tancheng"), months=1, seed=5)
        inputs = year.report_inputs()
        assert set(inputs) == set(REPORT_INPUTS)
        assert inputs["programme"] is year.programme
        assert inputs["settlements"] == year.settlements
        assert inputs["pipeline"] is None
        assert inputs["meetings"] == (*year.meetings, *year.meeting_records)
        assert (inputs["start"], inputs["end"]) == (
            pendulum.Date(2025, 1, 1),
            pendulum.Date(2025, 1, 31),
        )
        report = YearReport.build(**inputs)  # type: ignore[arg-type]
        assert report.points is not None
        start, end = year.period
        assert (start.isoformat(), end.isoformat()) == (
            "2025-01-01T00:00:00+08:00",
            "2025-02-01T00:00:00+08:00",
        )


class TestRefused:
    def test_no_year_model(self) -> None:
        bare = attrs.evolve(scenario("longju"), year=None)
        with pytest.raises(InvalidValue, match=r"\[year\]"):
            simulate(bare)

    @pytest.mark.parametrize("months", [0, 121])
    def test_months_out_of_range(self, months: int) -> None:
        with pytest.raises(InvalidValue, match="months"):
            simulate(scenario("longju"), months=months)

    def test_bad_types(self) -> None:
        with pytest.raises(TypeError):
            simulate("tancheng")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            simulate(scenario("longju"), months=1.5)  # type: ignore[arg-type]
        with pytest.raises(InvalidValue):
            simulate(scenario("longju"), seed=-1)


class TestStored:
    def test_save_then_load_gives_the_same_year(self, tmp_path: Path) -> None:
        year = simulate(scenario("tancheng"), months=2, seed=8)
        for store in (MemoryStore(), SqliteStore(tmp_path / "year.sqlite")):
            with store:
                save(year, store)
                back = load(store)
                assert summarise(back) == summarise(year)
                assert back.period == year.period
                assert back.scenario == year.scenario
                again = load(store, county="tancheng")
                assert again.ledger.head == year.ledger.head

    def test_a_tampered_summary_is_refused(self) -> None:
        year = simulate(scenario("longju"), months=1, seed=2)
        store = MemoryStore()
        save(year, store)
        records = Stream(county="guanghan", community="simulation", name="year")
        wrong = attrs.evolve(summarise(year), events=summarise(year).events + 1)
        store.save(records, "summary", wrong, expected_revision=1)
        with pytest.raises(CorruptRow, match="summary"):
            load(store)

    def test_stored_inputs_that_give_another_journal_are_refused(self) -> None:
        year = simulate(scenario("longju"), months=1, seed=2)
        other = simulate(scenario("longju"), months=1, seed=3)
        store = MemoryStore()
        save(year, store)
        records = Stream(county="guanghan", community="simulation", name="year")
        stored = store.load(records, "inputs", YearInputs)
        store.save(records, "inputs", attrs.evolve(stored, seed=3), expected_revision=1)
        with pytest.raises(CorruptRow, match="journal"):
            load(store)
        assert other.ledger.head != year.ledger.head

    def test_saving_twice_writes_nothing_more(self) -> None:
        year = simulate(scenario("longju"), months=1, seed=2)
        store = MemoryStore()
        save(year, store)
        records = Stream(county="guanghan", community="simulation", name="year")
        with pytest.raises(ConcurrencyConflict):
            save(year, store)
        assert store.revision(records, "summary") == 1
        assert store.revision(records, "inputs") == 1

    def test_a_scenario_built_in_code_cannot_be_saved(self) -> None:
        built = attrs.evolve(scenario("longju"), source="")
        year = simulate(built, months=1, seed=1)
        store = MemoryStore()
        with pytest.raises(InvalidValue, match="TOML"):
            save(year, store)
        with pytest.raises(UnknownRecord):
            load(store)

    def test_summary_round_trips_through_the_converter(self) -> None:
        from grassroots import serialization

        summary = summarise(simulate(scenario("tancheng"), months=1, seed=4))
        data = serialization.unstructure(summary)
        assert serialization.structure(data, YearSummary) == summary
