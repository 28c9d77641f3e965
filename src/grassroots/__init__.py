"""grassroots: exact, typed rules for Chinese urban community self-governance.

Import the design-card classes (``PartyBranch``, ``Subcommunity``, ``JointVenture``,
``PointsLedger``, ``ProfitAllocation``), the aggregates of the points programme and of
deliberation (``PointsProgramme``, ``SuggestionPipeline``, ``MeetingSeries``, ``Mailbox``) and
the value types users construct from here. Use the
submodules for the rest: [`grassroots.serialization`][grassroots.serialization] for JSON,
[`grassroots.strategies`][grassroots.strategies] for Hypothesis strategies (``hypothesis`` extra),
[`grassroots.reports`][grassroots.reports] for charts (``notebook`` extra), and each domain module
for its constants and report types.

Importing the package is cheap: each area's module is imported the first time
one of its names is used (``grassroots.PointsLedger`` imports
``grassroots.ledger``, and nothing else).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

# The one table of public names: each maps to the module that defines it (a name
# that maps to its own submodule, such as ``errors``, is that module). Add a name
# with one line here, one in the sorted ``__all__`` and one in the ``TYPE_CHECKING``
# block below; a test checks that the three agree.
_EXPORTS: Final[dict[str, str]] = {
    "Absence": "grassroots.branch",
    "AbsenceKind": "grassroots.branch",
    "Account": "grassroots.ledger",
    "AccountClosure": "grassroots.ledger",
    "AccountKind": "grassroots.ledger",
    "Actor": "grassroots.deliberation",
    "AgreedShare": "grassroots.allocation",
    "AllocationPolicy": "grassroots.allocation",
    "Background": "grassroots.venture",
    "Base": "grassroots.threshold",
    "BranchKind": "grassroots.branch",
    "BranchMember": "grassroots.branch",
    "BranchRules": "grassroots.branch",
    "Building": "grassroots.subcommunity",
    "CapPeriod": "grassroots.programme",
    "CapitalIncrease": "grassroots.venture",
    "CapitalPayment": "grassroots.venture",
    "CapitalReduction": "grassroots.venture",
    "CarryForward": "grassroots.allocation",
    "CommonPartIncome": "grassroots.room",
    "Community": "grassroots.subcommunity",
    "CommunityShare": "grassroots.allocation",
    "CommunityShareBase": "grassroots.allocation",
    "CommunityShareForm": "grassroots.allocation",
    "County": "grassroots.subcommunity",
    "DailyLimit": "grassroots.programme",
    "DividendAgreement": "grassroots.allocation",
    "EarnerGroup": "grassroots.programme",
    "EarningCap": "grassroots.programme",
    "EquityTransfer": "grassroots.venture",
    "ExchangeRate": "grassroots.ledger",
    "ExpiryPolicy": "grassroots.ledger",
    "Finding": "grassroots.audit",
    "FundingPolicy": "grassroots.programme",
    "Grid": "grassroots.subcommunity",
    "GridWorker": "grassroots.subcommunity",
    "Hire": "grassroots.venture",
    "IncomeUse": "grassroots.room",
    "JointVenture": "grassroots.venture",
    "JournalEntry": "grassroots.ledger",
    "ListItem": "grassroots.talent",
    "ListKind": "grassroots.talent",
    "LossCover": "grassroots.allocation",
    "Lot": "grassroots.ledger",
    "Mailbox": "grassroots.deliberation",
    "Matter": "grassroots.venture",
    "MeetingSeries": "grassroots.deliberation",
    "MeetingVote": "grassroots.deliberation",
    "MemberStatus": "grassroots.branch",
    "Merchant": "grassroots.programme",
    "Message": "grassroots.deliberation",
    "Officer": "grassroots.branch",
    "OwnersVote": "grassroots.room",
    "Ownership": "grassroots.room",
    "Participant": "grassroots.programme",
    "PartyBranch": "grassroots.branch",
    "PeriodFigures": "grassroots.allocation",
    "Petition": "grassroots.deliberation",
    "PointsLedger": "grassroots.ledger",
    "PointsProgramme": "grassroots.programme",
    "ProfitAllocation": "grassroots.allocation",
    "Project": "grassroots.venture",
    "ProjectKind": "grassroots.venture",
    "PublicRevenueFund": "grassroots.programme",
    "PublicServiceRoom": "grassroots.room",
    "RedemptionRule": "grassroots.programme",
    "Resident": "grassroots.resident",
    "ResidentGroup": "grassroots.resident",
    "ResolutionKind": "grassroots.venture",
    "Reward": "grassroots.programme",
    "RewardSchedule": "grassroots.talent",
    "RoomStatus": "grassroots.room",
    "RuleSet": "grassroots.deliberation",
    "Scheme": "grassroots.ledger",
    "SchemeTotals": "grassroots.ledger",
    "SecretarySource": "grassroots.branch",
    "ServiceCorner": "grassroots.deliberation",
    "Shareholder": "grassroots.venture",
    "ShareholderKind": "grassroots.venture",
    "Shareholding": "grassroots.venture",
    "Statement": "grassroots.ledger",
    "Street": "grassroots.subcommunity",
    "Subcommunity": "grassroots.subcommunity",
    "SubcommunityKind": "grassroots.subcommunity",
    "SuggestionDetails": "grassroots.deliberation",
    "SuggestionPipeline": "grassroots.deliberation",
    "Talent": "grassroots.talent",
    "TalentProgramme": "grassroots.talent",
    "Threshold": "grassroots.threshold",
    "Transfer": "grassroots.ledger",
    "TransferKind": "grassroots.ledger",
    "Unit": "grassroots.subcommunity",
    "VolunteerActivity": "grassroots.programme",
    "VotingBasis": "grassroots.venture",
    "apportion": "grassroots.money",
    "coverage_report": "grassroots.branch",
    "errors": "grassroots.errors",
    "raise_findings": "grassroots.audit",
    "room_inventory": "grassroots.room",
    "square_metres": "grassroots.room",
    "yuan": "grassroots.money",
}

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

if TYPE_CHECKING:  # the same names, for type checkers and IDEs; a test checks they agree
    from grassroots import errors as errors
    from grassroots.allocation import AgreedShare as AgreedShare
    from grassroots.allocation import AllocationPolicy as AllocationPolicy
    from grassroots.allocation import CarryForward as CarryForward
    from grassroots.allocation import CommunityShare as CommunityShare
    from grassroots.allocation import CommunityShareBase as CommunityShareBase
    from grassroots.allocation import CommunityShareForm as CommunityShareForm
    from grassroots.allocation import DividendAgreement as DividendAgreement
    from grassroots.allocation import LossCover as LossCover
    from grassroots.allocation import PeriodFigures as PeriodFigures
    from grassroots.allocation import ProfitAllocation as ProfitAllocation
    from grassroots.audit import Finding as Finding
    from grassroots.audit import raise_findings as raise_findings
    from grassroots.branch import Absence as Absence
    from grassroots.branch import AbsenceKind as AbsenceKind
    from grassroots.branch import BranchKind as BranchKind
    from grassroots.branch import BranchMember as BranchMember
    from grassroots.branch import BranchRules as BranchRules
    from grassroots.branch import MemberStatus as MemberStatus
    from grassroots.branch import Officer as Officer
    from grassroots.branch import PartyBranch as PartyBranch
    from grassroots.branch import SecretarySource as SecretarySource
    from grassroots.branch import coverage_report as coverage_report
    from grassroots.deliberation import Actor as Actor
    from grassroots.deliberation import Mailbox as Mailbox
    from grassroots.deliberation import MeetingSeries as MeetingSeries
    from grassroots.deliberation import MeetingVote as MeetingVote
    from grassroots.deliberation import Message as Message
    from grassroots.deliberation import Petition as Petition
    from grassroots.deliberation import RuleSet as RuleSet
    from grassroots.deliberation import ServiceCorner as ServiceCorner
    from grassroots.deliberation import SuggestionDetails as SuggestionDetails
    from grassroots.deliberation import SuggestionPipeline as SuggestionPipeline
    from grassroots.ledger import Account as Account
    from grassroots.ledger import AccountClosure as AccountClosure
    from grassroots.ledger import AccountKind as AccountKind
    from grassroots.ledger import ExchangeRate as ExchangeRate
    from grassroots.ledger import ExpiryPolicy as ExpiryPolicy
    from grassroots.ledger import JournalEntry as JournalEntry
    from grassroots.ledger import Lot as Lot
    from grassroots.ledger import PointsLedger as PointsLedger
    from grassroots.ledger import Scheme as Scheme
    from grassroots.ledger import SchemeTotals as SchemeTotals
    from grassroots.ledger import Statement as Statement
    from grassroots.ledger import Transfer as Transfer
    from grassroots.ledger import TransferKind as TransferKind
    from grassroots.money import apportion as apportion
    from grassroots.money import yuan as yuan
    from grassroots.programme import CapPeriod as CapPeriod
    from grassroots.programme import DailyLimit as DailyLimit
    from grassroots.programme import EarnerGroup as EarnerGroup
    from grassroots.programme import EarningCap as EarningCap
    from grassroots.programme import FundingPolicy as FundingPolicy
    from grassroots.programme import Merchant as Merchant
    from grassroots.programme import Participant as Participant
    from grassroots.programme import PointsProgramme as PointsProgramme
    from grassroots.programme import PublicRevenueFund as PublicRevenueFund
    from grassroots.programme import RedemptionRule as RedemptionRule
    from grassroots.programme import Reward as Reward
    from grassroots.programme import VolunteerActivity as VolunteerActivity
    from grassroots.resident import Resident as Resident
    from grassroots.resident import ResidentGroup as ResidentGroup
    from grassroots.room import CommonPartIncome as CommonPartIncome
    from grassroots.room import IncomeUse as IncomeUse
    from grassroots.room import Ownership as Ownership
    from grassroots.room import OwnersVote as OwnersVote
    from grassroots.room import PublicServiceRoom as PublicServiceRoom
    from grassroots.room import RoomStatus as RoomStatus
    from grassroots.room import room_inventory as room_inventory
    from grassroots.room import square_metres as square_metres
    from grassroots.subcommunity import Building as Building
    from grassroots.subcommunity import Community as Community
    from grassroots.subcommunity import County as County
    from grassroots.subcommunity import Grid as Grid
    from grassroots.subcommunity import GridWorker as GridWorker
    from grassroots.subcommunity import Street as Street
    from grassroots.subcommunity import Subcommunity as Subcommunity
    from grassroots.subcommunity import SubcommunityKind as SubcommunityKind
    from grassroots.subcommunity import Unit as Unit
    from grassroots.talent import ListItem as ListItem
    from grassroots.talent import ListKind as ListKind
    from grassroots.talent import RewardSchedule as RewardSchedule
    from grassroots.talent import Talent as Talent
    from grassroots.talent import TalentProgramme as TalentProgramme
    from grassroots.threshold import Base as Base
    from grassroots.threshold import Threshold as Threshold
    from grassroots.venture import Background as Background
    from grassroots.venture import CapitalIncrease as CapitalIncrease
    from grassroots.venture import CapitalPayment as CapitalPayment
    from grassroots.venture import CapitalReduction as CapitalReduction
    from grassroots.venture import EquityTransfer as EquityTransfer
    from grassroots.venture import Hire as Hire
    from grassroots.venture import JointVenture as JointVenture
    from grassroots.venture import Matter as Matter
    from grassroots.venture import Project as Project
    from grassroots.venture import ProjectKind as ProjectKind
    from grassroots.venture import ResolutionKind as ResolutionKind
    from grassroots.venture import Shareholder as Shareholder
    from grassroots.venture import ShareholderKind as ShareholderKind
    from grassroots.venture import Shareholding as Shareholding
    from grassroots.venture import VotingBasis as VotingBasis


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is not None:
        module = importlib.import_module(module_name)
        value = module if module_name == f"{__name__}.{name}" else getattr(module, name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name == "__version__":
        from importlib.metadata import version

        return version("grassroots")
    raise AttributeError(f"module 'grassroots' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
