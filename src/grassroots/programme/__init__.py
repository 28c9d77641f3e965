"""The points programme (积分制度): activities, caps, shops, funds and the exchange window.

Use this package to run the Tancheng points cycle end to end over a
[`PointsLedger`][grassroots.ledger.PointsLedger]: the branch publishes a
volunteer activity → residents claim it and take part → points are credited
online → points are redeemed offline as discounts at the project shops, whose
discounts the compound's public revenue pays for, fed by the 10% community
share of each project's net profit.

- [`activity`][grassroots.programme.activity]: volunteer activities, claims,
  sign-in hours, confirmations and volunteer record certificates.
- [`caps`][grassroots.programme.caps]: earning caps per day, week or month.
- [`shop`][grassroots.programme.shop]: merchants, redemption rules, receipts, refunds.
- [`fund`][grassroots.programme.fund]: public-revenue funds and funding policies.
- [`window`][grassroots.programme.window]: the one-stop exchange window.
- [`PointsProgramme`][grassroots.programme.programme.PointsProgramme]: all of them over one ledger.
"""

from __future__ import annotations

from grassroots.programme.activity import (
    ACTIVITY_RULE,
    CERTIFICATE_RULE,
    HOURS_RULE,
    ActivityBook,
    Attendance,
    CertificateLine,
    EarnerGroup,
    Participant,
    Reward,
    VolunteerActivity,
    VolunteerCertificate,
)
from grassroots.programme.caps import CAP_RULE, CapBehaviour, CapBook, CapPeriod, EarningCap
from grassroots.programme.fund import (
    FUND_RULE,
    FundingKind,
    FundingPolicy,
    FundMovement,
    MovementKind,
    PublicRevenueFund,
    Shortfall,
    deposit_community_shares,
)
from grassroots.programme.programme import (
    PRIVACY_RULE,
    HonourLine,
    LoopReport,
    PointsProgramme,
    Settlement,
    SettlementLine,
    merchant_account_id,
    wallet_id,
)
from grassroots.programme.shop import (
    REDEMPTION_RULE,
    REFUND_RULE,
    Merchant,
    RedemptionReceipt,
    RedemptionRule,
    RefundRecord,
    refund_shares,
)
from grassroots.programme.window import EXCHANGE_RULE, DailyLimit, ExchangeReceipt, ExchangeWindow

__all__ = [
    "ACTIVITY_RULE",
    "CAP_RULE",
    "CERTIFICATE_RULE",
    "EXCHANGE_RULE",
    "FUND_RULE",
    "HOURS_RULE",
    "PRIVACY_RULE",
    "REDEMPTION_RULE",
    "REFUND_RULE",
    "ActivityBook",
    "Attendance",
    "CapBehaviour",
    "CapBook",
    "CapPeriod",
    "CertificateLine",
    "DailyLimit",
    "EarnerGroup",
    "EarningCap",
    "ExchangeReceipt",
    "ExchangeWindow",
    "FundMovement",
    "FundingKind",
    "FundingPolicy",
    "HonourLine",
    "LoopReport",
    "Merchant",
    "MovementKind",
    "Participant",
    "PointsProgramme",
    "PublicRevenueFund",
    "RedemptionReceipt",
    "RedemptionRule",
    "RefundRecord",
    "Reward",
    "Settlement",
    "SettlementLine",
    "Shortfall",
    "VolunteerActivity",
    "VolunteerCertificate",
    "deposit_community_shares",
    "merchant_account_id",
    "refund_shares",
    "wallet_id",
]
