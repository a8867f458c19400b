"""asyncio.timeout and Task.cancel() both cancel the awaited coroutine, whose finally still runs."""

import asyncio

from async_io.timeouts import cancel_running_query, cancel_stubborn, query_with_timeout


def test_a_query_that_finishes_in_time_returns_its_result():
    log = []
    assert asyncio.run(query_with_timeout(1.0, log, delay=0)) == "rows"
    assert log == ["query started", "query cleaned up"]


def test_a_timeout_cancels_the_query_runs_its_cleanup_and_raises_timeout_error():
    log = []
    assert asyncio.run(query_with_timeout(0.01, log)) is None  # the query would take 10 s
    assert log == ["query started", "query cleaned up", "timed out"]


def test_cancel_runs_the_cleanup_and_the_caller_sees_cancelled_error():
    log = []
    assert asyncio.run(cancel_running_query(log)) is True
    assert log == ["query started", "query cleaned up", "caller saw CancelledError"]


def test_swallowing_cancelled_error_defeats_cancellation():
    log = []
    cancelled, result = asyncio.run(cancel_stubborn(log))
    assert (cancelled, result) == (False, "carried on")
    assert log == ["cancellation ignored"]
