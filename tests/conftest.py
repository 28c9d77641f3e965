"""Hypothesis profiles for the test suite.

Choose one with the ``HYPOTHESIS_PROFILE`` environment variable:

- ``dev`` (default): quick runs while working.
- ``ci``: more examples, derandomized so a red run repeats exactly, every
  failing example printed with its reproduction blob.
- ``thorough``: many examples, for a long run before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, Verbosity, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=2_000,
    deadline=None,
    phases=list(Phase),
    verbosity=Verbosity.normal,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
