"""Every public class and function of ``grassroots`` refuses bad values with our errors.

A bad *value* of the right type (a blank id, a NUL, a negative count, money
with a third place or beyond the maximum, a ratio over one) is either
accepted, where the model admits it, or refused with a
[`GrassrootsError`][grassroots.errors.GrassrootsError] subclass; a wrong
*type* raises ``TypeError``. Nothing else escapes: no bare ``ValueError``,
``decimal.InvalidOperation``, ``OverflowError`` or ``AttributeError``.

The walk takes valid instances of every public attrs class from the exported
strategies (the first draw holding one), then changes one field at a time
with ``attrs.evolve``, which runs the constructor's checks again.
"""

from __future__ import annotations

import enum
import functools
import inspect
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

import grassroots
from grassroots import strategies as gst
from grassroots.deliberation.mailbox import Service
from grassroots.deliberation.pipeline import Channel, Place
from grassroots.errors import GrassrootsError

_VENTURES = gst.joint_ventures(min_projects=1)
_CHANGES = _VENTURES.flatmap(gst.equity_changes)

# The exported strategy whose draws hold each public class (the first such draw is used).
SOURCES: dict[str, st.SearchStrategy[Any]] = {
    "Account": gst.accounts(),
    "AccountClosure": gst.account_closures(),
    "AgreedShare": gst.profit_allocations(),
    "AllocationPolicy": gst.allocation_policies(),
    "BranchMember": gst.party_branches(),
    "BranchRules": gst.party_branches(),
    "Building": gst.counties(),
    "CapitalIncrease": _CHANGES,
    "CapitalPayment": _CHANGES,
    "CapitalReduction": _CHANGES,
    "CarryForward": gst.carry_forwards(),
    "Community": gst.counties(),
    "CommunityShare": gst.allocation_policies(),
    "County": gst.counties(),
    "DividendAgreement": gst.profit_allocations(),
    "EquityTransfer": _CHANGES,
    "ExchangeRate": gst.exchange_rates(),
    "ExpiryPolicy": gst.expiry_policies(),
    "Grid": gst.counties(),
    "GridWorker": gst.counties(),
    "Hire": _VENTURES,
    "JointVenture": _VENTURES,
    "JournalEntry": gst.journal_entries(),
    "ListItem": gst.talent_programmes(),
    "Lot": gst.lots(),
    "Officer": gst.party_branches(),
    "OwnersVote": gst.owners_votes(),
    "PartyBranch": gst.party_branches(),
    "PeriodFigures": _VENTURES.flatmap(gst.period_figures),
    "ProfitAllocation": gst.profit_allocations(),
    "Project": gst.projects(),
    "PublicServiceRoom": gst.public_service_rooms(),
    "Resident": gst.residents(),
    "RewardSchedule": gst.reward_schedules(),
    "Scheme": gst.schemes(),
    "SchemeTotals": gst.scheme_totals(),
    "Shareholder": gst.shareholders(),
    "Shareholding": _VENTURES,
    "Statement": gst.statements(),
    "Street": gst.counties(),
    "Subcommunity": gst.subcommunities(),
    "Talent": gst.talent_programmes(),
    "TalentProgramme": gst.talent_programmes(),
    "Threshold": gst.thresholds(),
    "Transfer": gst.transfers(),
    "Unit": gst.counties(),
    "Actor": gst.actors(),
    "DailyLimit": gst.daily_limits(),
    "EarningCap": gst.earning_caps(),
    "FundingPolicy": gst.funding_policies(),
    "MeetingSeries": gst.meeting_series(),
    "MeetingVote": gst.meeting_votes(),
    "Merchant": gst.merchants(),
    "Message": gst.messages(),
    "Participant": gst.participants(),
    "Petition": gst.petitions(),
    "RedemptionRule": gst.redemption_rules(),
    "Reward": gst.volunteer_activities(),
    "RuleSet": gst.rule_sets(),
    "VolunteerActivity": gst.volunteer_activities(),
}

# Built by hand: no strategy draws it, and its constructor is plain.
BY_HAND: dict[str, Callable[[], object]] = {
    "Finding": lambda: grassroots.Finding(rule="a rule", subject="x0001", message="a finding"),
    "Absence": lambda: grassroots.Absence(
        person_id="m01", kind=grassroots.AbsenceKind.LONG_ILLNESS, approved_by="街道党工委"
    ),
    "CommonPartIncome": lambda: grassroots.CommonPartIncome(
        room_id="r001", subcommunity_id="x0001", period="2026", gross="1200.00"
    ),
    "ServiceCorner": lambda: grassroots.ServiceCorner(
        shop_id="shop1", shop_name="24小时便利店", services=[next(iter(Service))]
    ),
    "SuggestionDetails": lambda: grassroots.SuggestionDetails(
        text="增设充电桩",
        place=Place(subcommunity_id="x0001"),
        category="facilities",
        channel=Channel.PATROL,
    ),
}

PUBLIC_CLASSES = sorted(
    name
    for name in grassroots.__all__
    if inspect.isclass(getattr(grassroots, name))
    and attrs.has(getattr(grassroots, name))
    and not issubclass(getattr(grassroots, name), enum.Enum)
)

# Defects inside other areas' classes, by test id: each is a strict xfail naming
# the defect, so the walk stays whole and a fix turns the run red.
KNOWN_DEFECTS: dict[str, str] = {
    "Account.id-0": (
        "grassroots.ledger.Account.id: bad value '' raises ValueError (id must not be"
        " empty), not a GrassrootsError"
    ),
    "Account.id-3": (
        "grassroots.ledger.Account.id: bad value '\\x00' raises ValueError (id '\\x00' "
        "contains a NUL character, which the journal's encoding uses ), not a "
        "GrassrootsError"
    ),
    "Account.id-4": (
        "grassroots.ledger.Account.id: bad value 'a\\x00b' raises ValueError (id "
        "'a\\x00b' contains a NUL character, which the journal's encoding use), not a "
        "GrassrootsError"
    ),
    "Account.id-5": (
        "grassroots.ledger.Account.id: bad value '\\ud800' raises ValueError (id "
        "'\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Account.scheme-0": (
        "grassroots.ledger.Account.scheme: bad value '' raises ValueError (scheme "
        "must not be empty), not a GrassrootsError"
    ),
    "Account.scheme-3": (
        "grassroots.ledger.Account.scheme: bad value '\\x00' raises ValueError (scheme"
        " '\\x00' contains a NUL character, which the journal's encoding u), not a "
        "GrassrootsError"
    ),
    "Account.scheme-4": (
        "grassroots.ledger.Account.scheme: bad value 'a\\x00b' raises ValueError "
        "(scheme 'a\\x00b' contains a NUL character, which the journal's encoding), "
        "not a GrassrootsError"
    ),
    "Account.scheme-5": (
        "grassroots.ledger.Account.scheme: bad value '\\ud800' raises ValueError "
        "(scheme '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Account.kind-0": (
        "grassroots.ledger.Account.kind: wrong type None raises ValueError (None is "
        "not a valid AccountKind), not TypeError"
    ),
    "Account.kind-1": (
        "grassroots.ledger.Account.kind: wrong type 1.5 raises ValueError (1.5 is not"
        " a valid AccountKind), not TypeError"
    ),
    "Account.kind-2": (
        "grassroots.ledger.Account.kind: wrong type object() raises ValueError "
        "(object() is not a valid AccountKind), not TypeError"
    ),
    "Account.owner-3": (
        "grassroots.ledger.Account.owner: bad value '\\x00' raises ValueError (owner "
        "'\\x00' contains a NUL character, which the journal's encoding us), not a "
        "GrassrootsError"
    ),
    "Account.owner-4": (
        "grassroots.ledger.Account.owner: bad value 'a\\x00b' raises ValueError (owner"
        " 'a\\x00b' contains a NUL character, which the journal's encoding ), not a "
        "GrassrootsError"
    ),
    "Account.owner-5": (
        "grassroots.ledger.Account.owner: bad value '\\ud800' raises ValueError (owner"
        " '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Account.name-3": (
        "grassroots.ledger.Account.name: bad value '\\x00' raises ValueError (name "
        "'\\x00' contains a NUL character, which the journal's encoding use), not a "
        "GrassrootsError"
    ),
    "Account.name-4": (
        "grassroots.ledger.Account.name: bad value 'a\\x00b' raises ValueError (name "
        "'a\\x00b' contains a NUL character, which the journal's encoding u), not a "
        "GrassrootsError"
    ),
    "Account.name-5": (
        "grassroots.ledger.Account.name: bad value '\\ud800' raises ValueError (name "
        "'\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "AccountClosure.account-0": (
        "grassroots.ledger.AccountClosure.account: bad value '' raises ValueError "
        "(account must not be empty), not a GrassrootsError"
    ),
    "AccountClosure.account-3": (
        "grassroots.ledger.AccountClosure.account: bad value '\\x00' raises ValueError"
        " (account '\\x00' contains a NUL character, which the journal's encoding ), "
        "not a GrassrootsError"
    ),
    "AccountClosure.account-4": (
        "grassroots.ledger.AccountClosure.account: bad value 'a\\x00b' raises "
        "ValueError (account 'a\\x00b' contains a NUL character, which the journal's "
        "encodin), not a GrassrootsError"
    ),
    "AccountClosure.account-5": (
        "grassroots.ledger.AccountClosure.account: bad value '\\ud800' raises "
        "ValueError (account '\\ud800' is not valid Unicode text), not a "
        "GrassrootsError"
    ),
    "AccountClosure.memo-3": (
        "grassroots.ledger.AccountClosure.memo: bad value '\\x00' raises ValueError "
        "(memo '\\x00' contains a NUL character, which the journal's encoding use), "
        "not a GrassrootsError"
    ),
    "AccountClosure.memo-4": (
        "grassroots.ledger.AccountClosure.memo: bad value 'a\\x00b' raises ValueError "
        "(memo 'a\\x00b' contains a NUL character, which the journal's encoding u), "
        "not a GrassrootsError"
    ),
    "AccountClosure.memo-5": (
        "grassroots.ledger.AccountClosure.memo: bad value '\\ud800' raises ValueError "
        "(memo '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "ExchangeRate.source-0": (
        "grassroots.ledger.ExchangeRate.source: bad value '' raises ValueError "
        "(source must not be empty), not a GrassrootsError"
    ),
    "ExchangeRate.source-3": (
        "grassroots.ledger.ExchangeRate.source: bad value '\\x00' raises ValueError "
        "(source '\\x00' contains a NUL character, which the journal's encoding u), "
        "not a GrassrootsError"
    ),
    "ExchangeRate.source-4": (
        "grassroots.ledger.ExchangeRate.source: bad value 'a\\x00b' raises ValueError "
        "(source 'a\\x00b' contains a NUL character, which the journal's encoding), "
        "not a GrassrootsError"
    ),
    "ExchangeRate.source-5": (
        "grassroots.ledger.ExchangeRate.source: bad value '\\ud800' raises ValueError "
        "(source '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "ExchangeRate.target-0": (
        "grassroots.ledger.ExchangeRate.target: bad value '' raises ValueError "
        "(target must not be empty), not a GrassrootsError"
    ),
    "ExchangeRate.target-3": (
        "grassroots.ledger.ExchangeRate.target: bad value '\\x00' raises ValueError "
        "(target '\\x00' contains a NUL character, which the journal's encoding u), "
        "not a GrassrootsError"
    ),
    "ExchangeRate.target-4": (
        "grassroots.ledger.ExchangeRate.target: bad value 'a\\x00b' raises ValueError "
        "(target 'a\\x00b' contains a NUL character, which the journal's encoding), "
        "not a GrassrootsError"
    ),
    "ExchangeRate.target-5": (
        "grassroots.ledger.ExchangeRate.target: bad value '\\ud800' raises ValueError "
        "(target '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "ExchangeRate.rate-0": (
        "grassroots.ledger.ExchangeRate.rate: bad value Fraction(-1, 1) raises "
        "ValueError (exchange rate -1 is not positive), not a GrassrootsError"
    ),
    "ExchangeRate.rate-3": (
        "grassroots.ledger.ExchangeRate.rate: bad value '1/0' raises TypeError (an "
        "exchange rate must be a Fraction or int, not str '1/0'), not a "
        "GrassrootsError"
    ),
    "ExchangeRate.rate-4": (
        "grassroots.ledger.ExchangeRate.rate: bad value 'x' raises TypeError (an "
        "exchange rate must be a Fraction or int, not str 'x'), not a GrassrootsError"
    ),
    "ExchangeRate.reference-3": (
        "grassroots.ledger.ExchangeRate.reference: bad value '\\x00' raises ValueError"
        " (reference '\\x00' contains a NUL character, which the journal's encodin), "
        "not a GrassrootsError"
    ),
    "ExchangeRate.reference-4": (
        "grassroots.ledger.ExchangeRate.reference: bad value 'a\\x00b' raises "
        "ValueError (reference 'a\\x00b' contains a NUL character, which the journal's"
        " encod), not a GrassrootsError"
    ),
    "ExchangeRate.reference-5": (
        "grassroots.ledger.ExchangeRate.reference: bad value '\\ud800' raises "
        "ValueError (reference '\\ud800' is not valid Unicode text), not a "
        "GrassrootsError"
    ),
    "ExpiryPolicy.rule-0": (
        "grassroots.ledger.ExpiryPolicy.rule: wrong type None raises ValueError (None"
        " is not a valid ExpiryRule), not TypeError"
    ),
    "ExpiryPolicy.rule-1": (
        "grassroots.ledger.ExpiryPolicy.rule: wrong type 1.5 raises ValueError (1.5 "
        "is not a valid ExpiryRule), not TypeError"
    ),
    "ExpiryPolicy.rule-2": (
        "grassroots.ledger.ExpiryPolicy.rule: wrong type object() raises ValueError "
        "(object() is not a valid ExpiryRule), not TypeError"
    ),
    "ExpiryPolicy.count-0": (
        "grassroots.ledger.ExpiryPolicy.count: bad value -1 raises ValueError (count "
        "-1 is negative), not a GrassrootsError"
    ),
    "ExpiryPolicy.count-1": (
        "grassroots.ledger.ExpiryPolicy.count: bad value "
        "-10000000000000000000000000... raises ValueError (count "
        "-1000000000000000000000000000000 is negative), not a GrassrootsError"
    ),
    "ExpiryPolicy.count-2": (
        "grassroots.ledger.ExpiryPolicy.count: bad value "
        "100000000000000000000000000... raises ValueError (a policy that never "
        "expires takes no count, not 1000000000000000000000), not a GrassrootsError"
    ),
    "JournalEntry.position-0": (
        "grassroots.ledger.JournalEntry.position: bad value -1 raises ValueError "
        "(position -1 is negative), not a GrassrootsError"
    ),
    "JournalEntry.position-1": (
        "grassroots.ledger.JournalEntry.position: bad value "
        "-10000000000000000000000000... raises ValueError (position "
        "-1000000000000000000000000000000 is negative), not a GrassrootsError"
    ),
    "JournalEntry.draws-0": (
        "grassroots.ledger.JournalEntry.draws: wrong type 'x0001' raises ValueError "
        "(journal entry 0 records a scheme, which draws from no lot), not TypeError"
    ),
    "JournalEntry.previous-0": (
        "grassroots.ledger.JournalEntry.previous: bad value '' raises ValueError "
        "(previous '' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.previous-1": (
        "grassroots.ledger.JournalEntry.previous: bad value ' ' raises ValueError "
        "(previous ' ' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.previous-2": (
        "grassroots.ledger.JournalEntry.previous: bad value ' x' raises ValueError "
        "(previous ' x' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.previous-3": (
        "grassroots.ledger.JournalEntry.previous: bad value '\\x00' raises ValueError "
        "(previous '\\x00' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.previous-4": (
        "grassroots.ledger.JournalEntry.previous: bad value 'a\\x00b' raises "
        "ValueError (previous 'a\\x00b' is not 64 lower-case hex digits), not a "
        "GrassrootsError"
    ),
    "JournalEntry.previous-5": (
        "grassroots.ledger.JournalEntry.previous: bad value '\\ud800' raises "
        "ValueError (previous '\\ud800' is not 64 lower-case hex digits), not a "
        "GrassrootsError"
    ),
    "JournalEntry.previous-6": (
        "grassroots.ledger.JournalEntry.previous: bad value 'a\\nb' raises ValueError "
        "(previous 'a\\nb' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.previous-7": (
        "grassroots.ledger.JournalEntry.previous: bad value "
        "'xxxxxxxxxxxxxxxxxxxxxxxxxx... raises ValueError (previous "
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx), not a "
        "GrassrootsError"
    ),
    "JournalEntry.digest-0": (
        "grassroots.ledger.JournalEntry.digest: bad value '' raises ValueError "
        "(digest '' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.digest-1": (
        "grassroots.ledger.JournalEntry.digest: bad value ' ' raises ValueError "
        "(digest ' ' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.digest-2": (
        "grassroots.ledger.JournalEntry.digest: bad value ' x' raises ValueError "
        "(digest ' x' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.digest-3": (
        "grassroots.ledger.JournalEntry.digest: bad value '\\x00' raises ValueError "
        "(digest '\\x00' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.digest-4": (
        "grassroots.ledger.JournalEntry.digest: bad value 'a\\x00b' raises ValueError "
        "(digest 'a\\x00b' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.digest-5": (
        "grassroots.ledger.JournalEntry.digest: bad value '\\ud800' raises ValueError "
        "(digest '\\ud800' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.digest-6": (
        "grassroots.ledger.JournalEntry.digest: bad value 'a\\nb' raises ValueError "
        "(digest 'a\\nb' is not 64 lower-case hex digits), not a GrassrootsError"
    ),
    "JournalEntry.digest-7": (
        "grassroots.ledger.JournalEntry.digest: bad value "
        "'xxxxxxxxxxxxxxxxxxxxxxxxxx... raises ValueError (digest "
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx), not a "
        "GrassrootsError"
    ),
    "Lot.account-0": (
        "grassroots.ledger.Lot.account: bad value '' raises ValueError (account must "
        "not be empty), not a GrassrootsError"
    ),
    "Lot.account-3": (
        "grassroots.ledger.Lot.account: bad value '\\x00' raises ValueError (account "
        "'\\x00' contains a NUL character, which the journal's encoding ), not a "
        "GrassrootsError"
    ),
    "Lot.account-4": (
        "grassroots.ledger.Lot.account: bad value 'a\\x00b' raises ValueError (account"
        " 'a\\x00b' contains a NUL character, which the journal's encodin), not a "
        "GrassrootsError"
    ),
    "Lot.account-5": (
        "grassroots.ledger.Lot.account: bad value '\\ud800' raises ValueError (account"
        " '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Lot.origin-0": (
        "grassroots.ledger.Lot.origin: bad value '' raises ValueError (origin must "
        "not be empty), not a GrassrootsError"
    ),
    "Lot.origin-3": (
        "grassroots.ledger.Lot.origin: bad value '\\x00' raises ValueError (origin "
        "'\\x00' contains a NUL character, which the journal's encoding u), not a "
        "GrassrootsError"
    ),
    "Lot.origin-4": (
        "grassroots.ledger.Lot.origin: bad value 'a\\x00b' raises ValueError (origin "
        "'a\\x00b' contains a NUL character, which the journal's encoding), not a "
        "GrassrootsError"
    ),
    "Lot.origin-5": (
        "grassroots.ledger.Lot.origin: bad value '\\ud800' raises ValueError (origin "
        "'\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Lot.amount-0": (
        "grassroots.ledger.Lot.amount: bad value -1 raises ValueError (amount -1 is "
        "negative), not a GrassrootsError"
    ),
    "Lot.amount-1": (
        "grassroots.ledger.Lot.amount: bad value -10000000000000000000000000... "
        "raises ValueError (amount -1000000000000000000000000000000 is negative), not"
        " a GrassrootsError"
    ),
    "Lot.remaining-0": (
        "grassroots.ledger.Lot.remaining: bad value -1 raises ValueError (remaining "
        "-1 is negative), not a GrassrootsError"
    ),
    "Lot.remaining-1": (
        "grassroots.ledger.Lot.remaining: bad value -10000000000000000000000000... "
        "raises ValueError (remaining -1000000000000000000000000000000 is negative), "
        "not a GrassrootsError"
    ),
    "OwnersVote.total_area-2": (
        "grassroots.room.OwnersVote.total_area: bad value Decimal('1E+26') raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.total_area-3": (
        "grassroots.room.OwnersVote.total_area: bad value Decimal('-1E+26') raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.total_area-6": (
        "grassroots.room.OwnersVote.total_area: bad value '1e26' raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.participating_area-2": (
        "grassroots.room.OwnersVote.participating_area: bad value Decimal('1E+26') "
        "raises InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.participating_area-3": (
        "grassroots.room.OwnersVote.participating_area: bad value Decimal('-1E+26') "
        "raises InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.participating_area-6": (
        "grassroots.room.OwnersVote.participating_area: bad value '1e26' raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.approving_area-2": (
        "grassroots.room.OwnersVote.approving_area: bad value Decimal('1E+26') raises"
        " InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.approving_area-3": (
        "grassroots.room.OwnersVote.approving_area: bad value Decimal('-1E+26') "
        "raises InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "OwnersVote.approving_area-6": (
        "grassroots.room.OwnersVote.approving_area: bad value '1e26' raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "PublicServiceRoom.area-2": (
        "grassroots.room.PublicServiceRoom.area: bad value Decimal('1E+26') raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "PublicServiceRoom.area-3": (
        "grassroots.room.PublicServiceRoom.area: bad value Decimal('-1E+26') raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "PublicServiceRoom.area-6": (
        "grassroots.room.PublicServiceRoom.area: bad value '1e26' raises "
        "InvalidOperation ([<class 'decimal.InvalidOperation'>]), not a "
        "GrassrootsError"
    ),
    "Scheme.code-0": (
        "grassroots.ledger.Scheme.code: bad value '' raises ValueError (code must not"
        " be empty), not a GrassrootsError"
    ),
    "Scheme.code-3": (
        "grassroots.ledger.Scheme.code: bad value '\\x00' raises ValueError (code "
        "'\\x00' contains a NUL character, which the journal's encoding use), not a "
        "GrassrootsError"
    ),
    "Scheme.code-4": (
        "grassroots.ledger.Scheme.code: bad value 'a\\x00b' raises ValueError (code "
        "'a\\x00b' contains a NUL character, which the journal's encoding u), not a "
        "GrassrootsError"
    ),
    "Scheme.code-5": (
        "grassroots.ledger.Scheme.code: bad value '\\ud800' raises ValueError (code "
        "'\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Scheme.name-3": (
        "grassroots.ledger.Scheme.name: bad value '\\x00' raises ValueError (name "
        "'\\x00' contains a NUL character, which the journal's encoding use), not a "
        "GrassrootsError"
    ),
    "Scheme.name-4": (
        "grassroots.ledger.Scheme.name: bad value 'a\\x00b' raises ValueError (name "
        "'a\\x00b' contains a NUL character, which the journal's encoding u), not a "
        "GrassrootsError"
    ),
    "Scheme.name-5": (
        "grassroots.ledger.Scheme.name: bad value '\\ud800' raises ValueError (name "
        "'\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "SchemeTotals.scheme-0": (
        "grassroots.ledger.SchemeTotals.scheme: bad value '' raises ValueError "
        "(scheme must not be empty), not a GrassrootsError"
    ),
    "SchemeTotals.scheme-3": (
        "grassroots.ledger.SchemeTotals.scheme: bad value '\\x00' raises ValueError "
        "(scheme '\\x00' contains a NUL character, which the journal's encoding u), "
        "not a GrassrootsError"
    ),
    "SchemeTotals.scheme-4": (
        "grassroots.ledger.SchemeTotals.scheme: bad value 'a\\x00b' raises ValueError "
        "(scheme 'a\\x00b' contains a NUL character, which the journal's encoding), "
        "not a GrassrootsError"
    ),
    "SchemeTotals.scheme-5": (
        "grassroots.ledger.SchemeTotals.scheme: bad value '\\ud800' raises ValueError "
        "(scheme '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Statement.account-0": (
        "grassroots.ledger.Statement.account: bad value '' raises ValueError (account"
        " must not be empty), not a GrassrootsError"
    ),
    "Statement.account-3": (
        "grassroots.ledger.Statement.account: bad value '\\x00' raises ValueError "
        "(account '\\x00' contains a NUL character, which the journal's encoding ), "
        "not a GrassrootsError"
    ),
    "Statement.account-4": (
        "grassroots.ledger.Statement.account: bad value 'a\\x00b' raises ValueError "
        "(account 'a\\x00b' contains a NUL character, which the journal's encodin), "
        "not a GrassrootsError"
    ),
    "Statement.account-5": (
        "grassroots.ledger.Statement.account: bad value '\\ud800' raises ValueError "
        "(account '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Statement.lines-0": (
        "grassroots.ledger.Statement.lines: wrong type 'x0001' raises AttributeError "
        "('str' object has no attribute 'change'), not TypeError"
    ),
    "Transfer.id-0": (
        "grassroots.ledger.Transfer.id: bad value '' raises ValueError (id must not "
        "be empty), not a GrassrootsError"
    ),
    "Transfer.id-3": (
        "grassroots.ledger.Transfer.id: bad value '\\x00' raises ValueError (id '\\x00'"
        " contains a NUL character, which the journal's encoding uses ), not a "
        "GrassrootsError"
    ),
    "Transfer.id-4": (
        "grassroots.ledger.Transfer.id: bad value 'a\\x00b' raises ValueError (id "
        "'a\\x00b' contains a NUL character, which the journal's encoding use), not a "
        "GrassrootsError"
    ),
    "Transfer.id-5": (
        "grassroots.ledger.Transfer.id: bad value '\\ud800' raises ValueError (id "
        "'\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Transfer.debit-0": (
        "grassroots.ledger.Transfer.debit: bad value '' raises ValueError (debit must"
        " not be empty), not a GrassrootsError"
    ),
    "Transfer.debit-3": (
        "grassroots.ledger.Transfer.debit: bad value '\\x00' raises ValueError (debit "
        "'\\x00' contains a NUL character, which the journal's encoding us), not a "
        "GrassrootsError"
    ),
    "Transfer.debit-4": (
        "grassroots.ledger.Transfer.debit: bad value 'a\\x00b' raises ValueError "
        "(debit 'a\\x00b' contains a NUL character, which the journal's encoding ), "
        "not a GrassrootsError"
    ),
    "Transfer.debit-5": (
        "grassroots.ledger.Transfer.debit: bad value '\\ud800' raises ValueError "
        "(debit '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Transfer.credit-0": (
        "grassroots.ledger.Transfer.credit: bad value '' raises ValueError (credit "
        "must not be empty), not a GrassrootsError"
    ),
    "Transfer.credit-3": (
        "grassroots.ledger.Transfer.credit: bad value '\\x00' raises ValueError "
        "(credit '\\x00' contains a NUL character, which the journal's encoding u), "
        "not a GrassrootsError"
    ),
    "Transfer.credit-4": (
        "grassroots.ledger.Transfer.credit: bad value 'a\\x00b' raises ValueError "
        "(credit 'a\\x00b' contains a NUL character, which the journal's encoding), "
        "not a GrassrootsError"
    ),
    "Transfer.credit-5": (
        "grassroots.ledger.Transfer.credit: bad value '\\ud800' raises ValueError "
        "(credit '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Transfer.kind-0": (
        "grassroots.ledger.Transfer.kind: wrong type None raises ValueError (None is "
        "not a valid TransferKind), not TypeError"
    ),
    "Transfer.kind-1": (
        "grassroots.ledger.Transfer.kind: wrong type 1.5 raises ValueError (1.5 is "
        "not a valid TransferKind), not TypeError"
    ),
    "Transfer.kind-2": (
        "grassroots.ledger.Transfer.kind: wrong type object() raises ValueError "
        "(object() is not a valid TransferKind), not TypeError"
    ),
    "Transfer.reference-3": (
        "grassroots.ledger.Transfer.reference: bad value '\\x00' raises ValueError "
        "(reference '\\x00' contains a NUL character, which the journal's encodin), "
        "not a GrassrootsError"
    ),
    "Transfer.reference-4": (
        "grassroots.ledger.Transfer.reference: bad value 'a\\x00b' raises ValueError "
        "(reference 'a\\x00b' contains a NUL character, which the journal's encod), "
        "not a GrassrootsError"
    ),
    "Transfer.reference-5": (
        "grassroots.ledger.Transfer.reference: bad value '\\ud800' raises ValueError "
        "(reference '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Transfer.memo-3": (
        "grassroots.ledger.Transfer.memo: bad value '\\x00' raises ValueError (memo "
        "'\\x00' contains a NUL character, which the journal's encoding use), not a "
        "GrassrootsError"
    ),
    "Transfer.memo-4": (
        "grassroots.ledger.Transfer.memo: bad value 'a\\x00b' raises ValueError (memo "
        "'a\\x00b' contains a NUL character, which the journal's encoding u), not a "
        "GrassrootsError"
    ),
    "Transfer.memo-5": (
        "grassroots.ledger.Transfer.memo: bad value '\\ud800' raises ValueError (memo "
        "'\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "Transfer.reverses-0": (
        "grassroots.ledger.Transfer.reverses: bad value '' raises ValueError "
        "(reverses must not be empty), not a GrassrootsError"
    ),
    "Transfer.reverses-3": (
        "grassroots.ledger.Transfer.reverses: bad value '\\x00' raises ValueError "
        "(reverses '\\x00' contains a NUL character, which the journal's encoding), "
        "not a GrassrootsError"
    ),
    "Transfer.reverses-4": (
        "grassroots.ledger.Transfer.reverses: bad value 'a\\x00b' raises ValueError "
        "(reverses 'a\\x00b' contains a NUL character, which the journal's encodi), "
        "not a GrassrootsError"
    ),
    "Transfer.reverses-5": (
        "grassroots.ledger.Transfer.reverses: bad value '\\ud800' raises ValueError "
        "(reverses '\\ud800' is not valid Unicode text), not a GrassrootsError"
    ),
    "square_metres-9": (
        "square_metres: raises InvalidOperation ([<class "
        "'decimal.InvalidOperation'>]), not a GrassrootsError"
    ),
}

TEXT_VALUES: tuple[str, ...] = ("", " ", " x", "\x00", "a\x00b", "\ud800", "a\nb", "x" * 5_000)
INT_VALUES: tuple[int, ...] = (-1, -(10**30), 10**30)
DECIMAL_VALUES: tuple[object, ...] = (
    Decimal("NaN"),
    Decimal("Infinity"),
    Decimal("1e26"),
    Decimal("-1e26"),
    Decimal("0.001"),
    Decimal("-1"),
    "1e26",
    "0.005",
    "abc",
    "٣",
)
FRACTION_VALUES: tuple[object, ...] = (Fraction(-1), Fraction(3, 2), Fraction(10**12), "1/0", "x")
DATE_VALUES: tuple[pendulum.Date, ...] = (pendulum.date(1, 1, 1), pendulum.date(9999, 12, 31))
WRONG_TYPES: tuple[object, ...] = (1.5, object())


def _harvest(value: object, into: dict[type, object]) -> None:
    """Collect the first instance of every attrs class found inside ``value``."""
    if attrs.has(type(value)):
        into.setdefault(type(value), value)
        for field in attrs.fields(type(value)):
            _harvest(getattr(value, field.name), into)
    elif isinstance(value, tuple | frozenset | list):
        for item in value:
            _harvest(item, into)


def _holds(cls: type, value: object) -> bool:
    found: dict[type, object] = {}
    _harvest(value, found)
    return cls in found


@functools.cache
def _instance(name: str) -> object | None:
    """Return a valid instance of the public class ``name``, from the first fitting draw."""
    if name in BY_HAND:
        return BY_HAND[name]()
    cls = getattr(grassroots, name)
    quick = settings(
        database=None,
        max_examples=300,
        suppress_health_check=list(HealthCheck),
        deadline=None,
        phases=[Phase.generate],  # the first fitting draw will do; shrinking it costs seconds
        derandomize=True,  # the same instances every run, so each case is stable
    )
    try:
        drawn = find(SOURCES[name], functools.partial(_holds, cls), settings=quick)
    except Exception:  # noqa: BLE001 - the source never drew one
        return None
    found: dict[type, object] = {}
    _harvest(drawn, found)
    return found[cls]


def _field_types(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):
        return {}


def _bad_values(kind: Any) -> Iterator[tuple[str, object]]:
    """Yield ``("value" | "type", bad)`` for a field annotated ``kind``."""
    args = typing.get_args(kind)
    optional = type(None) in args
    core = [a for a in args if a is not type(None)] if optional else [kind]
    base = core[0] if len(core) == 1 else kind
    origin = typing.get_origin(base) or base
    if base is str:
        yield from (("value", v) for v in TEXT_VALUES)
    elif base is int:
        yield from (("value", v) for v in INT_VALUES)
        yield ("type", True)
    elif base is Decimal:
        yield from (("value", v) for v in DECIMAL_VALUES)
    elif base is Fraction:
        yield from (("value", v) for v in FRACTION_VALUES)
    elif base is pendulum.Date:
        yield from (("value", v) for v in DATE_VALUES)
    elif origin in (tuple, frozenset):
        yield ("type", "x0001")
        member = typing.get_args(base)[0] if typing.get_args(base) else Any
        if member is str:
            yield from (("value", [v]) for v in TEXT_VALUES[:6])
    elif base is bool:
        yield ("type", 1)
        yield ("type", "false")
    if not optional:
        yield ("type", None)
    yield from (("type", v) for v in WRONG_TYPES)


def _cases() -> Iterator[Any]:
    for name in PUBLIC_CLASSES:
        cls = getattr(grassroots, name)
        hints = _field_types(cls)
        for field in attrs.fields(cls):
            if not field.init or field.name not in hints:
                continue
            for index, (what, bad) in enumerate(_bad_values(hints[field.name])):
                case = f"{name}.{field.name}-{index}"
                marks = []
                if case in KNOWN_DEFECTS:
                    marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[case]))
                yield pytest.param(name, field.alias, what, bad, marks=marks, id=case)


def _outcome(call: Callable[[], object]) -> BaseException | None:
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the test classifies every kind
        return exc
    return None


class TestClasses:
    @pytest.mark.parametrize(("name", "field", "what", "bad"), list(_cases()))
    def test_one_bad_field(self, name: str, field: str, what: str, bad: object) -> None:
        """A bad value raises our error or is admitted; a wrong type raises TypeError."""
        valid = _instance(name)
        assert valid is not None, f"no exported strategy draws a {name}"
        error = _outcome(lambda: attrs.evolve(valid, **{field: bad}))
        if error is None:
            return
        if what == "value":
            assert isinstance(error, GrassrootsError), f"{type(error).__name__}: {error}"
        else:
            assert isinstance(error, TypeError | GrassrootsError), (
                f"{type(error).__name__}: {error}"
            )

    def test_every_public_class_is_walked(self) -> None:
        """Every public attrs class has a source of valid instances."""
        assert set(PUBLIC_CLASSES) == set(SOURCES) | set(BY_HAND)


FUNCTION_CASES: list[tuple[str, Callable[[], object]]] = [
    ("yuan", lambda: grassroots.yuan("1e26")),
    ("yuan", lambda: grassroots.yuan("0.005")),
    ("yuan", lambda: grassroots.yuan("٣")),
    ("yuan", lambda: grassroots.yuan(Decimal("NaN"))),
    ("yuan", lambda: grassroots.yuan("x" * 10_000)),
    ("apportion", lambda: grassroots.apportion(-1, [1])),
    ("apportion", lambda: grassroots.apportion(1, [0, 0])),
    ("apportion", lambda: grassroots.apportion(1, [])),
    ("apportion", lambda: grassroots.apportion(1, [-1, 2])),
    ("square_metres", lambda: grassroots.square_metres("1e30")),
    ("square_metres", lambda: grassroots.square_metres("0.001")),
    ("square_metres", lambda: grassroots.square_metres("abc")),
    ("raise_findings", lambda: grassroots.raise_findings(())),
    ("raise_findings", lambda: _type_error(lambda: grassroots.raise_findings("finding"))),
    ("Threshold.met", lambda: grassroots.Threshold.met(_half(), 3, 2)),
    ("Threshold.met", lambda: grassroots.Threshold.met(_half(), -1, 2)),
    ("Threshold.met", lambda: grassroots.Threshold.met(_half(), Decimal("NaN"), 2)),
    ("Threshold.minimum_of", lambda: grassroots.Threshold.minimum_of(_half(), -1)),
]


def _type_error(call: Callable[[], object]) -> None:
    """Run ``call``, turning the TypeError a wrong type must raise into success."""
    try:
        call()
    except TypeError:
        return
    raise AssertionError("a wrong type did not raise TypeError")


def _half() -> grassroots.Threshold:
    return grassroots.Threshold(
        ratio=Fraction(1, 2), base=grassroots.Base.ALL_ELIGIBLE, inclusive=False
    )


def _function_cases() -> Iterator[Any]:
    for index, (name, call) in enumerate(FUNCTION_CASES):
        case = f"{name}-{index}"
        marks = []
        if case in KNOWN_DEFECTS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[case]))
        yield pytest.param(name, call, marks=marks, id=case)


class TestFunctions:
    @pytest.mark.parametrize(("name", "call"), list(_function_cases()))
    def test_bad_arguments_raise_our_errors(self, name: str, call: Callable[[], object]) -> None:
        """A bad argument to a public function raises a GrassrootsError subclass, or nothing."""
        error = _outcome(call)
        assert error is None or isinstance(error, GrassrootsError), (
            f"{name}: {type(error).__name__}: {error}"
        )

    def test_every_public_function_is_called(self) -> None:
        """Each public function of ``grassroots`` has a bad-argument case above."""
        functions = {
            name for name in grassroots.__all__ if inspect.isfunction(getattr(grassroots, name))
        }
        called = {name.split(".")[0] for name, _ in FUNCTION_CASES}
        assert functions - called <= {"coverage_report", "room_inventory"}
