"""Deliberation (议事协商): Longju's suggestion pipeline, assemblies, meetings and the wish mailbox.

Use this package to decide things the way Longju community does
(龙居社区, "small horse pulls a big cart"):

- [`rules`][grassroots.deliberation.rules]: the residents' committee law's rule
  sets, versioned by effective date (2018 text until 2025-12-31; the revised
  law from 2026-01-01, its figures unverified) and
  [`rules_for`][grassroots.deliberation.rules.rules_for];
- [`assembly`][grassroots.deliberation.assembly]: votes of the residents'
  meeting and the representatives' meeting (quorum, passing) and petitions
  that oblige a meeting (art. 10 ¶2);
- [`pipeline`][grassroots.deliberation.pipeline]: the four-step
  [`SuggestionPipeline`][grassroots.deliberation.pipeline.SuggestionPipeline];
- [`meeting`][grassroots.deliberation.meeting]: recurring consultation
  meetings (书记下午茶, 坝坝会, 龙居夜话) with RFC 5545 recurrence and ``.ics`` export;
- [`mailbox`][grassroots.deliberation.mailbox]: the wish mailbox (微愿留言)
  with answer deadlines, and the service corner (微愿郯);
- [`report`][grassroots.deliberation.report]: the community's report for a period.
"""

from __future__ import annotations

from grassroots.deliberation.assembly import MeetingVote, Petition
from grassroots.deliberation.mailbox import (
    ANSWER_DEADLINE_DAYS,
    Mailbox,
    MailboxReport,
    Message,
    MessageChannel,
    MessageState,
    Service,
    ServiceCorner,
    Triage,
    service_corner_report,
)
from grassroots.deliberation.meeting import (
    MeetingRecord,
    MeetingSeries,
    Occurrence,
    OccurrenceChange,
    OccurrenceStatus,
    SeriesKind,
    held_and_scheduled,
)
from grassroots.deliberation.pipeline import (
    DEFAULT_ROUTING,
    EDGES,
    Action,
    Actor,
    Channel,
    Move,
    Place,
    ReviewDecision,
    Role,
    Roster,
    Route,
    Routing,
    Stage,
    Suggestion,
    SuggestionDetails,
    SuggestionPipeline,
)
from grassroots.deliberation.report import (
    DeliberationReport,
    MeetingCount,
    Outcome,
    StageTime,
    Turnout,
    deliberation_report,
)
from grassroots.deliberation.rules import (
    RULE_SETS,
    RULES_2018,
    RULES_2026,
    MeetingBase,
    MeetingKind,
    PetitionBase,
    RuleSet,
    rules_for,
)

__all__ = [
    "ANSWER_DEADLINE_DAYS",
    "DEFAULT_ROUTING",
    "EDGES",
    "RULES_2018",
    "RULES_2026",
    "RULE_SETS",
    "Action",
    "Actor",
    "Channel",
    "DeliberationReport",
    "Mailbox",
    "MailboxReport",
    "MeetingBase",
    "MeetingCount",
    "MeetingKind",
    "MeetingRecord",
    "MeetingSeries",
    "MeetingVote",
    "Message",
    "MessageChannel",
    "MessageState",
    "Move",
    "Occurrence",
    "OccurrenceChange",
    "OccurrenceStatus",
    "Outcome",
    "Petition",
    "PetitionBase",
    "Place",
    "ReviewDecision",
    "Role",
    "Roster",
    "Route",
    "Routing",
    "RuleSet",
    "SeriesKind",
    "Service",
    "ServiceCorner",
    "Stage",
    "StageTime",
    "Suggestion",
    "SuggestionDetails",
    "SuggestionPipeline",
    "Triage",
    "Turnout",
    "deliberation_report",
    "held_and_scheduled",
    "rules_for",
    "service_corner_report",
]
