"""Strategies for thresholds (private module; import from grassroots.strategies)."""

from __future__ import annotations

from hypothesis import strategies as st

from grassroots.threshold import Base, Threshold


def thresholds(
    *,
    bases: st.SearchStrategy[Base] = st.sampled_from(Base),
    max_denominator: int = 100,
) -> st.SearchStrategy[Threshold]:
    """Draw a [`Threshold`][grassroots.threshold.Threshold] with a ratio in ``[0, 1]``.

    Shrinks toward a zero ratio, the first base and a strict comparison.
    Needs the ``hypothesis`` extra.
    """
    return st.builds(
        Threshold,
        ratio=st.fractions(min_value=0, max_value=1, max_denominator=max_denominator),
        base=bases,
        inclusive=st.booleans(),
    )
