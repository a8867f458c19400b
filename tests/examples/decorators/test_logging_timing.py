"""log_calls and timed add logging around a call and leave the result and errors alone."""

import logging
import sqlite3

import pytest

from decorators.logging_timing import log_calls, run_query, timed

LOGGER = "decorators.logging_timing"


def test_log_calls_logs_arguments_and_result(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    @log_calls
    def add(a, b):
        return a + b

    assert add(2, b=3) == 5
    assert [record.getMessage() for record in caplog.records] == [
        "calling test_log_calls_logs_arguments_and_result.<locals>.add args=(2,) kwargs={'b': 3}",
        "test_log_calls_logs_arguments_and_result.<locals>.add returned 5",
    ]


def test_log_calls_with_options_uses_the_given_level(caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)

    @log_calls(level=logging.DEBUG)
    def ping():
        return "pong"

    assert ping() == "pong"
    assert {record.levelno for record in caplog.records} == {logging.DEBUG}
    assert ping.__name__ == "ping"


def test_log_calls_logs_the_traceback_and_re_raises(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    @log_calls
    def explode():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        explode()
    failure = caplog.records[-1]
    assert failure.levelno == logging.ERROR
    assert failure.exc_info[0] is RuntimeError


def test_log_queries_style_usage_logs_the_sql(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    conn = sqlite3.connect(":memory:")
    try:
        assert run_query(conn, "SELECT ? + ?", (1, 2)) == [(3,)]
    finally:
        conn.close()
    message = caplog.records[0].getMessage()
    assert "'SELECT ? + ?', (1, 2)" in message  # the SQL and its parameters


def test_timed_logs_the_elapsed_time_from_the_injected_clock(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    ticks = iter([10.0, 10.25])

    @timed(clock=lambda: next(ticks))
    def work():
        return "done"

    assert work() == "done"
    assert caplog.records[-1].getMessage().endswith("work took 0.250 s")


def test_timed_also_times_calls_that_fail(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    ticks = iter([1.0, 1.5])

    @timed(clock=lambda: next(ticks))
    def fail():
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        fail()
    assert caplog.records[-1].getMessage().endswith("fail took 0.500 s")


def test_timed_defaults_to_a_real_clock(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    @timed()
    def quick():
        return 1

    assert quick() == 1
    assert " took " in caplog.records[-1].getMessage()
