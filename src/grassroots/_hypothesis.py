"""The Hypothesis entry point (private): registers strategies for grassroots types.

Hypothesis calls `_hypothesis_setup_hook` when it is imported in an
environment where grassroots is installed, so ``st.from_type(JointVenture)``
and ``st.builds(...)`` over grassroots types work with no setup. The hook
imports only the core types; each strategy is looked up in
[`grassroots.strategies`][grassroots.strategies] when first drawn, because that module itself
imports Hypothesis.
"""

from __future__ import annotations

import importlib
from typing import Any

# The public type and the name of the strategy in grassroots.strategies that draws it.
TYPE_STRATEGIES: tuple[tuple[str, str, str], ...] = (
    ("grassroots.threshold", "Threshold", "thresholds"),
    ("grassroots.ledger", "PointsLedger", "points_ledgers"),
    ("grassroots.ledger", "Scheme", "schemes"),
    ("grassroots.ledger", "Account", "accounts"),
    ("grassroots.ledger", "Transfer", "transfers"),
    ("grassroots.ledger", "JournalEntry", "journal_entries"),
    ("grassroots.ledger", "ExpiryPolicy", "expiry_policies"),
    ("grassroots.ledger", "ExchangeRate", "exchange_rates"),
    ("grassroots.ledger", "Lot", "lots"),
    ("grassroots.ledger", "AccountClosure", "account_closures"),
    ("grassroots.ledger", "Draw", "draws"),
    ("grassroots.ledger", "Statement", "statements"),
    ("grassroots.ledger", "SchemeTotals", "scheme_totals"),
    ("grassroots.ledger", "RedemptionQuote", "redemption_quotes"),
    ("grassroots.venture", "JointVenture", "joint_ventures"),
    ("grassroots.venture", "Shareholder", "shareholders"),
    ("grassroots.venture", "Project", "projects"),
    ("grassroots.allocation", "ProfitAllocation", "profit_allocations"),
    ("grassroots.allocation", "AllocationPolicy", "allocation_policies"),
    ("grassroots.allocation", "CarryForward", "carry_forwards"),
    ("grassroots.subcommunity", "County", "counties"),
    ("grassroots.subcommunity", "Subcommunity", "subcommunities"),
    ("grassroots.branch", "PartyBranch", "party_branches"),
    ("grassroots.room", "PublicServiceRoom", "public_service_rooms"),
    ("grassroots.room", "OwnersVote", "owners_votes"),
    ("grassroots.resident", "Resident", "residents"),
    ("grassroots.talent", "TalentProgramme", "talent_programmes"),
    ("grassroots.talent", "RewardSchedule", "reward_schedules"),
    ("grassroots.deliberation.rules", "RuleSet", "rule_sets"),
    ("grassroots.deliberation.assembly", "MeetingVote", "meeting_votes"),
    ("grassroots.deliberation.assembly", "Petition", "petitions"),
    ("grassroots.deliberation.meeting", "MeetingSeries", "meeting_series"),
    ("grassroots.deliberation.mailbox", "Message", "messages"),
    ("grassroots.deliberation.pipeline", "Actor", "actors"),
    ("grassroots.programme.activity", "Participant", "participants"),
    ("grassroots.programme.activity", "VolunteerActivity", "volunteer_activities"),
    ("grassroots.programme.caps", "EarningCap", "earning_caps"),
    ("grassroots.programme.shop", "RedemptionRule", "redemption_rules"),
    ("grassroots.programme.shop", "Merchant", "merchants"),
    ("grassroots.programme.fund", "FundingPolicy", "funding_policies"),
    ("grassroots.programme.window", "DailyLimit", "daily_limits"),
)


def _lazy(name: str) -> Any:
    from hypothesis import strategies as st

    def build() -> Any:
        return getattr(importlib.import_module("grassroots.strategies"), name)()

    return st.deferred(build)


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    for module, type_name, strategy in TYPE_STRATEGIES:
        cls = getattr(importlib.import_module(module), type_name)
        st.register_type_strategy(cls, _lazy(strategy))
