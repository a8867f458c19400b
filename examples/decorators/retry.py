"""Retry with exponential backoff; the sleep function is injected so tests never wait."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable


# --8<-- [start:retry]
def retry(
    *,
    attempts: int = 3,
    exceptions: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError),
    base_delay: float = 0.1,
    factor: float = 2.0,
    max_delay: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
):
    """Call again after a transient failure, waiting base_delay, then x factor each time."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            delay = base_delay
            attempt = 1
            while True:
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts:
                        raise  # out of attempts: the caller sees the last error
                sleep(delay)
                delay = min(delay * factor, max_delay)
                attempt += 1

        return wrapper

    return decorator
# --8<-- [end:retry]
