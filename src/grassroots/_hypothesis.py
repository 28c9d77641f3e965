"""The Hypothesis entry point (private): registers strategies for grassroots types.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported in an
environment where grassroots is installed, so ``st.from_type(Threshold)`` and
``st.builds(...)`` over grassroots types work with no setup. The hook imports
only the core types; each strategy is looked up in :mod:`grassroots.strategies`
when first drawn, because that module itself imports Hypothesis.
"""

from __future__ import annotations

import importlib
from typing import Any


def _lazy(name: str) -> Any:
    from hypothesis import strategies as st

    def build() -> Any:
        return getattr(importlib.import_module("grassroots.strategies"), name)()

    return st.deferred(build)


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from grassroots.threshold import Threshold

    for cls, name in ((Threshold, "thresholds"),):
        st.register_type_strategy(cls, _lazy(name))
