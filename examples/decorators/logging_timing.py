"""Logging calls and timing them: behaviour around a function without touching its body."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


# --8<-- [start:log_calls]
def log_calls(func=None, *, level: int = logging.INFO):
    """Usable bare (@log_calls) or with options (@log_calls(level=logging.DEBUG))."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            logger.log(level, "calling %s args=%r kwargs=%r", func.__qualname__, args, kwargs)
            try:
                result = func(*args, **kwargs)
            except Exception:
                logger.exception("%s raised", func.__qualname__)
                raise  # log, never swallow
            logger.log(level, "%s returned %r", func.__qualname__, result)
            return result

        return wrapper

    return decorator if func is None else decorator(func)
# --8<-- [end:log_calls]


# --8<-- [start:timed]
def timed(clock: Callable[[], float] = time.perf_counter):
    """Log how long each call took; the clock is a parameter so tests can pass a fake one."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            started = clock()
            try:
                return func(*args, **kwargs)
            finally:  # time failures too
                logger.info("%s took %.3f s", func.__qualname__, clock() - started)

        return wrapper

    return decorator
# --8<-- [end:timed]


# --8<-- [start:log_queries]
@log_calls
def run_query(conn, sql: str, params: tuple = ()) -> list[tuple]:
    return conn.execute(sql, params).fetchall()
# --8<-- [end:log_queries]
