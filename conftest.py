"""Docs are tests: every ``>>>`` example in README.md, docs/ and the docstrings of src/ runs."""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser
from sybil.sybil import SybilCollection

_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

_markdown = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=_FLAGS), SkipParser()],
    path="docs",
    patterns=["*.md"],
)
_readme = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=_FLAGS)],
    path=".",
    patterns=["README.md"],
)
_docstrings = Sybil(
    parsers=[DocTestParser(optionflags=_FLAGS)],
    path="src",
    patterns=["*.py"],
)

pytest_collect_file = SybilCollection([_markdown, _readme, _docstrings]).pytest()
