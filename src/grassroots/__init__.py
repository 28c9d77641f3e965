"""grassroots: exact, typed rules for Chinese urban community self-governance.

Import the design-card classes (``PartyBranch``, ``Subcommunity``,
``JointVenture``, ``PointsLedger``, ``ProfitAllocation``), the deliberation
aggregates (``SuggestionPipeline``, ``MeetingSeries``, ``Mailbox``) and the value types
users construct from here. Use the submodules for the rest:
:mod:`grassroots.serialization` for JSON, :mod:`grassroots.strategies` for
Hypothesis strategies (``hypothesis`` extra), :mod:`grassroots.reports` for
charts (``notebook`` extra), and each domain module for its constants and
report types.
"""

from __future__ import annotations

from typing import Any

from grassroots import errors
from grassroots.allocation import (
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
)
from grassroots.audit import Finding, raise_findings
from grassroots.branch import (
    Absence,
    AbsenceKind,
    BranchKind,
    BranchMember,
    BranchRules,
    MemberStatus,
    Officer,
    PartyBranch,
    SecretarySource,
    coverage_report,
)
from grassroots.deliberation import (
    Actor,
    Mailbox,
    MeetingSeries,
    MeetingVote,
    Message,
    Petition,
    RuleSet,
    ServiceCorner,
    SuggestionDetails,
    SuggestionPipeline,
)
from grassroots.ledger import (
    Account,
    AccountClosure,
    AccountKind,
    ExchangeRate,
    ExpiryPolicy,
    JournalEntry,
    Lot,
    PointsLedger,
    Scheme,
    SchemeTotals,
    Statement,
    Transfer,
    TransferKind,
)
from grassroots.money import apportion, yuan
from grassroots.programme import (
    CapPeriod,
    DailyLimit,
    EarnerGroup,
    EarningCap,
    FundingPolicy,
    Merchant,
    Participant,
    PointsProgramme,
    PublicRevenueFund,
    RedemptionRule,
    Reward,
    VolunteerActivity,
)
from grassroots.resident import Resident, ResidentGroup
from grassroots.room import (
    CommonPartIncome,
    IncomeUse,
    Ownership,
    OwnersVote,
    PublicServiceRoom,
    RoomStatus,
    room_inventory,
    square_metres,
)
from grassroots.subcommunity import (
    Building,
    Community,
    County,
    Grid,
    GridWorker,
    Street,
    Subcommunity,
    SubcommunityKind,
    Unit,
)
from grassroots.talent import ListItem, ListKind, RewardSchedule, Talent, TalentProgramme
from grassroots.threshold import Base, Threshold
from grassroots.venture import (
    Background,
    CapitalIncrease,
    CapitalPayment,
    CapitalReduction,
    EquityTransfer,
    Hire,
    JointVenture,
    Matter,
    Project,
    ProjectKind,
    ResolutionKind,
    Shareholder,
    ShareholderKind,
    Shareholding,
    VotingBasis,
)

__all__ = [
    "Absence",
    "AbsenceKind",
    "Account",
    "AccountClosure",
    "AccountKind",
    "Actor",
    "AgreedShare",
    "AllocationPolicy",
    "Background",
    "Base",
    "BranchKind",
    "BranchMember",
    "BranchRules",
    "Building",
    "CapPeriod",
    "CapitalIncrease",
    "CapitalPayment",
    "CapitalReduction",
    "CarryForward",
    "CommonPartIncome",
    "Community",
    "CommunityShare",
    "CommunityShareBase",
    "CommunityShareForm",
    "County",
    "DailyLimit",
    "DividendAgreement",
    "EarnerGroup",
    "EarningCap",
    "EquityTransfer",
    "ExchangeRate",
    "ExpiryPolicy",
    "Finding",
    "FundingPolicy",
    "Grid",
    "GridWorker",
    "Hire",
    "IncomeUse",
    "JointVenture",
    "JournalEntry",
    "ListItem",
    "ListKind",
    "LossCover",
    "Lot",
    "Mailbox",
    "Matter",
    "MeetingSeries",
    "MeetingVote",
    "MemberStatus",
    "Merchant",
    "Message",
    "Officer",
    "OwnersVote",
    "Ownership",
    "Participant",
    "PartyBranch",
    "PeriodFigures",
    "Petition",
    "PointsLedger",
    "PointsProgramme",
    "ProfitAllocation",
    "Project",
    "ProjectKind",
    "PublicRevenueFund",
    "PublicServiceRoom",
    "RedemptionRule",
    "Resident",
    "ResidentGroup",
    "ResolutionKind",
    "Reward",
    "RewardSchedule",
    "RoomStatus",
    "RuleSet",
    "Scheme",
    "SchemeTotals",
    "SecretarySource",
    "ServiceCorner",
    "Shareholder",
    "ShareholderKind",
    "Shareholding",
    "Statement",
    "Street",
    "Subcommunity",
    "SubcommunityKind",
    "SuggestionDetails",
    "SuggestionPipeline",
    "Talent",
    "TalentProgramme",
    "Threshold",
    "Transfer",
    "TransferKind",
    "Unit",
    "VolunteerActivity",
    "VotingBasis",
    "apportion",
    "coverage_report",
    "errors",
    "raise_findings",
    "room_inventory",
    "square_metres",
    "yuan",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("grassroots")
    raise AttributeError(f"module 'grassroots' has no attribute {name!r}")
