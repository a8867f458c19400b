"""What the generators note says about `yield`, cleanup, generator expressions and `yield from`."""

import sys

import pytest

from generators.basics import countdown, flatten, numbered, squares_lazy, squares_list


def test_calling_a_generator_function_runs_none_of_its_body():
    log = []
    numbers = countdown(3, log)
    assert log == []  # only a generator object exists so far
    assert next(numbers) == 3
    assert log == ["body started", "about to yield 3"]


def test_each_next_resumes_after_the_last_yield_until_stop_iteration():
    log = []
    numbers = countdown(2, log)
    assert list(numbers) == [2, 1]
    assert log == ["body started", "about to yield 2", "about to yield 1", "body finished"]
    with pytest.raises(StopIteration):
        next(numbers)


def test_a_generator_is_exhausted_after_one_pass():
    numbers = countdown(3, [])
    assert sum(numbers) == 6
    assert list(numbers) == []  # a second pass sees nothing ...
    assert sum(numbers) == 0  # ... and raises nothing


def test_finally_runs_when_the_consumer_stops_early_and_closes_the_generator():
    log = []
    lines = numbered(["alpha", "beta", "gamma"], log)
    assert next(lines) == "1: alpha"
    assert log == []
    lines.close()  # what a for loop's garbage collection or contextlib.closing() would do
    assert log == ["cleanup ran"]


def test_finally_runs_when_the_generator_is_exhausted():
    log = []
    assert list(numbered(["alpha"], log)) == ["1: alpha"]
    assert log == ["cleanup ran"]


def test_list_comprehension_and_generator_expression_produce_the_same_values():
    assert squares_list(range(5)) == list(squares_lazy(range(5))) == [0, 1, 4, 9, 16]


def test_generator_expression_object_does_not_grow_with_its_input():
    # The list holds every element; the generator object holds only its current state.
    assert sys.getsizeof(squares_lazy(range(10))) == sys.getsizeof(squares_lazy(range(1_000_000)))
    assert sys.getsizeof(squares_list(range(1_000))) > sys.getsizeof(squares_list(range(10)))


def test_yield_from_delegates_to_each_inner_iterable_in_turn():
    assert list(flatten([["a", "b"], [], ["c"]])) == ["a", "b", "c"]
