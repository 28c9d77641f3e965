"""The ledger's value records (private).

Accounts, schemes, closures, rates, transfers, draws and lots: frozen attrs
values that check their own fields.
"""

from __future__ import annotations

import datetime as _dt
import enum
from fractions import Fraction
from typing import Any, Final, TypeAlias, cast

import attrs
import pendulum

from grassroots import _validators
from grassroots._time import ALWAYS_AWARE as _ALWAYS_AWARE
from grassroots._validators import ratio
from grassroots.errors import (
    RuleViolation,
)
from grassroots.ledger._checks import (
    _aware,
    _count,
    _enum_member,
    _identifier,
    _invalid,
    _optional_identifier,
    _points,
    _text,
)
from grassroots.ledger._expiry import ExpiryPolicy

MAX_TRANSFER_POINTS: Final = 10**12

"""The largest amount one transfer may move: a sanity bound, far above any real scheme."""

# --- value types ---------------------------------------------------------------------------


class AccountKind(enum.Enum):
    """What an account is for; the kind decides which transfers it may take part in."""

    WALLET = "wallet"
    """A resident's wallet (积分账户): holds lots, never goes below zero."""
    ISSUER = "issuer"
    """The scheme's source of points: its negative balance is the points in circulation."""
    MERCHANT = "merchant"
    """A shop that accepts points as a discount; redeemed points land here."""
    EXPIRY = "expiry"
    """Where expired points go."""
    EXCHANGE = "exchange"
    """The clearing account of a scheme for conversions to and from other schemes."""


class TransferKind(enum.Enum):
    """Why points move; each kind is allowed only between certain kinds of account.

    | kind | debit (points leave) → credit (points arrive) |
    |---|---|
    | ``earn`` | issuer → wallet |
    | ``redeem`` | wallet → merchant |
    | ``expire`` | wallet → expiry |
    | ``exchange`` | wallet → exchange, or exchange → wallet |
    | ``adjust`` | issuer → wallet or merchant, or wallet or merchant → issuer |
    | ``settle`` | merchant → issuer |
    | ``gift`` | wallet → wallet, only if the scheme allows resident transfers |
    | ``reverse`` | the reversed transfer's credit → its debit |

    Transfers between two wallets are off by default: volunteer records are
    personal (points rule 10 (docs: rules and sources, points)).
    """

    EARN = "earn"
    """Points credited for confirmed volunteer work (积分获取)."""
    REDEEM = "redeem"
    """Points spent as a discount at a merchant (积分兑换)."""
    EXPIRE = "expire"
    """Points of an expired lot moved to the expiry account."""
    EXCHANGE = "exchange"
    """One leg of a conversion between schemes, through the exchange accounts."""
    REVERSE = "reverse"
    """A compensating transfer that undoes all or part of an earlier one."""
    ADJUST = "adjust"
    """A correction by the issuer, to or from a wallet or a merchant."""
    SETTLE = "settle"
    """A merchant handing redeemed points back to the issuer when it is paid for them."""
    GIFT = "gift"
    """Points one resident gives another: only where the scheme allows it (points rule 10)."""


def _account_kind(value: object) -> AccountKind:
    return value if type(value) is AccountKind else _enum_member(AccountKind, value, "account kind")


def _transfer_kind(value: object) -> TransferKind:
    if type(value) is TransferKind:
        return value
    kind = _TRANSFER_KINDS.get(value) if type(value) is str else None
    return _enum_member(TransferKind, value, "transfer kind") if kind is None else kind


_TRANSFER_KINDS: Final = {kind.value: kind for kind in TransferKind}


@attrs.frozen(kw_only=True)
class Scheme:
    """A points scheme (积分方案): one points currency with its expiry policy.

    Args:
        code: A short, stable id such as ``"virtue"``; accounts name their scheme by it.
        name: The scheme's name as residents know it, such as ``"美德积分"``.
        expiry: When its lots expire; never, by default.
        allow_resident_transfers: Whether residents may give each other points
            (``gift`` transfers between wallets). Off by default: points rule 10,
            volunteer records are personal. Given points keep their expiry.

    Examples:
        >>> Scheme(code="party", name="新新向党", expiry=ExpiryPolicy.end_of_year(1)).code
        'party'
    """

    code: str = attrs.field(validator=_identifier)
    name: str = attrs.field(default="", validator=_text)
    expiry: ExpiryPolicy = attrs.field(
        factory=ExpiryPolicy, validator=attrs.validators.instance_of(ExpiryPolicy)
    )
    allow_resident_transfers: bool = attrs.field(default=False, validator=_validators.flag)


@attrs.frozen(kw_only=True)
class Account:
    """An account of one scheme: a resident's wallet, the issuer, a merchant, ….

    Args:
        id: A stable id, unique across the ledger (for example ``"virtue:wang"``).
        scheme: The code of the scheme it belongs to.
        kind: What the account is for.
        owner: Who holds it (a resident, a shop); wallets of one owner in
            different schemes may exchange points between them.
        name: A display name.
    """

    id: str = attrs.field(validator=_identifier)
    scheme: str = attrs.field(validator=_identifier)
    kind: AccountKind = attrs.field(converter=_account_kind)
    owner: str = attrs.field(default="", validator=_text)
    name: str = attrs.field(default="", validator=_text)


@attrs.frozen(kw_only=True)
class AccountClosure:
    """The closing of an account at a time: it takes no new transfers after it.

    Args:
        account: The id of the account closed.
        at: When it was closed (timezone-aware).
        memo: Why.
    """

    account: str = attrs.field(validator=_identifier)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    memo: str = attrs.field(default="", validator=_text)


def _rate(value: object) -> Fraction:
    return ratio(value)


@attrs.frozen(kw_only=True)
class ExchangeRate:
    """A dated, recorded rate at which one scheme's points convert into another's.

    Rule: points rule 9 of the docs' rules page (merged schemes convert at a dated, recorded rate;
    every conversion is an entry).

    Args:
        source: The code of the scheme converted from.
        target: The code of the scheme converted into.
        rate: Points of ``target`` given for one point of ``source``, exact and positive.
        effective: From when the rate applies (until a later rate of the same pair).
        reference: The decision that set it (a meeting's minutes, a notice).

    Examples:
        >>> import pendulum
        >>> ExchangeRate(
        ...     source="party",
        ...     target="unified",
        ...     rate=Fraction(1, 2),
        ...     effective=pendulum.datetime(2025, 1, 1, tz="Asia/Shanghai"),
        ... ).rate
        Fraction(1, 2)
    """

    source: str = attrs.field(validator=_identifier)
    target: str = attrs.field(validator=_identifier)
    rate: Fraction = attrs.field(converter=_rate)
    effective: pendulum.DateTime = attrs.field(converter=_aware)
    reference: str = attrs.field(default="", validator=_text)

    def __attrs_post_init__(self) -> None:
        if self.rate <= 0:
            raise _invalid(f"exchange rate {self.rate} is not positive")
        if self.source == self.target:
            raise _invalid(f"an exchange rate converts between two schemes, not {self.source}")


@attrs.frozen(kw_only=True, init=False)
class Transfer:
    """A movement of points out of ``debit`` into ``credit``, both of one scheme.

    The ledger checks the accounts when the transfer is posted; the transfer
    itself only checks its own fields.

    Args:
        id: Chosen by the caller and unique in the ledger: the idempotency key.
        debit: The account the points leave.
        credit: The account the points arrive in.
        amount: A positive whole number of points, at most
            [`MAX_TRANSFER_POINTS`][grassroots.ledger.MAX_TRANSFER_POINTS].
        kind: Why the points move.
        at: When it happened, timezone-aware. The ledger reads no clock.
        reference: What it refers to (an activity, a bill, the reversed transfer).
        memo: Free text.
        reverses: For a ``reverse`` transfer only, the id of the transfer it reverses.

    Raises:
        TypeError: a field has the wrong type, or ``at`` is naive.
        RuleViolation: ``amount`` is not positive, ``debit`` equals ``credit``,
            or ``reverses`` is given for another kind than ``reverse`` (or is
            missing for ``reverse``).
    """

    id: str
    debit: str
    credit: str
    amount: int
    kind: TransferKind
    at: pendulum.DateTime
    reference: str = ""
    memo: str = ""
    reverses: str | None = None

    def __init__(
        self,
        *,
        id: str,  # noqa: A002 - the field is called id
        debit: str,
        credit: str,
        amount: int,
        kind: TransferKind | str,
        at: _dt.datetime,
        reference: str = "",
        memo: str = "",
        reverses: str | None = None,
    ) -> None:
        # One check for the whole transfer, not one validator per field: building a
        # transfer is what every caller pays. The expression is ``plain``'s, written out
        # here since a call costs a tenth of building (a test holds the two to one
        # outcome): it accepts the fields that plainly keep every rule. Anything else goes
        # to ``_check_transfer``, the field-by-field checks, which accept it or raise.
        if type(kind) is str:
            kind = _TRANSFER_KINDS.get(kind, kind)
        if not (
            (
                type(id),
                type(debit),
                type(credit),
                type(reference),
                type(memo),
                type(amount),
                type(kind),
                type(at),
            )
            == _FIELD_TYPES
            and type(at.tzinfo) in _ALWAYS_AWARE
            and 0 < len(id) <= _MAX_ID
            and 0 < len(debit) <= _MAX_ID
            and 0 < len(credit) <= _MAX_ID
            and len(reference) + len(memo) <= _MAX_TEXT
            and 0 < amount <= MAX_TRANSFER_POINTS
            and f"{id}{debit}{credit}{reference}{memo}".isprintable()
            and id.strip() == id
            and debit.strip() == debit
            and credit.strip() == credit
            and debit != credit
            and (reverses is None) is (kind is not _REVERSE)
            and (
                reverses is None
                or (
                    type(reverses) is str
                    and 0 < len(reverses) <= _MAX_ID
                    and reverses.isprintable()
                    and reverses.strip() == reverses
                )
            )
        ):
            kind, at = _check_transfer(
                id, debit, credit, amount, kind, at, reference, memo, reverses
            )
        _set_id(self, id)
        _set_debit(self, debit)
        _set_credit(self, credit)
        _set_amount(self, amount)
        _set_kind(self, kind)
        _set_at(self, at)
        _set_reference(self, reference)
        _set_memo(self, memo)
        _set_reverses(self, reverses)


def plain(  # noqa: PLR0917 - the transfer's fields, in their order
    tid: Any,
    debit: Any,
    credit: Any,
    amount: Any,
    kind: Any,
    at: Any,
    reference: Any,
    memo: Any,
    reverses: Any,
) -> bool:
    """Return whether a transfer's fields plainly keep every rule (else: check them one by one).

    One expression: exact ``str`` ids and texts, all printable (which rules out
    NUL, line breaks and lone surrogates) and within their lengths, ids with no
    space at either end (the one printable whitespace), a positive ``int`` amount
    within the bound, the kind a member (a value is looked up before), and a
    pendulum ``DateTime`` in a zone that always has an offset. False is no
    refusal: ``_check_transfer`` decides.
    [`PointsLedger.post_rows`][grassroots.ledger.PointsLedger.post_rows] calls it;
    ``Transfer.__init__`` writes the same expression out, since the call would cost
    a tenth of building a transfer, and a property test holds the two to one outcome.
    """
    return (
        (
            type(tid),
            type(debit),
            type(credit),
            type(reference),
            type(memo),
            type(amount),
            type(kind),
            type(at),
        )
        == _FIELD_TYPES
        and type(at.tzinfo) in _ALWAYS_AWARE
        and 0 < len(tid) <= _MAX_ID
        and 0 < len(debit) <= _MAX_ID
        and 0 < len(credit) <= _MAX_ID
        and len(reference) + len(memo) <= _MAX_TEXT
        and 0 < amount <= MAX_TRANSFER_POINTS
        and f"{tid}{debit}{credit}{reference}{memo}".isprintable()
        and tid.strip() == tid
        and debit.strip() == debit
        and credit.strip() == credit
        and debit != credit
        and (reverses is None) is (kind is not _REVERSE)
        and (
            reverses is None
            or (
                type(reverses) is str
                and 0 < len(reverses) <= _MAX_ID
                and reverses.isprintable()
                and reverses.strip() == reverses
            )
        )
    )


TransferRow: TypeAlias = tuple[
    str, str, str, int, TransferKind, pendulum.DateTime, str, str, "str | None"
]

"""A transfer's nine fields in their order, checked: what ``row_fields`` returns."""

ROW_FIELDS: Final = (
    "id",
    "debit",
    "credit",
    "amount",
    "kind",
    "at",
    "reference",
    "memo",
    "reverses",
)

"""The fields of a transfer row, in ``Transfer``'s order; the last three may be left off."""

_ROW_DEFAULTS: Final = ("", "", None)


def row_fields(row: object) -> TransferRow:
    """Return a transfer row's nine fields, checked and converted as ``Transfer`` does.

    A row is a tuple of six to nine fields in the order of ``ROW_FIELDS``; the
    ones left off take ``Transfer``'s defaults. The fields are checked by the
    same two steps as ``Transfer(...)`` (``plain``, then ``_check_transfer``),
    so a row is refused with the error, and the message, that building its
    ``Transfer`` raises.

    Raises:
        TypeError: the row is not a tuple of six to nine items, a field has the
            wrong type, or ``at`` is naive.
        InvalidValue, RuleViolation: as ``Transfer`` raises them.
    """
    if type(row) is not tuple:
        raise TypeError(
            f"a transfer row is a tuple of the fields {', '.join(ROW_FIELDS)},"
            f" not {type(row).__name__}"
        )
    size = len(row)
    if not 6 <= size <= 9:
        raise TypeError(
            f"a transfer row has 6 to 9 fields ({', '.join(ROW_FIELDS)}), not {size}: {row!r}"
        )
    tid, debit, credit, amount, kind, at, reference, memo, reverses = (
        row + _ROW_DEFAULTS[size - 6 :]
    )
    if type(kind) is str:
        kind = _TRANSFER_KINDS.get(kind, kind)
    if not plain(tid, debit, credit, amount, kind, at, reference, memo, reverses):
        kind, at = _check_transfer(tid, debit, credit, amount, kind, at, reference, memo, reverses)
    return cast(TransferRow, (tid, debit, credit, amount, kind, at, reference, memo, reverses))


def slot_setters(cls: type) -> tuple[Any, ...]:
    """Return the ``__set__`` of each slot of the slotted attrs class ``cls``, in field order.

    A frozen class refuses assignment, and setting a slot through its own
    descriptor is the cheapest way past that (about half the cost of
    ``object.__setattr__`` by name); the descriptor refuses anything but an
    instance of ``cls``. The trusted builders of the ledger and the programme
    use it for values whose fields they checked themselves.
    """
    return tuple(vars(cls)[field.name].__set__ for field in attrs.fields(cls))


# The setters of the transfer's slots, nine times per transfer.
(
    _set_id,
    _set_debit,
    _set_credit,
    _set_amount,
    _set_kind,
    _set_at,
    _set_reference,
    _set_memo,
    _set_reverses,
) = slot_setters(Transfer)


_MAX_ID: Final = _validators.MAX_ID_LENGTH

# The exact types of the fields but ``reverses``, compared as one tuple (a type equals
# only itself): cheaper than eight ``type(...) is`` tests.
_FIELD_TYPES: Final = (str, str, str, str, str, int, TransferKind, pendulum.DateTime)

_REVERSE: Final = TransferKind.REVERSE

_MAX_TEXT: Final = _validators.MAX_TEXT_LENGTH


def _check_transfer(  # noqa: PLR0917 - the transfer's fields, in their order
    tid: object,
    debit: object,
    credit: object,
    amount: object,
    kind: object,
    at: object,
    reference: object,
    memo: object,
    reverses: object,
) -> tuple[TransferKind, pendulum.DateTime]:
    """Check the fields of a transfer one by one: accept them, or raise the first error.

    The kind and the time are converted first, then each field is checked in
    its order, then the rules across fields.
    """
    transfer_kind = _transfer_kind(kind)
    moment = _aware(at)
    fields = attrs.fields(Transfer)
    _identifier(None, fields.id, tid)
    _identifier(None, fields.debit, debit)
    _identifier(None, fields.credit, credit)
    points = _points(amount, "amount")
    if not 0 < points <= MAX_TRANSFER_POINTS:
        raise RuleViolation(
            f"transfer {tid} moves {points} points; a transfer moves a positive number"
            f" of points, at most {MAX_TRANSFER_POINTS}",
            value=points,
            limit=MAX_TRANSFER_POINTS,
            rule="points ledger: positive whole points",
        )
    _text(None, fields.reference, reference)
    _text(None, fields.memo, memo)
    _optional_identifier(None, fields.reverses, reverses)
    if debit == credit:
        raise RuleViolation(
            f"transfer {tid} moves points from {debit} to itself",
            value=debit,
            rule="double entry: two different accounts",
        )
    if (transfer_kind is TransferKind.REVERSE) != (reverses is not None):
        raise RuleViolation(
            f"transfer {tid} of kind {transfer_kind.value} has reverses={reverses!r};"
            " a reversal names the transfer it reverses, and only a reversal does",
            value=reverses,
            rule="points rule 7: reversal by compensating entries",
        )
    return transfer_kind, moment


@attrs.frozen(kw_only=True)
class Draw:
    """Points taken out of a lot, or given back to it by a reversal.

    Args:
        lot: The id of the transfer that opened the lot.
        points: How many points.
    """

    lot: str = attrs.field(validator=_identifier)
    points: int = attrs.field()

    @points.validator
    def _check_points(self, _attribute: attrs.Attribute[int], value: object) -> None:
        if _points(value, "points") <= 0:
            raise _invalid(f"a draw of {value} points from lot {self.lot} is not positive")


Record: TypeAlias = Scheme | Account | AccountClosure | ExchangeRate | Transfer

"""What a journal entry records: a scheme, an account, a closure, a rate or a transfer."""

_RECORD_TAGS: Final[dict[type, str]] = {
    Scheme: "scheme",
    Account: "account",
    AccountClosure: "closure",
    ExchangeRate: "rate",
    Transfer: "transfer",
}


@attrs.frozen(kw_only=True)
class Lot:
    """Points credited to a wallet together, with the instant they expire.

    Rule: points rule 1 of the docs' rules page (each credit is a lot: amount, remaining, earned
    at, expires at, source).

    Args:
        account: The wallet holding it.
        origin: The id of the transfer that opened it (its source).
        amount: The points it was opened with.
        remaining: The points still in it.
        earned_at: When it was opened.
        expires_at: When it expires, in Asia/Shanghai; None if never.
    """

    account: str = attrs.field(validator=_identifier)
    origin: str = attrs.field(validator=_identifier)
    amount: int = attrs.field(validator=_count)
    remaining: int = attrs.field(validator=_count)
    earned_at: pendulum.DateTime = attrs.field(converter=_aware)
    expires_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=attrs.converters.optional(_aware)
    )
