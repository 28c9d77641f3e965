"""The rules the points ledger cites: each a constant, listed on the docs' rules page (private)."""

from __future__ import annotations

from typing import Final

RULES_PAGE: Final = "docs: rules and sources, points"

"""Where the ledger's rules are listed: the points page of the docs' rules and sources."""

ENCODING_RULE: Final = f"journal format: text fields hold no NUL ({RULES_PAGE})"

"""The journal format separates fields by NUL, so no text field may hold one."""

TIME_RANGE_RULE: Final = (
    "the ledger records times from 0001-01-03T00:00Z to 9999-12-30T00:00Z, so that every"
    f" time can be shown in any zone and saved ({RULES_PAGE})"
)

"""The range of times the ledger records, entries and expiry alike."""

NON_NEGATIVE_RULE: Final = (
    f"no account but an issuer or an exchange clearing account goes below zero ({RULES_PAGE})"
)

"""Wallets, merchants and expiry accounts never go below zero; issuers and exchanges may."""

RESERVED_ID_RULE: Final = (
    "ids beginning with 'expire:' are the expiry sweep's: only the sweep's own transfer"
    f" (kind expire, id expire:{{lot}}:{{position}}) may use one ({RULES_PAGE})"
)

"""Generated ids live in a reserved namespace, so no caller can block the expiry sweep."""

RESIDENT_TRANSFER_RULE: Final = (
    "transfers between residents are off unless the scheme allows them"
    f" (points rule 10, {RULES_PAGE})"
)

"""Points rule 10: volunteer records are personal; a scheme may switch transfers on."""

EXPIRY_KEPT_RULE: Final = (
    "converted points keep their expiry: the lot an exchange opens expires when the soonest"
    f" of the lots it converted does (points rules 4 and 9, {RULES_PAGE})"
)

"""Points rules 4 and 9: an exchange never gives points a longer life."""

RESERVED_PREFIX: Final = "expire:"

"""The prefix of the ids the expiry sweep generates (see `RESERVED_ID_RULE`)."""

MAX_EXPIRY_COUNTS: Final = {"after_days": 3_652_059, "end_of_month": 119_988, "end_of_year": 9_998}

"""The largest count of each expiry rule: the span of the calendar the ledger records."""
