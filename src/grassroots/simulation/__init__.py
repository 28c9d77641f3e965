"""Simulation (模拟): a scenario's year run end to end through the library, from one seed.

Use [`simulate`][grassroots.simulation.simulate] to run a scenario's ``[year]``
model (see the scenarios reference) month by month: the points cycle
(activities, claims, confirmations, redemptions, exchanges, settlements), the
venture's monthly profit allocation into the compounds' public revenue, the
four-step suggestion pipeline, the consultation meetings and the wish
mailbox. The result, a [`Year`][grassroots.simulation.Year], holds the
library's own objects; [`Year.report_inputs`][grassroots.simulation.Year.report_inputs]
names those a report is built from.

[`save`][grassroots.simulation.save] keeps a year in a store (the ledger's
journal, the year's inputs and its summary as typed records) and
[`load`][grassroots.simulation.load] reads it back: it replays the stored
inputs through the library and refuses the year unless the replay gives the
stored journal, to the hash, and the stored summary.

The simulation is pure: its only randomness is a ``random.Random(seed)`` it
creates, and it reads no clock, so a scenario, a number of months and a seed
always give the same year.

Examples:
    >>> from grassroots.scenarios import builtin, parse
    >>> year = simulate(parse(builtin("longju")), months=1, seed=1)
    >>> year.period[0].isoformat()
    '2025-01-01T00:00:00+08:00'
    >>> sorted(year.report_inputs())[:4]
    ['allocations', 'end', 'mailbox', 'meetings']
"""

from __future__ import annotations

from grassroots.simulation._store import (
    SAVE_CHUNK,
    STORE_RULE,
    YearInputs,
    YearSummary,
    latest_county,
    load,
    save,
    summarise,
)
from grassroots.simulation._year import SIMULATION_RULE, Refusal, Year, simulate

__all__ = [
    "SAVE_CHUNK",
    "SIMULATION_RULE",
    "STORE_RULE",
    "Refusal",
    "Year",
    "YearInputs",
    "YearSummary",
    "latest_county",
    "load",
    "save",
    "simulate",
    "summarise",
]
