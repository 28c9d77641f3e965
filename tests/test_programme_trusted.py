"""The programme's trusted builders give exactly what the checked constructors give."""

from __future__ import annotations

import datetime as _dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.ledger import MAX_TRANSFER_POINTS, Scheme, Transfer, TransferKind
from grassroots.programme import (
    Attendance,
    EarnerGroup,
    Participant,
    PointsProgramme,
    Reward,
    VolunteerActivity,
)
from grassroots.programme.programme import _earnings

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
    assert got[0] == expected[0]
    if got[0] == "refused":
        assert got[1] is expected[1]
        return
    made, wanted = got[1], expected[1]
    assert isinstance(made, list)
    assert isinstance(wanted, list)
    assert made == wanted
    for one, other in zip(made, wanted, strict=True):
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
