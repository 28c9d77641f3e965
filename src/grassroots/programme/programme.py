"""The points programme (积分制度): the Tancheng points cycle over one points ledger.

Use [`PointsProgramme`][grassroots.programme.programme.PointsProgramme] to run the whole
cycle: the branch publishes a volunteer activity → residents claim it and take
part → points are credited online → points are redeemed offline as discounts
at the project shops, converted at the one-stop exchange window, and paid for
by the compound's public revenue, which the profit allocation's 10% community
share fills.

Every point moves through the [`PointsLedger`][grassroots.ledger.PointsLedger]
by its public API; this layer holds the rules around it. Every command checks
everything first and then applies, so a refused command changes nothing.

Accounts are named by the programme: ``"{scheme}:issuer"``,
``"{scheme}:exchange"``, ``"{scheme}:expiry"``, ``"{scheme}:resident:{id}"``
and ``"{scheme}:merchant:{id}"``. Transfers it posts have ids ``"earn/…"``,
``"unconfirm/…"``, ``"redeem/{receipt}"``, ``"refund/{refund}"`` and
``"xchg/{conversion}"``.

Rule: points rules 2, 3, 6, 7, 8, 9, 10 and 11; 志愿服务条例 arts 19–20.

Source: 郯城县 case: "支部发布志愿活动 → 居民认领参与 → 线上积分 → 线下兑换".
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from grassroots import _tabular
from grassroots import _validators as v
from grassroots._time import ALWAYS_AWARE, require_aware
from grassroots._validators import MAX_ID_LENGTH as _MAX_ID
from grassroots._validators import MAX_TEXT_LENGTH as _MAX_TEXT
from grassroots.allocation import PeriodAllocation
from grassroots.audit import Finding
from grassroots.errors import (
    DuplicateRecord,
    FundInsufficient,
    InsufficientPoints,
    PermissionDenied,
    RedemptionRefused,
    SettlementMismatch,
    UnknownReference,
    WrongStep,
)
from grassroots.ledger import (
    MAX_TRANSFER_POINTS,
    Account,
    AccountKind,
    PointsLedger,
    Scheme,
    Transfer,
    TransferKind,
)
from grassroots.ledger._codec import trusted_transfer
from grassroots.ledger._instants import instant
from grassroots.ledger._values import slot_setters
from grassroots.money import from_fen, to_fen, yuan
from grassroots.programme._times import TimeKey, Times
from grassroots.programme.activity import (
    ActivityBook,
    Attendance,
    Participant,
    VolunteerActivity,
    VolunteerCertificate,
)
from grassroots.programme.caps import CapBook, EarningCap
from grassroots.programme.fund import (
    FUND_RULE,
    FundMovement,
    MovementKind,
    PublicRevenueFund,
    Shortfall,
    _fund_part,
    deposit_community_shares,
)
from grassroots.programme.shop import (
    REDEMPTION_RULE,
    REFUND_RULE,
    Merchant,
    RedemptionReceipt,
    RefundRecord,
    _quote_fen,
    _receipt,
    refund_shares,
)
from grassroots.programme.window import DailyLimit, ExchangeReceipt, ExchangeWindow

__all__ = [
    "PRIVACY_RULE",
    "HonourLine",
    "LoopReport",
    "PointsProgramme",
    "Settlement",
    "SettlementLine",
    "merchant_account_id",
    "wallet_id",
]

PRIVACY_RULE = (
    "志愿服务条例 art. 20; points rule 11: balances and records are private to the resident and"
    " administrators; honour boards are opt-in"
)
"""The rule cited when someone asks for another resident's balance or record."""


_NO_YUAN = Decimal("0.00")
"""Nothing, in two-place yuan (the fund's part of a discount the merchant absorbs)."""


def _fen(amount: Decimal) -> int:
    """Return the fen of ``amount``, two-place yuan already checked by ``yuan`` (exact)."""
    numerator, denominator = amount.as_integer_ratio()
    return numerator * 100 // denominator


_EXACT = decimal.Context(prec=40)
"""Enough digits for any amount of fen the money module allows: scaling by 100 is exact."""


def _yuan(fen: int) -> Decimal:
    """Return ``fen`` as two-place yuan: the trusted path for fen the programme worked out.

    ``redeem`` computes every amount of a receipt in whole fen from a bill that
    ``yuan`` checked, so each is an ``int`` within the money module's bounds and
    is not checked again (as [`from_fen`][grassroots.money.from_fen] would).
    """
    return Decimal(fen).scaleb(-2, _EXACT)


def _aware(value: object) -> pendulum.DateTime:
    return require_aware(value, "time")


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    ids: tuple[str, ...] = v.to_tuple(value)
    for item in ids:
        v.check_identifier(item, "receipt")
    return ids


def _payments(value: Iterable[tuple[str, Decimal]]) -> tuple[tuple[str, Decimal], ...]:
    pairs: tuple[tuple[str, Decimal], ...] = tuple(
        (v.check_identifier(fund, "fund"), yuan(amount)) for fund, amount in v.to_tuple(value)
    )
    return pairs


@attrs.frozen(kw_only=True)
class HonourLine:
    """One line of an honour board (光荣榜): an opted-in resident and the points earned."""

    resident: str = attrs.field(validator=v.identifier)
    points: int = attrs.field(validator=v.count)


@attrs.frozen(kw_only=True)
class SettlementLine:
    """What one merchant's discounts of a period come to, and who owes whom.

    Args:
        merchant: The merchant.
        fund: The fund paying its part, or ``None`` when the merchant absorbs all.
        receipts: The redemptions settled.
        points: Their points, net of refunds.
        discounts: Their discounts, net of refunds, in yuan.
        fund_owes: What the fund pays the merchant for them.
        merchant_absorbs: The merchants' own part of the discounts.
        merchant_owes: Claims of the fund on the merchant from refunds after an
            earlier settlement, collected now.
    """

    merchant: str = attrs.field(validator=v.identifier)
    fund: str | None = attrs.field(validator=v.optional_identifier)
    receipts: tuple[str, ...] = attrs.field(converter=_ids)
    points: int = attrs.field(validator=v.count)
    discounts: Decimal = attrs.field(converter=yuan)
    fund_owes: Decimal = attrs.field(converter=yuan)
    merchant_absorbs: Decimal = attrs.field(converter=yuan)
    merchant_owes: Decimal = attrs.field(converter=yuan)

    @property
    def net_to_merchant(self) -> Decimal:
        """What the fund pays the merchant net of the claims (negative: the merchant pays)."""
        return self.fund_owes - self.merchant_owes

    def row(self) -> dict[str, object]:
        """Return the line as a plain dict of exact values (``receipts``: how many)."""
        return {
            "merchant": self.merchant,
            "fund": self.fund,
            "receipts": len(self.receipts),
            "points": self.points,
            "discounts": self.discounts,
            "fund_owes": self.fund_owes,
            "merchant_absorbs": self.merchant_absorbs,
            "merchant_owes": self.merchant_owes,
            "net_to_merchant": self.net_to_merchant,
        }

    def to_dataframe(self) -> Any:
        """Return the line as a one-row ``pandas.DataFrame`` (the ``notebook`` extra).

        Yuan stay exact ``Decimal`` (``object`` columns), points ``Int64``;
        see Money and rounding in the docs.

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        return _tabular.dataframe([self.row()], _SETTLEMENT_COLUMNS)

    def _repr_html_(self) -> str:
        table = _tabular.Table(
            caption=f"结算 settlement of merchant {self.merchant}",
            columns=_SETTLEMENT_COLUMNS,
            rows=(self.row(),),
        )
        return _tabular.html_tables([table], name="settlement")


_SETTLEMENT_COLUMNS = (
    _tabular.Column("merchant", "商户"),
    _tabular.Column("fund", "公共收益资金"),
    _tabular.Column("receipts", "兑换笔数", "int"),
    _tabular.Column("points", "积分", "int"),
    _tabular.Column("discounts", "优惠（元）", "decimal"),
    _tabular.Column("fund_owes", "资金应付（元）", "decimal"),
    _tabular.Column("merchant_absorbs", "商户自担（元）", "decimal"),
    _tabular.Column("merchant_owes", "商户应退（元）", "decimal"),
    _tabular.Column("net_to_merchant", "净付商户（元）", "decimal"),
)


_LINE_FIELDS = tuple(
    zip(
        (field.name for field in attrs.fields(SettlementLine)),
        slot_setters(SettlementLine),
        strict=True,
    )
)


def _settlement_line(**values: object) -> SettlementLine:
    """Build a line from values ``settle`` has checked or computed, not checking them again.

    The trusted path: the merchant and fund ids were checked when added, the
    receipt ids when redeemed (as a tuple), the points and fen summed from
    the receipts' own exact figures.
    """
    line = object.__new__(SettlementLine)
    for name, setter in _LINE_FIELDS:
        setter(line, values[name])
    return line


def _settlement_lines(value: Iterable[SettlementLine]) -> tuple[SettlementLine, ...]:
    return v.to_tuple(value)


@attrs.frozen(kw_only=True)
class Settlement:
    """The settlement of a period ``[start, end)``: one line per merchant.

    Args:
        start: The period's first instant.
        end: The instant it ends (not included).
        lines: One line per merchant with anything to settle.
        funds: For each fund, its net payment to merchants.
    """

    start: pendulum.DateTime = attrs.field(converter=_aware)
    end: pendulum.DateTime = attrs.field(converter=_aware)
    lines: tuple[SettlementLine, ...] = attrs.field(converter=_settlement_lines)
    funds: tuple[tuple[str, Decimal], ...] = attrs.field(converter=_payments)

    @property
    def discounts(self) -> Decimal:
        """All discounts settled, in yuan."""
        return sum((line.discounts for line in self.lines), Decimal("0.00"))

    @property
    def points(self) -> int:
        """All points settled."""
        return sum(line.points for line in self.lines)

    def rows(self) -> list[dict[str, object]]:
        """Return one plain dict per merchant line, exact (see `SettlementLine.row`)."""
        return [line.row() for line in self.lines]

    def to_dataframe(self) -> Any:
        """Return `rows()` as a ``pandas.DataFrame`` (the ``notebook`` extra).

        Yuan stay exact ``Decimal`` (``object`` columns), points ``Int64``;
        the period and each fund's net payment are in ``DataFrame.attrs``.

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        frame = _tabular.dataframe(self.rows(), _SETTLEMENT_COLUMNS)
        frame.attrs.update(start=self.start, end=self.end, funds=dict(self.funds))
        return frame

    def _repr_html_(self) -> str:
        tables = [
            _tabular.Table(
                caption=(
                    f"结算 settlement {self.start.isoformat()} – {self.end.isoformat()}:"
                    f" 积分 points {self.points:,}, 优惠 discounts {self.discounts:,} 元"
                ),
                columns=_SETTLEMENT_COLUMNS,
                rows=tuple(self.rows()),
            )
        ]
        if self.funds:
            tables.append(
                _tabular.Table(
                    caption="各资金净付 each fund's net payment",
                    columns=(
                        _tabular.Column("fund", "公共收益资金"),
                        _tabular.Column("paid", "净付（元）", "decimal"),
                    ),
                    rows=tuple({"fund": fund, "paid": paid} for fund, paid in self.funds),
                )
            )
        return _tabular.html_tables(tables, name="settlement")


@attrs.frozen(kw_only=True)
class LoopReport:
    """The Tancheng loop of one compound: profit → public revenue → discounts → volunteering.

    Args:
        subcommunity: The compound.
        community_share: Yuan deposited into its funds (the community share of profit).
        fund_discounts: Yuan of discounts its funds pay, net of refunds.
        merchant_discounts: Yuan of discounts its merchants absorb, net of refunds.
        balance: What its funds hold now.
        points_redeemed: Points redeemed at its merchants, net of refunds.
        participations: Confirmed participations in its activities.
        points_earned: Points credited by them, all schemes.
        minutes: Service minutes recorded for them, signed and by hand.
    """

    subcommunity: str = attrs.field(validator=v.identifier)
    community_share: Decimal = attrs.field(converter=yuan)
    fund_discounts: Decimal = attrs.field(converter=yuan)
    merchant_discounts: Decimal = attrs.field(converter=yuan)
    balance: Decimal = attrs.field(converter=yuan)
    points_redeemed: int = attrs.field(validator=v.count)
    participations: int = attrs.field(validator=v.count)
    points_earned: int = attrs.field(validator=v.count)
    minutes: int = attrs.field(validator=v.count)

    def row(self) -> dict[str, object]:
        """Return the report as a plain dict of exact values."""
        return {column.key: getattr(self, column.key) for column in _LOOP_COLUMNS}

    def rows(self) -> list[dict[str, object]]:
        """Return the report as one row, for symmetry with the other reports."""
        return [self.row()]

    def to_dataframe(self) -> Any:
        """Return the report as a one-row ``pandas.DataFrame`` (the ``notebook`` extra).

        Yuan stay exact ``Decimal`` (``object`` columns), points, counts and
        minutes ``Int64``; ``pandas.concat`` the frames of several compounds.

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        return _tabular.dataframe(self.rows(), _LOOP_COLUMNS)

    def _repr_html_(self) -> str:
        table = _tabular.Table(
            caption=(
                f"小区 {self.subcommunity}: 利润 → 公共收益 → 优惠 → 志愿服务"
                " (profit → public revenue → discounts → volunteering)"
            ),
            columns=_LOOP_COLUMNS,
            rows=tuple(self.rows()),
        )
        return _tabular.html_tables([table], name="loop")


_LOOP_COLUMNS = (
    _tabular.Column("subcommunity", "小区"),
    _tabular.Column("community_share", "公共收益存入（元）", "decimal"),
    _tabular.Column("fund_discounts", "资金付优惠（元）", "decimal"),
    _tabular.Column("merchant_discounts", "商户自担优惠（元）", "decimal"),
    _tabular.Column("balance", "资金余额（元）", "decimal"),
    _tabular.Column("points_redeemed", "兑换积分", "int"),
    _tabular.Column("participations", "参与人次", "int"),
    _tabular.Column("points_earned", "获得积分", "int"),
    _tabular.Column("minutes", "服务分钟", "int"),
)


# A redemption is kept as a row of strings and integers, which the garbage collector
# stops tracking, and built into a ``RedemptionReceipt`` only when read:
# (resident, merchant, scheme, at, bill fen, points offered, points used, discount fen,
#  fund or None, fund's part in fen), ``at`` a ``TimeKey``. Refunds and settlement,
# which few receipts see, are kept beside the rows, by receipt id.
_Sale = tuple[str, str, str, TimeKey, int, int, int, int, str | None, int]


def _issuer(scheme: str) -> str:
    return f"{scheme}:issuer"


def _exchange(scheme: str) -> str:
    return f"{scheme}:exchange"


def _expiry(scheme: str) -> str:
    return f"{scheme}:expiry"


def wallet_id(scheme: str, resident: str) -> str:
    """Return the id of ``resident``'s wallet in ``scheme``."""
    return f"{scheme}:resident:{resident}"


def merchant_account_id(scheme: str, merchant: str) -> str:
    """Return the id of ``merchant``'s account in ``scheme``."""
    return f"{scheme}:merchant:{merchant}"


def _earnings(
    activity_id: str,
    title: str,
    when: pendulum.DateTime,
    items: Iterable[tuple[str, str, int]],
) -> list[Transfer]:
    """Return the earnings of one confirmation: per ``(scheme, resident, points)``, a transfer.

    The first earning of each scheme is built by the checked constructor. The
    rest share its debit, kind, time, reference and memo, already checked
    there, so they are built by setting their slots directly after checking
    only what differs: the points, and the id and the wallet that hold the
    resident's id. Anything those checks do not plainly accept goes to the
    checked constructor, which accepts it or raises its own error: each result
    is the transfer the constructor would give.
    """
    transfers: list[Transfer] = []
    append = transfers.append
    checked: dict[str, Transfer] = {}  # scheme → its first earning, built in full
    for scheme, resident, points in items:
        tid = f"earn/{activity_id}/{resident}/{scheme}"
        credit = f"{scheme}:resident:{resident}"  # the wallet, as ``wallet_id`` names it
        model = checked.get(scheme)
        if (
            model is not None
            and type(points) is int
            and 0 < points <= MAX_TRANSFER_POINTS
            and len(tid) <= _MAX_ID
            and len(credit) <= _MAX_ID
            and f"{tid}{credit}".isprintable()
            and credit.strip() == credit
        ):
            # The id starts with "earn/" and ends with the scheme, as the model's does,
            # so it has no space at either end; the issuer debited is never a wallet.
            transfer = trusted_transfer(
                tid,
                model.debit,
                credit,
                points,
                model.kind,
                model.at,
                model.reference,
                model.memo,
                None,
            )
        else:
            transfer = Transfer(
                id=tid,
                debit=_issuer(scheme),
                credit=credit,
                amount=points,
                kind=TransferKind.EARN,
                at=when,
                reference=activity_id,
                memo=title,
            )
            checked.setdefault(scheme, transfer)
        append(transfer)
    return transfers


class _Terms:
    """A merchant's redemption terms as integers, worked out once when it is added.

    ``redeem`` reads these instead of the rule's and the policy's fractions
    (whose numerators and denominators are Python properties) on every bill.
    They are the same figures: the merchant is frozen, and adding it again
    with other terms is refused.
    """

    __slots__ = (
        "fund",
        "fund_share",
        "merchant",
        "minimum_fen",
        "per_yuan",
        "refuses_shortfall",
        "schemes",
        "share",
    )

    def __init__(self, merchant: Merchant) -> None:
        rule = merchant.rule
        funding = merchant.funding
        self.merchant = merchant
        self.schemes = rule.schemes
        self.minimum_fen = _fen(rule.minimum_bill)
        self.per_yuan = (rule.points_per_yuan.numerator, rule.points_per_yuan.denominator)
        self.share = (rule.max_share.numerator, rule.max_share.denominator)
        self.fund = funding.fund
        self.fund_share = (funding.share.numerator, funding.share.denominator)
        self.refuses_shortfall = funding.shortfall is Shortfall.REFUSE


def _not_taken(shop: Merchant, scheme: str, amount: Decimal) -> RedemptionRefused:
    """Return the refusal of a bill ``shop`` does not take points on."""
    rule = shop.rule
    return RedemptionRefused(
        f"{shop.name} takes {sorted(rule.schemes)} on bills of at least"
        f" {rule.minimum_bill} yuan, not {scheme} on {amount} ({REDEMPTION_RULE})",
        value=(scheme, amount),
        limit=(sorted(rule.schemes), rule.minimum_bill),
        rule=REDEMPTION_RULE,
    )


def _no_discount(shop: Merchant, offered: int, amount: Decimal) -> RedemptionRefused:
    """Return the refusal of ``offered`` points that give no discount on ``amount``."""
    rule = shop.rule
    return RedemptionRefused(
        f"{offered} points give no discount on {amount} yuan at {shop.name}"
        f" ({rule.points_per_yuan} points a yuan, at most {rule.max_share} of the bill)",
        value=offered,
        limit=rule.points_per_yuan / 100,
        rule=REDEMPTION_RULE,
    )


def _redemption_transfer(  # noqa: PLR0917 - the fields that differ between redemptions
    key: str, wallet: str, credit: str, points: int, when: pendulum.DateTime, memo: str
) -> Transfer:
    """Return the transfer of the redemption ``key``: ``points`` from ``wallet`` to ``credit``.

    ``key`` is a checked id, and the two accounts are named from checked ids
    (``wallet_id`` and ``merchant_account_id``: each starts with the scheme,
    ends with an id and holds a different word, so they have no space at
    either end and never equal each other). What that leaves to check is
    checked here: the lengths, the memo's text, the points and the zone.
    When they plainly keep the rules the transfer is built by setting its
    slots; anything else goes to the checked constructor, which accepts it or
    raises its own error, so each result is the transfer the constructor gives.
    """
    tid = f"redeem/{key}"
    if (
        len(tid) <= _MAX_ID
        and len(wallet) <= _MAX_ID
        and len(credit) <= _MAX_ID
        and len(key) + len(memo) <= _MAX_TEXT
        and memo.isprintable()
        and type(points) is int
        and 0 < points <= MAX_TRANSFER_POINTS
        and type(when) is pendulum.DateTime
        and type(when.tzinfo) in ALWAYS_AWARE
    ):
        return trusted_transfer(
            tid, wallet, credit, points, TransferKind.REDEEM, when, key, memo, None
        )
    return Transfer(
        id=tid,
        debit=wallet,
        credit=credit,
        amount=points,
        kind=TransferKind.REDEEM,
        at=when,
        reference=key,
        memo=memo,
    )


class PointsProgramme:
    """A compound's (or county's) points programme over one points ledger.

    Args:
        ledger: The ledger to post to; a new empty one by default.
        administrators: Ids of those who may see every balance and record.
        caps: Earning caps per resident and scheme.
        exchange_schemes: The schemes joined in the exchange window (any
            scheme added by default).
        exchange_limits: Daily limits at the exchange window.

    Examples:
        >>> from grassroots.ledger import Scheme
        >>> from grassroots.programme import EarnerGroup
        >>> programme = PointsProgramme(administrators=["admin"])
        >>> programme.add_scheme(Scheme(code="virtue", name="美德积分"))
        >>> programme.register(Participant(id="wang", groups=[EarnerGroup.RESIDENT]))
        >>> programme.ledger.account("virtue:resident:wang").kind.value
        'wallet'
    """

    def __init__(
        self,
        ledger: PointsLedger | None = None,
        *,
        administrators: Iterable[str] = (),
        caps: Iterable[EarningCap] = (),
        exchange_schemes: Iterable[str] | None = None,
        exchange_limits: Iterable[DailyLimit] = (),
    ) -> None:
        self.ledger = PointsLedger() if ledger is None else ledger
        if not isinstance(self.ledger, PointsLedger):
            raise TypeError(f"give a PointsLedger, not {type(self.ledger).__name__}")
        self.administrators = frozenset(
            v.check_identifier(item, "administrator") for item in v.to_frozenset(administrators)
        )
        self.caps = CapBook(caps)
        self.activities = ActivityBook()
        self._participants: dict[str, Participant] = {}
        self._merchants: dict[str, Merchant] = {}
        self._terms: dict[str, _Terms] = {}  # merchant → its terms as integers
        self._funds: dict[str, PublicRevenueFund] = {}
        self._redemptions: dict[str, _Sale] = {}
        self._refunded: dict[str, int] = {}  # receipt → fen of its bill refunded so far
        self._refund_log: dict[str, tuple[RefundRecord, ...]] = {}  # receipt → its refunds
        self._settled: set[str] = set()  # receipts settled
        self._times = Times()
        self._refunds: dict[str, tuple[str, RefundRecord]] = {}
        self._claims: list[tuple[str, str, int, str]] = []  # (merchant, fund, fen, reference)
        self._joined = None if exchange_schemes is None else set(v.to_frozenset(exchange_schemes))
        self.window = ExchangeWindow(
            self.ledger,
            schemes=self._joined or (),
            wallet=wallet_id,
            limits=exchange_limits,
        )
        self._settlements: list[Settlement] = []

    # --- set-up --------------------------------------------------------------------------

    def add_scheme(self, scheme: Scheme) -> None:
        """Add a scheme with its issuer, exchange and expiry accounts and every wallet."""
        self.ledger.add_scheme(scheme)
        code = scheme.code
        for account_id, kind in (
            (_issuer(code), AccountKind.ISSUER),
            (_exchange(code), AccountKind.EXCHANGE),
            (_expiry(code), AccountKind.EXPIRY),
        ):
            self.ledger.open_account(Account(id=account_id, scheme=code, kind=kind))
        for participant in self._participants.values():
            self._open_wallet(code, participant.id)
        for merchant in self._merchants.values():
            if code in merchant.rule.schemes:
                self._open_merchant(code, merchant.id)
        if self._joined is None or code in self._joined:
            self.window.schemes = self.window.schemes | {code}

    def register(self, participant: Participant) -> None:
        """Register someone who may earn points, opening a wallet in every scheme.

        Raises:
            DuplicateRecord: another participant has the same id.
        """
        if not isinstance(participant, Participant):
            raise TypeError(f"register takes a Participant, not {type(participant).__name__}")
        known = self._participants.get(participant.id)
        if known is not None and known != participant:
            raise DuplicateRecord(
                f"participant {participant.id} is registered with other groups or consent",
                value=participant.id,
                rule="one participant per id",
            )
        self._participants[participant.id] = participant
        for scheme in self.ledger.schemes:
            self._open_wallet(scheme.code, participant.id)

    def add_merchant(self, merchant: Merchant) -> None:
        """Add a merchant with its redemption rule and funding policy.

        Raises:
            UnknownReference: its funding names a fund not added, or a scheme not in the ledger.
            DuplicateRecord: another merchant has the same id.
        """
        if not isinstance(merchant, Merchant):
            raise TypeError(f"add_merchant takes a Merchant, not {type(merchant).__name__}")
        known = self._merchants.get(merchant.id)
        if known is not None and known != merchant:
            raise DuplicateRecord(
                f"merchant {merchant.id} is already added with another rule",
                value=merchant.id,
                rule="one merchant per id",
            )
        if merchant.funding.fund is not None:
            self.fund(merchant.funding.fund)
        codes = {scheme.code for scheme in self.ledger.schemes}
        missing = sorted(merchant.rule.schemes - codes)
        if missing:
            raise UnknownReference(
                f"merchant {merchant.id} takes schemes {missing} that the ledger does not have",
                value=missing,
                rule=REDEMPTION_RULE,
            )
        self._merchants[merchant.id] = merchant
        self._terms[merchant.id] = _Terms(merchant)
        for code in sorted(merchant.rule.schemes):
            self._open_merchant(code, merchant.id)

    def add_fund(self, fund: PublicRevenueFund) -> None:
        """Add a public-revenue fund.

        Raises:
            DuplicateRecord: another fund has the same id.
        """
        if not isinstance(fund, PublicRevenueFund):
            raise TypeError(f"add_fund takes a PublicRevenueFund, not {type(fund).__name__}")
        if self._funds.get(fund.id, fund) is not fund:
            raise DuplicateRecord(
                f"fund {fund.id} is already added", value=fund.id, rule="one fund per id"
            )
        self._funds[fund.id] = fund

    def participant(self, resident: str) -> Participant:
        """Return the registered participant ``resident``.

        Raises:
            UnknownReference: no such participant.
        """
        found = self._participants.get(resident)
        if found is None:
            raise UnknownReference(
                f"no participant {resident!r} is registered", value=resident, rule=PRIVACY_RULE
            )
        return found

    def merchant(self, merchant_id: str) -> Merchant:
        """Return the merchant ``merchant_id``.

        Raises:
            UnknownReference: no such merchant.
        """
        found = self._merchants.get(merchant_id)
        if found is None:
            raise UnknownReference(
                f"no merchant {merchant_id!r}", value=merchant_id, rule=REDEMPTION_RULE
            )
        return found

    def fund(self, fund_id: str) -> PublicRevenueFund:
        """Return the fund ``fund_id``.

        Raises:
            UnknownReference: no such fund.
        """
        found = self._funds.get(fund_id)
        if found is None:
            raise UnknownReference(f"no fund {fund_id!r}", value=fund_id, rule=REDEMPTION_RULE)
        return found

    @property
    def funds(self) -> tuple[PublicRevenueFund, ...]:
        """Every fund, in the order added."""
        return tuple(self._funds.values())

    @property
    def merchants(self) -> tuple[Merchant, ...]:
        """Every merchant, in the order added."""
        return tuple(self._merchants.values())

    def deposit_allocation(
        self, allocation: PeriodAllocation, *, at: _dt.datetime
    ) -> tuple[FundMovement, ...]:
        """Deposit a period's community-share lines into the funds of their compounds.

        Each compound's fund is the programme's fund whose ``subcommunity`` it is.
        See [`deposit_community_shares`][grassroots.programme.fund.deposit_community_shares].
        """
        by_compound: dict[str, PublicRevenueFund] = {}
        for fund in self._funds.values():
            by_compound.setdefault(fund.subcommunity, fund)
        return deposit_community_shares(allocation, by_compound, at=at)

    # --- activities ----------------------------------------------------------------------

    def publish(self, activity: VolunteerActivity, *, by: str) -> None:
        """Publish a volunteer activity; only its organiser may.

        Raises:
            UnknownReference: a rewarded scheme is not in the ledger.
        """
        codes = {scheme.code for scheme in self.ledger.schemes}
        for reward in activity.rewards:
            if reward.scheme not in codes:
                raise UnknownReference(
                    f"activity {activity.id} rewards scheme {reward.scheme!r}, not in the ledger",
                    value=reward.scheme,
                    rule="an activity rewards points of a scheme of the programme",
                )
        self.activities.publish(activity, by=by)

    def claim(self, activity_id: str, resident: str, *, by: str, at: _dt.datetime) -> None:
        """Claim a place at an activity for ``resident`` (acting themselves)."""
        participant = self._participants.get(resident) or self.participant(resident)
        self.activities.claim(activity_id, participant, by=by, at=at)

    def withdraw(self, activity_id: str, resident: str, *, by: str, at: _dt.datetime) -> None:
        """Withdraw ``resident``'s claim before the start."""
        self.activities.withdraw(activity_id, resident, by=by, at=at)

    def cancel(self, activity_id: str, *, by: str, at: _dt.datetime) -> tuple[str, ...]:
        """Cancel an activity before the start; return the residents whose claims were released."""
        return self.activities.cancel(activity_id, by=by, at=at)

    def sign_in(self, activity_id: str, resident: str, *, by: str, at: _dt.datetime) -> Attendance:
        """Record a sign-in."""
        return self.activities.sign_in(activity_id, resident, by=by, at=at)

    def sign_out(self, activity_id: str, resident: str, *, by: str, at: _dt.datetime) -> Attendance:
        """Record a sign-out."""
        return self.activities.sign_out(activity_id, resident, by=by, at=at)

    def add_minutes(
        self, activity_id: str, resident: str, minutes: int, *, by: str, reason: str
    ) -> Attendance:
        """Add service minutes by hand (kept apart, with a reason, capped)."""
        return self.activities.add_minutes(activity_id, resident, minutes, by=by, reason=reason)

    def confirm(
        self, activity_id: str, residents: Iterable[str], *, by: str, at: _dt.datetime
    ) -> tuple[Attendance, ...]:
        """Confirm who attended and credit each the activity's reward, exactly once.

        Confirming a resident again changes nothing and returns the first
        record. No-shows (claimants not confirmed) earn nothing. Caps apply per
        resident and scheme at ``at`` (see [`caps`][grassroots.programme.caps]).
        All credits of one call are posted as one ledger batch: if one is
        refused, nobody is confirmed.

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            WrongStep: before the end, cancelled, a resident without a claim,
                or a confirmation that was reversed.
            EarningCapReached: a refusing cap would be passed.
        """
        when = require_aware(at, "at")
        people = v.to_tuple(residents)
        v.require_unique(people, what="resident", scope=f"the confirmation of {activity_id}")
        activity = self.activities.activity(activity_id)
        self.activities.check_confirmer(activity_id, by=by, at=when)
        done = self.activities.check_claimants(activity_id, people)
        plan: list[tuple[str, tuple[tuple[str, int], ...]]] = []
        caps = self.caps
        # What each reward's credits share, worked out once per call, not per resident:
        # its scheme, points, and the caps counting it with their windows at ``when``
        # (empty for a scheme no cap counts).
        rewards = [
            (
                reward.scheme,
                reward.points,
                caps._caps_at(reward.scheme, when) if caps.counts(reward.scheme) else (),
            )
            for reward in activity.rewards
        ]
        items: list[tuple[str, str, int]] = []
        for resident, existing in done.items():
            if existing is not None:
                continue
            credited: list[tuple[str, int]] = []
            for scheme, reward_points, caps_at in rewards:
                # One resident once per call and one scheme once per activity: the
                # credits of one call never share a cap window, so each is checked alone.
                points = (
                    caps._room(resident, scheme, reward_points, caps_at)
                    if caps_at
                    else reward_points
                )
                credited.append((scheme, points))
                if points:
                    items.append((scheme, resident, points))
            plan.append((resident, tuple(credited)))
        transfers = _earnings(activity_id, activity.title, when, items)
        if transfers:
            self.ledger.post_batch(transfers)
        counted = [(scheme, caps_at) for scheme, _points, caps_at in rewards if caps_at]
        if counted:
            for resident, granted in plan:
                for scheme, points in granted:
                    if points:
                        for capped, caps_at in counted:
                            if capped == scheme:
                                caps._count(resident, points, 1, caps_at)
        recorded = self.activities.confirm_all(activity_id, plan, at=when)
        result = [recorded.get(resident) or done[resident] for resident in people]
        return tuple(record for record in result if record is not None)

    def reverse_confirmation(
        self, activity_id: str, resident: str, *, by: str, at: _dt.datetime, reason: str
    ) -> Attendance:
        """Withdraw a confirmation by reversing its credits in the ledger, with a reason.

        The points come out of the lot they opened (the ledger's rule), the cap
        of their period is given back, and the resident cannot be confirmed again
        at that activity.

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            WrongStep: no confirmation to reverse.
            InsufficientPoints: the resident has already spent the points.
        """
        record = self.activities.check_reversal(activity_id, resident, by=by, reason=reason)
        when = require_aware(at, "at")
        transfers = []
        for scheme, points in record.credited:
            if not points:
                continue
            held = self.ledger.balance(wallet_id(scheme, resident))
            if held < points:
                raise InsufficientPoints(
                    f"{resident!r} holds {held} points of {scheme}, fewer than the {points} the"
                    f" confirmation at {activity_id} credited; spent points cannot be taken back",
                    value=points,
                    limit=held,
                    rule="points rule 7: reversal by compensating entries only",
                )
            original = f"earn/{activity_id}/{resident}/{scheme}"
            transfers.append(
                Transfer(
                    id=f"unconfirm/{activity_id}/{resident}/{scheme}",
                    debit=wallet_id(scheme, resident),
                    credit=_issuer(scheme),
                    amount=points,
                    kind=TransferKind.REVERSE,
                    at=when,
                    reference=original,
                    memo=reason,
                    reverses=original,
                )
            )
        if transfers:
            self.ledger.post_batch(transfers)
        confirmed_at = record.confirmed_at or when
        for scheme, points in record.credited:
            self.caps.release(resident, scheme, points, at=confirmed_at)
        return self.activities.reversed(activity_id, resident, at=when, reason=reason)

    def certificate(self, resident: str, *, by: str, at: _dt.datetime) -> VolunteerCertificate:
        """Issue the volunteer record certificate of ``resident`` by the organiser ``by``."""
        return self.activities.certificate(resident, by=by, at=at)

    # --- privacy -------------------------------------------------------------------------

    def _check_viewer(self, resident: str, viewer: str) -> None:
        if viewer != resident and viewer not in self.administrators:
            raise PermissionDenied(
                f"{viewer!r} may not see the points of {resident!r}; {PRIVACY_RULE}",
                value=viewer,
                limit="the resident or an administrator",
                rule=PRIVACY_RULE,
            )

    def balance(self, resident: str, scheme: str, *, viewer: str, at: _dt.datetime) -> int:
        """Return ``resident``'s spendable points in ``scheme`` at ``at`` (resident or admin only).

        Raises:
            PermissionDenied: ``viewer`` is neither the resident nor an administrator.
        """
        self._check_viewer(resident, viewer)
        self.participant(resident)
        return self.ledger.spendable(wallet_id(scheme, resident), at=at)

    def records(self, resident: str, *, viewer: str) -> tuple[Attendance, ...]:
        """Return ``resident``'s attendance records, to the resident or an admin.

        Raises:
            PermissionDenied: ``viewer`` is neither the resident nor an administrator.
        """
        self._check_viewer(resident, viewer)
        return self.activities.records(resident)

    def honour_board(self, scheme: str, *, top: int = 10) -> tuple[HonourLine, ...]:
        """Return the residents who earned most points in ``scheme``, only those who opted in.

        Ties are broken by resident id.
        """
        limit = v.check_count(top, "top")
        participants = self._participants
        lines = [
            HonourLine(resident=resident, points=points)
            for resident, points in self.activities.earned(scheme).items()
            if points > 0 and participants[resident].honour_board
        ]
        lines.sort(key=lambda line: (-line.points, line.resident))
        return tuple(lines[:limit])

    # --- redemption ----------------------------------------------------------------------

    def redeem(
        self,
        *,
        id: str,  # noqa: A002 - the receipt's id
        resident: str,
        merchant: str,
        scheme: str,
        bill: Decimal | int | str,
        points: int,
        at: _dt.datetime,
    ) -> RedemptionReceipt:
        """Redeem up to ``points`` as a discount on ``bill`` at ``merchant``; return the receipt.

        The discount follows the merchant's rule (see [`shop`][grassroots.programme.shop]);
        the fund's part is taken from the fund at once (it is owed to the
        merchant until settlement). Redeeming again with the same id and content
        returns the first receipt.

        Raises:
            RedemptionRefused: the merchant does not take the scheme, the bill is
                below its minimum, or the points give no discount.
            InsufficientPoints: the resident does not hold the points offered.
            FundInsufficient: the fund cannot pay its part and the policy refuses.
            DuplicateRecord: the id was used for another redemption.
        """
        key = v.check_identifier(id, "id")
        amount = yuan(bill)
        offered = v.check_count(points, "points")
        when = require_aware(at, "at")
        known = self._redemptions.get(key)
        if known is not None:
            if known[:3] == (resident, merchant, scheme) and (
                known[4],
                known[5],
                known[3][0],
            ) == (_fen(amount), offered, instant(when)):
                return self._receipt_view(key, known)
            raise DuplicateRecord(
                f"receipt {key} is already used for another redemption",
                value=key,
                rule="one redemption per receipt id",
            )
        # Every merchant added has its terms: ``merchant`` raises for any other.
        terms = self._terms.get(merchant) or self._terms[self.merchant(merchant).id]
        if resident not in self._participants:
            self.participant(resident)  # raises
        shop = terms.merchant
        bill_fen = _fen(amount)
        if scheme not in terms.schemes or bill_fen < terms.minimum_fen:
            raise _not_taken(shop, scheme, amount)
        ledger = self.ledger
        wallet = wallet_id(scheme, resident)
        used, discount_fen = _quote_fen(bill_fen, offered, *terms.per_yuan, *terms.share)
        # The points offered must be spendable. Spendable points are never more than the
        # balance, and posting refuses (changing nothing) a draw of more than the spendable
        # points: so when all the points offered are used, the posting below is the check,
        # and the lots are only summed here when fewer are used than offered.
        if offered > ledger.balance(wallet) or (
            used < offered and offered > ledger.spendable(wallet, at=when)
        ):
            raise self._unspendable(resident, scheme, offered, when)
        if used == 0:
            raise _no_discount(shop, offered, amount)
        discount = _yuan(discount_fen)
        fund_id = terms.fund
        fund_fen = _fund_part(discount_fen, *terms.fund_share)
        fund = self._funds.get(fund_id) if fund_id is not None else None
        tid = f"redeem/{key}"
        if fund is not None and fund_fen > fund.balance_fen:
            if terms.refuses_shortfall:
                if offered > ledger.spendable(wallet, at=when):  # refused first, as it is
                    raise self._unspendable(resident, scheme, offered, when)
                fund.check_withdrawal(fund_fen)
            fund_fen = 0
        # The fund's part is checked in full before the ledger is posted to: a refusal
        # after posting would leave the points moved and no receipt.
        if fund is not None and fund_fen:
            fund._check_discount(fund_fen, tid)
        transfer = _redemption_transfer(
            key,
            wallet,
            merchant_account_id(scheme, merchant),
            used,
            when,
            f"{discount} yuan off {amount} at {shop.name}",
        )
        try:
            ledger.post(transfer)
        except InsufficientPoints as refused:
            raise self._unspendable(resident, scheme, offered, when) from refused
        receipt = _receipt(  # every value checked or computed exactly above
            key,
            resident,
            merchant,
            scheme,
            when,
            amount,
            offered,
            used,
            discount,
            _yuan(bill_fen - discount_fen),
            fund_id if fund_fen else None,
            _yuan(fund_fen),
            discount if not fund_fen else _yuan(discount_fen - fund_fen),
            transfer,
        )
        recorded = self._times.key(when)
        if fund is not None and fund_fen:
            fund._take_discount(fund_fen, when, tid, recorded[0])
        self._redemptions[key] = (
            resident,
            merchant,
            scheme,
            recorded,
            bill_fen,
            offered,
            used,
            discount_fen,
            fund_id if fund_fen else None,
            fund_fen,
        )
        return receipt

    def _unspendable(
        self, resident: str, scheme: str, offered: int, when: pendulum.DateTime
    ) -> InsufficientPoints:
        """Return the refusal of ``offered`` points that ``resident`` cannot spend at ``when``."""
        spendable = self.ledger.spendable(wallet_id(scheme, resident), at=when)
        return InsufficientPoints(
            f"{resident!r} offers {offered} points of {scheme} but holds {spendable} spendable",
            value=offered,
            limit=spendable,
            rule=REDEMPTION_RULE,
        )

    def receipt(self, receipt_id: str) -> RedemptionReceipt:
        """Return the receipt ``receipt_id``.

        Raises:
            UnknownReference: no such redemption.
        """
        return self._receipt_view(receipt_id, self._redemption(receipt_id))

    @property
    def receipts(self) -> tuple[RedemptionReceipt, ...]:
        """Every redemption receipt, in order."""
        return tuple(self._receipt_view(key, row) for key, row in self._redemptions.items())

    def refunds(self, receipt_id: str) -> tuple[RefundRecord, ...]:
        """Return the refunds of a receipt, in order."""
        self._redemption(receipt_id)
        return self._refund_log.get(receipt_id, ())

    def refund(
        self,
        receipt_id: str,
        *,
        id: str,  # noqa: A002 - the refund's id
        at: _dt.datetime,
        bill: Decimal | int | str | None = None,
    ) -> RefundRecord:
        """Refund all or part of a redeemed bill, reversing it in proportion.

        ``bill`` is the part of the bill refunded (all that is left by default).
        The points due back return to the lots they were drawn from, with those
        lots' own expiry (the ledger's reversal rule); the rest of the refunded
        amount is paid back in money. The fund's part of the reversed discount
        goes back to the fund if the receipt is not settled yet; after settlement
        it becomes a claim of the fund on the merchant, collected at the next
        settlement. Refunding again with the same id and amount returns the
        first record.

        Raises:
            WrongStep: more than what is left of the bill, or nothing.
            DuplicateRecord: the refund id was used for another refund.
        """
        key = v.check_identifier(id, "id")
        when = require_aware(at, "at")
        row = self._redemption(receipt_id)
        receipt = self._receipt_view(receipt_id, row)
        refunded = self._refunded.get(receipt_id, 0)
        settled = receipt_id in self._settled
        left = row[4] - refunded
        part = left if bill is None else to_fen(yuan(bill))
        known = self._refunds.get(key)
        if known is not None:
            if known[0] == receipt_id and to_fen(known[1].bill) == part:
                return known[1]
            raise DuplicateRecord(
                f"refund {key} is already used", value=key, rule="one refund per id"
            )
        if not 0 < part <= left:
            raise WrongStep(
                f"a refund of {from_fen(part)} yuan on receipt {receipt_id} is not between 0.01"
                f" and the {from_fen(left)} yuan not yet refunded ({REFUND_RULE})",
                value=from_fen(part),
                limit=from_fen(left),
                rule=REFUND_RULE,
            )
        before = self._back(receipt_id, row)
        after = refund_shares(receipt, from_fen(refunded + part), row[9])
        points = after[0] - before[0]
        discount = after[1] - before[1]
        fund_fen = after[2] - before[2]
        transfer = None
        if points:
            transfer = Transfer(
                id=f"refund/{key}",
                debit=receipt.transfer.credit,
                credit=receipt.transfer.debit,
                amount=points,
                kind=TransferKind.REVERSE,
                at=when,
                reference=receipt_id,
                memo=f"refund of {from_fen(part)} yuan",
                reverses=receipt.transfer.id,
            )
            self.ledger.post(transfer)
        record = RefundRecord(
            id=key,
            at=when,
            bill=from_fen(part),
            points=points,
            discount=from_fen(discount),
            money=from_fen(part - discount),
            fund=from_fen(fund_fen),
            after_settlement=settled,
            transfer=transfer,
        )
        self._refunded[receipt_id] = refunded + part
        self._refund_log[receipt_id] = (*self._refund_log.get(receipt_id, ()), record)
        self._refunds[key] = (receipt_id, record)
        if fund_fen and receipt.fund is not None:
            if settled:
                self._claims.append((receipt.merchant, receipt.fund, fund_fen, f"refund/{key}"))
            else:
                self.fund(receipt.fund)._give_back(
                    fund_fen, at=when, reference=f"refund/{key}", repaid=False
                )
        return record

    # --- exchange ------------------------------------------------------------------------

    def exchange(
        self,
        *,
        id: str,  # noqa: A002 - the conversion's id
        resident: str,
        source: str,
        target: str,
        points: int,
        at: _dt.datetime,
    ) -> ExchangeReceipt:
        """Convert points at the one-stop exchange window (积分兑换窗口)."""
        self.participant(resident)
        return self.window.convert(
            id=id, resident=resident, source=source, target=target, points=points, at=at
        )

    # --- settlement ----------------------------------------------------------------------

    def settle(self, start: _dt.datetime, end: _dt.datetime, *, at: _dt.datetime) -> Settlement:
        """Settle the redemptions of ``[start, end)`` not yet settled, per merchant and fund.

        Each line gives the merchant's discounts (net of refunds so far), what its
        fund owes it, what the merchant absorbs, and the claims of the fund on
        it from refunds after an earlier settlement, which are collected now
        (the fund's money comes back). The figures are checked against the
        ledger first: each receipt's points, less the points refunded, must be
        what the ledger's redemption transfer keeps after its reversals.

        Raises:
            WrongStep: ``end`` is not after ``start``.
            SettlementMismatch: the receipts do not reconcile with the ledger.
        """
        first = require_aware(start, "start")
        last = require_aware(end, "end")
        when = require_aware(at, "at")
        if last <= first:
            raise WrongStep(
                f"a settlement period ends at {last.isoformat()}, not after {first.isoformat()}",
                value=last.isoformat(),
                limit=first.isoformat(),
                rule=REDEMPTION_RULE,
            )
        low, high = instant(first), instant(last)
        settled = self._settled
        due = [
            (key, row)
            for key, row in self._redemptions.items()
            if low <= row[3][0] < high and key not in settled
        ]
        for finding in self._reconcile(due):
            raise SettlementMismatch(finding.message, value=finding.subject, rule=finding.rule)
        groups: dict[str, list[tuple[str, _Sale]]] = {}
        for key, row in due:
            groups.setdefault(row[1], []).append((key, row))
        claims: dict[str, int] = {}
        for merchant, _fund, fen, _ref in self._claims:
            claims[merchant] = claims.get(merchant, 0) + fen
        lines = []
        paid: dict[str, int] = {}
        for merchant in self._merchants:
            items = groups.get(merchant, [])
            owed_back = claims.get(merchant, 0)
            if not items and not owed_back:
                continue
            points = discounts = fund_owes = 0
            for key, row in items:
                back_points, back_discount, back_fund = self._back(key, row)
                points += row[6] - back_points
                discounts += row[7] - back_discount
                fund_owes += row[9] - back_fund
            fund_id = self._merchants[merchant].funding.fund
            lines.append(
                _settlement_line(  # every value checked or computed exactly
                    merchant=merchant,
                    fund=fund_id,
                    receipts=tuple([key for key, _row in items]),
                    points=points,
                    discounts=_yuan(discounts),
                    fund_owes=_yuan(fund_owes),
                    merchant_absorbs=_yuan(discounts - fund_owes),
                    merchant_owes=_yuan(owed_back),
                )
            )
            if fund_id is not None:
                paid[fund_id] = paid.get(fund_id, 0) + fund_owes - owed_back
        settled.update(key for key, _row in due)
        for _merchant, fund_id, fen, reference in self._claims:
            self.fund(fund_id)._give_back(fen, at=when, reference=reference, repaid=True)
        self._claims.clear()
        settlement = Settlement(
            start=first,
            end=last,
            lines=lines,
            funds=[(fund_id, from_fen(fen)) for fund_id, fen in paid.items()],
        )
        self._settlements.append(settlement)
        return settlement

    @property
    def settlements(self) -> tuple[Settlement, ...]:
        """Every settlement, in order."""
        return tuple(self._settlements)

    def loop(self, subcommunity: str) -> LoopReport:
        """Return the loop of one compound in one report: profit to volunteering.

        The community share deposited into the compound's funds, the discounts
        they and the compound's merchants paid (net of refunds), what the funds
        hold, and the volunteering of the compound's activities.
        """
        code = v.check_identifier(subcommunity, "subcommunity")
        funds = [fund for fund in self._funds.values() if fund.subcommunity == code]
        deposits = sum(
            (m.amount for fund in funds for m in fund.movements if m.kind is MovementKind.DEPOSIT),
            Decimal("0.00"),
        )
        fund_fen = merchant_fen = points = 0
        for key, row in self._redemptions.items():
            if self._merchants[row[1]].subcommunity != code:
                continue
            back_points, back_discount, back_fund = self._back(key, row)
            kept_fund = row[9] - back_fund
            fund_fen += kept_fund
            merchant_fen += row[7] - back_discount - kept_fund
            points += row[6] - back_points
        participations = earned = minutes = 0
        for activity in self.activities.activities:
            if activity.subcommunity != code:
                continue
            for resident in self.activities.claims(activity.id):
                record = self.activities.attendance(activity.id, resident)
                if record is not None and record.confirmed:
                    participations += 1
                    earned += record.points
                    minutes += record.signed_minutes + record.manual_minutes
        return LoopReport(
            subcommunity=code,
            community_share=deposits,
            fund_discounts=from_fen(fund_fen),
            merchant_discounts=from_fen(merchant_fen),
            balance=from_fen(sum(fund.balance_fen for fund in funds)),
            points_redeemed=points,
            participations=participations,
            points_earned=earned,
            minutes=minutes,
        )

    def pending_claims(self) -> dict[str, Decimal]:
        """Return, per merchant, the claims of funds on it not yet collected."""
        claims: dict[str, int] = {}
        for merchant, _fund, fen, _ref in self._claims:
            claims[merchant] = claims.get(merchant, 0) + fen
        return {merchant: from_fen(fen) for merchant, fen in claims.items()}

    # --- audit ---------------------------------------------------------------------------

    def audit(self) -> tuple[Finding, ...]:
        """Return every broken rule of the programme, as findings.

        Checks that every redemption into a merchant with a rule was made by
        [`redeem`][grassroots.programme.programme.PointsProgramme.redeem], that every receipt
        reconciles with the ledger, that no fund is below zero, and the ledger's
        own audit.
        """
        findings = list(self.ledger.audit())
        made = {f"redeem/{key}" for key in self._redemptions}
        accounts = {
            merchant_account_id(code, merchant.id): merchant.id
            for merchant in self._merchants.values()
            for code in merchant.rule.schemes
        }
        for entry in self.ledger.journal:
            record = entry.record
            if (
                isinstance(record, Transfer)
                and record.kind is TransferKind.REDEEM
                and record.credit in accounts
                and record.id not in made
            ):
                findings.append(
                    Finding(
                        rule=REDEMPTION_RULE,
                        subject=record.id,
                        message=f"redemption {record.id} of {record.amount} points at"
                        f" {accounts[record.credit]} was posted outside the merchant's rule",
                        code=RedemptionRefused.code,
                    )
                )
        findings.extend(self._reconcile(self._redemptions.items()))
        findings.extend(
            Finding(
                rule=FUND_RULE,
                subject=fund.id,
                message=f"fund {fund.id} is at {fund.balance}, below zero",
                code=FundInsufficient.code,
            )
            for fund in self._funds.values()
            if fund.balance_fen < 0
        )
        return tuple(findings)

    def _reconcile(self, items: Iterable[tuple[str, _Sale]]) -> list[Finding]:
        """Check receipts against the ledger: each one's reversals, and every merchant's balance.

        A receipt keeps its points less those refunded; the ledger must have reversed
        exactly the refunded points of its transfer, and each merchant account must
        hold what its receipts keep (nothing else moves points into it).
        """
        findings = []
        ledger = self.ledger
        for key, row in items:
            back = self._back(key, row)[0]
            tid = f"redeem/{key}"
            try:
                reversed_points = ledger.reversed_amount(tid)
            except UnknownReference:
                reversed_points = -1
            if reversed_points != back:
                findings.append(
                    Finding(
                        rule=REDEMPTION_RULE,
                        subject=key,
                        message=f"receipt {key} gave back {back} points but the ledger"
                        f" reversed {reversed_points} of transfer {tid}",
                        code=SettlementMismatch.code,
                    )
                )
        kept: dict[tuple[str, str], int] = {}
        refunded = self._refunded
        for key, row in self._redemptions.items():
            where = (row[2], row[1])
            back = self._back(key, row)[0] if key in refunded else 0
            kept[where] = kept.get(where, 0) + row[6] - back
        for (scheme, merchant), points in kept.items():
            account = merchant_account_id(scheme, merchant)
            held = ledger.balance(account)
            if held != points:
                findings.append(
                    Finding(
                        rule=REDEMPTION_RULE,
                        subject=account,
                        message=f"merchant account {account} holds {held} points, not the"
                        f" {points} its receipts keep",
                        code=SettlementMismatch.code,
                    )
                )
        return findings

    # --- helpers -------------------------------------------------------------------------

    def _receipt_view(self, key: str, row: _Sale) -> RedemptionReceipt:
        """Build the receipt of the redemption ``key`` from its row and its ledger transfer."""
        resident, merchant, scheme, at, bill, offered, used, discount, fund, fund_fen = row
        return _receipt(  # every value was checked or computed exactly when redeemed
            key,
            resident,
            merchant,
            scheme,
            self._times.time(at),
            _yuan(bill),
            offered,
            used,
            _yuan(discount),
            _yuan(bill - discount),
            fund,
            _yuan(fund_fen),
            _yuan(discount - fund_fen),
            self.ledger.transfer(f"redeem/{key}"),
        )

    def _back(self, key: str, row: _Sale) -> tuple[int, int, int]:
        """Return the points, discount fen and fund fen the refunds of ``key`` gave back."""
        refunded = self._refunded.get(key)
        if not refunded:
            return 0, 0, 0
        return refund_shares(self._receipt_view(key, row), from_fen(refunded), row[9])

    def _redemption(self, receipt_id: str) -> _Sale:
        item = self._redemptions.get(receipt_id)
        if item is None:
            raise UnknownReference(
                f"no redemption {receipt_id!r}", value=receipt_id, rule=REDEMPTION_RULE
            )
        return item

    def _open_wallet(self, scheme: str, resident: str) -> None:
        self.ledger.open_account(
            Account(
                id=wallet_id(scheme, resident),
                scheme=scheme,
                kind=AccountKind.WALLET,
                owner=resident,
            )
        )

    def _open_merchant(self, scheme: str, merchant: str) -> None:
        self.ledger.open_account(
            Account(
                id=merchant_account_id(scheme, merchant),
                scheme=scheme,
                kind=AccountKind.MERCHANT,
                owner=f"merchant:{merchant}",
            )
        )
