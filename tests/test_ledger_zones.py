"""A transfer reads back in the zone it was written in, however many zones a ledger meets."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots import errors, serialization
from grassroots.ledger import (
    Account,
    AccountKind,
    ExchangeRate,
    PointsLedger,
    Scheme,
    Transfer,
)
from grassroots.ledger._snapshot import dump, restore

SHANGHAI = pendulum.timezone("Asia/Shanghai")
T0 = pendulum.datetime(2026, 3, 1, 9, tz=SHANGHAI)


def new_ledger() -> PointsLedger:
    """Return a ledger with one scheme, its issuer, a shop and a wallet."""
    ledger = PointsLedger()
    ledger.add_scheme(Scheme(code="v", name="美德积分"))
    ledger.open_account(Account(id="v:issuer", scheme="v", kind="issuer"))
    ledger.open_account(Account(id="v:store", scheme="v", kind="merchant"))
    ledger.open_account(Account(id="v:wang", scheme="v", kind=AccountKind.WALLET))
    return ledger


def offsets(count: int) -> list[dt.tzinfo]:
    """Return ``count`` fixed zones, each of another offset (whole minutes from UTC)."""
    return [dt.timezone(dt.timedelta(minutes=minute - count // 2)) for minute in range(count)]


def earn(number: int, zone: dt.tzinfo) -> Transfer:
    return Transfer(
        id=f"e{number}",
        debit="v:issuer",
        credit="v:wang",
        amount=3,
        kind="earn",
        at=T0.add(minutes=number).astimezone(zone),
    )


def assert_zones(ledger: PointsLedger, written: dict[str, dt.datetime]) -> None:
    """Every transfer of ``ledger`` reads back, by index and by iteration, as it was written."""
    transfers = [entry.record for entry in ledger.journal if isinstance(entry.record, Transfer)]
    assert {transfer.id for transfer in transfers} == set(written)
    indexed = [ledger.journal[entry.position] for entry in ledger.journal]
    assert indexed == list(ledger.journal)
    for transfer in transfers:
        at = written[transfer.id]
        assert transfer.at == at
        assert transfer.at.utcoffset() == at.utcoffset()
        assert transfer.at.isoformat() == at.isoformat()


def post_mixed(ledger: PointsLedger, zones: list[dt.tzinfo], start: int) -> dict[str, dt.datetime]:
    """Post earnings through ``zones`` in an uneven order, a batch refused, and a reversal."""
    written: dict[str, dt.datetime] = {}
    order = [zones[(number * 7) % len(zones)] for number in range(len(zones))]
    order += [zones[0]] * 3 + [zones[-1]]  # runs of the first zone leave no gap unfilled
    for number, zone in enumerate(order, start):
        transfer = earn(number, zone)
        ledger.post(transfer)
        written[transfer.id] = transfer.at
    size = len(ledger.journal)
    refused = [
        earn(start + len(order), zones[-1]),
        earn(start + len(order) + 1, zones[1 % len(zones)]),
        Transfer(
            id=f"too-much{start}",
            debit="v:wang",
            credit="v:store",
            amount=10**9,
            kind="redeem",
            at=T0.add(minutes=start + len(order) + 2).astimezone(zones[-1]),
        ),
    ]
    with pytest.raises(errors.BatchRejected):
        ledger.post_batch(refused)
    assert len(ledger.journal) == size
    # the positions the batch took now hold transfers of the first zone, then of another
    for number, zone in enumerate((zones[0], zones[0], zones[-1]), start + len(order)):
        transfer = earn(number, zone)
        ledger.post(transfer)
        written[transfer.id] = transfer.at
    at = T0.add(minutes=start + len(order) + 10).astimezone(zones[-1])
    ledger.reverse(f"e{start + 1}", id=f"rv{start}", at=at, amount=1)
    written[f"rv{start}"] = at
    return written


@pytest.mark.parametrize("count", [2, 3, 300])
def test_each_transfer_keeps_its_zone_through_rollback_json_and_snapshot(count: int) -> None:
    """Mixed zones (past 255 of them too) survive posting, a refused batch and both round trips."""
    zones = [SHANGHAI, *offsets(count - 1)]
    assert len({zone.utcoffset(T0) for zone in zones}) == count
    ledger = new_ledger()
    written = post_mixed(ledger, zones, 0)
    assert_zones(ledger, written)
    assert_zones(copy.deepcopy(ledger), written)
    assert_zones(pickle.loads(pickle.dumps(ledger)), written)

    back = serialization.loads(serialization.dumps(ledger), PointsLedger)
    assert back == ledger
    assert_zones(back, written)

    restored = restore(dump(ledger))
    assert restored is not None
    assert restored == ledger
    assert_zones(restored, written)
    # the restored ledger goes on keeping zones, and rolls them back, as the ledger did
    more = post_mixed(restored, list(reversed(zones)), 10_000)
    assert_zones(restored, written | more)
    again = restore(dump(restored))
    assert again is not None
    assert_zones(again, written | more)


def test_a_ledger_of_one_zone_reads_back_in_it() -> None:
    """Transfers all of the first zone the ledger met read back in that zone."""
    ledger = new_ledger()
    written: dict[str, dt.datetime] = {}
    for number in range(5):
        transfer = earn(number, SHANGHAI)
        ledger.post(transfer)
        written[transfer.id] = transfer.at
    assert_zones(ledger, written)
    restored = restore(dump(ledger))
    assert restored is not None
    assert_zones(restored, written)


_NEW_YORK = pendulum.timezone("America/New_York")


@settings(max_examples=150, deadline=None)
@given(
    effective=st.lists(st.integers(0, 400 * 24), min_size=1, max_size=4, unique=True),
    asked=st.lists(
        st.tuples(st.integers(-48, 420 * 24), st.sampled_from([SHANGHAI, _NEW_YORK, "utc"])),
        min_size=1,
        max_size=12,
    ),
)
def test_a_rate_is_the_one_in_force_at_the_exact_instant_asked(
    effective: list[int], asked: list[tuple[int, str | pendulum.Timezone]]
) -> None:
    """A rate asked for is the latest in force at the exact instant asked, or none.

    The times are asked in the zone of the last posting (New York, whose clock
    changes in the span) and in others, around and between the rates.
    """
    ledger = new_ledger()
    ledger.add_scheme(Scheme(code="p", name="新新向党"))
    start = pendulum.datetime(2026, 1, 1, tz=_NEW_YORK)
    for number, hours in enumerate(sorted(effective)):
        ledger.record_rate(
            ExchangeRate(
                source="p",
                target="v",
                rate=Fraction(number + 1, 3),
                effective=start.add(hours=hours),
            )
        )
    ledger.post(earn(0, _NEW_YORK))  # the last posting's zone: New York
    for hours, zone in asked:
        moment = start.add(hours=hours)
        at = moment.in_timezone("UTC") if zone == "utc" else moment.in_timezone(zone)
        in_force = [h for h in sorted(effective) if start.add(hours=h) <= at]
        if not in_force:
            with pytest.raises(errors.NoExchangeRate):
                ledger.rate("p", "v", at=at)
            continue
        got = ledger.rate("p", "v", at=at)
        assert got.effective == start.add(hours=in_force[-1])
    assert ledger.verify()
