"""Type-level checks of the points programme's API, run by mypy only (never executed)."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_type

import pendulum

from grassroots.programme import (
    ExchangeReceipt,
    LoopReport,
    PointsProgramme,
    RedemptionReceipt,
    RedemptionRule,
    RefundRecord,
    Settlement,
)

at = pendulum.datetime(2026, 11, 22, 12, tz="Asia/Shanghai")
programme = PointsProgramme()
receipt = programme.redeem(
    id="c-1122",
    resident="zhao",
    merchant="canteen",
    scheme="virtue",
    bill="15.00",
    points=50,
    at=at,
)
assert_type(receipt, RedemptionReceipt)
assert_type(receipt.discount, Decimal)
assert_type(programme.refund("c-1122", id="r", at=at), RefundRecord)
assert_type(programme.settle(at, at, at=at), Settlement)
assert_type(programme.loop("dongcheng"), LoopReport)
assert_type(
    programme.exchange(id="x", resident="zhang", source="party", target="virtue", points=10, at=at),
    ExchangeReceipt,
)
assert_type(
    RedemptionRule(points_per_yuan=10, schemes=["virtue"]).quote_fen(1200, 100), tuple[int, int]
)
