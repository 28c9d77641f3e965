"""Hypothesis strategies for valid grassroots objects, for testing your own code.

Needs the ``hypothesis`` extra (``pip install grassroots[hypothesis]``). Every
strategy builds its objects through the public constructors, so what it draws
is always valid; each one's docstring says what it shrinks toward.

Examples:
    >>> from hypothesis import given
    >>> from grassroots import strategies as gst
    >>> @given(gst.yuan_amounts(min_value=0))
    ... def test_never_negative(amount):
    ...     assert amount >= 0
    >>> test_never_negative()
"""

from __future__ import annotations

from grassroots.strategies._deliberation import (
    actors,
    meeting_days,
    meeting_series,
    meeting_votes,
    messages,
    petitions,
    rule_sets,
)
from grassroots.strategies._ledger import (
    account_closures,
    accounts,
    draws,
    exchange_rates,
    expiry_policies,
    journal_entries,
    ledger_times,
    lots,
    points_ledgers,
    redemption_quotes,
    scheme_totals,
    schemes,
    statements,
    transfers,
)
from grassroots.strategies._money import fen_amounts, fractions_between, yuan_amounts
from grassroots.strategies._organisation import (
    counties,
    covering_branches,
    owners_votes,
    party_branches,
    public_service_rooms,
    residents,
    reward_schedules,
    subcommunities,
    talent_programmes,
)
from grassroots.strategies._programme import (
    daily_limits,
    earning_caps,
    funding_policies,
    merchants,
    participants,
    redemption_rules,
    volunteer_activities,
)
from grassroots.strategies._threshold import thresholds
from grassroots.strategies._venture import (
    allocation_policies,
    carry_forwards,
    equity_changes,
    joint_ventures,
    period_figures,
    profit_allocations,
    projects,
    shareholders,
)

__all__ = [
    "account_closures",
    "accounts",
    "actors",
    "allocation_policies",
    "carry_forwards",
    "counties",
    "covering_branches",
    "daily_limits",
    "draws",
    "earning_caps",
    "equity_changes",
    "exchange_rates",
    "expiry_policies",
    "fen_amounts",
    "fractions_between",
    "funding_policies",
    "joint_ventures",
    "journal_entries",
    "ledger_times",
    "lots",
    "meeting_days",
    "meeting_series",
    "meeting_votes",
    "merchants",
    "messages",
    "owners_votes",
    "participants",
    "party_branches",
    "period_figures",
    "petitions",
    "points_ledgers",
    "profit_allocations",
    "projects",
    "public_service_rooms",
    "redemption_quotes",
    "redemption_rules",
    "residents",
    "reward_schedules",
    "rule_sets",
    "scheme_totals",
    "schemes",
    "shareholders",
    "statements",
    "subcommunities",
    "talent_programmes",
    "thresholds",
    "transfers",
    "volunteer_activities",
    "yuan_amounts",
]
