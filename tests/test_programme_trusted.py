"""The programme's trusted builders give exactly what the checked constructors give."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.ledger import MAX_TRANSFER_POINTS, ExchangeRate, Scheme, Transfer, TransferKind
from grassroots.programme import (
    Attendance,
    EarnerGroup,
    Participant,
    PointsProgramme,
    Reward,
    VolunteerActivity,
)
from grassroots.programme.fund import FundingPolicy, Shortfall, _fund_part
from grassroots.programme.programme import (
    _earnings,
    _redemption_transfer,
    _Terms,
    merchant_account_id,
    wallet_id,
)
from grassroots.programme.shop import (
    Merchant,
    RedemptionReceipt,
    RedemptionRule,
    _quote_fen,
    _receipt,
)
from grassroots.programme.window import ExchangeReceipt, _exchange_receipt

# Hostile text: empty, blank, with line breaks, NUL and lone surrogates, and long ids.
_TEXT = st.one_of(
    st.text(max_size=8),
    st.text(alphabet=st.characters(codec=None), max_size=12),
    st.sampled_from(["", " ", "a ", " a", "a\nb", "a\x00", "\ud800", "x" * 200, "x" * 250]),
    st.from_regex(r"[a-z0-9][a-z0-9:/_-]{0,20}", fullmatch=True),
)
_POINTS = st.one_of(
    st.integers(-3, 100),
    st.sampled_from([MAX_TRANSFER_POINTS, MAX_TRANSFER_POINTS + 1, True, 2.0]),
)
_WHEN = st.sampled_from(
    [
        pendulum.datetime(2026, 11, 7, 12, tz="Asia/Shanghai"),
        pendulum.datetime(2026, 11, 7, 4, tz="UTC"),
        _dt.datetime(2026, 11, 7, 12, tzinfo=_dt.timezone(_dt.timedelta(hours=8))),
        _dt.datetime(2026, 11, 7, 12),  # noqa: DTZ001 - naive: refused
    ]
)


def _checked(  # noqa: PLR0917 - the fields of one earning
    activity_id: str, title: str, scheme: str, resident: str, points: int, when: _dt.datetime
) -> Transfer:
    return Transfer(
        id=f"earn/{activity_id}/{resident}/{scheme}",
        debit=f"{scheme}:issuer",
        credit=f"{scheme}:resident:{resident}",
        amount=points,
        kind=TransferKind.EARN,
        at=when,
        reference=activity_id,
        memo=title,
    )


def _outcome(build: object) -> tuple[str, object]:
    try:
        made = build()  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - the kind of refusal is what is compared
        return ("refused", type(exc))
    return ("built", made)


_ID = st.from_regex(r"[a-z0-9][a-z0-9:/_-]{0,20}", fullmatch=True)
# Residents whose ids make the earning's id or wallet just fit in 128 characters, or not.
_LONG = st.integers(90, 130).map(lambda length: "r" * length)


@settings(max_examples=300)
@given(
    activity_id=st.one_of(_ID, _ID, _ID, _TEXT),
    title=st.one_of(st.just("志愿服务"), st.just("志愿服务"), _TEXT),
    when=_WHEN,
    earnings=st.lists(
        st.tuples(
            st.sampled_from(["virtue", "party", "a b", "x" * 120]),
            st.one_of(_ID, _ID, _LONG, _TEXT),
            st.one_of(st.integers(1, 100), st.integers(1, 100), _POINTS),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_earnings_equal_checked_transfers(
    activity_id: str,
    title: str,
    when: _dt.datetime,
    earnings: list[tuple[str, str, int]],
) -> None:
    """Each earning is the checked constructor's transfer, field for field, or its refusal."""
    _compare(activity_id, title, when, earnings)


_AT = pendulum.datetime(2026, 11, 7, 12, tz="Asia/Shanghai")


@pytest.mark.parametrize(
    ("activity_id", "earning"),
    [
        ("activity-0123456789", ("virtue", "r" * 100, 20)),  # the id too long, the wallet fits
        ("a", ("virtue", "r" * 113, 20)),  # the wallet too long, the id fits
        ("a", ("virtue", "r\n", 20)),
        ("a", ("virtue", "r\x00s", 20)),
        ("a", ("virtue", "r\ud800s", 20)),
        ("a", ("virtue", "r ", 20)),
        ("a", ("virtue", " r", 20)),
        ("a", ("virtue", "li", 0)),
        ("a", ("virtue", "li", -1)),
        ("a", ("virtue", "li", MAX_TRANSFER_POINTS + 1)),
        ("a", ("virtue", "li", True)),
        ("a", ("virtue", "li", MAX_TRANSFER_POINTS)),
        ("a", ("virtue", "r" * 112, 20)),
    ],
)
def test_an_earning_after_a_checked_one(activity_id: str, earning: tuple[str, str, int]) -> None:
    """After a first earning built in full, one that differs only in what it must check."""
    _compare(activity_id, "志愿服务", _AT, [("virtue", "wang", 20), earning])


def _compare(
    activity_id: str,
    title: str,
    when: _dt.datetime,
    earnings: list[tuple[str, str, int]],
) -> None:
    expected = _outcome(
        lambda: [_checked(activity_id, title, *earning, when) for earning in earnings]
    )
    got = _outcome(lambda: _earnings(activity_id, title, when, earnings))  # type: ignore[arg-type]
    if got[0] == "built":
        assert isinstance(got[1], list)
    if expected[0] == "built":
        assert isinstance(expected[1], list)
    _assert_same_outcome(got, expected)


def _assert_same_outcome(got: tuple[str, object], expected: tuple[str, object]) -> None:
    """Both refused with one error type, or both built equal transfers, field types and zones."""
    assert got[0] == expected[0]
    if got[0] == "refused":
        assert got[1] is expected[1]
        return
    made, wanted = got[1], expected[1]
    made_list = made if isinstance(made, list) else [made]
    wanted_list = wanted if isinstance(wanted, list) else [wanted]
    assert made_list == wanted_list
    for one, other in zip(made_list, wanted_list, strict=True):
        assert isinstance(one, Transfer)
        assert isinstance(other, Transfer)
        assert [type(getattr(one, name)) for name in _FIELDS] == [
            type(getattr(other, name)) for name in _FIELDS
        ]
        assert one.at.tzinfo == other.at.tzinfo


_FIELDS = ("id", "debit", "credit", "amount", "kind", "at", "reference", "memo", "reverses")


def test_confirmation_records_equal_checked_records() -> None:
    """What ``confirm`` returns, built on the trusted path, equals the checked ``Attendance``."""
    programme = PointsProgramme()
    programme.add_scheme(Scheme(code="virtue"))
    programme.add_scheme(Scheme(code="party"))
    for resident in ("wang", "li", "zhao"):
        programme.register(Participant(id=resident, groups=[EarnerGroup.RESIDENT]))
    start = pendulum.datetime(2026, 11, 7, 9, tz="Asia/Shanghai")
    programme.publish(
        VolunteerActivity(
            id="a1",
            title="楼道清扫",
            organiser="branch",
            place="3号楼",
            subcommunity="dc",
            start=start,
            end=start.add(hours=2),
            rewards=[Reward(scheme="virtue", points=20), Reward(scheme="party", points=5)],
            capacity=3,
            eligible=[EarnerGroup.RESIDENT],
        ),
        by="branch",
    )
    for resident in ("wang", "li", "zhao"):
        programme.claim("a1", resident, by=resident, at=start.subtract(days=1))
    programme.sign_in("a1", "li", by="li", at=start)
    at = start.add(hours=3)
    records = programme.confirm("a1", ["wang", "li", "zhao"], by="branch", at=at)
    assert [record.resident for record in records] == ["wang", "li", "zhao"]
    for record in records:
        checked = Attendance(
            activity="a1",
            resident=record.resident,
            signed_in=start if record.resident == "li" else None,
            confirmed_at=at,
            credited=[("virtue", 20), ("party", 5)],
        )
        assert record == checked
        assert record == programme.activities.attendance("a1", record.resident)


# --- redemptions ---------------------------------------------------------------------------

_MEMO = st.one_of(
    st.just("3.00 yuan off 30.00 at 24小时便利店"),
    st.builds(lambda name: f"3.00 yuan off 30.00 at {name}", _TEXT),
    st.sampled_from(["", "a\nb", "\ud800", "m" * 3990, "m" * 4001]),
)


def _checked_redemption(  # noqa: PLR0917 - the fields of one redemption
    key: str, wallet: str, credit: str, points: int, when: _dt.datetime, memo: str
) -> Transfer:
    return Transfer(
        id=f"redeem/{key}",
        debit=wallet,
        credit=credit,
        amount=points,
        kind=TransferKind.REDEEM,
        at=when,
        reference=key,
        memo=memo,
    )


@settings(max_examples=300)
@given(
    key=st.one_of(_ID, _ID, _LONG),
    scheme=st.sampled_from(["virtue", "party", "x" * 120]),
    resident=st.one_of(_ID, _ID, _LONG),
    merchant=st.one_of(_ID, _ID, _LONG),
    points=st.one_of(st.integers(1, 100), _POINTS),
    when=_WHEN,
    memo=_MEMO,
)
def test_a_redemption_transfer_equals_the_checked_one(  # noqa: PLR0917 - its fields
    key: str,
    scheme: str,
    resident: str,
    merchant: str,
    points: int,
    when: _dt.datetime,
    memo: str,
) -> None:
    """The redemption's transfer is the checked constructor's, field for field, or its refusal.

    The ids are valid ones (``redeem`` checks them first), of every length
    around the bound, and the memo, points and time are hostile.
    """
    wallet, credit = wallet_id(scheme, resident), merchant_account_id(scheme, merchant)
    expected = _outcome(lambda: _checked_redemption(key, wallet, credit, points, when, memo))
    got = _outcome(lambda: _redemption_transfer(key, wallet, credit, points, when, memo))  # type: ignore[arg-type]
    _assert_same_outcome(got, expected)


def test_a_trusted_receipt_equals_the_checked_one() -> None:
    """The receipt built from its fields in order is the one the checked constructor builds."""
    transfer = _checked_redemption(
        "b1", "virtue:resident:wang", "virtue:merchant:shop", 30, _AT, "3.00 yuan off 30.00"
    )
    fields = {
        "id": "b1",
        "resident": "wang",
        "merchant": "shop",
        "scheme": "virtue",
        "at": _AT,
        "bill": Decimal("30.00"),
        "offered": 40,
        "points": 30,
        "discount": Decimal("3.00"),
        "payable": Decimal("27.00"),
        "fund": "fund-0",
        "fund_part": Decimal("1.50"),
        "merchant_part": Decimal("1.50"),
        "transfer": transfer,
    }
    # Every field has a value of its own, so one set in another's slot would show.
    assert list(fields) == [field.name for field in attrs.fields(RedemptionReceipt)]
    made = _receipt(*fields.values())  # type: ignore[arg-type]
    assert made == RedemptionReceipt(**fields)  # type: ignore[arg-type]
    assert {name: getattr(made, name) for name in fields} == fields


_RATIO = st.fractions(min_value=Fraction(1, 1000), max_value=1000, max_denominator=1000)


@settings(max_examples=200)
@given(
    per_yuan=_RATIO,
    share=st.fractions(min_value=Fraction(1, 1000), max_value=1, max_denominator=1000),
    fund_share=st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(1, 3), Fraction(0)]),
    minimum=st.integers(0, 10_000),
)
def test_a_merchant_s_terms_are_its_rule_s_and_policy_s(
    per_yuan: Fraction, share: Fraction, fund_share: Fraction, minimum: int
) -> None:
    """The integers a redemption reads give the rule's quote and the policy's fund part."""
    if fund_share == 1:
        funding = FundingPolicy.from_fund("fund-0", shortfall=Shortfall.MERCHANT_ABSORBS)
    elif fund_share == 0:
        funding = FundingPolicy.merchant_absorbs()
    else:
        funding = FundingPolicy.split("fund-0", fund_share)
    rule = RedemptionRule(
        points_per_yuan=per_yuan,
        max_share=share,
        minimum_bill=Decimal(minimum) / 100,
        schemes=["virtue"],
    )
    merchant = Merchant(id="shop", name="店", subcommunity="c0", rule=rule, funding=funding)
    terms = _Terms(merchant)
    assert terms.minimum_fen == minimum
    assert terms.refuses_shortfall is (funding.shortfall is Shortfall.REFUSE)
    assert terms.fund == funding.fund
    for bill_fen, points in [(0, 0), (1, 1), (minimum, 7), (3_000, 40), (10**9, 10**6)]:
        used, discount = _quote_fen(bill_fen, points, *terms.per_yuan, *terms.share)
        assert (used, discount) == rule.quote_fen(bill_fen, points)
        assert _fund_part(discount, *terms.fund_share) == funding.fund_fen(discount)


def test_a_trusted_exchange_receipt_equals_the_checked_one() -> None:
    """The exchange receipt built from its fields in order is the checked constructor's."""
    rate = ExchangeRate(source="party", target="virtue", rate=Fraction(2, 3), effective=_AT)
    fields = {
        "id": "x1",
        "resident": "wang",
        "source": "party",
        "target": "virtue",
        "at": _AT,
        "rate": rate,
        "offered": 10,
        "spent": 9,
        "received": 6,
        "positions": (7, 8),
    }
    assert list(fields) == [field.name for field in attrs.fields(ExchangeReceipt)]
    made = _exchange_receipt(*fields.values())  # type: ignore[arg-type]
    assert made == ExchangeReceipt(**fields)  # type: ignore[arg-type]
    assert {name: getattr(made, name) for name in fields} == fields
