"""Profit allocation (利润分配): every yuan of profit to its destination, in the legal order.

Use [`ProfitAllocation`][grassroots.allocation.ProfitAllocation] to take a joint venture's figures
for one or more
periods to the fen each recipient receives, with every step explained:

1. **Community share** (小区公共收益). For each project, a share (default 10%)
   of its profit goes to the public revenue of the compound (小区) it runs in.
   This is the venture's own rule (Tancheng case), *not* a statutory
   distribution: its base (pre-tax, after-tax or distributable profit) and
   its legal form (a contractual fee, or a dividend on equity held for the
   owners) are data in [`CommunityShare`][grassroots.allocation.CommunityShare]. The default is a
   contractual
   10% of each project's after-tax net profit, paid before the waterfall
   below, and never on a loss.
2. **The waterfall of 公司法 art. 210** for the venture: this period's profit
   first covers losses carried forward (¶2); then 10% of what remains goes to
   the statutory common reserve (法定公积金) until it reaches 50% of registered
   capital, and in the period it gets there only the part needed (¶1); then a
   discretionary reserve (任意公积金) if the shareholders resolve one (¶3); the
   rest goes to the shareholders by paid-in capital (实缴出资比例), or by a
   ratio all shareholders agreed (¶4).
3. **Carry-forward.** A loss is carried forward; reserves and undistributed
   profit carry forward; each period starts where the last ended, and each
   period's result is kept.

Every amount is exact to the fen: the library works in integer fen, rounds
each rate with the mode the policy names (``ROUND_HALF_UP`` by default, 四舍五入),
and splits among several recipients by the largest-remainder method of
[`grassroots.money.apportion()`][grassroots.money.apportion], so the parts always add up to the
whole.

Apportionment promises: (1) parts sum exactly to the whole; (2) each
recipient gets the floor or the ceiling of its exact share in fen, so is
within one fen of it; (3) ties go to the earlier recipient, so results are
deterministic; (4) equal weights get parts at most one fen apart. What no
method can promise (Balinski and Young's impossibility theorem, 1982): to
stay within quota *and* never give a recipient a fen less when the total
grows (the Alabama paradox). Largest remainder keeps quota and so can, rarely,
show the paradox: with weights 3, 3 and 1, three fen give the third recipient
one fen, and four fen give it none (see the example below).

Rule: 公司法 (2023) art. 210 (order of profit distribution), art. 212 (payout
within six months of the resolution), art. 214 ¶3 (statutory reserve kept on
conversion to capital); the community share is the Tancheng case's rule.

Source: 《中华人民共和国公司法》(2023); 郯城县 case: "项目纯利润的10%划归小区公共收益".

Examples:
    >>> from grassroots.venture import (
    ...     JointVenture,
    ...     Project,
    ...     ProjectKind,
    ...     Shareholder,
    ...     ShareholderKind,
    ...     Shareholding,
    ... )
    >>> soe = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
    >>> coll = Shareholder(id="coll", name="集体经济组织", kind=ShareholderKind.COLLECTIVE)
    >>> store = Project(
    ...     id="store",
    ...     name="24小时便利店",
    ...     kind=ProjectKind.CONVENIENCE_STORE,
    ...     subcommunity="dongcheng",
    ... )
    >>> venture = JointVenture(
    ...     id="jv",
    ...     name="合资公司",
    ...     holdings=[
    ...         Shareholding(shareholder=soe, subscribed=Decimal("510000")),
    ...         Shareholding(shareholder=coll, subscribed=Decimal("490000")),
    ...     ],
    ...     projects=[store],
    ... )
    >>> result = ProfitAllocation(
    ...     venture=venture,
    ...     figures=[
    ...         PeriodFigures(
    ...             period="2024",
    ...             projects=[ProjectResult(project="store", net_profit=Decimal("100000"))],
    ...         )
    ...     ],
    ... )
    >>> period = result.periods[0]
    >>> period.community_shares(), period.total(Step.STATUTORY_RESERVE)
    ({'dongcheng': Decimal('10000.00')}, Decimal('9000.00'))
    >>> period.dividends()
    {'soe': Decimal('41310.00'), 'coll': Decimal('39690.00')}

    The Alabama paradox, which no quota-respecting method avoids:

    >>> apportion(3, [3, 3, 1]), apportion(4, [3, 3, 1])
    ((1, 1, 1), (2, 2, 0))
"""

from __future__ import annotations

import enum
import html
import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import cattrs
import pendulum

from grassroots import _tabular
from grassroots._validators import identifier, to_frozenset, to_tuple
from grassroots._validators import optional_ratio as _optional_ratio
from grassroots._validators import ratio as _ratio
from grassroots._validators import to_optional_date as _optional_date
from grassroots.errors import AllocationError, AllocationMismatch, UnknownReference
from grassroots.money import ROUND_DOWN, ROUND_HALF_UP, apportion, from_fen, to_fen, yuan
from grassroots.room import CommonPartIncome, Ownership, PublicServiceRoom
from grassroots.venture import JointVenture

__all__ = [
    "COMMUNITY_SHARE_RATE",
    "LOSS_COVER",
    "PAYOUT_MONTHS",
    "RESERVE_KEPT_ON_CONVERSION",
    "STATUTORY_RESERVE_CAP",
    "STATUTORY_RESERVE_RATE",
    "AgreedShare",
    "AllocationLine",
    "AllocationPolicy",
    "CarryForward",
    "CommunityShare",
    "CommunityShareBase",
    "CommunityShareForm",
    "DividendAgreement",
    "LossCover",
    "PeriodAllocation",
    "PeriodFigures",
    "ProfitAllocation",
    "ProjectResult",
    "Step",
    "max_reserve_conversion",
    "owners_income",
    "split",
]

# --- rules and their sources ---------------------------------------------------------

COMMUNITY_SHARE_RATE = Fraction(1, 10)
"""10% of each project's net profit to the compound's public revenue (Tancheng case, a contract)."""

STATUTORY_RESERVE_RATE = Fraction(1, 10)
"""10% of the year's profit after covering losses to the statutory reserve (公司法 art. 210 ¶1)."""

STATUTORY_RESERVE_CAP = Fraction(1, 2)
"""No more is required once the statutory reserve is 50% of registered capital (art. 210 ¶1)."""

RESERVE_KEPT_ON_CONVERSION = Fraction(1, 4)
"""Converting the statutory reserve to capital must leave 25% of the prior capital (art. 214 ¶3)."""

PAYOUT_MONTHS = 6
"""A resolved distribution is paid within six months of the resolution (公司法 art. 212)."""

_ROUNDINGS = (ROUND_HALF_UP, ROUND_DOWN)


class CommunityShareBase(enum.Enum):
    """What the community share is a rate of; its position in the order follows from it."""

    PRE_TAX_PROFIT = "pre_tax_profit"
    """The project's pre-tax profit (利润总额); taken before the waterfall."""
    AFTER_TAX_PROFIT = "after_tax_profit"
    """The project's after-tax net profit (净利润, 纯利润); taken before the waterfall. Default."""
    DISTRIBUTABLE_PROFIT = "distributable_profit"
    """The venture's distributable profit (可供分配利润) after losses and reserves,
    attributed to the projects by their after-tax profit; taken just before dividends."""


class CommunityShareForm(enum.Enum):
    """The legal form of the community share: the case does not say, so it is data."""

    CONTRACTUAL_FEE = "contractual_fee"
    """A fee the venture owes by contract, e.g. for using the compound's rooms. Default."""
    DIVIDEND_ON_EQUITY = "dividend_on_equity"
    """A dividend on equity held for the compound's owners: only from distributable profit."""


class LossCover(enum.Enum):
    """Whether this period's profit or the reserves cover losses carried forward.

    公司法 art. 210 ¶2 makes this year's profit cover past losses before the
    statutory reserve is set aside where the statutory reserve cannot cover
    them; art. 214 ¶2 lets the reserves cover losses, the discretionary and the
    statutory reserve first, then the capital reserve. Which comes first is the
    shareholders' choice, so it is a policy.
    """

    PROFIT_FIRST = "profit_first"
    """The year's profit covers losses carried forward first; what it cannot cover
    is carried on. The common practice (losses are made good from later profits,
    reserves are kept), and the default."""
    RESERVES_FIRST = "reserves_first"
    """At the start of the period the reserves cover the loss carried forward: the
    discretionary reserve, then the statutory reserve, then the capital reserve
    (art. 214 ¶2); the year's profit covers only what they cannot (art. 210 ¶2)."""


LOSS_COVER = LossCover.PROFIT_FIRST
"""The default order of loss cover: the year's profit first (common practice).

Source: 公司法 art. 210 ¶2 and art. 214 ¶2 allow both orders; the choice is the
shareholders' (docs: rules, allocation).
"""


class Step(enum.Enum):
    """The kind of an allocation line, in the order the waterfall produces them."""

    COMMUNITY_SHARE = "community_share"
    """小区公共收益: the compound's share of a project's profit."""
    LOSS_ABSORBED = "loss_absorbed"
    """以未分配利润弥补亏损: a loss absorbed by profit kept undistributed earlier (negative)."""
    LOSS_CARRIED = "loss_carried"
    """亏损结转: a loss carried forward to later periods (negative)."""
    LOSS_COVERED = "loss_covered"
    """弥补以前年度亏损: this period's profit covering losses carried forward (art. 210 ¶2)."""
    RESERVE_COVERS_LOSS = "reserve_covers_loss"
    """公积金弥补亏损: a reserve covering losses carried forward (art. 214 ¶2). Not a part
    of the period's profit: it moves a reserve balance onto the loss."""
    STATUTORY_RESERVE = "statutory_reserve"
    """法定公积金: the statutory common reserve (art. 210 ¶1)."""
    DISCRETIONARY_RESERVE = "discretionary_reserve"
    """任意公积金: the discretionary reserve (art. 210 ¶3)."""
    DIVIDEND = "dividend"
    """股东分红: a shareholder's part of the rest (art. 210 ¶4)."""
    RETAINED = "retained"
    """未分配利润: profit kept undistributed by resolution."""

    @property
    def term(self) -> str:
        """The Chinese term for the step."""
        return _TERMS[self]


_TERMS = {
    Step.COMMUNITY_SHARE: "小区公共收益",
    Step.LOSS_ABSORBED: "未分配利润弥补亏损",
    Step.LOSS_CARRIED: "亏损结转",
    Step.LOSS_COVERED: "弥补以前年度亏损",
    Step.RESERVE_COVERS_LOSS: "公积金弥补亏损",
    Step.STATUTORY_RESERVE: "法定公积金",
    Step.DISCRETIONARY_RESERVE: "任意公积金",
    Step.DIVIDEND: "股东分红",
    Step.RETAINED: "未分配利润",
}

_NEGATIVE_STEPS = frozenset({Step.LOSS_ABSORBED, Step.LOSS_CARRIED})
_RESERVE_ACCOUNTS = ("discretionary_reserve", "statutory_reserve", "capital_reserve")
"""The reserves that cover a loss, in the order of 公司法 art. 214 ¶2."""

_RULE_COMMUNITY = {
    CommunityShareForm.CONTRACTUAL_FEE: "case rule (郯城): community share, a contractual fee",
    CommunityShareForm.DIVIDEND_ON_EQUITY: (
        "case rule (郯城): community share, a dividend on equity held for the owners"
    ),
}
_RULE_LOSS_COVERED = "公司法 art. 210 ¶2 弥补亏损"
_RULE_RESERVE_COVERS = "公司法 art. 214 ¶2 公积金弥补亏损"
_RULE_LOSS_CARRIED = "公司法 art. 210 ¶2 亏损结转"
_RULE_LOSS_ABSORBED = "accounting: 未分配利润 absorbs the loss"
_RULE_STATUTORY = "公司法 art. 210 ¶1 法定公积金"
_RULE_DISCRETIONARY = "公司法 art. 210 ¶3 任意公积金"
_RULE_PAID_IN = "公司法 art. 210 ¶4 实缴出资比例"
_RULE_AGREED = "公司法 art. 210 ¶4 全体股东约定"
_RULE_RETAINED = "公司法 art. 210 ¶4 未分配利润"
_RULE_DIVIDEND_FORM = (
    "公司法 art. 210 ¶4: a dividend is paid only from profit left after losses and reserves"
)


# --- small helpers ---------------------------------------------------------------------


def _rate(value: Fraction | int | Decimal | str) -> Fraction:
    rate = _ratio(value)
    if not 0 <= rate <= 1:
        raise AllocationError(
            f"rate {rate} is outside 0 to 1", value=rate, limit=Fraction(1), rule="a rate of a base"
        )
    return rate


def _rounding(_instance: object, _attribute: object, value: object) -> None:
    if value not in _ROUNDINGS:
        raise AllocationError(
            f"rounding {value!r} is not ROUND_HALF_UP or ROUND_DOWN",
            value=value,
            limit=list(_ROUNDINGS),
            rule="every rounding site names its mode (docs: money and rounding)",
        )


def _round(value: Fraction, rounding: str) -> int:
    """Round a non-negative exact number of fen to a whole fen with the named mode."""
    whole, rest = divmod(value.numerator, value.denominator)
    if rounding == ROUND_HALF_UP and 2 * rest >= value.denominator:
        whole += 1
    return whole


def _fen(amount: Decimal) -> int:
    return to_fen(amount)


def _optional_yuan(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else yuan(value)


def _ids(values: Iterable[str]) -> frozenset[str]:
    return to_frozenset(values)


_BUCKETS = 1 << 16
"""Remainder buckets of the linear largest-remainder split: a table that stays in cache."""


def _largest_remainder(total: int, numerators: list[int]) -> list[int]:
    """Return the largest-remainder split of ``total`` by integer ``numerators``, in linear time.

    The same parts as [`apportion`][grassroots.money.apportion] (floor of each
    exact share, the leftover fen to the largest remainders, ties to the
    earlier recipient), but without sorting every remainder: one pass takes
    the floors and counts the remainders in [`_BUCKETS`][] ordered buckets,
    the buckets above the boundary each get a fen, and only the boundary
    bucket's remainders are sorted. Nothing but small parts is kept per
    recipient, so the work per recipient does not grow with their number.
    """
    denominator = sum(numerators)
    buckets = min(_BUCKETS, max(1, len(numerators)))
    histogram = [0] * buckets
    parts: list[int] = []
    where = array("H")  # each recipient's bucket, two bytes apiece: no object per recipient
    append, place = parts.append, where.append
    for numerator in numerators:
        part, remainder = divmod(total * numerator, denominator)
        append(part)
        bucket = remainder * buckets // denominator
        place(bucket)
        histogram[bucket] += 1
    left = total - sum(parts)
    if not left:
        return parts
    above = 0
    boundary = buckets - 1
    while above + histogram[boundary] < left:
        above += histogram[boundary]
        boundary -= 1
    candidates: list[tuple[int, int]] = []
    for index, bucket in enumerate(where):
        if bucket > boundary:
            parts[index] += 1
        elif bucket == boundary:
            candidates.append((-(total * numerators[index] % denominator), index))
    candidates.sort()
    for _remainder, index in candidates[: left - above]:
        parts[index] += 1
    return parts


def split(
    total: Decimal | int | str, weights: Mapping[str, int | Fraction | Decimal]
) -> dict[str, Decimal]:
    """Split ``total`` yuan among recipients by ``weights``, exact to the fen.

    Largest remainder: each recipient gets the floor or the ceiling of its
    exact share in fen, ties go to the recipient that comes first in
    ``weights``, and the parts sum to ``total``; the parts are those of
    [`apportion`][grassroots.money.apportion]. Use it for a per-household
    split of a compound's public revenue, say by exclusive area (民法典 art.
    283). Linear in the number of recipients: no sort of all the remainders,
    and equal parts share one ``Decimal``.

    Args:
        total: Yuan to split, not negative.
        weights: Recipient id to a non-negative weight (``Decimal`` areas are
            taken exactly); not all zero.

    Raises:
        AllocationError: ``total`` is negative, a weight is negative, or every
            weight is zero.

    Examples:
        >>> split(Decimal("100.00"), {"101": 3, "102": 3, "103": 3})
        {'101': Decimal('33.34'), '102': Decimal('33.33'), '103': Decimal('33.33')}
        >>> split("0.05", {"a": Decimal("89.5"), "b": Decimal("60.25")})
        {'a': Decimal('0.03'), 'b': Decimal('0.02')}
    """
    values = list(weights.values())
    whole = to_fen(yuan(total))
    numerators = _integer_weights(values)
    if whole < 0 or any(n < 0 for n in numerators) or not any(numerators):
        raise AllocationError(
            f"cannot split {from_fen(whole)} by these weights: the total and every weight must"
            " be non-negative, and some weight positive",
            value=from_fen(whole),
            limit=Decimal("0.00"),
            rule="an exact split of a non-negative whole by non-negative weights",
        )
    parts = _largest_remainder(whole, numerators)
    # Equal parts share one Decimal: Decimals are immutable, and most recipients of a
    # large split get one of a few amounts, so this saves an allocation per recipient.
    shared = {part: Decimal(part).scaleb(-2) for part in set(parts)}
    return dict(zip(weights, map(shared.__getitem__, parts), strict=True))


def _integer_weights(values: list[int | Fraction | Decimal]) -> list[int]:
    """Return the weights as integers in the same proportions (exact)."""
    if all(type(v) is int for v in values):
        return values  # type: ignore[return-value]
    exact: list[Fraction] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
            raise TypeError(
                f"weights must be int, Fraction or Decimal, not {type(value).__name__} {value!r}"
            )
        if isinstance(value, Decimal) and not value.is_finite():
            raise AllocationError(
                f"weight {value} is not a finite number",
                value=str(value),
                limit="a finite weight",
                rule="an exact split of a non-negative whole by non-negative weights",
            )
        exact.append(Fraction(value))
    common = math.lcm(*(f.denominator for f in exact)) if exact else 1
    return [int(f * common) for f in exact]


def max_reserve_conversion(
    statutory_reserve: Decimal | int | str,
    registered_capital: Decimal | int | str,
    *,
    kept: Fraction = RESERVE_KEPT_ON_CONVERSION,
) -> Decimal:
    """Return the most statutory reserve that may be converted to registered capital.

    Rule: 公司法 art. 214 ¶3 — the statutory reserve left after the conversion
    is at least 25% of the registered capital before it; the amount kept is
    rounded up to the fen so the rule is met.

    Examples:
        >>> max_reserve_conversion(Decimal("500000"), Decimal("1000000"))
        Decimal('250000.00')
        >>> max_reserve_conversion(Decimal("200000"), Decimal("1000000"))
        Decimal('0.00')
    """
    reserve = to_fen(yuan(statutory_reserve))
    minimum = _ratio(kept) * to_fen(yuan(registered_capital))
    keep = -(-minimum.numerator // minimum.denominator)
    return from_fen(max(0, reserve - keep))


# --- policy ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CommunityShare:
    """The community share (小区公共收益): rate, base and legal form, all data.

    Rule: Tancheng case — "项目纯利润的10%划归小区公共收益" (10% of each
    project's net profit to the compound's public revenue). The case does not
    say before or after tax, reserves or losses, nor the legal form; the
    defaults are a contractual fee of 10% of the project's after-tax net
    profit, paid before the 公司法 art. 210 waterfall, and never on a loss.

    Source: 郯城县 case; a dividend form is bound by 公司法 art. 210 ¶4.

    Args:
        rate: Share of the base, from 0 to 1; default 1/10.
        base: What the rate applies to; its place in the order follows from it.
        form: Contractual fee (default) or dividend on equity held for the
            owners; a dividend can only come from distributable profit.

    Raises:
        AllocationError: the rate is outside 0 to 1, or a dividend form is
            combined with a base before the waterfall (公司法 art. 210 ¶4).
    """

    rate: Fraction = attrs.field(default=COMMUNITY_SHARE_RATE, converter=_rate)
    base: CommunityShareBase = attrs.field(
        default=CommunityShareBase.AFTER_TAX_PROFIT,
        validator=attrs.validators.instance_of(CommunityShareBase),
    )
    form: CommunityShareForm = attrs.field(
        default=CommunityShareForm.CONTRACTUAL_FEE,
        validator=attrs.validators.instance_of(CommunityShareForm),
    )

    def __attrs_post_init__(self) -> None:
        if (
            self.form is CommunityShareForm.DIVIDEND_ON_EQUITY
            and self.base is not CommunityShareBase.DISTRIBUTABLE_PROFIT
        ):
            raise AllocationError(
                f"a community share in the form of a dividend cannot be taken on"
                f" {self.base.value.replace('_', ' ')} ({_RULE_DIVIDEND_FORM})",
                value=self.base.value,
                limit=CommunityShareBase.DISTRIBUTABLE_PROFIT.value,
                rule=_RULE_DIVIDEND_FORM,
            )

    @property
    def before_waterfall(self) -> bool:
        """Whether the share is taken before the art. 210 waterfall (any base but distributable)."""
        return self.base is not CommunityShareBase.DISTRIBUTABLE_PROFIT


@attrs.frozen(kw_only=True)
class AgreedShare:
    """One shareholder's weight in a dividend ratio all shareholders agreed.

    Args:
        shareholder: The shareholder's id.
        weight: A non-negative weight; weights need not sum to one.
    """

    shareholder: str = attrs.field(validator=identifier)
    weight: Fraction = attrs.field(converter=_ratio)

    def __attrs_post_init__(self) -> None:
        if self.weight < 0:
            raise AllocationError(
                f"agreed weight {self.weight} of {self.shareholder!r} is negative",
                value=self.weight,
                limit=Fraction(0),
                rule=_RULE_AGREED,
            )


def _agreed_shares(values: Iterable[AgreedShare]) -> tuple[AgreedShare, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class DividendAgreement:
    """A dividend ratio other than paid-in capital, agreed by every shareholder.

    Rule: 公司法 art. 210 ¶4 — a limited liability company distributes by
    paid-in capital "unless all shareholders agree otherwise" (全体股东约定).
    Checked against the venture when the allocation is made: ``agreed_by``
    must be every shareholder, and ``shares`` must name each exactly once.

    Args:
        shares: One [`AgreedShare`][grassroots.allocation.AgreedShare] per shareholder.
        agreed_by: Ids of the shareholders who agreed.
    """

    shares: tuple[AgreedShare, ...] = attrs.field(converter=_agreed_shares)
    agreed_by: frozenset[str] = attrs.field(converter=_ids)

    def check(self, venture: JointVenture) -> None:
        """Raise unless every shareholder of ``venture`` agreed and each has one weight.

        Raises:
            AllocationError: a shareholder did not agree, or the weights do not
                name each shareholder exactly once, or all weights are zero.
        """
        holders = set(venture.shareholder_ids)
        missing = sorted(holders - self.agreed_by)
        if missing:
            raise AllocationError(
                f"shareholders {missing} did not agree to the dividend ratio; paid-in capital"
                f" decides unless all agree ({_RULE_AGREED})",
                value=sorted(self.agreed_by),
                limit=sorted(holders),
                rule=_RULE_AGREED,
            )
        named = [share.shareholder for share in self.shares]
        if sorted(named) != sorted(holders):
            raise AllocationError(
                f"the agreed ratio names {sorted(named)}, not each shareholder"
                f" {sorted(holders)} once ({_RULE_AGREED})",
                value=sorted(named),
                limit=sorted(holders),
                rule=_RULE_AGREED,
            )
        if sum(share.weight for share in self.shares) == 0:
            raise AllocationError(
                f"every agreed weight is zero ({_RULE_AGREED})",
                value=0,
                rule=_RULE_AGREED,
            )

    def weight(self, shareholder: str) -> Fraction:
        """Return the agreed weight of ``shareholder`` (zero if not named)."""
        for share in self.shares:
            if share.shareholder == shareholder:
                return share.weight
        return Fraction(0)


def _check_agreement(_instance: object, _attribute: object, value: object) -> None:
    if value is not None and not isinstance(value, DividendAgreement):
        raise TypeError(
            f"agreement must be a DividendAgreement or None, not {type(value).__name__}"
        )


def _check_months(_instance: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"payout_months must be int, not {type(value).__name__}")
    if not 0 < value <= PAYOUT_MONTHS:
        raise AllocationError(
            f"payout_months {value} is outside 1 to 6 (公司法 art. 212: within six months)",
            value=value,
            limit=PAYOUT_MONTHS,
            rule="公司法 art. 212",
        )


_DEFAULT_COMMUNITY_SHARE = CommunityShare()


@attrs.frozen(kw_only=True)
class AllocationPolicy:
    """Every parameter of the allocation, as data with the legal defaults, so it can be swept.

    Args:
        community_share: The case's community share; default a contractual 10%
            of each project's after-tax net profit.
        statutory_reserve_rate: 1/10 by law (公司法 art. 210 ¶1); another value
            models a counterfactual, not the law.
        statutory_reserve_cap: 1/2 of registered capital by law (art. 210 ¶1);
            the cap in fen is rounded up, the least amount that reaches it.
        discretionary_reserve_rate: Share of the profit left after the
            statutory reserve put into the discretionary reserve by resolution
            (art. 210 ¶3); default 0.
        payout_ratio: Share of the distributable profit paid out; the rest is
            kept as undistributed profit (未分配利润). Default 1, all of it;
            rounded down to the fen.
        agreement: A dividend ratio all shareholders agreed (art. 210 ¶4);
            ``None``: by paid-in capital.
        rounding: Mode for each rate times a base: ``ROUND_HALF_UP`` (四舍五入,
            default) or ``ROUND_DOWN``.
        payout_months: Months after the resolution to pay out; 6 by law (art. 212).
        loss_cover: Whether this period's profit or the reserves cover losses
            carried forward first; default [`LOSS_COVER`][grassroots.allocation.LOSS_COVER], the
            year's profit
            (arts 210 ¶2, 214 ¶2).

    Examples:
        >>> AllocationPolicy().with_community_rate(Fraction(15, 100)).community_share.rate
        Fraction(3, 20)
    """

    community_share: CommunityShare = attrs.field(
        default=_DEFAULT_COMMUNITY_SHARE, validator=attrs.validators.instance_of(CommunityShare)
    )
    statutory_reserve_rate: Fraction = attrs.field(default=STATUTORY_RESERVE_RATE, converter=_rate)
    statutory_reserve_cap: Fraction = attrs.field(default=STATUTORY_RESERVE_CAP, converter=_rate)
    discretionary_reserve_rate: Fraction = attrs.field(default=Fraction(0), converter=_rate)
    payout_ratio: Fraction = attrs.field(default=Fraction(1), converter=_rate)
    agreement: DividendAgreement | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(DividendAgreement)),
    )
    rounding: str = attrs.field(default=ROUND_HALF_UP, validator=_rounding)
    payout_months: int = attrs.field(default=PAYOUT_MONTHS, validator=_check_months)
    loss_cover: LossCover = attrs.field(
        default=LOSS_COVER, validator=attrs.validators.instance_of(LossCover)
    )

    def with_community_rate(self, rate: Fraction | int | Decimal | str) -> AllocationPolicy:
        """Return this policy with the community share's rate set to ``rate``."""
        return attrs.evolve(self, community_share=attrs.evolve(self.community_share, rate=rate))


# --- figures and balances ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ProjectResult:
    """A project's result for one period.

    The library does not compute tax: give the figures from the accounts.

    Args:
        project: The project's id in the venture.
        net_profit: After-tax net profit (净利润) in yuan, before the community
            share; negative for a loss.
        pre_tax_profit: Pre-tax profit (利润总额), needed only when the
            community share is a rate of pre-tax profit.
    """

    project: str = attrs.field(validator=identifier)
    net_profit: Decimal = attrs.field(converter=yuan)
    pre_tax_profit: Decimal | None = attrs.field(default=None, converter=_optional_yuan)


def _results(values: Iterable[ProjectResult]) -> tuple[ProjectResult, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class PeriodFigures:
    """The venture's figures for one period (a financial year, 会计年度).

    The venture's after-tax profit for the period is the sum of its projects'
    net profits and ``other_profit``.

    Args:
        period: A label, unique within an allocation (``"2024"``).
        projects: Each project's result; a project of the venture that is
            absent had no result this period.
        other_profit: After-tax profit or loss of the venture outside its
            projects (head-office costs are negative).
        resolved_on: The day of the shareholders' resolution to distribute,
            if known, for the payout deadline (公司法 art. 212).

    Raises:
        AllocationError: a project appears twice.
    """

    period: str = attrs.field(validator=identifier)
    projects: tuple[ProjectResult, ...] = attrs.field(default=(), converter=_results)
    other_profit: Decimal = attrs.field(default=Decimal("0.00"), converter=yuan)
    resolved_on: pendulum.Date | None = attrs.field(default=None, converter=_optional_date)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for result in self.projects:
            if not isinstance(result, ProjectResult):
                raise TypeError(f"projects must be ProjectResult values, not {type(result)}")
            if result.project in seen:
                raise AllocationError(
                    f"project {result.project!r} has two results in period {self.period!r}",
                    value=result.project,
                    rule="one result per project and period",
                )
            seen.add(result.project)

    @property
    def profit(self) -> Decimal:
        """The venture's after-tax profit of the period, before the community share."""
        return sum((r.net_profit for r in self.projects), self.other_profit)


@attrs.frozen(kw_only=True)
class CarryForward:
    """Balances carried from one period to the next.

    Args:
        loss: Losses not yet covered (未弥补亏损), not negative.
        statutory_reserve: The statutory common reserve (法定公积金).
        discretionary_reserve: The discretionary reserve (任意公积金).
        retained: Profit kept undistributed (未分配利润); zero while there
            is a loss, since a loss first absorbs it.
        capital_reserve: The capital reserve (资本公积金, from share premiums and
            the like); the waterfall never adds to it, and it covers a loss
            only after the other reserves (公司法 art. 214 ¶2).

    Raises:
        AllocationError: a balance is negative, or both ``loss`` and
            ``retained`` are positive.
    """

    loss: Decimal = attrs.field(default=Decimal("0.00"), converter=yuan)
    statutory_reserve: Decimal = attrs.field(default=Decimal("0.00"), converter=yuan)
    discretionary_reserve: Decimal = attrs.field(default=Decimal("0.00"), converter=yuan)
    retained: Decimal = attrs.field(default=Decimal("0.00"), converter=yuan)
    capital_reserve: Decimal = attrs.field(default=Decimal("0.00"), converter=yuan)

    def __attrs_post_init__(self) -> None:
        for name in (
            "loss",
            "statutory_reserve",
            "discretionary_reserve",
            "retained",
            "capital_reserve",
        ):
            value = getattr(self, name)
            if value < 0:
                raise AllocationError(
                    f"carried {name.replace('_', ' ')} {value} is negative",
                    value=value,
                    limit=Decimal("0.00"),
                    rule="balances carried forward are not negative",
                )
        if self.loss > 0 and self.retained > 0:
            raise AllocationError(
                f"a loss {self.loss} and undistributed profit {self.retained} are carried"
                " together; the loss absorbs the profit first",
                value=self.retained,
                limit=Decimal("0.00"),
                rule=_RULE_LOSS_ABSORBED,
            )


# --- results ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AllocationLine:
    """One line of an allocation: which rule sent how much of what base where.

    Args:
        step: What kind of line it is.
        recipient: The compound's id for a community share, the shareholder's
            id for a dividend, otherwise the account (``"statutory_reserve"``, ...).
        rule: The rule and its article, short (``"公司法 art. 210 ¶1 法定公积金"``).
        base: The amount the rate applies to, in yuan.
        base_label: What the base is, in words.
        rate: The rate applied, exact; ``None`` when the amount is not a rate of the base.
        amount: Yuan sent; negative only for a loss carried forward or absorbed.
        rounding: The rounding mode used, if any.
        project: The project the line comes from, for community shares.
        note: Why the amount is what it is, when that is not obvious.
    """

    step: Step = attrs.field(validator=attrs.validators.instance_of(Step))
    recipient: str = attrs.field(validator=identifier)
    rule: str = attrs.field(validator=attrs.validators.instance_of(str))
    base: Decimal = attrs.field(converter=yuan)
    base_label: str = attrs.field(validator=attrs.validators.instance_of(str))
    rate: Fraction | None = attrs.field(default=None, converter=_optional_ratio)
    amount: Decimal = attrs.field(converter=yuan)
    rounding: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(_ROUNDINGS))
    )
    project: str | None = attrs.field(default=None)
    note: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        negative = self.step in _NEGATIVE_STEPS
        if (self.amount > 0 and negative) or (self.amount < 0 and not negative):
            raise AllocationMismatch(
                f"{self.step.value} line to {self.recipient!r} has amount {self.amount} of the"
                " wrong sign (only losses are negative)",
                value=self.amount,
                limit=Decimal("0.00"),
                rule="an allocation sends money; only losses carried or absorbed are negative",
            )

    @property
    def account(self) -> str:
        """A key that names where the money went, unique across kinds.

        ``"public_revenue:<compound>"``, ``"shareholder:<id>"``,
        ``"statutory_reserve"``, ``"discretionary_reserve"``,
        ``"retained"``, ``"losses"``, or ``"losses:<reserve>"`` for a reserve
        covering a loss (not a part of the profit).
        """
        if self.step is Step.COMMUNITY_SHARE:
            return f"public_revenue:{self.recipient}"
        if self.step is Step.DIVIDEND:
            return f"shareholder:{self.recipient}"
        if self.step in (Step.LOSS_CARRIED, Step.LOSS_COVERED):
            return "losses"
        if self.step is Step.RESERVE_COVERS_LOSS:
            return f"losses:{self.recipient}"
        if self.step in (Step.LOSS_ABSORBED, Step.RETAINED):
            return "retained"
        return str(self.step.value)

    def row(self) -> dict[str, object]:
        """Return the line as a plain dict (exact ``Decimal`` and ``Fraction`` values)."""
        return {
            "step": self.step.value,
            "term": self.step.term,
            "recipient": self.recipient,
            "account": self.account,
            "project": self.project,
            "rule": self.rule,
            "base": self.base,
            "base_label": self.base_label,
            "rate": self.rate,
            "amount": self.amount,
            "rounding": self.rounding,
            "note": self.note,
        }


def _lines(values: Iterable[AllocationLine]) -> tuple[AllocationLine, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class PeriodAllocation:
    """The allocation of one period: its lines in order, and the balances before and after.

    The lines add up to ``profit`` exactly, and ``closing`` is ``opening``
    moved by the lines; both are checked when the value is built (from JSON
    too).

    Args:
        period: The period's label.
        profit: The venture's after-tax profit of the period, before the community share.
        registered_capital: The registered capital the reserve cap was taken of.
        opening: Balances at the start.
        closing: Balances at the end.
        lines: Every line, in the order of the waterfall.
        payout_due_on: The day dividends are due (公司法 art. 212), when the
            resolution date was given.

    Raises:
        AllocationMismatch: the lines do not add up to ``profit``, or do not
            move ``opening`` to ``closing``.
    """

    period: str = attrs.field(validator=identifier)
    profit: Decimal = attrs.field(converter=yuan)
    registered_capital: Decimal = attrs.field(converter=yuan)
    opening: CarryForward = attrs.field(validator=attrs.validators.instance_of(CarryForward))
    closing: CarryForward = attrs.field(validator=attrs.validators.instance_of(CarryForward))
    lines: tuple[AllocationLine, ...] = attrs.field(converter=_lines)
    payout_due_on: pendulum.Date | None = attrs.field(default=None, converter=_optional_date)

    def __attrs_post_init__(self) -> None:
        placed = sum(
            (line.amount for line in self.lines if line.step is not Step.RESERVE_COVERS_LOSS),
            Decimal("0.00"),
        )
        if placed != self.profit:
            raise AllocationMismatch(
                f"the lines of period {self.period!r} add up to {placed}, not its profit"
                f" {self.profit}",
                value=placed,
                limit=self.profit,
                rule="conservation: every fen of profit goes somewhere",
            )
        drawn = self._by_recipient(Step.RESERVE_COVERS_LOSS)
        zero = Decimal("0.00")
        expected = CarryForward(
            loss=self.opening.loss
            - self.total(Step.LOSS_COVERED)
            - self.total(Step.LOSS_CARRIED)
            - self.total(Step.RESERVE_COVERS_LOSS),
            statutory_reserve=self.opening.statutory_reserve
            + self.total(Step.STATUTORY_RESERVE)
            - drawn.get("statutory_reserve", zero),
            discretionary_reserve=self.opening.discretionary_reserve
            + self.total(Step.DISCRETIONARY_RESERVE)
            - drawn.get("discretionary_reserve", zero),
            retained=self.opening.retained
            + self.total(Step.RETAINED)
            + self.total(Step.LOSS_ABSORBED),
            capital_reserve=self.opening.capital_reserve - drawn.get("capital_reserve", zero),
        )
        if expected != self.closing:
            raise AllocationMismatch(
                f"the closing balances of period {self.period!r} are {self.closing}, but its"
                f" lines move the opening balances to {expected}",
                value=self.closing,
                limit=expected,
                rule="balances carry forward",
            )

    def total(self, step: Step) -> Decimal:
        """Return the sum of the lines of ``step``."""
        return sum((line.amount for line in self.lines if line.step is step), Decimal("0.00"))

    def community_shares(self) -> dict[str, Decimal]:
        """Return the community share to each compound's public revenue (by compound id)."""
        return self._by_recipient(Step.COMMUNITY_SHARE)

    def dividends(self) -> dict[str, Decimal]:
        """Return each shareholder's dividend, in holding order."""
        return self._by_recipient(Step.DIVIDEND)

    def _by_recipient(self, step: Step) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for line in self.lines:
            if line.step is step:
                out[line.recipient] = out.get(line.recipient, Decimal("0.00")) + line.amount
        return out

    def flows(self) -> dict[str, Decimal]:
        """Return the amount per account (see `AllocationLine.account`), in line order."""
        out: dict[str, Decimal] = {}
        for line in self.lines:
            out[line.account] = out.get(line.account, Decimal("0.00")) + line.amount
        return out

    def rows(self) -> list[dict[str, object]]:
        """Return the lines as plain dicts, each with the period's label."""
        return [{"period": self.period, **line.row()} for line in self.lines]

    def to_dataframe(self) -> Any:
        """Return `rows()` as a ``pandas.DataFrame``; needs the ``notebook`` extra.

        Amounts stay exact ``Decimal`` values (object columns), as in
        [`ProfitAllocation.to_dataframe`][grassroots.allocation.ProfitAllocation.to_dataframe].

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        return _tabular.dataframe(self.rows(), _ALLOCATION_COLUMNS)

    def to_text(self) -> str:
        """Return the period as plain lines, with its balances before and after.

        One line per allocation line: step, recipient, amount, rate × base and
        rule. For a terminal table, use
        [`allocation_text`][grassroots.reports.allocation_text] (``cli`` extra).
        """
        return _render_text([self])

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return _render_html([self])


_ALLOCATION_COLUMNS = (
    _tabular.Column("period", "期间"),
    _tabular.Column("step", "步骤"),
    _tabular.Column("term", "名称"),
    _tabular.Column("recipient", "去向"),
    _tabular.Column("account", "账户"),
    _tabular.Column("project", "项目"),
    _tabular.Column("rule", "依据"),
    _tabular.Column("base", "基数", "decimal"),
    _tabular.Column("base_label", "基数说明"),
    _tabular.Column("rate", "比例", "fraction"),
    _tabular.Column("amount", "金额", "decimal"),
    _tabular.Column("rounding", "舍入"),
    _tabular.Column("note", "说明"),
)


# --- the waterfall ---------------------------------------------------------------------------


def _line(
    step: Step,
    *,
    recipient: str,
    rule: str,
    base: int,
    base_label: str,
    amount: int,
    rate: Fraction | None = None,
    rounding: str | None = None,
    project: str | None = None,
    note: str = "",
) -> AllocationLine:
    return AllocationLine(
        step=step,
        recipient=recipient,
        rule=rule,
        base=from_fen(base),
        base_label=base_label,
        rate=rate,
        amount=from_fen(amount),
        rounding=rounding,
        project=project,
        note=note,
    )


class _Waterfall:
    """One period's allocation in progress: integer fen, lines appended in order."""

    def __init__(
        self,
        venture: JointVenture,
        policy: AllocationPolicy,
        opening: CarryForward,
        figures: PeriodFigures,
    ) -> None:
        self.venture = venture
        self.policy = policy
        self.share = policy.community_share
        self.opening = opening
        self.figures = figures
        self.results = [(r, venture.project(r.project)) for r in figures.projects]
        self.lines: list[AllocationLine] = []
        self.loss = _fen(opening.loss)
        self.statutory = _fen(opening.statutory_reserve)
        self.discretionary = _fen(opening.discretionary_reserve)
        self.retained = _fen(opening.retained)
        self.capital = _fen(opening.capital_reserve)
        self.label = "after-tax profit of the venture"

    def run(self) -> PeriodAllocation:
        if self.policy.loss_cover is LossCover.RESERVES_FIRST and self.loss:
            self.reserves_cover()
        profit = _fen(self.figures.profit)
        community = self.community_before() if self.share.before_waterfall else 0
        if community:
            self.label += " after community shares"
        waterfall = profit - community
        if waterfall < 0:
            self.carry_loss(waterfall)
        else:
            self.distribute(waterfall)
        resolved = self.figures.resolved_on
        return PeriodAllocation(
            period=self.figures.period,
            profit=from_fen(profit),
            registered_capital=self.venture.registered_capital,
            opening=self.opening,
            closing=CarryForward(
                loss=from_fen(self.loss),
                statutory_reserve=from_fen(self.statutory),
                discretionary_reserve=from_fen(self.discretionary),
                retained=from_fen(self.retained),
                capital_reserve=from_fen(self.capital),
            ),
            lines=self.lines,
            payout_due_on=None if resolved is None else self.payout_due(resolved),
        )

    def payout_due(self, resolved: pendulum.Date) -> pendulum.Date:
        """Art. 212: six months after the resolution, or our error past the calendar's end."""
        try:
            return resolved.add(months=self.policy.payout_months)
        except (ValueError, OverflowError):
            raise AllocationError(
                f"{self.policy.payout_months} months after the resolution of {resolved} is past"
                " the last date the calendar holds (9999-12-31); 公司法 art. 212 (docs: rules,"
                " allocation)",
                value=str(resolved),
                limit="9999-12-31",
                rule="公司法 art. 212",
            ) from None

    def reserves_cover(self) -> None:
        """Art. 214 ¶2: the discretionary and statutory reserve, then the capital reserve."""
        balances = {
            "discretionary_reserve": self.discretionary,
            "statutory_reserve": self.statutory,
            "capital_reserve": self.capital,
        }
        for account in _RESERVE_ACCOUNTS:
            drawn = min(balances[account], self.loss)
            if not drawn:
                continue
            self.lines.append(
                _line(
                    Step.RESERVE_COVERS_LOSS,
                    recipient=account,
                    rule=_RULE_RESERVE_COVERS,
                    base=self.loss,
                    base_label="loss carried forward",
                    amount=drawn,
                    note=f"{account.replace('_', ' ')} {from_fen(balances[account])} before",
                )
            )
            balances[account] -= drawn
            self.loss -= drawn
        self.discretionary = balances["discretionary_reserve"]
        self.statutory = balances["statutory_reserve"]
        self.capital = balances["capital_reserve"]

    def community_before(self) -> int:
        """The case's community share on each project's own profit, before the waterfall."""
        share, rounding = self.share, self.policy.rounding
        total = 0
        for result, project in self.results:
            if share.base is CommunityShareBase.PRE_TAX_PROFIT:
                if result.pre_tax_profit is None:
                    raise AllocationError(
                        f"project {project.id!r} has no pre-tax profit in period"
                        f" {self.figures.period!r}, but the community share is a rate of it",
                        value=None,
                        rule=_RULE_COMMUNITY[share.form],
                    )
                base = _fen(result.pre_tax_profit)
                label = f"pre-tax profit of project {project.id}"
            else:
                base = _fen(result.net_profit)
                label = f"after-tax net profit of project {project.id}"
            amount = _round(share.rate * base, rounding) if base > 0 else 0
            self.lines.append(
                _line(
                    Step.COMMUNITY_SHARE,
                    recipient=project.subcommunity,
                    rule=_RULE_COMMUNITY[share.form],
                    base=base,
                    base_label=label,
                    amount=amount,
                    rate=share.rate,
                    rounding=rounding,
                    project=project.id,
                    note="" if base > 0 else "no community share on a loss",
                )
            )
            total += amount
        return total

    def carry_loss(self, waterfall: int) -> None:
        """A loss first absorbs undistributed profit; the rest is carried forward."""
        absorbed = min(self.retained, -waterfall)
        carried = -waterfall - absorbed
        if absorbed:
            self.lines.append(
                _line(
                    Step.LOSS_ABSORBED,
                    recipient="retained",
                    rule=_RULE_LOSS_ABSORBED,
                    base=waterfall,
                    base_label=self.label,
                    amount=-absorbed,
                )
            )
        if carried or not absorbed:
            self.lines.append(
                _line(
                    Step.LOSS_CARRIED,
                    recipient="losses",
                    rule=_RULE_LOSS_CARRIED,
                    base=waterfall,
                    base_label=self.label,
                    amount=-carried,
                    note="nothing is reserved or paid in a loss period",
                )
            )
        if not self.share.before_waterfall:
            for _result, project in self.results:
                self.lines.append(
                    _line(
                        Step.COMMUNITY_SHARE,
                        recipient=project.subcommunity,
                        rule=_RULE_COMMUNITY[self.share.form],
                        base=0,
                        base_label="distributable profit of the venture",
                        amount=0,
                        rate=self.share.rate,
                        project=project.id,
                        note="no distributable profit in a loss period",
                    )
                )
        self.loss += carried
        self.retained -= absorbed

    def distribute(self, waterfall: int) -> None:
        """公司法 art. 210: cover losses, reserve, then distribute the rest."""
        covered = min(waterfall, self.loss)
        self.lines.append(
            _line(
                Step.LOSS_COVERED,
                recipient="losses",
                rule=_RULE_LOSS_COVERED,
                base=waterfall,
                base_label=self.label,
                amount=covered,
                note="" if self.loss else "no loss carried forward",
            )
        )
        self.loss -= covered
        rest = self.statutory_reserve(waterfall - covered)
        rest = self.discretionary_reserve(rest)
        if not self.share.before_waterfall:
            rest = self.community_after(rest)
        self.dividends(rest)

    def statutory_reserve(self, rest: int) -> int:
        """¶1: the statutory reserve up to its cap, and only what is needed when it gets there."""
        policy = self.policy
        exact_cap = policy.statutory_reserve_cap * _fen(self.venture.registered_capital)
        cap = -(-exact_cap.numerator // exact_cap.denominator)
        due = _round(policy.statutory_reserve_rate * rest, policy.rounding)
        if self.statutory >= cap:
            taken, note = 0, "the reserve has reached its cap: no more is required"
        elif due > cap - self.statutory:
            taken, note = cap - self.statutory, "only the part needed to reach the cap"
        else:
            taken, note = due, f"cap {from_fen(cap)}: {policy.statutory_reserve_cap} of capital"
        self.lines.append(
            _line(
                Step.STATUTORY_RESERVE,
                recipient="statutory_reserve",
                rule=_RULE_STATUTORY,
                base=rest,
                base_label="profit after covering losses",
                amount=taken,
                rate=policy.statutory_reserve_rate,
                rounding=policy.rounding,
                note=note,
            )
        )
        self.statutory += taken
        return rest - taken

    def discretionary_reserve(self, rest: int) -> int:
        """¶3: a discretionary reserve, by the shareholders' resolution."""
        rate = self.policy.discretionary_reserve_rate
        if not rate:
            return rest
        kept = _round(rate * rest, self.policy.rounding)
        self.lines.append(
            _line(
                Step.DISCRETIONARY_RESERVE,
                recipient="discretionary_reserve",
                rule=_RULE_DISCRETIONARY,
                base=rest,
                base_label="profit after the statutory reserve",
                amount=kept,
                rate=rate,
                rounding=self.policy.rounding,
            )
        )
        self.discretionary += kept
        return rest - kept

    def community_after(self, distributable: int) -> int:
        """A community share on distributable profit, attributed by the projects' own profit."""
        share = self.share
        weights = [max(0, _fen(result.net_profit)) for result, _project in self.results]
        whole = sum(weights)
        pool = _round(share.rate * distributable, self.policy.rounding) if whole else 0
        parts = apportion(pool, weights) if pool else tuple(0 for _ in weights)
        for (_result, project), part, weight in zip(self.results, parts, weights, strict=True):
            note = (
                f"pool {from_fen(pool)} apportioned by project net profit"
                f" ({from_fen(weight)} of {from_fen(whole)})"
                if weight
                else "no community share on a loss"
            )
            self.lines.append(
                _line(
                    Step.COMMUNITY_SHARE,
                    recipient=project.subcommunity,
                    rule=_RULE_COMMUNITY[share.form],
                    base=distributable,
                    base_label="distributable profit of the venture",
                    amount=part,
                    rate=share.rate,
                    rounding=self.policy.rounding,
                    project=project.id,
                    note=note,
                )
            )
        return distributable - pool

    def dividends(self, distributable: int) -> None:
        """¶4: the rest to the shareholders, by paid-in capital or the agreed ratio."""
        holdings = self.venture.holdings
        agreement = self.policy.agreement
        weights: list[Fraction]
        if agreement is None:
            weights = [Fraction(_fen(h.paid_in)) for h in holdings]
            rule, basis = _RULE_PAID_IN, "paid-in capital"
        else:
            weights = [agreement.weight(h.id) for h in holdings]
            rule, basis = _RULE_AGREED, "the agreed ratio"
        whole = sum(weights, Fraction(0))
        paid = _round(self.policy.payout_ratio * distributable, ROUND_DOWN)
        note = ""
        if not whole:
            paid, note = 0, "no paid-in capital to divide by: kept undistributed"
        parts = apportion(paid, weights) if paid else tuple(0 for _ in weights)
        for holding, part, weight in zip(holdings, parts, weights, strict=True):
            self.lines.append(
                _line(
                    Step.DIVIDEND,
                    recipient=holding.id,
                    rule=rule,
                    base=paid,
                    base_label=f"profit paid out, by {basis}",
                    amount=part,
                    rate=weight / whole if whole else None,
                    note=note,
                )
            )
        undistributed = distributable - paid
        if undistributed:
            self.lines.append(
                _line(
                    Step.RETAINED,
                    recipient="retained",
                    rule=_RULE_RETAINED,
                    base=distributable,
                    base_label="distributable profit",
                    amount=undistributed,
                    rate=1 - self.policy.payout_ratio if whole else None,
                    rounding=ROUND_DOWN,
                    note=note or "kept by resolution",
                )
            )
        self.retained += undistributed


def _allocate_period(
    venture: JointVenture,
    policy: AllocationPolicy,
    opening: CarryForward,
    figures: PeriodFigures,
) -> PeriodAllocation:
    return _Waterfall(venture, policy, opening, figures).run()


def _figures(values: Iterable[PeriodFigures]) -> tuple[PeriodFigures, ...]:
    return tuple(values)


_DEFAULT_POLICY = AllocationPolicy()
_NOTHING_CARRIED = CarryForward()


@attrs.frozen(kw_only=True)
class ProfitAllocation:
    """A joint venture's profit allocation (利润分配) over one or more periods.

    Built from the venture, the figures of each period, a policy and the
    balances carried in; each period's [`PeriodAllocation`][grassroots.allocation.PeriodAllocation]
    is computed
    at once and kept in [`periods`][grassroots.allocation.ProfitAllocation], each starting
    from where the last ended.

    The venture is the same for every period; after an equity change, start a
    new allocation with ``opening=previous.closing``.

    Rule: the community share (Tancheng case), then 公司法 art. 210 ¶¶1–4 in
    order; art. 212 for the payout date.

    Source: 《中华人民共和国公司法》(2023) arts 210, 212; 郯城县 case,
    "项目纯利润的10%划归小区公共收益".

    Args:
        venture: The joint venture; its projects name the compounds, its
            holdings the shareholders and their paid-in capital.
        figures: The figures of each period, in order.
        policy: Rates, caps, base and form of the community share, rounding;
            legal defaults.
        opening: Balances carried in; nothing by default.

    Raises:
        UnknownReference: figures name a project the venture does not run.
        AllocationError: two periods share a label, the agreed ratio is not
            agreed by all, or a needed figure is missing.

    Examples:
        >>> from grassroots.venture import Shareholder, ShareholderKind, Shareholding
        >>> soe = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
        >>> venture = JointVenture(
        ...     id="jv",
        ...     name="jv",
        ...     holdings=[Shareholding(shareholder=soe, subscribed=Decimal(100))],
        ... )
        >>> result = ProfitAllocation(
        ...     venture=venture,
        ...     figures=[
        ...         PeriodFigures(period="2023", other_profit=Decimal("-30")),
        ...         PeriodFigures(period="2024", other_profit=Decimal("50")),
        ...     ],
        ... )
        >>> [str(p.closing.loss) for p in result.periods]
        ['30.00', '0.00']
        >>> result.periods[1].total(Step.STATUTORY_RESERVE), result.periods[1].dividends()
        (Decimal('2.00'), {'soe': Decimal('18.00')})
    """

    venture: JointVenture = attrs.field(validator=attrs.validators.instance_of(JointVenture))
    figures: tuple[PeriodFigures, ...] = attrs.field(converter=_figures)
    policy: AllocationPolicy = attrs.field(
        default=_DEFAULT_POLICY, validator=attrs.validators.instance_of(AllocationPolicy)
    )
    opening: CarryForward = attrs.field(
        default=_NOTHING_CARRIED, validator=attrs.validators.instance_of(CarryForward)
    )
    periods: tuple[PeriodAllocation, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for figures in self.figures:
            if not isinstance(figures, PeriodFigures):
                raise TypeError(f"figures must be PeriodFigures values, not {type(figures)}")
            if figures.period in seen:
                raise AllocationError(
                    f"period {figures.period!r} appears twice",
                    value=figures.period,
                    rule="each period is allocated once",
                )
            seen.add(figures.period)
        if self.policy.agreement is not None:
            self.policy.agreement.check(self.venture)
        periods: list[PeriodAllocation] = []
        balances = self.opening
        for figures in self.figures:
            period = _allocate_period(self.venture, self.policy, balances, figures)
            periods.append(period)
            balances = period.closing
        object.__setattr__(self, "periods", tuple(periods))

    @property
    def closing(self) -> CarryForward:
        """The balances after the last period (the opening ones if there is none)."""
        return self.periods[-1].closing if self.periods else self.opening

    def period(self, label: str) -> PeriodAllocation:
        """Return the allocation of the period labelled ``label``.

        Raises:
            UnknownReference: no period has that label.
        """
        for period in self.periods:
            if period.period == label:
                return period
        raise UnknownReference(f"no period {label!r} in this allocation", value=label)

    def extend(self, figures: Iterable[PeriodFigures]) -> ProfitAllocation:
        """Return the allocation with more periods after the last one."""
        return attrs.evolve(self, figures=(*self.figures, *figures))

    def with_policy(self, policy: AllocationPolicy) -> ProfitAllocation:
        """Return the allocation of the same figures under ``policy`` (for sweeps)."""
        return attrs.evolve(self, policy=policy)

    def totals(self) -> dict[str, Decimal]:
        """Return the total per account over all periods (see `AllocationLine.account`)."""
        out: dict[str, Decimal] = {}
        for period in self.periods:
            for account, amount in period.flows().items():
                out[account] = out.get(account, Decimal("0.00")) + amount
        return out

    def cumulative(self) -> list[dict[str, Decimal]]:
        """Return, after each period, the cumulative amount per account so far."""
        running: dict[str, Decimal] = {}
        out: list[dict[str, Decimal]] = []
        for period in self.periods:
            for account, amount in period.flows().items():
                running[account] = running.get(account, Decimal("0.00")) + amount
            out.append(dict(running))
        return out

    def rows(self) -> list[dict[str, object]]:
        """Return every line of every period as a plain dict (exact values)."""
        return [row for period in self.periods for row in period.rows()]

    def to_dataframe(self) -> Any:
        """Return `rows()` as a ``pandas.DataFrame``; needs the ``notebook`` extra.

        Amounts stay exact ``Decimal`` values (object columns); convert them
        yourself where a chart needs floats.

        Raises:
            ModuleNotFoundError: pandas is not installed.
        """
        return _tabular.dataframe(self.rows(), _ALLOCATION_COLUMNS)

    def to_text(self) -> str:
        """Return every period as plain lines, with balances before and after.

        For terminal tables, use
        [`allocation_text`][grassroots.reports.allocation_text] (``cli`` extra).
        """
        return _render_text(self.periods)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return _render_html(self.periods)


# --- rendering -------------------------------------------------------------------------------


def owners_income(
    allocation: ProfitAllocation,
    period: str,
    rooms: Iterable[PublicServiceRoom],
    *,
    reasonable_costs: Mapping[str, Decimal | int | str] | None = None,
) -> tuple[CommonPartIncome, ...]:
    """Return what the owners are owed for ``period`` from the rooms that are their common parts.

    Rule: 民法典 arts 282–283 — where a project pays its community share as a
    contractual fee for using a room that is an owners' common part
    (``Ownership.OWNERS_COMMON``), that fee is income from the common parts:
    after reasonable costs it belongs to the compound's owners, and
    [`CommonPartIncome.shares`][grassroots.room.CommonPartIncome.shares] splits
    it by agreement or by exclusive area, exact to the fen. A community share
    paid as a dividend on equity held for the owners is a dividend, not such
    income, so it gives nothing here; so do rooms of other ownerships.

    Args:
        allocation: The allocation.
        period: The period's label.
        rooms: The rooms the venture's projects use (others are ignored).
        reasonable_costs: Room id to the period's reasonable costs in yuan.

    Returns:
        One income per owners' common-part room with a community share in the
        period, in the order of the lines.

    Raises:
        UnknownReference: the period is not in the allocation.

    Examples:
        >>> import pendulum
        >>> from grassroots.venture import (
        ...     JointVenture,
        ...     Project,
        ...     ProjectKind,
        ...     Shareholder,
        ...     ShareholderKind,
        ...     Shareholding,
        ... )
        >>> soe = Shareholder(id="soe", name="国企", kind=ShareholderKind.STATE_OWNED)
        >>> canteen = Project(
        ...     id="canteen",
        ...     name="幸福食堂",
        ...     kind=ProjectKind.HAPPINESS_CANTEEN,
        ...     subcommunity="x1",
        ...     room="r1",
        ... )
        >>> venture = JointVenture(
        ...     id="jv",
        ...     name="合资公司",
        ...     holdings=[Shareholding(shareholder=soe, subscribed=Decimal("1000000"))],
        ...     projects=[canteen],
        ... )
        >>> room = PublicServiceRoom.found(
        ...     id="r1",
        ...     subcommunity_id="x1",
        ...     location="3号楼一层",
        ...     area="120.00",
        ...     on=pendulum.Date(2023, 1, 5),
        ...     ownership=Ownership.OWNERS_COMMON,
        ... )
        >>> result = ProfitAllocation(
        ...     venture=venture,
        ...     figures=[
        ...         PeriodFigures(
        ...             period="2024",
        ...             projects=[ProjectResult(project="canteen", net_profit=Decimal("120000"))],
        ...         )
        ...     ],
        ... )
        >>> (income,) = owners_income(result, "2024", [room], reasonable_costs={"r1": "2000"})
        >>> income.gross, income.net
        (Decimal('12000.00'), Decimal('10000.00'))
    """
    chosen = allocation.period(period)
    if allocation.policy.community_share.form is not CommunityShareForm.CONTRACTUAL_FEE:
        return ()
    by_id = {room.id: room for room in to_tuple(rooms)}
    costs = {} if reasonable_costs is None else dict(reasonable_costs)
    gross: dict[str, int] = {}
    for line in chosen.lines:
        if line.step is not Step.COMMUNITY_SHARE or line.project is None:
            continue
        room_id = allocation.venture.project(line.project).room
        room = by_id.get(room_id) if room_id is not None else None
        if room is not None and room.ownership is Ownership.OWNERS_COMMON:
            gross[room.id] = gross.get(room.id, 0) + to_fen(line.amount)
    return tuple(
        by_id[room_id].common_part_income(
            period=period,
            gross=from_fen(amount),
            reasonable_costs=costs.get(room_id, Decimal("0.00")),
        )
        for room_id, amount in gross.items()
    )


def _rate_text(rate: Fraction | None) -> str:
    if rate is None:
        return ""
    percent = rate * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{rate.numerator}/{rate.denominator}"


_HEADERS = ("step", "to", "base", "rate", "amount", "rule", "note")
_RIGHT = frozenset({2, 3, 4})


def _cells(line: AllocationLine) -> tuple[str, ...]:
    recipient = line.recipient if line.project is None else f"{line.recipient} ({line.project})"
    return (
        line.step.term,
        recipient,
        str(line.base),
        _rate_text(line.rate),
        str(line.amount),
        line.rule,
        line.note,
    )


def _balances(carry: CarryForward) -> str:
    return (
        f"loss {carry.loss} · statutory reserve {carry.statutory_reserve}"
        f" · discretionary reserve {carry.discretionary_reserve} · retained {carry.retained}"
    )


def _text_line(line: AllocationLine) -> str:
    recipient = line.recipient if line.project is None else f"{line.recipient} ({line.project})"
    text = f"{line.step.term} → {recipient}: {line.amount}"
    text += f" = {_rate_text(line.rate)} × {line.base}" if line.rate is not None else ""
    text += f" [{line.rule}]"
    return text + (f" ({line.note})" if line.note else "")


def _render_text(periods: Sequence[PeriodAllocation]) -> str:
    """Plain lines, one per allocation line; the terminal tables live in grassroots.reports."""
    blocks: list[str] = []
    for period in periods:
        text = [
            (
                f"period {period.period}: profit {period.profit}"
                f" (registered capital {period.registered_capital})"
            ),
            f"  opening: {_balances(period.opening)}",
            *(f"  {_text_line(line)}" for line in period.lines),
            f"  closing: {_balances(period.closing)}",
        ]
        if period.payout_due_on is not None:
            text.append(f"  dividends due by {period.payout_due_on} (公司法 art. 212)")
        blocks.append("\n".join(text))
    return "\n\n".join(blocks) if blocks else "(no periods)"


def _render_html(periods: Sequence[PeriodAllocation]) -> str:
    parts = ['<div class="grassroots-allocation">']
    for period in periods:
        parts.append(
            f"<table><caption>period {html.escape(period.period)}: profit {period.profit}"
            f" (registered capital {period.registered_capital})</caption>"
        )
        parts.append(
            "<thead><tr>" + "".join(f"<th>{h}</th>" for h in _HEADERS) + "</tr></thead><tbody>"
        )
        for line in period.lines:
            cells = _cells(line)
            parts.append(
                "<tr>"
                + "".join(
                    f'<td style="text-align:{"right" if i in _RIGHT else "left"}">'
                    f"{html.escape(cell)}</td>"
                    for i, cell in enumerate(cells)
                )
                + "</tr>"
            )
        parts.append(
            f"</tbody></table><p>opening: {html.escape(_balances(period.opening))}<br>"
            f"closing: {html.escape(_balances(period.closing))}</p>"
        )
    parts.append("</div>")
    return "".join(parts)


# --- serialization hooks ---------------------------------------------------------------------


def _configure_converter(converter: cattrs.Converter) -> None:
    """Write a ProfitAllocation with its computed periods; check them when reading.

    The periods are derived from the inputs, so on reading they are computed
    again and, if the data carries ``"periods"``, compared: tampered results
    are refused.
    """
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

    unstructure_inputs = make_dict_unstructure_fn(ProfitAllocation, converter)
    structure_inputs = make_dict_structure_fn(ProfitAllocation, converter)

    def unstructure(value: ProfitAllocation) -> dict[str, Any]:
        data = unstructure_inputs(value)
        data["periods"] = converter.unstructure(
            value.periods, unstructure_as=tuple[PeriodAllocation, ...]
        )
        return data

    def structure(data: Any, cls: type[ProfitAllocation]) -> ProfitAllocation:
        if not isinstance(data, Mapping):
            raise TypeError(f"a profit allocation must be a mapping, not {type(data).__name__}")
        inputs = dict(data)
        given = inputs.pop("periods", None)
        allocation = structure_inputs(inputs, cls)
        if given is not None:
            periods = converter.structure(given, tuple[PeriodAllocation, ...])
            if periods != allocation.periods:
                raise AllocationMismatch(
                    "the periods given do not match the allocation of the figures",
                    value="periods",
                    rule="a profit allocation is computed from its figures",
                )
        return allocation

    converter.register_unstructure_hook(ProfitAllocation, unstructure)
    converter.register_structure_hook(ProfitAllocation, structure)
