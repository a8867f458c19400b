"""What the with statement calls, what __exit__ receives, and what its return value does."""

import pytest

from context_managers.basics import Sloppy, Tracked


def test_enter_result_is_bound_by_as_and_exit_sees_no_error():
    log = []
    with Tracked("db", log) as resource:
        log.append("body")
    assert isinstance(resource, Tracked)
    assert log == ["enter db", "body", "exit db (no error)"]


def test_exit_receives_the_exception_and_false_lets_it_propagate():
    log = []
    with pytest.raises(KeyError), Tracked("db", log):
        raise KeyError("user")
    assert log == ["enter db", "exit db (KeyError: 'user')"]


def test_returning_true_suppresses_the_exception_and_skips_the_rest_of_the_block():
    log = []
    with Tracked("db", log, suppress=(ValueError,)):
        log.append("before")
        raise ValueError("bad row")
        log.append("never reached")  # skipped: the exception left the block
    log.append("after the with statement")
    assert log == ["enter db", "before", "exit db (ValueError: bad row)", "after the with statement"]


def test_suppression_matches_subclasses_only_of_the_listed_types():
    log = []
    with pytest.raises(TypeError), Tracked("db", log, suppress=(ValueError,)):
        raise TypeError("wrong type")
    assert log == ["enter db", "exit db (TypeError: wrong type)"]


def test_nested_managers_exit_in_reverse_order():
    log = []
    with Tracked("outer", log), Tracked("inner", log):
        log.append("body")
    assert log == ["enter outer", "enter inner", "body", "exit inner (no error)", "exit outer (no error)"]


def test_a_truthy_exit_value_swallows_every_exception():
    with Sloppy() as sloppy:
        raise RuntimeError("this error is lost")
    assert sloppy.closed is True  # execution continued here as if nothing happened
