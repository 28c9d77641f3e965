r"""Scenarios (情景): a county's organisation and its venture, as a TOML file.

A scenario describes, in plain data, a county (县) with its streets (街道),
communities (社区) and compounds (小区) with their buildings and units; the party
branches (小区党支部) and the compounds each covers; the public-service rooms
(小区公共服务用房); and a joint venture (合资公司) with its shareholders and projects.
[`parse`][grassroots.scenarios.parse] reads the text (standard library ``tomllib``)
and builds the library's own objects, so every rule of the model applies:
[`County`][grassroots.subcommunity.County],
[`PartyBranch`][grassroots.branch.PartyBranch],
[`PublicServiceRoom`][grassroots.room.PublicServiceRoom] and
[`JointVenture`][grassroots.venture.JointVenture].

A wrong file is refused with every problem at once: a
[`ScenarioError`][grassroots.errors.ScenarioError] whose ``problems`` each name the
field's path and the rule broken (``"expected an integer, not a string @
branches[3].full_members"``). Parsing writes nothing and reads no clock.

The package ships the Tancheng case (郯城县) as ``tancheng``
([`builtin`][grassroots.scenarios.builtin]): 124 compounds in 16 communities, 50
branches covering all of them, 441 rooms of 52,000 m² in all, and a venture in
which the state-owned enterprise holds 51% and runs the three kinds of shops. The
compounds' and branches' names are illustrative; the counts are the case's.
It also ships the Longju case (龙居社区) as ``longju``: one resettlement compound
merged from 6 villages, 17 buildings and 39 units in 4 grids, over 10,000
residents, the three consultation meetings and the four-step pipeline.

A scenario may also describe the points programme (schemes, the exchange
window's rates, shops with their redemption rules and funding policies), the
meeting series, the pipeline's roster
([`PipelineSetup`][grassroots.scenarios.PipelineSetup]) and the random model of
a year ([`YearModel`][grassroots.scenarios.YearModel]) that
[`grassroots.simulation.simulate`][grassroots.simulation.simulate] runs.

Examples:
    >>> tancheng = parse(builtin("tancheng"))
    >>> len(tancheng.county.subcommunities), len(tancheng.branches)
    (124, 50)
    >>> tancheng.coverage().complete
    True
    >>> inventory = tancheng.rooms_inventory()
    >>> inventory.rooms, inventory.area
    (441, Decimal('52000.00'))
    >>> tancheng.venture.state_share()
    Fraction(51, 100)
    >>> [scheme.name for scheme in tancheng.schemes]
    ['新新向党', '美德积分']
    >>> longju = parse(builtin("longju"))
    >>> sum(len(b.units) for b in longju.county.subcommunities[0].buildings)
    39
    >>> parse('[county]\nid = "x"\nname = 1\nmotto = "?"')
    Traceback (most recent call last):
    ...
    grassroots.errors.ScenarioError: the scenario has 6 problems: ...
"""

from __future__ import annotations

from grassroots.scenarios._loader import Scenario, builtin, names, parse
from grassroots.scenarios._model import PipelineSetup, ProfitRange, YearModel

__all__ = ["PipelineSetup", "ProfitRange", "Scenario", "YearModel", "builtin", "names", "parse"]
