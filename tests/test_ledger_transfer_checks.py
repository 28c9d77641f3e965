"""The one-expression check of `Transfer` agrees with the field-by-field checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from grassroots.ledger import Transfer, TransferKind
from grassroots.ledger._values import _check_transfer

_TEXT = st.one_of(
    st.sampled_from(["", "a", " a", "a ", "a b", "w0001", "美德", "x\0y", "x\ny", "\t", "\u3000"]),
    st.text(max_size=6),
    st.text(min_size=120, max_size=140),
)
_TIMES = st.one_of(
    st.just(pendulum.datetime(2025, 1, 1, 8, tz="Asia/Shanghai")),
    st.just(pendulum.datetime(2025, 1, 1, 8, tz="Asia/Shanghai").astimezone(dt.UTC)),
    st.just(dt.datetime(2025, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
    st.just(dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC).replace(tzinfo=None)),  # naive
    st.just(pendulum.naive(2025, 1, 1)),
    st.just("2025-01-01T08:00+08:00"),
)
_FIELDS = st.fixed_dictionaries(
    {
        "id": st.one_of(_TEXT, st.just(5)),
        "debit": _TEXT,
        "credit": _TEXT,
        "amount": st.one_of(
            st.integers(-2, 3), st.just(10**12), st.just(10**12 + 1), st.just(True), st.just(1.0)
        ),
        "kind": st.one_of(st.sampled_from(TransferKind), st.sampled_from(["earn", "reverse", "x"])),
        "at": _TIMES,
        "reference": _TEXT,
        "memo": _TEXT,
        "reverses": st.one_of(st.none(), _TEXT),
    }
)


_NAMES = ("id", "debit", "credit", "amount", "kind", "at", "reference", "memo", "reverses")


def _outcome(call: Callable[[], object]) -> tuple[object, ...]:
    try:
        return ("ok", call())
    except Exception as exc:  # noqa: BLE001 - the outcome is compared, whatever it is
        return ("error", type(exc), str(exc))


class TestTransferChecks:
    @given(_FIELDS)
    def test_the_fast_check_agrees_with_the_field_checks(self, fields: dict[str, object]) -> None:
        """A transfer is built when the field checks accept its fields, else with their error."""
        built = _outcome(lambda: Transfer(**fields))  # type: ignore[arg-type]
        checked = _outcome(lambda: _check_transfer(*(fields[name] for name in _NAMES)))
        if built[0] == "ok":
            assert checked[0] == "ok", checked
            transfer = built[1]
            assert isinstance(transfer, Transfer)
            assert (transfer.kind, transfer.at) == checked[1]
            assert isinstance(transfer.at, pendulum.DateTime)
        else:
            assert built == checked
