"""Strategies for joint ventures and profit allocations (private; use grassroots.strategies)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from grassroots._validators import check_identifier, check_name
from grassroots.allocation import (
    LOSS_COVER,
    AgreedShare,
    AllocationPolicy,
    CarryForward,
    CommunityShare,
    CommunityShareBase,
    CommunityShareForm,
    DividendAgreement,
    LossCover,
    PeriodFigures,
    ProfitAllocation,
    ProjectResult,
)
from grassroots.errors import InvalidValue
from grassroots.money import ROUND_DOWN, ROUND_HALF_UP, from_fen, to_fen, yuan
from grassroots.threshold import Base, Threshold
from grassroots.venture import (
    MAX_SHAREHOLDERS,
    STATE_SHARE_MINIMUM,
    Background,
    CapitalIncrease,
    CapitalPayment,
    CapitalReduction,
    EquityChange,
    EquityTransfer,
    Hire,
    JointVenture,
    Project,
    ProjectKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
    VotingBasis,
)

__all__ = [
    "allocation_policies",
    "carry_forwards",
    "equity_changes",
    "joint_ventures",
    "period_figures",
    "profit_allocations",
    "projects",
    "shareholders",
]

_MAX_CAPITAL_FEN = 10**10  # one hundred million yuan a holding: beyond any compound's venture
_MAX_PROFIT_FEN = 10**9  # ten million yuan a project and period


def _valid(check: Callable[[object, str], str]) -> Callable[[str], bool]:
    def valid(text: str) -> bool:
        try:
            check(text, "text")
        except InvalidValue:
            return False
        return True

    return valid


# Any text the model-integrity rules accept: odd characters included, shrinking to "0".
_PRINTABLE = st.characters(exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"])
_ONE_LINE = st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"])
_IDS = st.text(_PRINTABLE, min_size=1, max_size=8).filter(_valid(check_identifier))
_NAMES = st.text(_ONE_LINE, min_size=1, max_size=12).filter(_valid(check_name))


def _fen_bounds(min_value: Decimal | int | str, max_value: Decimal | int | str) -> tuple[int, int]:
    try:
        low, high = to_fen(yuan(min_value)), to_fen(yuan(max_value))
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(str(exc)) from exc
    if low > high:
        raise InvalidArgument(f"min_value {min_value} is greater than max_value {max_value}")
    return low, high


def _check_sizes(
    name: str, low: int, high: int, *, floor: int = 0, ceiling: int | None = None
) -> None:
    for value in (low, high):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgument(f"{name} bounds must be int, not {type(value).__name__}")
    if low < floor:
        raise InvalidArgument(f"min_{name} {low} is below {floor}")
    if ceiling is not None and high > ceiling:
        raise InvalidArgument(f"max_{name} {high} is above {ceiling}")
    if low > high:
        raise InvalidArgument(f"min_{name} {low} is greater than max_{name} {high}")


def _dates() -> st.SearchStrategy[pendulum.Date]:
    return st.dates(min_value=pendulum.Date(2000, 1, 1), max_value=pendulum.Date(2100, 12, 31)).map(
        lambda d: pendulum.Date(d.year, d.month, d.day)
    )


def shareholders(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    kinds: st.SearchStrategy[ShareholderKind] = st.sampled_from(ShareholderKind),
) -> st.SearchStrategy[Shareholder]:
    """Draw a [`Shareholder`][grassroots.venture.Shareholder].

    Shrinks toward a state-owned enterprise with a one-character id and a
    one-character name. Needs the ``hypothesis`` extra.
    """
    return st.builds(Shareholder, id=ids, name=_NAMES, kind=kinds)


@st.composite
def _hires(draw: st.DrawFn, max_staff: int) -> tuple[Hire, ...]:
    people = draw(st.lists(_IDS, max_size=max_staff, unique=True))
    return tuple(
        Hire(
            person=person,
            resident=draw(st.booleans()),
            background=draw(st.sampled_from(Background)),
        )
        for person in people
    )


def projects(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    subcommunities: st.SearchStrategy[str] = _IDS,
    rooms: st.SearchStrategy[str | None] = st.none() | _IDS,
    kinds: st.SearchStrategy[ProjectKind] = st.sampled_from(ProjectKind),
    max_staff: int = 6,
) -> st.SearchStrategy[Project]:
    """Draw a [`Project`][grassroots.venture.Project] in a compound, perhaps in a room, with staff.

    Shrinks toward a convenience store with no room and no staff. Needs the
    ``hypothesis`` extra.

    Raises:
        InvalidArgument: ``max_staff`` is negative.
    """
    _check_sizes("staff", 0, max_staff)
    return st.builds(
        Project,
        id=ids,
        name=_NAMES,
        kind=kinds,
        subcommunity=subcommunities,
        room=rooms,
        staff=_hires(max_staff),
    )


def _state_policies() -> st.SearchStrategy[Threshold | None]:
    return st.one_of(
        st.just(STATE_SHARE_MINIMUM),
        st.none(),
        st.builds(
            Threshold,
            ratio=st.fractions(min_value=0, max_value=1, max_denominator=100),
            base=st.just(Base.CAPITAL),
            inclusive=st.booleans(),
        ).filter(lambda t: t.inclusive or t.ratio < 1),
    )


def _state_minimum(policy: Threshold | None, others: int) -> int:
    """Return the least state capital in fen that meets ``policy`` next to ``others`` fen."""
    if policy is None:
        return 0
    ratio = policy.ratio
    if ratio == 1:
        return 1
    exact = ratio * others / (1 - ratio)
    floor = exact.numerator // exact.denominator
    if policy.inclusive:
        return floor if floor == exact else floor + 1
    return floor + 1


def joint_ventures(
    *,
    min_shareholders: int = 1,
    max_shareholders: int = MAX_SHAREHOLDERS,
    min_projects: int = 0,
    max_projects: int = 4,
    state_share_minimums: st.SearchStrategy[Threshold | None] = _state_policies(),
    voting_bases: st.SearchStrategy[VotingBasis] = st.sampled_from(VotingBasis),
    max_capital: Decimal | int | str = from_fen(_MAX_CAPITAL_FEN),
) -> st.SearchStrategy[JointVenture]:
    """Draw a valid [`JointVenture`][grassroots.venture.JointVenture].

    Capital is drawn holding by holding, then the first state-owned holding is
    raised just enough to meet the drawn state-share policy, so every policy
    (the default 51%, none, any exact threshold of capital) is covered; paid-in
    capital is anything from nothing to fully paid; votes follow any
    [`VotingBasis`][grassroots.venture.VotingBasis]; several projects may share a
    compound. Needs the ``hypothesis`` extra.

    Shrinks toward a single state-owned shareholder with one fen of capital,
    the 51% policy, votes by subscribed capital, and no projects.

    Args:
        min_shareholders: At least 1 (公司法 art. 42).
        max_shareholders: At most 50 (公司法 art. 42).
        min_projects: Fewest projects.
        max_projects: Most projects.
        state_share_minimums: The policies to draw ``min_state_share`` from.
        voting_bases: The voting bases to draw.
        max_capital: Largest subscribed capital drawn per holding, before the
            top-up of the state holding.

    Raises:
        InvalidArgument: a bound is out of range or a minimum is above its maximum.
    """
    _check_sizes("shareholders", min_shareholders, max_shareholders, floor=1, ceiling=50)
    _check_sizes("projects", min_projects, max_projects)
    _low, high = _fen_bounds(1, max_capital)
    return _joint_ventures(
        min_shareholders=min_shareholders,
        max_shareholders=max_shareholders,
        min_projects=min_projects,
        max_projects=max_projects,
        policies=state_share_minimums,
        voting_bases=voting_bases,
        max_fen=high,
    )


@st.composite
def _joint_ventures(
    draw: st.DrawFn,
    *,
    min_shareholders: int,
    max_shareholders: int,
    min_projects: int,
    max_projects: int,
    policies: st.SearchStrategy[Threshold | None],
    voting_bases: st.SearchStrategy[VotingBasis],
    max_fen: int,
) -> JointVenture:
    policy = draw(policies)
    count = draw(st.integers(min_value=min_shareholders, max_value=max_shareholders))
    ids = draw(st.lists(_IDS, min_size=count, max_size=count, unique=True))
    kinds = [draw(st.sampled_from(ShareholderKind)) for _ in ids]
    needs_state = policy is not None and (policy.ratio > 0 or not policy.inclusive)
    if needs_state:
        kinds[0] = ShareholderKind.STATE_OWNED
    if policy is not None and policy.ratio == 1:
        kinds = [ShareholderKind.STATE_OWNED for _ in ids]
    amounts = [draw(st.integers(min_value=1, max_value=max_fen)) for _ in ids]
    state_fen = sum(
        a for a, k in zip(amounts, kinds, strict=True) if k is ShareholderKind.STATE_OWNED
    )
    others_fen = sum(amounts) - state_fen
    shortfall = _state_minimum(policy, others_fen) - state_fen
    if needs_state and shortfall > 0:
        amounts[kinds.index(ShareholderKind.STATE_OWNED)] += shortfall
    paid = [draw(st.integers(min_value=0, max_value=amount)) for amount in amounts]
    basis = draw(voting_bases)
    if basis is VotingBasis.PAID_IN and not any(paid):
        paid[0] = amounts[0]
    votes: list[Fraction | None] = [None for _ in ids]
    if basis is VotingBasis.ARTICLES:
        votes = [Fraction(draw(st.integers(min_value=0, max_value=100))) for _ in ids]
        if not any(votes):
            votes[0] = Fraction(1)
    holdings = [
        Shareholding(
            shareholder=Shareholder(id=key, name=draw(_NAMES), kind=kind),
            subscribed=from_fen(amount),
            paid_in=from_fen(paid_fen),
            votes=vote,
        )
        for key, kind, amount, paid_fen, vote in zip(ids, kinds, amounts, paid, votes, strict=True)
    ]
    compounds = draw(st.lists(_IDS, min_size=1, max_size=3, unique=True))
    project_list = draw(
        st.lists(
            projects(subcommunities=st.sampled_from(compounds)),
            min_size=min_projects,
            max_size=max_projects,
            unique_by=lambda project: project.id,
        )
    )
    return JointVenture(
        id=draw(_IDS),
        name=draw(_NAMES),
        holdings=holdings,
        projects=project_list,
        voting=basis,
        min_state_share=policy,
        founded_on=draw(st.none() | _dates()),
    )


def equity_changes(venture: JointVenture) -> st.SearchStrategy[EquityChange]:
    """Draw an equity change of ``venture``: a transfer, an increase, a reduction or a payment.

    Amounts stay within what the holdings allow, but the change may still be
    refused by ``venture.apply`` (the state-share policy, a missing special
    resolution, more than 50 shareholders): that is what it is for. Shrinks
    toward a one-fen transfer from the first shareholder to a new one. Needs
    the ``hypothesis`` extra.
    """
    if not isinstance(venture, JointVenture):
        raise InvalidArgument(f"venture must be a JointVenture, not {type(venture).__name__}")
    options: list[st.SearchStrategy[EquityChange]] = [
        _transfers(venture),
        _increases(venture),
        _reductions(venture),
    ]
    if any(h.unpaid > 0 for h in venture.holdings):
        options.append(_payments(venture))
    return st.one_of(options)


def _new_holder(venture: JointVenture) -> st.SearchStrategy[Shareholder]:
    taken = set(venture.shareholder_ids)
    return shareholders(ids=_IDS.filter(lambda key: key not in taken))


def _votes_for(venture: JointVenture, *, new: bool) -> st.SearchStrategy[Fraction | None]:
    if venture.voting is not VotingBasis.ARTICLES:
        return st.none()
    drawn = st.integers(min_value=0, max_value=100).map(Fraction)
    return drawn if new else st.none() | drawn


@st.composite
def _transfers(draw: st.DrawFn, venture: JointVenture) -> EquityTransfer:
    seller = draw(st.sampled_from(venture.holdings))
    others = [h.shareholder for h in venture.holdings if h.id != seller.id]
    buyer = draw(_new_holder(venture) | st.sampled_from(others) if others else _new_holder(venture))
    sub = to_fen(seller.subscribed)
    amount = draw(st.integers(min_value=1, max_value=sub))
    paid_fen = to_fen(seller.paid_in)
    low = max(0, paid_fen - (sub - amount))
    paid = draw(st.integers(min_value=low, max_value=min(amount, paid_fen)))
    new = buyer.id not in venture.shareholder_ids
    return EquityTransfer(
        seller=seller.id,
        buyer=buyer,
        subscribed=from_fen(amount),
        paid_in=from_fen(paid),
        votes=draw(_votes_for(venture, new=new)),
    )


@st.composite
def _increases(draw: st.DrawFn, venture: JointVenture) -> CapitalIncrease:
    existing = [h.shareholder for h in venture.holdings]
    holder = draw(st.sampled_from(existing) | _new_holder(venture))
    amount = draw(st.integers(min_value=1, max_value=to_fen(venture.registered_capital)))
    new = holder.id not in venture.shareholder_ids
    return CapitalIncrease(
        shareholder=holder,
        subscribed=from_fen(amount),
        paid_in=from_fen(draw(st.integers(min_value=0, max_value=amount))),
        approved_by=draw(st.frozensets(st.sampled_from(venture.shareholder_ids))),
        votes=draw(_votes_for(venture, new=new)),
    )


@st.composite
def _reductions(draw: st.DrawFn, venture: JointVenture) -> CapitalReduction:
    holding = draw(st.sampled_from(venture.holdings))
    sub = to_fen(holding.subscribed)
    amount = draw(st.integers(min_value=1, max_value=sub))
    paid_fen = to_fen(holding.paid_in)
    low = max(0, paid_fen - (sub - amount))
    return CapitalReduction(
        shareholder=holding.id,
        subscribed=from_fen(amount),
        paid_in=from_fen(draw(st.integers(min_value=low, max_value=min(amount, paid_fen)))),
        approved_by=draw(st.frozensets(st.sampled_from(venture.shareholder_ids))),
    )


@st.composite
def _payments(draw: st.DrawFn, venture: JointVenture) -> CapitalPayment:
    holding = draw(st.sampled_from([h for h in venture.holdings if h.unpaid > 0]))
    amount = draw(st.integers(min_value=1, max_value=to_fen(holding.unpaid)))
    return CapitalPayment(shareholder=holding.id, amount=from_fen(amount))


def period_figures(
    venture: JointVenture,
    *,
    labels: st.SearchStrategy[str] = _IDS,
    min_value: Decimal | int | str = -from_fen(_MAX_PROFIT_FEN),
    max_value: Decimal | int | str = from_fen(_MAX_PROFIT_FEN),
) -> st.SearchStrategy[PeriodFigures]:
    """Draw one period's figures for some of ``venture``'s projects (none if it has none).

    Each project's after-tax net profit lies in ``[min_value, max_value]``
    (losses included), its pre-tax profit is at least that, and the venture's
    other profit lies in the same range. Shrinks toward zero profit
    everywhere and no project results. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: a bound has more than two places, or ``min_value`` is
            greater than ``max_value``.
    """
    if not isinstance(venture, JointVenture):
        raise InvalidArgument(f"venture must be a JointVenture, not {type(venture).__name__}")
    low, high = _fen_bounds(min_value, max_value)
    return _period_figures(venture, labels, low, high)


def _towards_zero(low: int, high: int) -> st.SearchStrategy[int]:
    if low <= 0 <= high:
        return st.integers(min_value=0, max_value=high) | st.integers(min_value=low, max_value=0)
    return st.integers(min_value=low, max_value=high)


@st.composite
def _period_figures(
    draw: st.DrawFn, venture: JointVenture, labels: st.SearchStrategy[str], low: int, high: int
) -> PeriodFigures:
    chosen = (
        draw(st.lists(st.sampled_from(venture.projects), unique_by=lambda p: p.id))
        if venture.projects
        else []
    )
    results = []
    for project in chosen:
        net = draw(_towards_zero(low, high))
        tax = draw(st.integers(min_value=0, max_value=max(0, net)))
        results.append(
            ProjectResult(
                project=project.id, net_profit=from_fen(net), pre_tax_profit=from_fen(net + tax)
            )
        )
    return PeriodFigures(
        period=draw(labels),
        projects=results,
        other_profit=from_fen(draw(_towards_zero(low, high))),
        resolved_on=draw(st.none() | _dates()),
    )


def _rates(default: Fraction) -> st.SearchStrategy[Fraction]:
    return st.just(default) | st.fractions(min_value=0, max_value=1, max_denominator=1_000)


def allocation_policies(
    *,
    venture: JointVenture | None = None,
    loss_covers: st.SearchStrategy[LossCover] = st.just(LOSS_COVER),
) -> st.SearchStrategy[AllocationPolicy]:
    """Draw an `AllocationPolicy`: any rates, bases and forms.

    With ``venture``, may also draw a dividend ratio agreed by all its
    shareholders. Shrinks toward the legal defaults (a contractual 10% of
    after-tax project profit, 10% to the statutory reserve up to half the
    capital, everything paid out by paid-in capital). The order of loss
    cover comes from ``loss_covers``, by default always the year's profit first
    (pass ``st.sampled_from(LossCover)`` for both orders of 公司法 arts 210 ¶2
    and 214 ¶2). Needs the ``hypothesis`` extra.
    """
    if venture is not None and not isinstance(venture, JointVenture):
        raise InvalidArgument(
            f"venture must be a JointVenture or None, not {type(venture).__name__}"
        )
    return _allocation_policies(venture, loss_covers)


@st.composite
def _community_shares(draw: st.DrawFn) -> CommunityShare:
    base = draw(st.sampled_from(CommunityShareBase))
    forms = [CommunityShareForm.CONTRACTUAL_FEE]
    if base is CommunityShareBase.DISTRIBUTABLE_PROFIT:
        forms.append(CommunityShareForm.DIVIDEND_ON_EQUITY)
    return CommunityShare(
        rate=draw(_rates(Fraction(1, 10))), base=base, form=draw(st.sampled_from(forms))
    )


@st.composite
def _allocation_policies(
    draw: st.DrawFn, venture: JointVenture | None, loss_covers: st.SearchStrategy[LossCover]
) -> AllocationPolicy:
    agreement = None
    if venture is not None and draw(st.booleans()):
        weights = [
            Fraction(draw(st.integers(min_value=0, max_value=100))) for _ in venture.holdings
        ]
        if not any(weights):
            weights[0] = Fraction(1)
        agreement = DividendAgreement(
            shares=[
                AgreedShare(shareholder=h.id, weight=w)
                for h, w in zip(venture.holdings, weights, strict=True)
            ],
            agreed_by=venture.shareholder_ids,
        )
    return AllocationPolicy(
        community_share=draw(st.just(CommunityShare()) | _community_shares()),
        statutory_reserve_rate=draw(_rates(Fraction(1, 10))),
        statutory_reserve_cap=draw(_rates(Fraction(1, 2))),
        discretionary_reserve_rate=draw(_rates(Fraction(0))),
        payout_ratio=draw(_rates(Fraction(1))),
        agreement=agreement,
        rounding=draw(st.sampled_from([ROUND_HALF_UP, ROUND_DOWN])),
        loss_cover=draw(loss_covers),
    )


def carry_forwards(
    *, max_value: Decimal | int | str = from_fen(_MAX_PROFIT_FEN)
) -> st.SearchStrategy[CarryForward]:
    """Draw opening balances: a loss or undistributed profit (not both), and reserves.

    Shrinks toward nothing carried. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: ``max_value`` is negative or has more than two places.
    """
    _low, high = _fen_bounds(0, max_value)
    amounts = st.integers(min_value=0, max_value=high).map(from_fen)
    zero = Decimal("0.00")
    return st.one_of(
        st.just(CarryForward()),
        st.builds(
            CarryForward, loss=amounts, statutory_reserve=amounts, discretionary_reserve=amounts
        ),
        st.builds(
            CarryForward,
            loss=st.just(zero),
            statutory_reserve=amounts,
            discretionary_reserve=amounts,
            retained=amounts,
        ),
    )


def profit_allocations(
    *,
    ventures: st.SearchStrategy[JointVenture] | None = None,
    min_periods: int = 1,
    max_periods: int = 4,
    min_value: Decimal | int | str = -from_fen(_MAX_PROFIT_FEN),
    max_value: Decimal | int | str = from_fen(_MAX_PROFIT_FEN),
) -> st.SearchStrategy[ProfitAllocation]:
    """Draw a [`ProfitAllocation`][grassroots.allocation.ProfitAllocation] over several periods.

    A venture (by default from [`joint_ventures()`][grassroots.strategies.joint_ventures] with one
    to three
    projects), a policy from [`allocation_policies()`][grassroots.strategies.allocation_policies]
    (legal defaults
    first), balances carried in from [`carry_forwards()`][grassroots.strategies.carry_forwards], and
    each
    period's figures from [`period_figures()`][grassroots.strategies.period_figures] with labels
    ``"P1"``,
    ``"P2"``, .... Shrinks toward one period of zero profit under the legal
    defaults. Needs the ``hypothesis`` extra.

    Raises:
        InvalidArgument: a bound is out of range or a minimum is above its maximum.
    """
    _check_sizes("periods", min_periods, max_periods)
    low, high = _fen_bounds(min_value, max_value)
    source = ventures if ventures is not None else joint_ventures(min_projects=1, max_projects=3)
    return _profit_allocations(
        ventures=source, min_periods=min_periods, max_periods=max_periods, low=low, high=high
    )


@st.composite
def _profit_allocations(
    draw: st.DrawFn,
    *,
    ventures: st.SearchStrategy[JointVenture],
    min_periods: int,
    max_periods: int,
    low: int,
    high: int,
) -> ProfitAllocation:
    venture = draw(ventures)
    count = draw(st.integers(min_value=min_periods, max_value=max_periods))
    figures = [
        draw(_period_figures(venture, st.just(f"P{number}"), low, high))
        for number in range(1, count + 1)
    ]
    return ProfitAllocation(
        venture=venture,
        figures=figures,
        policy=draw(allocation_policies(venture=venture)),
        opening=draw(carry_forwards()),
    )
