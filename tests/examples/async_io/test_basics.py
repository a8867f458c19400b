"""Coroutines do nothing until awaited; awaiting in turn is sequential, gather is concurrent."""

import asyncio
import gc
import inspect

import pytest

from async_io.basics import at_the_same_time, fetch, one_after_another, start_then_wait


def test_calling_a_coroutine_function_runs_nothing():
    log = []
    coroutine = fetch("a", 0, log)
    assert inspect.iscoroutine(coroutine)
    assert log == []
    coroutine.close()  # never awaited: close it to avoid the "never awaited" warning


def test_a_discarded_coroutine_warns_that_it_was_never_awaited():
    def drop_a_coroutine():
        fetch("a", 0, [])  # the result is dropped at once
        gc.collect()  # CPython already finalized it; collect() makes that true elsewhere too

    with pytest.warns(RuntimeWarning, match="coroutine 'fetch' was never awaited"):
        drop_a_coroutine()


def test_awaiting_one_after_another_runs_them_in_sequence():
    log = []
    assert asyncio.run(one_after_another(log)) == ["a", "b"]
    assert log == ["start a", "end a", "start b", "end b"]


def test_gather_interleaves_them_and_keeps_results_in_argument_order():
    log = []
    assert asyncio.run(at_the_same_time(log)) == ["a", "b"]
    # b sleeps less, so it ends first; the results still come back as [a, b].
    assert log == ["start a", "start b", "end b", "end a"]


def test_a_created_task_starts_when_the_creator_yields_to_the_loop_not_at_creation():
    log = []
    assert asyncio.run(start_then_wait(log)) == ["background"]
    assert log == ["task created", "start background", "main continues", "end background"]
