"""The exception tree: families, builtin bases, codes and facts."""

from __future__ import annotations

import pickle

import pytest

from grassroots import errors


def _all_error_classes() -> list[type[errors.GrassrootsError]]:
    found: list[type[errors.GrassrootsError]] = []
    pending: list[type[errors.GrassrootsError]] = [errors.GrassrootsError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


class TestTree:
    @pytest.mark.parametrize(
        ("cls", "builtin"),
        [
            (errors.RuleViolation, ValueError),
            (errors.InvalidTransition, ValueError),
            (errors.UnknownReference, LookupError),
            (errors.SerializationError, ValueError),
        ],
    )
    def test_families_inherit_their_builtin(
        self, cls: type[errors.GrassrootsError], builtin: type[Exception]
    ) -> None:
        """Generic handlers such as ``except ValueError`` keep working."""
        assert issubclass(cls, errors.GrassrootsError)
        assert issubclass(cls, builtin)

    def test_every_class_has_a_unique_code(self) -> None:
        """Codes are stable, machine-readable and never shared."""
        codes = [cls.code for cls in _all_error_classes()]
        assert len(codes) == len(set(codes))

    def test_every_class_says_when_it_is_raised(self) -> None:
        """Each docstring begins "Raised when"."""
        for cls in _all_error_classes():
            assert (cls.__doc__ or "").startswith("Raised when"), cls

    def test_every_class_is_exported(self) -> None:
        """The tree in ``errors.__all__`` is the whole tree."""
        names = {cls.__name__ for cls in _all_error_classes() if cls.__module__ == errors.__name__}
        assert names == set(errors.__all__)


class TestFacts:
    def test_keeps_value_limit_and_rule(self) -> None:
        """The facts behind the message are attributes."""
        exc = errors.StateShareTooLow(
            "state share 49/100 is below 51/100", value="49/100", limit="51/100", rule="policy"
        )
        assert (str(exc), exc.value, exc.limit, exc.rule) == (
            "state share 49/100 is below 51/100",
            "49/100",
            "51/100",
            "policy",
        )
        assert exc.code == "venture.state_share"

    @pytest.mark.parametrize("cls", _all_error_classes())
    def test_pickles(self, cls: type[errors.GrassrootsError]) -> None:
        """Errors cross process boundaries with their facts intact."""
        exc = cls("message", value=1, limit=2, rule="rule")
        copy = pickle.loads(pickle.dumps(exc))
        assert type(copy) is cls
        assert (copy.message, copy.value, copy.limit, copy.rule) == ("message", 1, 2, "rule")

    def test_serialization_error_keeps_its_problems(self) -> None:
        """Every problem of bad input is kept, and survives pickling."""
        exc = errors.SerializationError("bad", problems=("a @ $.x", "b @ $.y"))
        assert pickle.loads(pickle.dumps(exc)).problems == ("a @ $.x", "b @ $.y")
