"""functools.wraps, decorators with arguments, and the order stacked decorators apply in."""

import inspect

import pytest

from decorators import basics
from decorators.basics import count_calls, count_calls_plain, greet, register, repeat, roll


def make_pair(decorator):
    """Two differently named functions, both decorated with `decorator`."""

    @decorator
    def create_user(name: str, *, admin: bool = False) -> str:
        """Create a user."""
        return name

    @decorator
    def delete_user(name: str) -> str:
        """Delete a user."""
        return name

    return create_user, delete_user


def test_without_wraps_the_function_takes_the_wrappers_identity():
    create_user, _ = make_pair(count_calls_plain)
    assert create_user.__name__ == "wrapper"
    assert create_user.__doc__ is None
    assert str(inspect.signature(create_user)) == "(*args, **kwargs)"
    assert not hasattr(create_user, "__wrapped__")


def test_with_wraps_name_docstring_signature_and_wrapped_survive():
    create_user, _ = make_pair(count_calls)
    assert create_user.__name__ == "create_user"
    assert create_user.__doc__ == "Create a user."
    assert str(inspect.signature(create_user)) == "(name: str, *, admin: bool = False) -> str"
    assert create_user.__wrapped__("ada") == "ada"  # the undecorated function, for tests and tools


def test_both_versions_count_calls():
    for decorator in (count_calls_plain, count_calls):
        create_user, _ = make_pair(decorator)
        create_user("ada")
        create_user("tim")
        assert create_user.calls == 2


def test_a_registry_keyed_by_name_loses_handlers_without_wraps(monkeypatch):
    monkeypatch.setattr(basics, "HANDLERS", {})
    for function in make_pair(count_calls_plain):
        register(function)
    assert list(basics.HANDLERS) == ["wrapper"]  # delete_user silently replaced create_user

    monkeypatch.setattr(basics, "HANDLERS", {})
    for function in make_pair(count_calls):
        register(function)
    assert list(basics.HANDLERS) == ["create_user", "delete_user"]


def test_a_decorator_with_arguments_is_a_factory_that_returns_the_decorator():
    assert roll("go") == ["GO", "GO", "GO"]
    assert roll.__name__ == "roll"
    twice = repeat(2)
    assert twice(str.lower)("A") == ["a", "a"]


def test_the_factory_checks_its_arguments_at_decoration_time():
    with pytest.raises(ValueError, match="at least 1"):
        repeat(0)


def test_stacked_decorators_apply_bottom_up_and_run_top_down():
    assert greet("ada") == "<b><i>hello ada</i></b>"
