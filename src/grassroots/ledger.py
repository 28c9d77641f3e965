"""Points ledger (积分账本): an exact, append-only, double-entry ledger of points.

Use this module to keep the points residents earn for volunteering and spend
as discounts at the compound's shops: party-member points ("新新向党"),
virtue points (美德积分) and the unified points of the one-stop exchange window
(积分兑换窗口) of the Tancheng case, or any other scheme (积分方案).

The model, in short:

- A [`Scheme`][grassroots.ledger.Scheme] is one points currency with an
  [`ExpiryPolicy`][grassroots.ledger.ExpiryPolicy].
  Points are whole numbers (``int``), never fractions or floats.
- An [`Account`][grassroots.ledger.Account] belongs to one scheme and has an
  [`AccountKind`][grassroots.ledger.AccountKind]: a
  resident's wallet (never below zero), the scheme's issuer (its negative
  balance is the points in circulation), a merchant (where redeemed points
  land), the expiry account, or the exchange account that clears conversions
  between schemes.
- Every movement is a [`Transfer`][grassroots.ledger.Transfer] of a positive ``amount`` out of its
  ``debit`` account into its ``credit`` account, both of the same scheme, so
  the balances of a scheme always sum to zero (the trial balance).
- Every credit to a wallet opens a [`Lot`][grassroots.ledger.Lot] that expires by the scheme's
  policy; spending takes the lots that expire soonest, then the oldest.
- Nothing is edited or deleted: a mistake is undone by a reversal, a new
  transfer the other way that names the one it reverses.
- [`PointsLedger`][grassroots.ledger.PointsLedger] keeps the [`Journal`][grassroots.ledger.Journal],
  a hash chain of
  [`JournalEntry`][grassroots.ledger.JournalEntry] values, and answers balances, statements and
  totals.

Rule: points rules 1, 4, 5, 6, 7, 9 and 10 of the docs' rules page (lots, expiry policies,
spending order, redemption at a merchant's rate, reversal by compensating
entries, dated conversion rates, no transfers between residents).

Source: Tancheng case (郯城县): party-member points and virtue points joined
into one exchange window; points redeemed as discounts at the convenience
store, the housekeeping company and the happiness canteen (幸福食堂).

Examples:
    >>> import pendulum
    >>> at = pendulum.datetime(2025, 3, 1, 9, tz="Asia/Shanghai")
    >>> ledger = PointsLedger()
    >>> ledger.add_scheme(Scheme(code="virtue", name="美德积分"))
    0
    >>> for account_id, kind in [
    ...     ("virtue:issuer", AccountKind.ISSUER),
    ...     ("virtue:wang", AccountKind.WALLET),
    ...     ("virtue:store", AccountKind.MERCHANT),
    ... ]:
    ...     _ = ledger.open_account(Account(id=account_id, scheme="virtue", kind=kind))
    >>> ledger.post(
    ...     Transfer(
    ...         id="earn-1",
    ...         debit="virtue:issuer",
    ...         credit="virtue:wang",
    ...         amount=20,
    ...         kind=TransferKind.EARN,
    ...         at=at,
    ...     )
    ... )
    4
    >>> ledger.post(
    ...     Transfer(
    ...         id="buy-1",
    ...         debit="virtue:wang",
    ...         credit="virtue:store",
    ...         amount=5,
    ...         kind=TransferKind.REDEEM,
    ...         at=at.add(hours=2),
    ...     )
    ... )
    5
    >>> ledger.balance("virtue:wang"), ledger.balance("virtue:issuer")
    (15, -20)
    >>> ledger.trial_balance()
    {'virtue': 0}
"""

from __future__ import annotations

import bisect
import copy
import datetime as _dt
import enum
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, TypeAlias, TypeVar, cast, overload

import attrs
import cattrs
import pendulum
from cattrs.errors import BaseValidationError, ClassValidationError

from grassroots import _ledger_store as _store
from grassroots import _ledger_time as _lt
from grassroots import _validators
from grassroots._time import SHANGHAI, require_aware
from grassroots._validators import INTEGRITY_RULE
from grassroots.audit import Finding
from grassroots.errors import (
    AccountClosed,
    AccountNotEmpty,
    AlreadyReversed,
    BatchRejected,
    DuplicateRecord,
    DuplicateTransfer,
    GrassrootsError,
    InsufficientPoints,
    InvalidValue,
    JournalCorrupted,
    LedgerImbalance,
    NoExchangeRate,
    OutOfOrder,
    PointsExpired,
    RuleViolation,
    SchemeMismatch,
    TransferNotAllowed,
    UnknownAccount,
    UnknownScheme,
    UnknownTransfer,
)
from grassroots.money import apportion, from_fen, to_fen, yuan

__all__ = [
    "GENESIS",
    "HASH_ALGORITHM",
    "MAX_TRANSFER_POINTS",
    "Account",
    "AccountClosure",
    "AccountKind",
    "Draw",
    "ExchangeRate",
    "ExpiryPolicy",
    "ExpiryRule",
    "Journal",
    "JournalEntry",
    "Lot",
    "PointsLedger",
    "Record",
    "RedemptionQuote",
    "Scheme",
    "SchemeTotals",
    "Statement",
    "StatementLine",
    "Transfer",
    "TransferKind",
    "quote_redemption",
    "verify_journal",
]

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)

RULES_PAGE: Final = "docs: rules and sources, points"
"""Where the ledger's rules are listed: the points page of the docs' rules and sources."""

ENCODING_RULE: Final = f"journal format: text fields hold no NUL ({RULES_PAGE})"
"""The journal format separates fields by NUL, so no text field may hold one."""

TIME_RANGE_RULE: Final = (
    "the ledger records times from 0001-01-03T00:00Z to 9999-12-30T00:00Z, so that every"
    f" time can be shown in any zone and saved ({RULES_PAGE})"
)
"""The range of times the ledger records, entries and expiry alike."""

NON_NEGATIVE_RULE: Final = (
    f"no account but an issuer or an exchange clearing account goes below zero ({RULES_PAGE})"
)
"""Wallets, merchants and expiry accounts never go below zero; issuers and exchanges may."""

RESERVED_ID_RULE: Final = (
    "ids beginning with 'expire:' are the expiry sweep's: only the sweep's own transfer"
    f" (kind expire, id expire:{{lot}}:{{position}}) may use one ({RULES_PAGE})"
)
"""Generated ids live in a reserved namespace, so no caller can block the expiry sweep."""

RESIDENT_TRANSFER_RULE: Final = (
    "transfers between residents are off unless the scheme allows them"
    f" (points rule 10, {RULES_PAGE})"
)
"""Points rule 10: volunteer records are personal; a scheme may switch transfers on."""

EXPIRY_KEPT_RULE: Final = (
    "converted points keep their expiry: the lot an exchange opens expires when the soonest"
    f" of the lots it converted does (points rules 4 and 9, {RULES_PAGE})"
)
"""Points rules 4 and 9: an exchange never gives points a longer life."""

RESERVED_PREFIX: Final = "expire:"
"""The prefix of the ids the expiry sweep generates (see `RESERVED_ID_RULE`)."""

MAX_EXPIRY_COUNTS: Final = {"after_days": 3_652_059, "end_of_month": 119_988, "end_of_year": 9_998}
"""The largest count of each expiry rule: the span of the calendar the ledger records."""

MAX_TRANSFER_POINTS: Final = 10**12
"""The largest amount one transfer may move: a sanity bound, far above any real scheme."""

HASH_ALGORITHM: Final = "blake2s-256"
"""The hash of the journal's chain: BLAKE2s with a 32-byte digest (``hashlib.blake2s``)."""

GENESIS: Final = "00" * 32
"""The ``previous`` digest of the first journal entry: 32 zero bytes, in hex."""

_DIGEST_SIZE: Final = 32
_GENESIS_BYTES: Final = bytes(_DIGEST_SIZE)
_hash = hashlib.blake2s
_subtract = _dt.datetime.__sub__
_NEVER: Final = _lt.NEVER


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


class ExpiryRule(enum.Enum):
    """How an expiry policy dates the end of a lot."""

    NEVER = "never"
    """The lot never expires."""
    AFTER_DAYS = "after_days"
    """``count`` days of 24 hours after the lot was earned."""
    END_OF_MONTH = "end_of_month"
    """The end of the ``count``-th calendar month after the month of earning (0: that month)."""
    END_OF_YEAR = "end_of_year"
    """The end of the ``count``-th calendar year after the year of earning (0: that year)."""


def _no_separator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse text holding NUL, the separator of the journal format (before the id/text rule)."""
    if type(value) is str and "\0" in value:
        raise InvalidValue(
            f"{attribute.name} {value!r} contains a NUL character, which the journal's"
            f" encoding uses as its separator ({ENCODING_RULE})",
            value=value,
            rule=ENCODING_RULE,
        )


# The id and text rules are grassroots._validators' own. Each validator below first
# accepts, in one expression, the values that plainly keep the rule (every character
# printable, which also rules out NUL, line breaks and lone surrogates), since a
# transfer has seven such fields and building one is what every caller pays; any
# other value goes to the shared check, which accepts it or raises its error.
_MAX_ID: Final = _validators.MAX_ID_LENGTH
_MAX_TEXT: Final = _validators.MAX_TEXT_LENGTH


def _identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        type(value) is str
        and 0 < len(value) <= _MAX_ID
        and value.isprintable()
        and value.strip() == value
    ):
        return
    _no_separator(instance, attribute, value)
    _validators.identifier(instance, attribute, value)


def _optional_identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _identifier(instance, attribute, value)


def _text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is str and (not value or (len(value) <= _MAX_TEXT and value.isprintable())):
        return
    _no_separator(instance, attribute, value)
    _validators.text(instance, attribute, value)


_count: Final = _validators.count


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "time")


def _enum_member(enum_type: type[E], value: object, what: str) -> E:
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        allowed = [member.value for member in enum_type]
        raise InvalidValue(
            f"{what} {value!r} is not one of {allowed} ({INTEGRITY_RULE})",
            value=value,
            limit=allowed,
            rule=INTEGRITY_RULE,
        ) from None


def _account_kind(value: object) -> AccountKind:
    return value if type(value) is AccountKind else _enum_member(AccountKind, value, "account kind")


def _transfer_kind(value: object) -> TransferKind:
    if type(value) is TransferKind:
        return value
    kind = _TRANSFER_KINDS.get(value) if type(value) is str else None
    return _enum_member(TransferKind, value, "transfer kind") if kind is None else kind


_TRANSFER_KINDS: Final = {kind.value: kind for kind in TransferKind}


def _expiry_rule(value: object) -> ExpiryRule:
    return value if type(value) is ExpiryRule else _enum_member(ExpiryRule, value, "expiry rule")


def _points(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name} must be a whole number of points (int), not {type(value).__name__} {value!r}"
        )
    return value


def _invalid(message: str, value: object = None) -> InvalidValue:
    """Return the error for a malformed ledger value, citing the integrity rule."""
    return InvalidValue(f"{message} ({INTEGRITY_RULE})", value=value, rule=INTEGRITY_RULE)


def _require_in_range(key: int, at: _dt.datetime, name: str) -> None:
    """Refuse an instant outside the range the ledger records, naming the bound."""
    if key < _lt.MIN_INSTANT or key > _lt.MAX_INSTANT:
        bound = _lt.FIRST if key < _lt.MIN_INSTANT else _lt.LAST
        raise InvalidValue(
            f"{name} {at.isoformat()} is outside the times the ledger records; the"
            f" {'earliest' if bound is _lt.FIRST else 'latest'} is {bound.isoformat()}"
            f" ({TIME_RANGE_RULE})",
            value=at,
            limit=bound,
            rule=TIME_RANGE_RULE,
        )


@attrs.frozen(kw_only=True)
class ExpiryPolicy:
    """When the points of a lot expire (积分有效期), computed in Asia/Shanghai.

    Build one with [`never`][grassroots.ledger.ExpiryPolicy.never],
    [`after_days`][grassroots.ledger.ExpiryPolicy.after_days],
    [`end_of_month`][grassroots.ledger.ExpiryPolicy.end_of_month] or
    [`end_of_year`][grassroots.ledger.ExpiryPolicy.end_of_year]. A lot expires *at* the instant
    given by the policy: it
    can be spent strictly before that instant and not at or after it.

    Rule: points rule 4 of the docs' rules page (never; N days after earning; end of month; end
    of the Nth year; computed in Asia/Shanghai).

    Args:
        rule: The kind of policy.
        count: Days for ``AFTER_DAYS`` (at least 1), months for
            ``END_OF_MONTH``, years for ``END_OF_YEAR``; 0 for ``NEVER``.

    Examples:
        >>> import pendulum
        >>> earned = pendulum.datetime(2025, 6, 1, 10, tz="Asia/Shanghai")
        >>> ExpiryPolicy.end_of_year(1).expires_at(earned)
        DateTime(2027, 1, 1, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        >>> ExpiryPolicy.after_days(30).expires_at(earned).to_date_string()
        '2025-07-01'
        >>> ExpiryPolicy.never().expires_at(earned) is None
        True
    """

    rule: ExpiryRule = attrs.field(default=ExpiryRule.NEVER, converter=_expiry_rule)
    count: int = attrs.field(default=0, validator=_count)

    def __attrs_post_init__(self) -> None:
        rule = "points rule 4: expiry policies (docs: rules and sources, points)"
        if self.rule is ExpiryRule.NEVER and self.count:
            raise InvalidValue(
                f"a policy that never expires takes no count, not {self.count} ({rule})",
                value=self.count,
                limit=0,
                rule=rule,
            )
        if self.rule is ExpiryRule.AFTER_DAYS and self.count < 1:
            raise InvalidValue(
                f"an expiry after {self.count} days is not at least one day ({rule})",
                value=self.count,
                limit=1,
                rule=rule,
            )
        largest = MAX_EXPIRY_COUNTS.get(self.rule.value, 0)
        if self.count > largest:
            raise InvalidValue(
                f"an expiry {self.rule.value} count of {self.count} is above {largest}, which"
                f" already reaches past the last time the ledger records ({TIME_RANGE_RULE})",
                value=self.count,
                limit=largest,
                rule=TIME_RANGE_RULE,
            )

    @classmethod
    def never(cls) -> ExpiryPolicy:
        """Return the policy under which points never expire."""
        return cls(rule=ExpiryRule.NEVER)

    @classmethod
    def after_days(cls, days: int) -> ExpiryPolicy:
        """Return the policy under which points expire ``days`` days after they were earned."""
        return cls(rule=ExpiryRule.AFTER_DAYS, count=days)

    @classmethod
    def end_of_month(cls, months_after: int = 0) -> ExpiryPolicy:
        """Return the policy: expire at the end of the ``months_after``-th month after earning."""
        return cls(rule=ExpiryRule.END_OF_MONTH, count=months_after)

    @classmethod
    def end_of_year(cls, years_after: int = 0) -> ExpiryPolicy:
        """Return the policy: expire at the end of the ``years_after``-th year after earning."""
        return cls(rule=ExpiryRule.END_OF_YEAR, count=years_after)

    def expires_at(self, earned_at: _dt.datetime) -> pendulum.DateTime | None:
        """Return the instant a lot earned at ``earned_at`` expires, or None if it never does.

        The instant is given in Asia/Shanghai.
        """
        earned = _lt.instant(require_aware(earned_at, "earned_at"))
        _require_in_range(earned, earned_at, "earned_at")
        key = _lt.ExpiryClock(self.rule.value, self.count).expires(earned)
        return None if key >= _NEVER else _lt.to_datetime(key, SHANGHAI)


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
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise TypeError(
            f"an exchange rate must be a Fraction or int, not {type(value).__name__} {value!r}"
        )
    return Fraction(value)


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


@attrs.frozen(kw_only=True)
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

    id: str = attrs.field(validator=_identifier)
    debit: str = attrs.field(validator=_identifier)
    credit: str = attrs.field(validator=_identifier)
    amount: int = attrs.field()
    kind: TransferKind = attrs.field(converter=_transfer_kind)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    reference: str = attrs.field(default="", validator=_text)
    memo: str = attrs.field(default="", validator=_text)
    reverses: str | None = attrs.field(default=None, validator=_optional_identifier)

    @amount.validator
    def _check_amount(self, _attribute: attrs.Attribute[int], value: object) -> None:
        points = _points(value, "amount")
        if not 0 < points <= MAX_TRANSFER_POINTS:
            raise RuleViolation(
                f"transfer {self.id} moves {points} points; a transfer moves a positive number"
                f" of points, at most {MAX_TRANSFER_POINTS}",
                value=points,
                limit=MAX_TRANSFER_POINTS,
                rule="points ledger: positive whole points",
            )

    def __attrs_post_init__(self) -> None:
        if self.debit == self.credit:
            raise RuleViolation(
                f"transfer {self.id} moves points from {self.debit} to itself",
                value=self.debit,
                rule="double entry: two different accounts",
            )
        if (self.kind is TransferKind.REVERSE) != (self.reverses is not None):
            raise RuleViolation(
                f"transfer {self.id} of kind {self.kind.value} has reverses={self.reverses!r};"
                " a reversal names the transfer it reverses, and only a reversal does",
                value=self.reverses,
                rule="points rule 7: reversal by compensating entries",
            )


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

_HEX_DIGITS: Final = frozenset("0123456789abcdef")


def _draw_tuple(value: Iterable[Draw]) -> tuple[Draw, ...]:
    return tuple(value)


def _lines(value: Iterable[StatementLine]) -> tuple[StatementLine, ...]:
    return tuple(value)


def _expiry_text(key: int) -> str:
    return _lt.to_datetime(key, SHANGHAI).isoformat()


def _hex_digest(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be str, not {type(value).__name__} {value!r}")
    if len(value) != 64 or not _HEX_DIGITS.issuperset(value):
        raise _invalid(f"{attribute.name} {value!r} is not 64 lower-case hex digits")


@attrs.frozen(kw_only=True)
class JournalEntry:
    """One entry of the journal: what was recorded, where, and its place in the hash chain.

    ``digest`` is the hash of ``previous`` followed by the entry's canonical
    encoding (see [`verify_journal`][grassroots.ledger.verify_journal]); ``previous`` is the digest
    of the
    entry before, or [`GENESIS`][grassroots.ledger.GENESIS] for the first.

    Args:
        position: The entry's index in the journal, from 0.
        record: What the entry records.
        draws: For a transfer out of a wallet, the lots it drew from; for a
            reversal into a wallet, the lots it gave points back to; else empty.
        previous: The digest of the entry before, in hex.
        digest: This entry's digest, in hex.
    """

    position: int = attrs.field(validator=_count)
    record: Record = attrs.field(
        validator=attrs.validators.instance_of(
            (Scheme, Account, AccountClosure, ExchangeRate, Transfer)
        )
    )
    draws: tuple[Draw, ...] = attrs.field(default=(), converter=_draw_tuple)
    previous: str = attrs.field(validator=_hex_digest)
    digest: str = attrs.field(validator=_hex_digest)

    def __attrs_post_init__(self) -> None:
        if self.draws and not isinstance(self.record, Transfer):
            raise _invalid(
                f"journal entry {self.position} records a {_RECORD_TAGS[type(self.record)]},"
                " which draws from no lot"
            )


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


@attrs.frozen(kw_only=True)
class StatementLine:
    """One transfer on an account's statement.

    Args:
        position: The journal position of the transfer.
        transfer: The transfer's id.
        at: When it happened.
        kind: Its kind.
        counterparty: The other account of the transfer.
        change: What it did to this account: positive in, negative out.
        balance: The account's balance after it.
    """

    position: int = attrs.field(validator=_count)
    transfer: str = attrs.field(validator=_identifier)
    at: pendulum.DateTime = attrs.field(converter=_aware)
    kind: TransferKind = attrs.field(converter=_transfer_kind)
    counterparty: str = attrs.field(validator=_identifier)
    change: int = attrs.field(validator=attrs.validators.instance_of(int))
    balance: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen(kw_only=True)
class Statement:
    """An account statement (积分明细) over a period ``[start, end)``.

    Args:
        account: The account.
        start: The first instant of the period.
        end: The instant the period ends (not included).
        opening: The balance just before ``start``.
        closing: The balance just before ``end``: the points held, counting
            expired points the sweep has not moved out yet.
        lines: The transfers of the period, in journal order.
        spendable: For a wallet, the part of ``closing`` that has not expired
            at ``end`` (what the resident can still spend); for another
            account, None. After [`expire`][grassroots.ledger.PointsLedger.expire]
            has swept at ``end``, it equals ``closing``.

    Raises:
        LedgerImbalance: ``opening`` plus the lines' changes is not ``closing``.
        InvalidValue: ``spendable`` is negative or above ``closing``.
    """

    account: str = attrs.field(validator=_identifier)
    start: pendulum.DateTime = attrs.field(converter=_aware)
    end: pendulum.DateTime = attrs.field(converter=_aware)
    opening: int = attrs.field(validator=attrs.validators.instance_of(int))
    closing: int = attrs.field(validator=attrs.validators.instance_of(int))
    lines: tuple[StatementLine, ...] = attrs.field(default=(), converter=_lines)
    spendable: int | None = attrs.field(default=None, validator=_validators.optional_count)

    def __attrs_post_init__(self) -> None:
        if self.spendable is not None and self.spendable > self.closing:
            raise _invalid(
                f"statement of {self.account}: {self.spendable} spendable points are more than"
                f" the {self.closing} it holds",
                self.spendable,
            )
        if self.end < self.start:
            raise _invalid(f"statement period ends at {self.end}, before its start {self.start}")
        if self.opening + sum(line.change for line in self.lines) != self.closing:
            raise LedgerImbalance(
                f"statement of {self.account}: opening {self.opening} plus the changes of its"
                f" lines is not the closing balance {self.closing}",
                value=self.closing,
                rule="a statement adds up",
            )


@attrs.frozen(kw_only=True)
class SchemeTotals:
    """The totals of one scheme, net of reversals.

    ``outstanding`` (the points residents hold) always equals ``issued +
    adjusted + exchanged_in - redeemed - expired - exchanged_out``. It counts
    expired points until the sweep moves them out; ``spendable`` does not.

    Args:
        scheme: The scheme's code.
        issued: Points earned by residents.
        adjusted: Net points added to wallets by corrections (may be negative).
        exchanged_in: Points converted into this scheme.
        exchanged_out: Points converted out of this scheme.
        redeemed: Points spent at merchants.
        expired: Points that expired.
        settled: Points merchants handed back to the issuer.
        outstanding: Points held in wallets now, expired or not (the sum of
            [`balance`][grassroots.ledger.PointsLedger.balance] over the wallets).
        spendable: The part of ``outstanding`` not expired at the time the
            totals were taken for (the sum of
            [`spendable`][grassroots.ledger.PointsLedger.spendable]); None if
            not computed. Equality leaves it out, since it depends on the time.
    """

    scheme: str = attrs.field(validator=_identifier)
    issued: int = attrs.field(validator=attrs.validators.instance_of(int))
    adjusted: int = attrs.field(validator=attrs.validators.instance_of(int))
    exchanged_in: int = attrs.field(validator=attrs.validators.instance_of(int))
    exchanged_out: int = attrs.field(validator=attrs.validators.instance_of(int))
    redeemed: int = attrs.field(validator=attrs.validators.instance_of(int))
    expired: int = attrs.field(validator=attrs.validators.instance_of(int))
    settled: int = attrs.field(validator=attrs.validators.instance_of(int))
    outstanding: int = attrs.field(validator=attrs.validators.instance_of(int))
    # Not compared: it is a view at the time asked for, not part of the scheme's flows.
    spendable: int | None = attrs.field(
        default=None,
        eq=False,
        validator=attrs.validators.optional(attrs.validators.instance_of(int)),
    )


def _fraction(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise TypeError(f"a rate must be a Fraction or int, not {type(value).__name__} {value!r}")
    return Fraction(value)


@attrs.frozen(kw_only=True)
class RedemptionQuote:
    """What a redemption at a merchant gives: the discount and the points it uses.

    Args:
        points: The points used.
        discount: The discount in yuan (元).
        payable: What is left to pay in yuan.
    """

    points: int = attrs.field(validator=_count)
    discount: Decimal = attrs.field(converter=yuan)
    payable: Decimal = attrs.field(converter=yuan)


def quote_redemption(
    *,
    points: int,
    bill: Decimal | int | str,
    rate: Fraction,
    cap: Fraction = Fraction(1),
) -> RedemptionQuote:
    """Return the discount that ``points`` buy on ``bill`` at a merchant's ``rate``.

    The discount is ``min(points × rate, cap × bill, bill)``, written down to the
    fen; the points used are the fewest that give that discount, so a resident
    never pays points for a fraction of a fen.

    Rule: points rule 6 of the docs' rules page (redemption at a merchant's rate; rounding
    written down).

    Args:
        points: The points the resident offers (at most their spendable balance).
        bill: The bill in yuan.
        rate: Yuan of discount per point (for example ``Fraction(1, 10)``: 1 jiao).
        cap: The largest share of the bill points may pay; all of it by default.

    Returns:
        The points to redeem and the discount they give.

    Raises:
        TypeError: ``points`` is not an int, or ``rate`` or ``cap`` not exact.
        InvalidValue: a value is negative, ``rate`` is not positive or ``cap`` is above 1.

    Examples:
        A canteen meal of 12 yuan, with 1 jiao per point and at most half the bill:

        >>> quote_redemption(points=100, bill="12.00", rate=Fraction(1, 10), cap=Fraction(1, 2))
        RedemptionQuote(points=60, discount=Decimal('6.00'), payable=Decimal('6.00'))
        >>> quote_redemption(points=7, bill="12.00", rate=Fraction(3, 20))
        RedemptionQuote(points=7, discount=Decimal('1.05'), payable=Decimal('10.95'))
    """
    offered = _points(points, "points")
    amount = yuan(bill)
    per_point = _fraction(rate)
    share = _fraction(cap)
    if offered < 0 or amount < 0:
        raise _invalid(f"points {offered} and bill {amount} must not be negative")
    if per_point <= 0:
        raise _invalid(f"redemption rate {per_point} yuan per point is not positive")
    if not 0 <= share <= 1:
        raise _invalid(f"cap {share} is not a share of the bill between 0 and 1")
    bill_fen = to_fen(amount)
    fen_per_point = per_point * 100
    best = min(offered * fen_per_point, share * bill_fen, Fraction(bill_fen))
    discount_fen = best.numerator // best.denominator  # written down to the fen
    needed = discount_fen / fen_per_point
    used = -(-needed.numerator // needed.denominator)
    return RedemptionQuote(
        points=used, discount=from_fen(discount_fen), payable=from_fen(bill_fen - discount_fen)
    )


# --- canonical encoding and the hash chain -------------------------------------------------

# A transfer row: what the ledger reads of a transfer. It keeps the transfer as its
# canonical text (see verify_journal), a string the cyclic garbage collector never
# tracks, and decodes it into this tuple when it reads it (grassroots._ledger_store).
(
    _KIND,
    _ID,
    _DEBIT,
    _CREDIT,
    _AMOUNT,
    _KEY,
    _ZONE,
    _REFERENCE,
    _MEMO,
    _REVERSES,
    _FIRST_DRAW,
) = range(11)
# The draws follow, flat: lot origin position, points, lot origin position, points, ...
# A record row (scheme, account, closure, rate) is (tag, record), kept as it is read.
# Digests are not in the rows: all of them, 32 bytes each, sit in one bytearray, which
# costs less than a bytes object each.

_Row: TypeAlias = _store.Row
_LotRow: TypeAlias = _store.LotRow
_BLOCK: Final = _store.BLOCK
_KINDS: Final = {kind.value: kind for kind in TransferKind}

_WALLET, _ISSUER, _MERCHANT, _EXPIRY, _EXCHANGE = range(5)
_ACCOUNT_CODES: Final = {
    AccountKind.WALLET: _WALLET,
    AccountKind.ISSUER: _ISSUER,
    AccountKind.MERCHANT: _MERCHANT,
    AccountKind.EXPIRY: _EXPIRY,
    AccountKind.EXCHANGE: _EXCHANGE,
}

# Flows of a scheme, net of reversals: the slots of SchemeTotals.
_ISSUED, _REDEEMED, _EXPIRED, _EXCHANGED_IN, _EXCHANGED_OUT, _ADJUSTED, _SETTLED, _UNCOUNTED = (
    range(8)
)


def _pair(debit: int, credit: int) -> int:
    return debit * 8 + credit


# For each kind: (debit kind, credit kind) -> (flow slot, sign), for the totals.
_FLOWS: Final[dict[str, dict[int, tuple[int, int]]]] = {
    "earn": {_pair(_ISSUER, _WALLET): (_ISSUED, 1)},
    "redeem": {_pair(_WALLET, _MERCHANT): (_REDEEMED, 1)},
    "expire": {_pair(_WALLET, _EXPIRY): (_EXPIRED, 1)},
    "exchange": {
        _pair(_WALLET, _EXCHANGE): (_EXCHANGED_OUT, 1),
        _pair(_EXCHANGE, _WALLET): (_EXCHANGED_IN, 1),
    },
    "adjust": {
        _pair(_ISSUER, _WALLET): (_ADJUSTED, 1),
        _pair(_WALLET, _ISSUER): (_ADJUSTED, -1),
        _pair(_ISSUER, _MERCHANT): (_UNCOUNTED, 1),
        _pair(_MERCHANT, _ISSUER): (_UNCOUNTED, 1),
    },
    "settle": {_pair(_MERCHANT, _ISSUER): (_SETTLED, 1)},
    "gift": {_pair(_WALLET, _WALLET): (_UNCOUNTED, 1)},
    "reverse": {},
}
# The hot path's view of the same table: (debit kind, credit kind) -> how to post it.
# _SPEND draws the soonest live lots; _EXPIRE_LOTS draws only expired ones; _CONVERT
# (an exchange out of a wallet) and _GIFT draw like _SPEND and note the soonest expiry
# drawn, which the lot they open keeps; _CONVERTED (an exchange into a wallet) opens
# a lot with the expiry its out-leg noted.
_SPEND, _EXPIRE_LOTS, _CONVERT, _CONVERTED, _GIFT = 1, 2, 3, 4, 5
_MODES: Final[dict[tuple[str, int], int]] = {
    ("expire", _pair(_WALLET, _EXPIRY)): _EXPIRE_LOTS,
    ("exchange", _pair(_WALLET, _EXCHANGE)): _CONVERT,
    ("exchange", _pair(_EXCHANGE, _WALLET)): _CONVERTED,
    ("gift", _pair(_WALLET, _WALLET)): _GIFT,
}
_RULES: Final[dict[str, dict[int, int]]] = {
    kind: {pair: _MODES.get((kind, pair), _SPEND) for pair in pairs}
    for kind, pairs in _FLOWS.items()
}
_DECIMALS: Final = 1_000
# The decimal text of the amounts below 1,000: most amounts need not be written out anew.
_DECIMAL: Final = tuple(str(number) for number in range(_DECIMALS))
_NO_LOT: Final = (-(2**63), -1, 0)  # stands for the first lot of an empty wallet
_SCHEME_STRIDE: Final = 64
_REVERSIBLE: Final = frozenset({"earn", "redeem", "adjust", "settle"})


def _digest(previous: bytes, body: str) -> bytes:
    return _hash(previous + body.encode()).digest()


def _record_body(position: int, record: Record) -> str:
    """Return the canonical encoding of a record other than a transfer."""
    if isinstance(record, Scheme):
        policy = record.expiry
        body = (
            f"scheme\0{position}\0{record.code}\0{record.name}\0{policy.rule.value}\0{policy.count}"
        )
        # Format version 2 adds the scheme's flags as trailing fields, written only when
        # set, so every version-1 body is a version-2 body unchanged.
        return f"{body}\0resident-transfers" if record.allow_resident_transfers else body
    if isinstance(record, Account):
        return (
            f"account\0{position}\0{record.id}\0{record.scheme}\0{record.kind.value}"
            f"\0{record.owner}\0{record.name}"
        )
    if isinstance(record, AccountClosure):
        return f"closure\0{position}\0{record.account}\0{_lt.instant(record.at)}\0{record.memo}"
    if isinstance(record, ExchangeRate):
        rate = record.rate
        return (
            f"rate\0{position}\0{record.source}\0{record.target}\0{rate.numerator}/"
            f"{rate.denominator}\0{_lt.instant(record.effective)}\0{record.reference}"
        )
    raise TypeError(f"not a journal record: {type(record).__name__}")


def _transfer_body(position: int, transfer: Transfer, draws: Iterable[tuple[int, int]]) -> str:
    """Return the canonical encoding of a transfer and its draws (the slow, readable way)."""
    tail = "".join(f"\0{lot}\0{points}" for lot, points in draws)
    return (
        f"transfer\0{position}\0{transfer.id}\0{transfer.debit}\0{transfer.credit}"
        f"\0{transfer.amount}\0{transfer.kind.value}\0{_lt.instant(transfer.at)}"
        f"\0{transfer.reference}\0{transfer.memo}\0{transfer.reverses or ''}{tail}"
    )


def _entry_body(entry: JournalEntry, transfers: dict[str, int]) -> str:
    """Return the canonical encoding of an entry; ``transfers`` maps earlier ids to positions."""
    record = entry.record
    if not isinstance(record, Transfer):
        if entry.draws:
            raise _invalid("only a transfer draws from lots")
        return _record_body(entry.position, record)
    draws = []
    for draw in entry.draws:
        lot = transfers.get(draw.lot)
        if lot is None:
            raise _invalid(f"it draws from lot {draw.lot!r}, which no earlier transfer opened")
        draws.append((lot, draw.points))
    return _transfer_body(entry.position, record, draws)


def verify_journal(entries: Iterable[JournalEntry]) -> str:
    """Check the hash chain of a journal and return the digest of its last entry.

    Each entry's ``digest`` must be the hash ([`HASH_ALGORITHM`][grassroots.ledger.HASH_ALGORITHM])
    of the
    previous entry's digest (32 bytes, [`GENESIS`][grassroots.ledger.GENESIS] for the first)
    followed
    by the UTF-8 encoding of the entry's fields joined by NUL characters::

        transfer␀position␀id␀debit␀credit␀amount␀kind␀instant␀reference␀memo␀reverses
                 [␀lot␀points]...
        scheme␀position␀code␀name␀rule␀count
        account␀position␀id␀scheme␀kind␀owner␀name
        closure␀position␀account␀instant␀memo
        rate␀position␀source␀target␀numerator/denominator␀instant␀reference

    where ``instant`` is the time as whole microseconds since
    1970-01-01T00:00:00Z (so the UTC offset a time is written with does not
    change the hash), ``reverses`` is empty when there is none, and each
    ``lot␀points`` pair is a draw, ``lot`` being the journal position of the
    transfer that opened the lot. Text fields may not contain NUL. Integers are
    written in decimal.

    This checks the chain only; [`PointsLedger.replay`][grassroots.ledger.PointsLedger.replay] also
    re-applies
    every entry and checks that it is valid and draws the lots it says.

    Returns:
        The digest of the last entry in hex ([`GENESIS`][grassroots.ledger.GENESIS] for an empty
        journal).

    Raises:
        JournalCorrupted: an entry is out of place, does not follow the one
            before, or does not match its digest; ``value`` is its position.
    """
    previous = GENESIS
    transfers: dict[str, int] = {}
    for expected, entry in enumerate(entries):
        if entry.position != expected:
            raise JournalCorrupted(
                f"journal entry {expected} says it is at position {entry.position}",
                value=expected,
                rule="journal: entries are numbered from 0 without gaps",
            )
        if entry.previous != previous:
            raise JournalCorrupted(
                f"journal entry {expected} does not follow entry {expected - 1}: its previous"
                f" digest {entry.previous[:12]}… is not {previous[:12]}…",
                value=expected,
                rule="journal: hash chain",
            )
        try:
            body = _entry_body(entry, transfers)
        except (TypeError, ValueError) as exc:
            raise JournalCorrupted(
                f"journal entry {expected} cannot be encoded: {exc}",
                value=expected,
                rule="journal: canonical encoding",
            ) from exc
        actual = _digest(bytes.fromhex(previous), body).hex()
        if actual != entry.digest:
            raise JournalCorrupted(
                f"journal entry {expected} does not match its digest {entry.digest[:12]}…",
                value=expected,
                rule="journal: hash chain",
            )
        if isinstance(entry.record, Transfer):
            transfers[entry.record.id] = expected
        previous = actual
    return previous


def _id_index() -> dict[str, int]:
    """Return an empty dict for the index of transfer ids.

    CPython keeps a dict whose keys have all been strings in a compact table
    that holds no hashes: a lookup that lands on another key reads that key's
    string to compare hashes, a cache miss of its own once a million ids are
    spread over memory. A dict that has held any other key keeps each hash
    beside its key, for good. This one is made so, and posting into a ledger of
    a million transfers gets faster by about a tenth of a microsecond.
    """
    index: dict[object, int] = {None: 0}
    del index[None]
    return cast(dict[str, int], index)


def _trusted(cls: type[T], **values: object) -> T:
    """Build a frozen attrs value from fields the ledger has already validated."""
    obj = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


# --- internal state ----------------------------------------------------------------------


class _SchemeState:
    __slots__ = (
        "clock",
        "code",
        "exchange_account",
        "expiry_account",
        "flows",
        "index",
        "scheme",
        "wallets",
    )

    def __init__(self, scheme: Scheme, index: int) -> None:
        self.scheme = scheme
        self.index = index
        self.code = scheme.code
        self.clock = _lt.ExpiryClock(scheme.expiry.rule.value, scheme.expiry.count)
        self.flows = [0] * 8
        self.wallets: list[_AccountState] = []
        self.expiry_account: str | None = None
        self.exchange_account: str | None = None


class _AccountState:
    __slots__ = (
        "account",
        "balance",
        "balances",
        "bounded",
        "closed",
        "code",
        "id",
        "indexed",
        "kind",
        "lots",
        "pair",
        "positions",
        "scheme",
    )

    def __init__(self, account: Account, scheme: _SchemeState) -> None:
        self.account = account
        self.id = account.id
        self.scheme = scheme
        self.kind = _ACCOUNT_CODES[account.kind]
        # (debit kind, credit kind) pair codes for the hot path: ``debit.pair + credit.code``
        # is ``debit kind * 8 + credit kind`` when both are of one scheme, and far outside
        # the table's keys (0 to 36) when they are not, so one lookup checks both.
        self.pair = self.kind * 8 + scheme.index * _SCHEME_STRIDE
        self.code = self.kind - scheme.index * _SCHEME_STRIDE
        self.closed = False
        self.balance = 0
        # Open lots of a wallet, sorted: (expires, origin position, remaining points).
        self.lots: list[_LotRow] | None = [] if self.kind == _WALLET else None
        # Wallets, merchants and expiry accounts never go below zero (NON_NEGATIVE_RULE).
        self.bounded = self.kind not in (_ISSUER, _EXCHANGE)
        # Journal positions of the transfers touching it and its balance after each,
        # indexed lazily (see PointsLedger._index); ``indexed`` is the balance they reach.
        self.positions: list[int] = []
        self.balances: list[int] = []
        self.indexed = 0


class _Snapshot:
    """What a batch may change, saved before it changes it, so that it can be undone."""

    __slots__ = (
        "accounts",
        "conversion",
        "head",
        "last_key",
        "owed",
        "reversals",
        "reversed",
        "rows",
    )

    def __init__(self, ledger: PointsLedger) -> None:
        self.rows = len(ledger._rows)
        self.head = ledger._head
        self.last_key = ledger._last_key
        self.conversion = ledger._conversion
        self.owed: dict[int, dict[int, int] | None] = {}
        self.accounts: dict[str, tuple[_AccountState, int, list[_LotRow] | None]]
        self.accounts = {}
        self.reversed: dict[int, int | None] = {}
        self.reversals: dict[int, int | None] = {}

    def save(self, source: _AccountState, sink: _AccountState) -> None:
        for state in (source, sink):
            if state.id not in self.accounts:
                lots = None if state.lots is None else list(state.lots)
                self.accounts[state.id] = (state, state.balance, lots)

    def save_reversal(self, ledger: PointsLedger, original: int) -> None:
        if original not in self.reversed:
            self.reversed[original] = ledger._reversed.get(original)
            later = ledger._reversals.get(original)
            self.reversals[original] = None if later is None else len(later)
            owed = ledger._owed.get(original)
            self.owed[original] = None if owed is None else dict(owed)

    def restore(self, ledger: PointsLedger) -> None:
        rows = ledger._rows
        for row in rows.since(self.rows):
            ledger._ids.pop(row[_ID], None)
        rows.truncate(self.rows)
        ledger._head = self.head
        ledger._last_key = self.last_key
        self._restore_lots(ledger)
        del ledger._digests[self.rows * _DIGEST_SIZE :]
        if ledger._folded > self.rows:
            ledger._unfold()
        if ledger._indexed > self.rows:
            ledger._unindex()
        for state, balance, lots in self.accounts.values():
            state.balance = balance
            if lots is not None and state.lots is not None:
                state.lots[:] = lots
        for original, reversed_before in self.reversed.items():
            if reversed_before is None:
                ledger._reversed.pop(original, None)
            else:
                ledger._reversed[original] = reversed_before
        for original, count in self.reversals.items():
            if count is None:
                ledger._reversals.pop(original, None)
            else:
                del ledger._reversals[original][count:]

    def _restore_lots(self, ledger: PointsLedger) -> None:
        """Undo the batch's kept expiries, pending conversion and points owed back."""
        ledger._conversion = self.conversion
        for position in [p for p in ledger._lot_expiry if p >= self.rows]:
            del ledger._lot_expiry[position]
        for original, owed in self.owed.items():
            if owed is None:
                ledger._owed.pop(original, None)
            else:
                ledger._owed[original] = owed


# --- the journal view --------------------------------------------------------------------


class Journal(Sequence[JournalEntry]):
    """The journal of a points ledger: a read-only sequence of its entries.

    It is the [`journal`][grassroots.ledger.PointsLedger.journal] of a
    [`PointsLedger`][grassroots.ledger.PointsLedger].

    A live view: entries posted after it was taken show up in it. Entries are
    built when read, so indexing and iterating cost a little per entry.
    """

    __slots__ = ("_ledger",)

    def __init__(self, ledger: PointsLedger) -> None:
        self._ledger = ledger

    def __len__(self) -> int:
        return len(self._ledger._rows)

    @overload
    def __getitem__(self, index: int) -> JournalEntry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[JournalEntry]: ...

    def __getitem__(self, index: int | slice) -> JournalEntry | Sequence[JournalEntry]:
        size = len(self._ledger._rows)
        if isinstance(index, slice):
            return tuple(self._ledger._entry(i) for i in range(*index.indices(size)))
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"journal position {index} is not in 0..{size - 1}")
        return self._ledger._entry(index)

    def __iter__(self) -> Iterator[JournalEntry]:
        entry = self._ledger._entry
        for position in range(len(self._ledger._rows)):
            yield entry(position)

    def __repr__(self) -> str:
        return f"<Journal of {len(self)} entries>"


# --- the ledger ----------------------------------------------------------------------------


class PointsLedger:
    """An append-only, double-entry ledger of points in several schemes (积分账本).

    Every command validates everything first and only then changes anything,
    so a refused command leaves no trace. Every change is a frozen
    [`JournalEntry`][grassroots.ledger.JournalEntry];
    [`replay`][grassroots.ledger.PointsLedger.replay] rebuilds the same ledger from them.
    Balances are kept as a running fold, so [`balance`][grassroots.ledger.PointsLedger.balance] is
    O(1).

    Times are given by the caller (the ledger reads no clock) and the journal
    is in time order: an entry dated before the last one is refused
    ([`OutOfOrder`][grassroots.errors.OutOfOrder]), so a balance "as of" a time is
    well defined. Exchange rates are the exception: they are recorded with the
    time from which they apply, which may lie in the past or the future.

    Rule: points rule 1 of the docs' rules page (append-only; each credit is a lot; each debit
    says which lots it drew; balance = sum of the lots).

    Examples:
        >>> ledger = PointsLedger()
        >>> len(ledger.journal), ledger.head == GENESIS
        (0, True)
    """

    __hash__ = None  # type: ignore[assignment]  # mutable: compared by content, not hashable

    def __init__(self) -> None:
        self._rows = _store.Rows()
        self._digests = bytearray()  # the digest of every entry, 32 bytes each
        self._ids: dict[str, int] = _id_index()
        self._schemes: dict[str, _SchemeState] = {}
        self._accounts: dict[str, _AccountState] = {}
        self._wallets: list[_AccountState] = []
        self._head = _GENESIS_BYTES
        self._last_key = -(2**63)
        self._zones: dict[_dt.tzinfo, _lt.Zone] = {}
        self._zone_list: list[_dt.tzinfo] = []
        # The zone of the last time read: a cache, starting with a zone no caller can use.
        self._last_zone = _lt.Zone(_dt.timezone(_dt.timedelta(0), "unused"), -1)
        self._snapshot: _Snapshot | None = None  # set while a batch is being posted
        self._open: dict[str, _AccountState] = {}  # the accounts not closed
        self._folded = 0  # the rows counted in the schemes' flows so far
        self._indexed = 0  # the rows entered in the accounts' positions so far
        self._reversed: dict[int, int] = {}
        self._reversals: dict[int, list[int]] = {}
        self._rates: dict[tuple[str, str], list[tuple[int, int]]] = {}
        # Lots whose expiry is not their scheme's policy (converted or given points).
        self._lot_expiry: dict[int, int] = {}
        # The last exchange out of a wallet: (position, reference, expiry its lot keeps).
        self._conversion: tuple[int, str, int | None] | None = None
        # Per reversed debit out of a wallet: points each lot is still owed back.
        self._owed: dict[int, dict[int, int]] = {}

    # --- reading -------------------------------------------------------------------------

    @property
    def journal(self) -> Journal:
        """The journal: every entry in order, as a live read-only sequence."""
        return Journal(self)

    @property
    def head(self) -> str:
        """The digest of the last entry in hex.

        [`GENESIS`][grassroots.ledger.GENESIS] for an empty ledger.
        """
        return self._head.hex()

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def schemes(self) -> tuple[Scheme, ...]:
        """The schemes, in the order they were added."""
        return tuple(state.scheme for state in self._schemes.values())

    @property
    def accounts(self) -> tuple[Account, ...]:
        """The accounts, in the order they were opened."""
        return tuple(state.account for state in self._accounts.values())

    def account(self, account_id: str) -> Account:
        """Return the account ``account_id``.

        Raises:
            UnknownAccount: there is no such account.
        """
        return self._account_state(account_id).account

    def is_closed(self, account_id: str) -> bool:
        """Return whether the account has been closed."""
        return self._account_state(account_id).closed

    def transfer(self, transfer_id: str) -> Transfer:
        """Return the posted transfer ``transfer_id``.

        Raises:
            UnknownTransfer: no transfer with that id was posted.
        """
        return self._transfer(self._position_of(transfer_id))

    def entry(self, transfer_id: str) -> JournalEntry:
        """Return the journal entry of the posted transfer ``transfer_id``.

        Raises:
            UnknownTransfer: no transfer with that id was posted.
        """
        return self._entry(self._position_of(transfer_id))

    def reversed_amount(self, transfer_id: str) -> int:
        """Return how many points of the transfer ``transfer_id`` have been reversed."""
        return self._reversed.get(self._position_of(transfer_id), 0)

    def balance(self, account_id: str, *, as_of: _dt.datetime | None = None) -> int:
        """Return the balance of an account (the points it holds), now or just after ``as_of``.

        The balance is what the journal's transfers add up to: a wallet's
        balance counts expired points until
        [`expire`][grassroots.ledger.PointsLedger.expire] moves them out.
        [`spendable`][grassroots.ledger.PointsLedger.spendable] is the other
        meaning, the points that can still be spent at a time; right after a
        sweep at ``t`` the two agree at ``t``.

        Args:
            account_id: The account.
            as_of: A time; the balance counts every transfer at or before it.

        Raises:
            UnknownAccount: there is no such account.
        """
        state = self._account_state(account_id)
        if as_of is None:
            return state.balance
        key = _lt.instant(require_aware(as_of, "as_of"))
        self._index()
        rows = self._rows
        index = bisect.bisect_right(state.positions, key, key=lambda p: rows[p][_KEY])
        return state.balances[index - 1] if index else 0

    def spendable(self, account_id: str, *, at: _dt.datetime) -> int:
        """Return the points of a wallet that have not expired at ``at``.

        Unlike [`balance`][grassroots.ledger.PointsLedger.balance], it leaves
        out expired points the sweep has not moved yet; for an account without
        lots (not a wallet) it is 0.

        Raises:
            UnknownAccount: there is no such account.
        """
        state = self._account_state(account_id)
        key = _lt.instant(require_aware(at, "at"))
        return sum(lot[2] for lot in state.lots or () if lot[0] > key)

    def lots(self, account_id: str) -> tuple[Lot, ...]:
        """Return the open lots of a wallet in spending order (soonest expiry, then oldest).

        Raises:
            UnknownAccount: there is no such account.
        """
        state = self._account_state(account_id)
        rows = self._rows
        result = []
        for expires, origin, remaining in state.lots or ():
            row = rows[origin]
            result.append(
                _trusted(
                    Lot,
                    account=state.id,
                    origin=row[_ID],
                    amount=row[_AMOUNT],
                    remaining=remaining,
                    earned_at=self._datetime(row),
                    expires_at=None if expires >= _NEVER else _lt.to_datetime(expires, SHANGHAI),
                )
            )
        return tuple(result)

    def statement(
        self,
        account_id: str,
        period: pendulum.Interval[Any] | None = None,
        *,
        start: _dt.datetime | None = None,
        end: _dt.datetime | None = None,
    ) -> Statement:
        """Return the statement of an account over a period.

        Give either ``period`` or both ``start`` and ``end``. A period of dates
        covers whole days in Asia/Shanghai, both ends included; a period of
        times, or ``start`` and ``end``, covers ``[start, end)``.

        Raises:
            UnknownAccount: there is no such account.
            TypeError: the period is missing, given twice, or of the wrong type.
            InvalidValue: the period ends before it starts.
        """
        state = self._account_state(account_id)
        first, last = _period_bounds(period, start, end)
        self._index()
        rows = self._rows
        positions = state.positions
        lo_key, hi_key = _lt.instant(first), _lt.instant(last)
        lo = bisect.bisect_left(positions, lo_key, key=lambda p: rows[p][_KEY])
        hi = bisect.bisect_left(positions, hi_key, key=lambda p: rows[p][_KEY])
        lines = []
        for index in range(lo, hi):
            row = rows[positions[index]]
            incoming = row[_CREDIT] == state.id
            lines.append(
                _trusted(
                    StatementLine,
                    position=positions[index],
                    transfer=row[_ID],
                    at=self._datetime(row),
                    kind=_KINDS[row[_KIND]],
                    counterparty=row[_DEBIT] if incoming else row[_CREDIT],
                    change=row[_AMOUNT] if incoming else -row[_AMOUNT],
                    balance=state.balances[index],
                )
            )
        return Statement(
            account=state.id,
            start=first,
            end=last,
            opening=state.balances[lo - 1] if lo else 0,
            closing=state.balances[hi - 1] if hi else 0,
            lines=tuple(lines),
            spendable=None if state.lots is None else self._spendable_then(state, hi, hi_key),
        )

    def _spendable_then(self, state: _AccountState, lines: int, key: int) -> int:
        """Return what a wallet could spend at ``key``, after its first ``lines`` transfers.

        Rebuilds the wallet's lots from the draws its transfers recorded.
        """
        rows = self._rows
        scheme = state.scheme
        lots: dict[int, list[int]] = {}  # lot origin -> [expires, remaining]
        for position in state.positions[:lines]:
            row = rows[position]
            flat = row[_FIRST_DRAW:]
            if row[_CREDIT] == state.id and row[_KIND] != "reverse":
                lots[position] = [self._expiry_of(position, scheme), row[_AMOUNT]]
                continue
            sign = 1 if row[_CREDIT] == state.id else -1  # a reversal gives back; else drawn
            for i in range(0, len(flat), 2):
                lots[flat[i]][1] += sign * flat[i + 1]
        return sum(remaining for expires, remaining in lots.values() if expires > key)

    def totals(self, scheme: str, *, at: _dt.datetime | None = None) -> SchemeTotals:
        """Return the totals of a scheme: issued, outstanding, spendable, redeemed, ….

        Args:
            scheme: The scheme's code.
            at: The time ``spendable`` is taken at; the time of the last entry
                of the journal by default.

        Raises:
            UnknownScheme: there is no such scheme.
        """
        state = self._scheme_state(scheme)
        key = self._last_key if at is None else _lt.instant(require_aware(at, "at"))
        self._fold()
        flows = state.flows
        return SchemeTotals(
            scheme=state.code,
            issued=flows[_ISSUED],
            adjusted=flows[_ADJUSTED],
            exchanged_in=flows[_EXCHANGED_IN],
            exchanged_out=flows[_EXCHANGED_OUT],
            redeemed=flows[_REDEEMED],
            expired=flows[_EXPIRED],
            settled=flows[_SETTLED],
            outstanding=sum(wallet.balance for wallet in state.wallets),
            spendable=sum(
                lot[2] for wallet in state.wallets for lot in wallet.lots or () if lot[0] > key
            ),
        )

    def trial_balance(self) -> dict[str, int]:
        """Return, for each scheme, the sum of the balances of its accounts: always zero."""
        sums = dict.fromkeys(self._schemes, 0)
        for state in self._accounts.values():
            sums[state.scheme.code] += state.balance
        return sums

    def audit(self) -> tuple[Finding, ...]:
        """Check the whole ledger and return every broken rule found (none when healthy).

        Checks: the hash chain; the trial balance of each scheme is zero; no
        account but an issuer or an exchange account is below zero; each
        wallet's balance is the sum of its lots; each
        scheme's outstanding points match its totals.
        """
        findings: list[Finding] = []
        try:
            self.verify()
        except JournalCorrupted as exc:
            findings.append(
                Finding(
                    rule="journal: hash chain",
                    subject=f"entry {exc.value}",
                    message=str(exc),
                    code=LedgerImbalance.code,
                )
            )
        for code, total in self.trial_balance().items():
            if total:
                findings.append(
                    Finding(
                        rule="double entry: the balances of a scheme sum to zero",
                        subject=code,
                        message=f"the balances of scheme {code} sum to {total}, not 0",
                        code=LedgerImbalance.code,
                    )
                )
        findings.extend(
            Finding(
                rule=NON_NEGATIVE_RULE,
                subject=state.id,
                message=f"{state.account.kind.value} account {state.id} holds"
                f" {state.balance} points",
                code=InsufficientPoints.code,
            )
            for state in self._accounts.values()
            if state.kind != _WALLET and state.bounded and state.balance < 0
        )
        for wallet in self._wallets:
            lots = sum(lot[2] for lot in wallet.lots or ())
            if wallet.balance < 0:
                findings.append(
                    Finding(
                        rule="a wallet never goes below zero",
                        subject=wallet.id,
                        message=f"wallet {wallet.id} holds {wallet.balance} points",
                        code=InsufficientPoints.code,
                    )
                )
            if lots != wallet.balance:
                findings.append(
                    Finding(
                        rule="points rule 1: balance = sum of remaining in live lots",
                        subject=wallet.id,
                        message=f"wallet {wallet.id} holds {wallet.balance} points but its"
                        f" lots hold {lots}",
                        code=LedgerImbalance.code,
                    )
                )
        for code in self._schemes:
            totals = self.totals(code)
            expected = (
                totals.issued
                + totals.adjusted
                + totals.exchanged_in
                - totals.redeemed
                - totals.expired
                - totals.exchanged_out
            )
            if expected != totals.outstanding:
                findings.append(
                    Finding(
                        rule="outstanding = issued + adjusted + exchanged in - redeemed"
                        " - expired - exchanged out",
                        subject=code,
                        message=f"scheme {code} has {totals.outstanding} points outstanding,"
                        f" but its totals give {expected}",
                        code=LedgerImbalance.code,
                    )
                )
        return tuple(findings)

    def verify(self) -> str:
        """Recompute the hash chain of the journal and return the head digest.

        Raises:
            JournalCorrupted: an entry does not match its digest; ``value`` is
                the position of the first such entry.
        """
        previous = _GENESIS_BYTES
        rows = self._rows
        for position, kept in enumerate(rows.kept()):
            # A transfer is kept as the text it was hashed as; a record is encoded again.
            body = kept if isinstance(kept, str) else _record_body(position, kept[1])
            actual = _digest(previous, body)
            if actual != self._digest_at(position):
                raise JournalCorrupted(
                    f"journal entry {position} does not match its digest",
                    value=position,
                    rule="journal: hash chain",
                )
            previous = actual
        if previous != self._head:
            raise JournalCorrupted(
                f"the ledger's head is not the digest of its last entry {len(rows) - 1}",
                value=len(rows) - 1,
                rule="journal: hash chain",
            )
        return previous.hex()

    # --- setting up ------------------------------------------------------------------------

    def add_scheme(self, scheme: Scheme) -> int:
        """Add a points scheme and return its journal position.

        Adding the same scheme again changes nothing and returns the original position.

        Raises:
            DuplicateRecord: a different scheme has the same code.
        """
        if not isinstance(scheme, Scheme):
            raise TypeError(f"add_scheme takes a Scheme, not {type(scheme).__name__}")
        existing = self._schemes.get(scheme.code)
        if existing is not None:
            if existing.scheme == scheme:
                return self._record_position(existing.scheme)
            raise DuplicateRecord(
                f"scheme {scheme.code} is already in the ledger with other content",
                value=scheme.code,
                rule="a scheme code names one scheme",
            )
        position = self._append_record("scheme", scheme)
        self._schemes[scheme.code] = _SchemeState(scheme, len(self._schemes))
        return position

    def open_account(self, account: Account) -> int:
        """Open an account and return its journal position.

        Opening the same account again changes nothing and returns the original position.

        Raises:
            UnknownScheme: its scheme is not in the ledger.
            DuplicateRecord: a different account has the same id.
        """
        if not isinstance(account, Account):
            raise TypeError(f"open_account takes an Account, not {type(account).__name__}")
        existing = self._accounts.get(account.id)
        if existing is not None:
            if existing.account == account:
                return self._record_position(existing.account)
            raise DuplicateRecord(
                f"account {account.id} is already open with other content",
                value=account.id,
                rule="an account id names one account",
            )
        scheme = self._scheme_state(account.scheme)
        position = self._append_record("account", account)
        state = _AccountState(account, scheme)
        self._accounts[account.id] = state
        self._open[account.id] = state
        if state.kind == _WALLET:
            scheme.wallets.append(state)
            self._wallets.append(state)
        elif state.kind == _EXPIRY and scheme.expiry_account is None:
            scheme.expiry_account = account.id
        elif state.kind == _EXCHANGE and scheme.exchange_account is None:
            scheme.exchange_account = account.id
        return position

    def close_account(self, account_id: str, *, at: _dt.datetime, memo: str = "") -> int:
        """Close an account at ``at``; it takes no new transfers. Return the journal position.

        Raises:
            UnknownAccount: there is no such account.
            AccountClosed: it is already closed.
            AccountNotEmpty: it is a wallet that still holds points.
            OutOfOrder: ``at`` is before the last entry of the journal.
        """
        return self._close(AccountClosure(account=account_id, at=at, memo=memo))

    def record_rate(self, rate: ExchangeRate) -> int:
        """Record an exchange rate between two schemes and return its journal position.

        Recording the same rate again changes nothing and returns the original position.

        Raises:
            UnknownScheme: one of its schemes is not in the ledger.
            DuplicateRecord: another rate of the same pair has the same effective time.
        """
        if not isinstance(rate, ExchangeRate):
            raise TypeError(f"record_rate takes an ExchangeRate, not {type(rate).__name__}")
        self._scheme_state(rate.source)
        self._scheme_state(rate.target)
        key = _lt.instant(rate.effective)
        _require_in_range(key, rate.effective, "effective")
        pair = (rate.source, rate.target)
        known = self._rates.get(pair, [])
        for effective, position in known:
            if effective == key:
                if self._rows[position][1] == rate:
                    return position
                raise DuplicateRecord(
                    f"a rate from {rate.source} to {rate.target} effective at"
                    f" {rate.effective.isoformat()} is already recorded",
                    value=rate.rate,
                    rule="points rule 9: one recorded rate per pair and time",
                )
        position = self._append_record("rate", rate)
        bisect.insort(self._rates.setdefault(pair, known), (key, position))
        return position

    def rate(self, source: str, target: str, *, at: _dt.datetime) -> ExchangeRate:
        """Return the exchange rate from ``source`` to ``target`` in force at ``at``.

        Raises:
            NoExchangeRate: no rate of that pair is effective at ``at``.
        """
        key = _lt.instant(require_aware(at, "at"))
        known = self._rates.get((source, target), [])
        index = bisect.bisect_right(known, (key, len(self._rows)))
        if not index:
            raise NoExchangeRate(
                f"no exchange rate from {source} to {target} is in force at {at.isoformat()}",
                value=(source, target),
                rule="points rule 9: merged schemes convert at a dated, recorded rate",
            )
        return cast(ExchangeRate, self._rows[known[index - 1][1]][1])

    # --- posting ---------------------------------------------------------------------------

    def post(self, transfer: Transfer) -> int:  # noqa: PLR0912, PLR0915 - the hot path
        """Post one transfer and return its journal position.

        Posting a transfer whose id is already posted with the same content
        changes nothing and returns the original position.

        A transfer out of a wallet draws from its lots, those that expire
        soonest first, then the oldest; lots already expired at the transfer's
        time are not spent. A transfer into a wallet opens a lot that expires
        by the scheme's policy; a reversal into a wallet gives the points back
        to the lots they came from, with those lots' own expiry. Converted and
        given points keep their expiry: the lot an exchange or a gift opens
        expires when the soonest lot it drew does (`EXPIRY_KEPT_RULE`).

        Raises:
            DuplicateTransfer: the id is posted with other content.
            UnknownAccount: an account does not exist.
            AccountClosed: an account is closed.
            SchemeMismatch: the accounts belong to different schemes.
            TransferNotAllowed: the kind is not allowed between these kinds of
                account, or it is a gift in a scheme that does not allow them.
            InsufficientPoints: a wallet, merchant or expiry account would go
                below zero ([`PointsExpired`][grassroots.errors.PointsExpired]
                if expired points are the reason).
            InvalidValue: the id is in the expiry sweep's reserved namespace, or
                the time is outside the range the ledger records.
            OutOfOrder: the transfer is dated before the last entry.
            UnknownTransfer, AlreadyReversed: for a reversal, the transfer
                reversed does not exist or has no points left to reverse.
        """
        # The steps: claim the id; check the accounts and kind; read the instant; plan
        # the lot draws; then (nothing refused) encode, append and project. The common
        # case (one lot pays, no lot has expired) runs inline, because calls cost.
        if type(transfer) is not Transfer and not isinstance(transfer, Transfer):
            raise TypeError(f"post takes a Transfer, not {type(transfer).__name__}")
        tid = transfer.id
        ids = self._ids
        open_rows = self._rows.tail
        position = self._rows.sealed + len(open_rows)
        known = ids.setdefault(tid, position)  # claims the id; given back if refused below
        if known != position:
            self._check_repost(known, transfer)
            return known
        try:
            # --- check: open accounts of one scheme, a kind allowed between their kinds ---
            if ":" in tid and tid.startswith(RESERVED_PREFIX):
                self._check_reserved(transfer, position)
            accounts = self._open  # open accounts only: a closed one is not found here
            source = accounts.get(transfer.debit)
            sink = accounts.get(transfer.credit)
            kind = transfer.kind._value_
            if source is None or sink is None:
                raise self._refusal(transfer)  # noqa: TRY301 - one function is the point
            scheme = source.scheme
            mode = _RULES[kind].get(source.pair + sink.code)
            if mode is None:
                if kind == "reverse" and sink.scheme is scheme:
                    return self._post_reversal(transfer, source, sink)
                raise self._refusal(transfer)  # noqa: TRY301
            # --- the instant: cached per local day of the zone (see _ledger_time.Zone) ---
            at = transfer.at
            zone = self._last_zone
            if at.tzinfo is not zone.tz:
                zone = self._zone(at.tzinfo)  # type: ignore[arg-type]  # always aware
            elapsed = _subtract(at, zone.start)  # wall-clock time since the cached midnight
            if elapsed.days == 0:
                key = zone.base + (elapsed.seconds * 1_000_000 + elapsed.microseconds)
            else:
                key = zone.refresh(at)
            if key < self._last_key:  # also catches a time outside the range (UNREPRESENTABLE)
                self._check_time(key, at)
            # --- plan the lot draws (or check the balance of an account without lots) ---
            amount = transfer.amount
            lots = source.lots
            first = _NO_LOT
            takes: list[int] | None = None
            if lots is not None:
                if lots:
                    first = lots[0]
                if first[0] <= key or mode == _EXPIRE_LOTS:
                    # Some lot has expired (lots sort by expiry, so the first has), or the
                    # transfer takes the expired ones: plan the draws lot by lot.
                    takes = _store.plan_draws(lots, amount, key, expired=mode == _EXPIRE_LOTS)
                    if takes is None:
                        raise self._insufficient(transfer, source, key)  # noqa: TRY301
                elif source.balance < amount:
                    # No lot has expired, so every point of the balance can be spent.
                    raise self._insufficient(transfer, source, key)  # noqa: TRY301
            elif source.bounded and source.balance < amount:
                raise self._overdrawn(transfer, source)  # noqa: TRY301
            kept = (
                None
                if mode <= _EXPIRE_LOTS
                else self._kept_expiry(transfer, mode, source, takes, position)
            )
            # --- everything is valid: apply ---
            snapshot = self._snapshot
            if snapshot is not None:
                snapshot.save(source, sink)
            origin = -1
            tail = ""
            if lots is not None:
                if takes is not None:
                    tail = _store.draws_text(_store.take(lots, takes))
                elif first[2] >= amount:  # the common case: the first lot pays it all
                    expires, origin, remaining = first
                    if remaining == amount:
                        del lots[0]
                    else:
                        lots[0] = (expires, origin, remaining - amount)
                else:  # the first lots in turn, none expired; they hold enough (checked)
                    need = amount
                    index = 0
                    while lots[index][2] < need:
                        need -= lots[index][2]
                        index += 1
                    expires, last, remaining = lots[index]
                    tail = "".join([f"\0{lot}\0{points}" for _, lot, points in lots[:index]])
                    tail = f"{tail}\0{last}\0{need}"
                    if remaining == need:
                        del lots[: index + 1]
                    else:
                        lots[index] = (expires, last, remaining - need)
                        del lots[:index]
            new_lots = sink.lots
            if new_lots is not None:
                if mode <= _EXPIRE_LOTS:
                    # Every policy's expiry grows with the earning time, and the journal is
                    # in time order, so a new lot sorts after every lot the policy opened;
                    # only a wallet holding converted or given points may need a search.
                    clock = scheme.clock
                    expiry = clock.expiry if clock.lo <= key < clock.hi else clock.expires(key)
                    if new_lots and new_lots[-1][0] > expiry:
                        bisect.insort(new_lots, (expiry, position, amount))
                    else:
                        new_lots.append((expiry, position, amount))
                else:
                    self._open_kept_lot(
                        new_lots,
                        kept=kept,
                        position=position,
                        amount=amount,
                        scheme=scheme,
                        key=key,
                    )
            # --- encode: the entry is kept as the text its digest is taken of ---
            points = _DECIMAL[amount] if amount < _DECIMALS else str(amount)
            if origin >= 0:  # one draw: the common redemption
                text = (
                    f"transfer\0{position}\0{tid}\0{source.id}\0{sink.id}\0{points}\0{kind}"
                    f"\0{key}\0{transfer.reference}\0{transfer.memo}\0\0{origin}\0{points}"
                )
            else:
                text = (
                    f"transfer\0{position}\0{tid}\0{source.id}\0{sink.id}\0{points}\0{kind}"
                    f"\0{key}\0{transfer.reference}\0{transfer.memo}\0{tail}"
                )
            # --- append to the chain, and project onto the balances ---
            digest = _hash(self._head + text.encode()).digest()
            open_rows.append(text)
            if zone.index:
                self._rows.zones[position] = zone.index
            self._digests += digest
            self._head = digest
            self._last_key = key
            source.balance -= amount
            sink.balance += amount
            if mode == _CONVERT:
                self._conversion = (position, transfer.reference, kept)
            if len(open_rows) >= _BLOCK:
                self._rows.seal()
        except BaseException:
            del ids[tid]  # refused: give the id back
            raise
        return position

    def post_batch(self, transfers: Iterable[Transfer]) -> tuple[int, ...]:
        """Post an ordered batch of transfers atomically and return their positions.

        Each transfer sees the ledger as the ones before it in the batch left
        it. If any transfer is refused, nothing of the batch is applied.

        Raises:
            BatchRejected: a transfer was refused; the error names its index and
                id, and its ``reason`` (also the ``__cause__``) says why.
            TypeError: an item is not a [`Transfer`][grassroots.ledger.Transfer].
        """
        batch = list(transfers)
        for index, transfer in enumerate(batch):
            if not isinstance(transfer, Transfer):
                raise TypeError(
                    f"batch item {index} is a {type(transfer).__name__}, not a Transfer"
                )
        snapshot = _Snapshot(self)
        positions = []
        post = self.post
        self._snapshot = snapshot
        try:
            for transfer in batch:
                positions.append(post(transfer))
        except GrassrootsError as exc:
            snapshot.restore(self)
            index = len(positions)
            raise BatchRejected(
                f"batch refused at transfer {index} ({transfer.id}); nothing was posted: {exc}",
                index=index,
                transfer_id=transfer.id,
                reason=exc,
                value=exc.value,
                limit=exc.limit,
                rule=exc.rule,
            ) from exc
        except BaseException:
            snapshot.restore(self)
            raise
        finally:
            self._snapshot = None
        return tuple(positions)

    def reverse(
        self,
        transfer_id: str,
        *,
        id: str,  # noqa: A002 - the transfer's field is called id
        at: _dt.datetime,
        amount: int | None = None,
        reference: str = "",
        memo: str = "",
    ) -> int:
        """Reverse a posted transfer, in full or in part, by a new transfer the other way.

        A transfer is reversed at most once in full: partial reversals add up
        to at most its amount. Reversing a redemption gives the points back to
        the lots they were drawn from (in proportion to what each gave, by
        largest remainder), with those lots' original expiry: points whose lot
        has expired by then come back expired and leave at the next
        [`expire`][grassroots.ledger.PointsLedger.expire]. Reversing an earning takes the points
        from the lot it
        opened first, then in the usual spending order.

        Rule: points rule 7 of the docs' rules page (reversal by compensating entries only;
        partial refunds reverse proportionally; never take points twice).

        Args:
            transfer_id: The transfer to reverse (``earn``, ``redeem``,
                ``adjust`` or ``settle``).
            id: The id of the reversal.
            at: When the reversal happens.
            amount: How many points to reverse; all that is left by default.
            reference: What it refers to; the reversed transfer's id by default.
            memo: Why.

        Returns:
            The reversal's journal position.

        Raises:
            UnknownTransfer: no transfer ``transfer_id`` was posted.
            AlreadyReversed: nothing, or less than ``amount``, is left to reverse.
            TransferNotAllowed: transfers of that kind cannot be reversed.
            InsufficientPoints: the wallet no longer holds the points to give back.
        """
        position = self._position_of(transfer_id)
        row = self._rows[position]
        left = row[_AMOUNT] - self._reversed.get(position, 0)
        done = self._ids.get(id)
        if done is not None and amount is None:
            # A retry: the reversal posted under this id took what was left then. Posting
            # the same transfer again is a no-op; other content is a DuplicateTransfer.
            earlier = self._rows[done]
            if earlier[_KIND] == "reverse" and earlier[_REVERSES] == transfer_id:
                left = earlier[_AMOUNT]
        elif done is not None:
            left = max(left, 1)  # post() decides: the same reversal again, or a duplicate
        if left <= 0:
            raise AlreadyReversed(
                f"transfer {transfer_id} has already been reversed in full",
                value=transfer_id,
                limit=0,
                rule="points rule 7: a transfer is reversed at most once",
            )
        return self.post(
            Transfer(
                id=id,
                debit=row[_CREDIT],
                credit=row[_DEBIT],
                amount=left if amount is None else amount,
                kind=TransferKind.REVERSE,
                at=at,
                reference=reference or transfer_id,
                memo=memo,
                reverses=transfer_id,
            )
        )

    def exchange(
        self,
        *,
        id: str,  # noqa: A002 - the id of the exchange, prefix of its transfers' ids
        source: str,
        target: str,
        points: int,
        at: _dt.datetime,
        memo: str = "",
    ) -> tuple[int, int]:
        """Convert a resident's points of one scheme into another at the recorded rate.

        Two transfers are posted as one batch, each within its own scheme:
        ``{id}:out`` from the ``source`` wallet to its scheme's exchange
        account, and ``{id}:in`` from the target scheme's exchange account to
        the ``target`` wallet (opening a lot there). The points received are
        ``points × rate`` written down; the points spent are the fewest that
        give them, so the fraction of a point that buys nothing stays in the
        source wallet.

        Rule: points rule 9 of the docs' rules page (merged schemes convert at a dated, recorded
        rate; every conversion is an entry).

        Args:
            id: The id of the exchange; its transfers' ids are ``{id}:out`` and ``{id}:in``.
            source: The wallet converted from.
            target: The wallet converted into; same owner, another scheme.
            points: The points offered.
            at: When.
            memo: Free text.

        Returns:
            The journal positions of the two transfers.

        Raises:
            NoExchangeRate: no rate between the two schemes is in force at ``at``.
            SchemeMismatch: the wallets are of one scheme.
            TransferNotAllowed: an account is not a wallet, the wallets have
                different owners, or a scheme has no exchange account.
            InsufficientPoints: the points offered buy nothing, or the wallet lacks them.
        """
        offered = _points(points, "points")
        giver = self._account_state(source)
        taker = self._account_state(target)
        if (
            giver.kind != _WALLET
            or taker.kind != _WALLET
            or giver.account.owner != taker.account.owner
        ):
            raise TransferNotAllowed(
                f"exchange from {source} to {target}: both must be wallets of one owner",
                value=(source, target),
                rule="points rule 10: transfers between residents are off",
            )
        if giver.scheme is taker.scheme:
            raise SchemeMismatch(
                f"exchange from {source} to {target}: both wallets are of scheme"
                f" {giver.scheme.code}",
                value=giver.scheme.code,
                rule="an exchange converts between two schemes",
            )
        rate = self.rate(giver.scheme.code, taker.scheme.code, at=at)
        gained = offered * rate.rate.numerator // rate.rate.denominator
        if gained <= 0:
            needed = -(-rate.rate.denominator // rate.rate.numerator)
            raise InsufficientPoints(
                f"{offered} points of {giver.scheme.code} buy no point of {taker.scheme.code}"
                f" at rate {rate.rate}; at least {needed} are needed",
                value=offered,
                limit=needed,
                rule="points rule 9: conversion written down",
            )
        spent = -(-gained * rate.rate.denominator // rate.rate.numerator)
        out_account = giver.scheme.exchange_account
        in_account = taker.scheme.exchange_account
        if out_account is None or in_account is None:
            missing = giver.scheme.code if out_account is None else taker.scheme.code
            raise TransferNotAllowed(
                f"scheme {missing} has no exchange account",
                value=missing,
                rule="an exchange clears through each scheme's exchange account",
            )
        text = memo or (
            f"{spent} {giver.scheme.code} → {gained} {taker.scheme.code} at rate {rate.rate}"
            f" (effective {rate.effective.isoformat()})"
        )
        out_position, in_position = self.post_batch(
            [
                Transfer(
                    id=f"{id}:out",
                    debit=source,
                    credit=out_account,
                    amount=spent,
                    kind=TransferKind.EXCHANGE,
                    at=at,
                    reference=id,
                    memo=text,
                ),
                Transfer(
                    id=f"{id}:in",
                    debit=in_account,
                    credit=target,
                    amount=gained,
                    kind=TransferKind.EXCHANGE,
                    at=at,
                    reference=id,
                    memo=text,
                ),
            ]
        )
        return out_position, in_position

    def expire(self, *, as_of: _dt.datetime) -> tuple[int, ...]:
        """Move every lot expired at ``as_of`` to its scheme's expiry account.

        Each expired lot with points left becomes one ``expire`` transfer dated
        ``as_of`` with id ``expire:{lot}:{position}`` (``lot`` being the id of
        the transfer that opened it), all posted as one batch. Running it again
        writes nothing, since no expired lot is left.

        Rule: points rule 4 of the docs' rules page (an idempotent sweep writes expiry entries).

        Returns:
            The journal positions of the expiry transfers (empty if none).

        Raises:
            TransferNotAllowed: a scheme with expired lots has no expiry account.
            BatchRejected: the expiry account is closed, or ``as_of`` is before
                the last entry (the ``reason`` says which); nothing is written.

        Examples:
            >>> import pendulum
            >>> ledger = PointsLedger()
            >>> _ = ledger.add_scheme(Scheme(code="v", expiry=ExpiryPolicy.after_days(30)))
            >>> for account_id, kind in [
            ...     ("v:issuer", "issuer"),
            ...     ("v:expired", "expiry"),
            ...     ("v:wang", "wallet"),
            ... ]:
            ...     _ = ledger.open_account(Account(id=account_id, scheme="v", kind=kind))
            >>> earned = pendulum.datetime(2025, 3, 1, tz="Asia/Shanghai")
            >>> _ = ledger.post(
            ...     Transfer(
            ...         id="e1",
            ...         debit="v:issuer",
            ...         credit="v:wang",
            ...         amount=20,
            ...         kind="earn",
            ...         at=earned,
            ...     )
            ... )
            >>> ledger.expire(as_of=earned.add(days=29))
            ()
            >>> len(ledger.expire(as_of=earned.add(days=30))), ledger.balance("v:expired")
            (1, 20)
        """
        when = require_aware(as_of, "as_of")
        key = _lt.instant(when)
        rows = self._rows
        batch: list[Transfer] = []
        for wallet in self._wallets:
            for expires, origin, remaining in wallet.lots or ():
                if expires > key:
                    break
                sink = wallet.scheme.expiry_account
                if sink is None:
                    raise TransferNotAllowed(
                        f"scheme {wallet.scheme.code} has no expiry account",
                        value=wallet.scheme.code,
                        rule="points rule 4: expired points go to the expiry account",
                    )
                lot = rows[origin][_ID]
                batch.append(
                    Transfer(
                        id=f"expire:{lot}:{len(rows) + len(batch)}",
                        debit=wallet.id,
                        credit=sink,
                        amount=remaining,
                        kind=TransferKind.EXPIRE,
                        at=when,
                        reference=lot,
                        memo=f"lot {lot} expired at {_expiry_text(expires)}",
                    )
                )
        return self.post_batch(batch) if batch else ()

    # --- rebuilding ------------------------------------------------------------------------

    @classmethod
    def replay(cls, entries: Iterable[JournalEntry]) -> PointsLedger:
        """Rebuild a ledger from its journal, checking every entry on the way.

        Each entry is applied with the same checks as when it was first
        recorded; its lot draws must be the ones the ledger computes again, and
        its hash must chain. The result has the same balances, lots and head
        digest as the ledger the journal came from.

        Raises:
            JournalCorrupted: an entry is out of place, invalid, draws other
                lots, or does not match its digest; ``value`` is its position.
        """
        ledger = cls()
        for expected, entry in enumerate(entries):
            if not isinstance(entry, JournalEntry):
                raise TypeError(f"journal item {expected} is a {type(entry).__name__}")
            if entry.position != expected:
                raise JournalCorrupted(
                    f"journal entry {expected} says it is at position {entry.position}",
                    value=expected,
                    rule="journal: entries are numbered from 0 without gaps",
                )
            if entry.previous != ledger.head:
                raise JournalCorrupted(
                    f"journal entry {expected} does not follow the entry before it",
                    value=expected,
                    rule="journal: hash chain",
                )
            try:
                ledger._apply(entry.record)
            except GrassrootsError as exc:
                raise JournalCorrupted(
                    f"journal entry {expected} cannot be applied: {exc}",
                    value=expected,
                    rule="journal: every entry is valid when replayed",
                ) from exc
            if len(ledger._rows) != expected + 1:
                raise JournalCorrupted(
                    f"journal entry {expected} repeats an earlier record",
                    value=expected,
                    rule="journal: every entry records something new",
                )
            if ledger._draws(expected) != entry.draws:
                raise JournalCorrupted(
                    f"journal entry {expected} says it drew {entry.draws}, but replaying it"
                    f" draws {ledger._draws(expected)}",
                    value=expected,
                    rule="points rule 1: each debit says which lots it drew",
                )
            if ledger.head != entry.digest:
                raise JournalCorrupted(
                    f"journal entry {expected} does not match its digest",
                    value=expected,
                    rule="journal: hash chain",
                )
        return ledger

    def _apply(self, record: Record) -> int:
        if isinstance(record, Transfer):
            return self.post(record)
        if isinstance(record, Scheme):
            return self.add_scheme(record)
        if isinstance(record, Account):
            return self.open_account(record)
        if isinstance(record, AccountClosure):
            return self._close(record)
        return self.record_rate(record)

    # --- comparing and printing -----------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PointsLedger):
            return NotImplemented
        # The kept texts leave out the zone a time was written in: the same instants are
        # the same, as in the hash.
        return self._digests == other._digests and all(
            mine == theirs
            for mine, theirs in zip(self._rows.kept(), other._rows.kept(), strict=True)
        )

    def __copy__(self) -> PointsLedger:
        """Return an independent copy: posting to it leaves this ledger as it is.

        The ledger is one aggregate with indexed state, so even a shallow copy
        copies that state; sharing it would let the copy break this ledger's chain.
        """
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        return (
            f"<PointsLedger: {len(self._rows)} entries, {len(self._schemes)} schemes,"
            f" {len(self._accounts)} accounts, head {self.head[:12]}…>"
        )

    # --- internals ---------------------------------------------------------------------------

    def _account_state(self, account_id: str) -> _AccountState:
        state = self._accounts.get(account_id)
        if state is None:
            raise UnknownAccount(
                f"account {account_id!r} is not in the ledger",
                value=account_id,
                rule="a transfer names open accounts of the ledger",
            )
        return state

    def _scheme_state(self, code: str) -> _SchemeState:
        state = self._schemes.get(code)
        if state is None:
            raise UnknownScheme(
                f"scheme {code!r} is not in the ledger",
                value=code,
                rule="accounts and rates name schemes of the ledger",
            )
        return state

    def _position_of(self, transfer_id: str) -> int:
        position = self._ids.get(transfer_id)
        if position is None:
            raise UnknownTransfer(
                f"no transfer {transfer_id!r} was posted",
                value=transfer_id,
                rule="a reversal names a posted transfer",
            )
        return position

    def _record_position(self, record: Record) -> int:
        for position, kept in enumerate(self._rows.kept()):
            if not isinstance(kept, str) and kept[1] is record:
                return position
        raise AssertionError("record not in journal")  # pragma: no cover

    def _append_record(self, tag: str, record: Record) -> int:
        position = len(self._rows)
        digest = _digest(self._head, _record_body(position, record))
        self._rows.append((tag, record))
        self._digests += digest
        self._head = digest
        return position

    def _close(self, closure: AccountClosure) -> int:
        state = self._account_state(closure.account)
        if state.closed:
            for position, kept in enumerate(self._rows.kept()):
                if not isinstance(kept, str) and kept[1] == closure:
                    return position  # the same closure again: a retry, a no-op
            raise AccountClosed(
                f"account {state.id} is already closed",
                value=state.id,
                rule="a closed account takes no new entries",
            )
        if state.kind == _WALLET and state.balance:
            raise AccountNotEmpty(
                f"wallet {state.id} still holds {state.balance} points",
                value=state.balance,
                limit=0,
                rule="a wallet is closed empty (redeem, adjust or let its points expire first)",
            )
        key = _lt.instant(closure.at)
        self._check_time(key, closure.at)
        position = self._append_record("closure", closure)
        self._last_key = key
        state.closed = True
        del self._open[state.id]
        return position

    def _check_time(self, key: int, at: _dt.datetime) -> None:
        if key < _lt.MIN_INSTANT or key > _lt.MAX_INSTANT:
            try:
                exact = _lt.instant(at)
            except OverflowError:
                exact = _lt.MAX_INSTANT + 1
            _require_in_range(exact, at, "time")
        if key < self._last_key:
            last = _lt.to_datetime(self._last_key, SHANGHAI).isoformat()
            raise OutOfOrder(
                f"entry dated {at.isoformat()} is before the last entry of the journal ({last})",
                value=at,
                limit=last,
                rule="journal: entries are in time order",
            )

    def _zone(self, tz: _dt.tzinfo) -> _lt.Zone:
        zone = self._zones.get(tz)
        if zone is None:
            zone = _lt.Zone(tz, len(self._zone_list))
            self._zone_list.append(tz)
            self._zones[tz] = zone
        self._last_zone = zone
        return zone

    def _key(self, at: _dt.datetime) -> tuple[int, int]:
        tz = at.tzinfo
        assert tz is not None  # Transfer.at is always aware
        zone = self._zone(tz)
        return zone.key(at), zone.index

    def _digest_at(self, position: int) -> bytes:
        start = position * _DIGEST_SIZE
        return bytes(self._digests[start : start + _DIGEST_SIZE])

    def _fold(self) -> None:
        """Count the transfers posted since the last call in their schemes' flows."""
        rows = self._rows
        accounts = self._accounts
        for row in rows.since(self._folded):
            kind = row[_KIND]
            if kind not in _KINDS:
                continue
            source = accounts[row[_DEBIT]]
            sink = accounts[row[_CREDIT]]
            if kind == "reverse":
                original = rows[self._ids[row[_REVERSES]]][_KIND]
                slot, sign = _FLOWS[original][sink.kind * 8 + source.kind]
                sign = -sign
            else:
                slot, sign = _FLOWS[kind][source.kind * 8 + sink.kind]
            source.scheme.flows[slot] += sign * row[_AMOUNT]
        self._folded = len(rows)

    def _index(self) -> None:
        """Enter the transfers posted since the last call in their accounts' positions."""
        rows = self._rows
        accounts = self._accounts
        for position in range(self._indexed, len(rows)):
            row = rows[position]
            if row[_KIND] in _KINDS:
                for state, change in (
                    (accounts[row[_DEBIT]], -row[_AMOUNT]),
                    (accounts[row[_CREDIT]], row[_AMOUNT]),
                ):
                    state.indexed += change
                    state.positions.append(position)
                    state.balances.append(state.indexed)
        self._indexed = len(rows)

    def _unindex(self) -> None:
        """Forget the accounts' positions; the next ``_index`` enters them again."""
        for state in self._accounts.values():
            state.positions.clear()
            state.balances.clear()
            state.indexed = 0
        self._indexed = 0

    def _unfold(self) -> None:
        """Forget the flows counted so far; the next ``_fold`` counts them again."""
        for scheme in self._schemes.values():
            scheme.flows[:] = [0] * len(scheme.flows)
        self._folded = 0

    def _datetime(self, row: _Row) -> pendulum.DateTime:
        return _lt.to_datetime(row[_KEY], self._zone_list[row[_ZONE]])

    def _transfer(self, position: int) -> Transfer:
        row = self._rows[position]
        if row[_KIND] not in _KINDS:
            raise UnknownTransfer(
                f"journal entry {position} records a {row[0]}, not a transfer",
                value=position,
                rule="a transfer id names a transfer",
            )
        return _trusted(
            Transfer,
            id=row[_ID],
            debit=row[_DEBIT],
            credit=row[_CREDIT],
            amount=row[_AMOUNT],
            kind=_KINDS[row[_KIND]],
            at=self._datetime(row),
            reference=row[_REFERENCE],
            memo=row[_MEMO],
            reverses=row[_REVERSES],
        )

    def _draws(self, position: int) -> tuple[Draw, ...]:
        rows = self._rows
        if rows[position][_KIND] not in _KINDS:
            return ()
        flat = rows[position][_FIRST_DRAW:]
        return tuple(
            _trusted(Draw, lot=rows[flat[i]][_ID], points=flat[i + 1])
            for i in range(0, len(flat), 2)
        )

    def _entry(self, position: int) -> JournalEntry:
        rows = self._rows
        row = rows[position]
        previous = self._digest_at(position - 1).hex() if position else GENESIS
        if row[_KIND] in _KINDS:
            record: Record = self._transfer(position)
            draws = self._draws(position)
        else:
            record, draws = row[1], ()
        return _trusted(
            JournalEntry,
            position=position,
            record=record,
            draws=draws,
            previous=previous,
            digest=self._digest_at(position).hex(),
        )

    def _check_repost(self, position: int, transfer: Transfer) -> None:
        row = self._rows[position]
        if row[_KIND] in _KINDS:
            key, _ = self._key(transfer.at)
            theirs = (
                transfer.debit,
                transfer.credit,
                transfer.amount,
                transfer.kind.value,
                key,
                transfer.reference,
                transfer.memo,
                transfer.reverses,
            )
            ours = (
                row[_DEBIT],
                row[_CREDIT],
                row[_AMOUNT],
                row[_KIND],
                row[_KEY],
                row[_REFERENCE],
                row[_MEMO],
                row[_REVERSES],
            )
            if theirs == ours:
                return
        raise DuplicateTransfer(
            f"transfer id {transfer.id} is already posted with other content",
            value=transfer.id,
            rule="idempotency: one id, one content",
        )

    def _check_reserved(self, transfer: Transfer, position: int) -> None:
        """Refuse an id in the sweep's namespace unless it is the sweep's own transfer."""
        own = f"{RESERVED_PREFIX}{transfer.reference}:{position}"
        if transfer.kind is TransferKind.EXPIRE and transfer.id == own:
            return
        raise InvalidValue(
            f"transfer id {transfer.id!r} is in the namespace the expiry sweep reserves"
            f" ({RESERVED_PREFIX}…); choose another id ({RESERVED_ID_RULE})",
            value=transfer.id,
            limit=RESERVED_PREFIX,
            rule=RESERVED_ID_RULE,
        )

    def _overdrawn(self, transfer: Transfer, account: _AccountState) -> InsufficientPoints:
        """Return the error refusing a transfer that takes an account without lots below zero."""
        return InsufficientPoints(
            f"transfer {transfer.id} needs {transfer.amount} points from the"
            f" {account.account.kind.value} account {account.id}, which holds"
            f" {account.balance} ({NON_NEGATIVE_RULE})",
            value=transfer.amount,
            limit=account.balance,
            rule=NON_NEGATIVE_RULE,
        )

    def _kept_expiry(
        self,
        transfer: Transfer,
        mode: int,
        source: _AccountState,
        takes: list[int] | None,
        position: int,
    ) -> int | None:
        """Return the expiry the lot a conversion or gift opens keeps (None: by the policy).

        The draws take the soonest live lot first, so the first lot drawn has the
        soonest expiry of the points that move (`EXPIRY_KEPT_RULE`).
        """
        if mode == _GIFT and not source.scheme.scheme.allow_resident_transfers:
            raise TransferNotAllowed(
                f"transfer {transfer.id}: scheme {source.scheme.code} does not allow"
                f" transfers between residents ({RESIDENT_TRANSFER_RULE})",
                value=(transfer.debit, transfer.credit),
                rule=RESIDENT_TRANSFER_RULE,
            )
        if mode == _CONVERTED:
            pending = self._conversion
            if (
                pending is not None
                and pending[0] == position - 1
                and pending[1] == transfer.reference
            ):
                return pending[2]
            return None
        lots = cast(list[_LotRow], source.lots)
        first = takes[0] if takes else 0
        return lots[first][0] if lots else None

    def _open_kept_lot(
        self,
        lots: list[_LotRow],
        *,
        kept: int | None,
        position: int,
        amount: int,
        scheme: _SchemeState,
        key: int,
    ) -> None:
        """Open the lot of a conversion or gift, with the expiry it keeps."""
        if kept is None:
            kept = scheme.clock.expires(key)
        else:
            self._lot_expiry[position] = kept
        bisect.insort(lots, (kept, position, amount))

    def _expiry_of(self, origin: int, scheme: _SchemeState) -> int:
        """Return the expiry of the lot opened at ``origin``."""
        kept = self._lot_expiry.get(origin)
        return scheme.clock.expires(self._rows[origin][_KEY]) if kept is None else kept

    def _post_reversal(
        self,
        transfer: Transfer,
        source: _AccountState,
        sink: _AccountState,
    ) -> int:
        """Validate and apply a ``reverse`` transfer (the slow path)."""
        rows = self._rows
        original = self._reversed_position(transfer)
        row = rows[original]
        amount = transfer.amount
        done = self._reversed.get(original, 0)
        self._check_reversal(transfer, row, row[_AMOUNT] - done)
        key, zone = self._key(transfer.at)
        self._check_time(key, transfer.at)
        takes: list[int] | None = None
        restores: list[_LotRow] = []
        if source.lots is not None:  # an earning or adjustment into a wallet taken back
            takes = _store.plan_reversal_draws(source.lots, original, amount, key)
            if takes is None:
                raise self._insufficient(transfer, source, key)
        elif source.bounded and source.balance < amount:  # a merchant gives points back
            raise self._overdrawn(transfer, source)
        if sink.lots is not None:  # a redemption or adjustment out of a wallet given back
            restores = self._plan_restores(original, amount, source.scheme)
        # --- everything is valid: apply ---
        snapshot = self._snapshot
        if snapshot is not None:
            snapshot.save(source, sink)
            snapshot.save_reversal(self, original)
        position = len(rows)
        if takes is not None:
            draws = _store.take(cast(list[_LotRow], source.lots), takes)
        else:
            flat: list[int] = []
            owed = self._owed.get(original)
            for expires, origin, points in restores:
                _store.restore(cast(list[_LotRow], sink.lots), expires, origin, points)
                flat += (origin, points)
                if owed is not None:
                    owed[origin] -= points
            draws = tuple(flat)
        reverses = row[_ID]
        body = (
            f"transfer\0{position}\0{transfer.id}\0{source.id}\0{sink.id}\0{amount}\0reverse"
            f"\0{key}\0{transfer.reference}\0{transfer.memo}\0{reverses}{_store.draws_text(draws)}"
        )
        digest = _digest(self._head, body)
        source.balance -= amount
        sink.balance += amount
        rows.append(body)
        if zone:
            rows.zones[position] = zone
        self._ids[transfer.id] = position
        self._digests += digest
        self._head = digest
        self._last_key = key
        self._reversed[original] = done + amount
        self._reversals.setdefault(original, []).append(position)
        return position

    def _reversed_position(self, transfer: Transfer) -> int:
        """Return the position of the transfer a reversal reverses, refusing one naming itself."""
        if transfer.reverses == transfer.id:
            raise UnknownTransfer(
                f"reversal {transfer.id} names itself as the transfer it reverses; a reversal"
                " reverses an earlier transfer (points rule 7, docs: rules and sources, points)",
                value=transfer.reverses,
                rule="points rule 7: reversal by compensating entries",
            )
        return self._position_of(cast(str, transfer.reverses))

    def _check_reversal(self, transfer: Transfer, row: _Row, left: int) -> None:
        """Refuse a reversal of a final kind, the wrong way round, or of more than is left."""
        if row[_KIND] not in _REVERSIBLE:
            raise TransferNotAllowed(
                f"transfer {transfer.id}: a {row[_KIND]} transfer cannot be reversed",
                value=row[_KIND],
                limit=sorted(_REVERSIBLE),
                rule="points rule 7: earn, redeem, adjust and settle are reversed;"
                " an expiry or exchange is final",
            )
        if (transfer.debit, transfer.credit) != (row[_CREDIT], row[_DEBIT]):
            raise TransferNotAllowed(
                f"transfer {transfer.id} must move points from {row[_CREDIT]} back to"
                f" {row[_DEBIT]} to reverse {row[_ID]}",
                value=(transfer.debit, transfer.credit),
                limit=(row[_CREDIT], row[_DEBIT]),
                rule="points rule 7: reversal by compensating entries",
            )
        if transfer.amount > left:
            raise AlreadyReversed(
                f"transfer {transfer.id} would reverse {transfer.amount} points of {row[_ID]},"
                f" but only {left} of its {row[_AMOUNT]} are left to reverse",
                value=transfer.amount,
                limit=left,
                rule="points rule 7: a transfer is reversed at most once",
            )

    def _plan_restores(self, original: int, amount: int, scheme: _SchemeState) -> list[_LotRow]:
        """Return (expires, lot origin, points) to give back ``amount`` points of a debit.

        What each lot is still owed is kept per reversed transfer and updated by
        each partial reversal, so a long run of partial reversals stays linear.
        """
        owed = self._owed.get(original)
        if owed is None:
            flat = self._rows[original][_FIRST_DRAW:]
            owed = {}
            for i in range(0, len(flat), 2):
                owed[flat[i]] = owed.get(flat[i], 0) + flat[i + 1]
            self._owed[original] = owed
        origins = sorted(owed)
        parts = apportion(amount, [owed[origin] for origin in origins])
        return [
            (self._expiry_of(origin, scheme), origin, part)
            for origin, part in zip(origins, parts, strict=True)
            if part
        ]

    def _refusal(self, transfer: Transfer) -> GrassrootsError:
        """Return the error that refuses a transfer for its accounts or its kind."""
        source = self._account_state(transfer.debit)
        sink = self._account_state(transfer.credit)
        for state in (source, sink):
            if state.closed:
                return AccountClosed(
                    f"transfer {transfer.id}: account {state.id} is closed",
                    value=state.id,
                    rule="a closed account takes no new transfers",
                )
        if sink.scheme is not source.scheme:
            return SchemeMismatch(
                f"transfer {transfer.id} moves points from scheme {source.scheme.code} to scheme"
                f" {sink.scheme.code}; convert them with an exchange",
                value=(source.scheme.code, sink.scheme.code),
                rule="double entry: both accounts of a transfer are of one scheme",
            )
        debit_kind = source.account.kind.value
        credit_kind = sink.account.kind.value
        return TransferNotAllowed(
            f"transfer {transfer.id}: a {transfer.kind.value} transfer cannot move points from"
            f" a {debit_kind} account ({source.id}) to a {credit_kind} account ({sink.id})",
            value=(transfer.kind.value, debit_kind, credit_kind),
            rule="TransferKind table; points rule 10: no transfers between residents",
        )

    def _insufficient(
        self, transfer: Transfer, wallet: _AccountState, key: int
    ) -> InsufficientPoints:
        lots = wallet.lots or []
        if transfer.kind is TransferKind.EXPIRE:
            expired = sum(lot[2] for lot in lots if lot[0] <= key)
            return InsufficientPoints(
                f"transfer {transfer.id} would expire {transfer.amount} points of wallet"
                f" {wallet.id}, but only {expired} have expired",
                value=transfer.amount,
                limit=expired,
                rule="points rule 4: only expired lots expire",
            )
        live = sum(lot[2] for lot in lots if lot[0] > key)
        if transfer.kind is TransferKind.REVERSE:  # the reversed lot counts even if expired
            own = self._ids.get(cast(str, transfer.reverses))
            live += sum(lot[2] for lot in lots if lot[0] <= key and lot[1] == own)
        if wallet.balance >= transfer.amount:
            return PointsExpired(
                f"transfer {transfer.id} needs {transfer.amount} points from wallet {wallet.id},"
                f" which holds {wallet.balance} but only {live} that have not expired",
                value=transfer.amount,
                limit=live,
                rule="points rule 4: expired points cannot be spent",
            )
        return InsufficientPoints(
            f"transfer {transfer.id} needs {transfer.amount} points from wallet {wallet.id},"
            f" which holds {wallet.balance}",
            value=transfer.amount,
            limit=wallet.balance,
            rule="a wallet never goes below zero",
        )


def _period_bounds(
    period: pendulum.Interval[Any] | None,
    start: _dt.datetime | None,
    end: _dt.datetime | None,
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    if period is not None:
        if start is not None or end is not None:
            raise TypeError("give a period or start and end, not both")
        first: object = period.start
        last: object = period.end
        if not isinstance(first, _dt.datetime) and isinstance(first, _dt.date):
            assert isinstance(last, _dt.date)  # an interval's ends share a type
            begin = pendulum.datetime(first.year, first.month, first.day, tz=SHANGHAI)
            after = pendulum.datetime(last.year, last.month, last.day, tz=SHANGHAI).add(days=1)
            return begin, after
    else:
        if start is None or end is None:
            raise TypeError("a statement needs a period, or both start and end")
        first, last = start, end
    begin = require_aware(first, "start")
    after = require_aware(last, "end")
    if after < begin:
        raise _invalid(f"period ends at {after.isoformat()}, before it starts")
    return begin, after


# --- JSON ----------------------------------------------------------------------------------


def _configure_converter(conv: cattrs.Converter) -> None:
    """Register the ledger's hooks: the tagged union of records and the ledger itself."""
    from cattrs.gen import make_dict_unstructure_fn
    from cattrs.strategies import configure_tagged_union

    configure_tagged_union(
        Record, conv, tag_generator=lambda cls: _RECORD_TAGS[cls], tag_name="type"
    )
    unstructure_entry = make_dict_unstructure_fn(JournalEntry, conv)

    def unstructure_ledger(ledger: PointsLedger) -> dict[str, Any]:
        return {
            "head": ledger.head,
            "journal": [unstructure_entry(entry) for entry in ledger.journal],
        }

    def structure_ledger(data: object, _cls: type) -> PointsLedger:
        if not isinstance(data, dict):
            raise TypeError(f"a points ledger must be an object, not {type(data).__name__}")
        extra = set(data) - {"head", "journal"}
        if extra:
            raise _invalid(f"unknown keys {sorted(extra)} in a points ledger")
        if "journal" not in data or "head" not in data:
            raise _invalid("a points ledger needs its journal and head")
        try:
            entries = conv.structure(data["journal"], list[JournalEntry])
        except BaseValidationError as exc:
            raise ClassValidationError(
                "While structuring PointsLedger", [_at_journal(exc)], PointsLedger
            ) from None
        ledger = PointsLedger.replay(entries)
        if ledger.head != data["head"]:
            raise JournalCorrupted(
                f"the journal ends at digest {ledger.head[:12]}…, not at the recorded head"
                f" {str(data['head'])[:12]}…: entries are missing or added",
                value=len(ledger),
                rule="journal: hash chain",
            )
        return ledger

    conv.register_unstructure_hook(PointsLedger, unstructure_ledger)
    conv.register_structure_hook(PointsLedger, structure_ledger)


def _at_journal(exc: BaseValidationError) -> BaseValidationError:
    from cattrs.errors import AttributeValidationNote

    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        AttributeValidationNote(
            "Structuring class PointsLedger @ attribute journal", "journal", list[JournalEntry]
        ),
    ]
    return exc
