"""Decorators with and without arguments, and what functools.wraps keeps."""

from __future__ import annotations

import functools
from collections.abc import Callable


# --8<-- [start:without_wraps]
def count_calls_plain(func):
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return func(*args, **kwargs)

    wrapper.calls = 0
    return wrapper  # the caller now holds `wrapper`, with wrapper's name and docstring
# --8<-- [end:without_wraps]


# --8<-- [start:with_wraps]
def count_calls(func):
    @functools.wraps(func)  # copies __name__, __doc__, __annotations__ and more; sets __wrapped__
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return func(*args, **kwargs)

    wrapper.calls = 0
    return wrapper
# --8<-- [end:with_wraps]


# --8<-- [start:registry]
HANDLERS: dict[str, Callable[..., object]] = {}


def register(func):
    """Register a handler under its name, the way URL routers and task queues often do."""
    HANDLERS[func.__name__] = func
    return func
# --8<-- [end:registry]


# --8<-- [start:with_arguments]
def repeat(times: int):
    """A decorator factory: repeat(3) returns the decorator that is then applied."""
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return [func(*args, **kwargs) for _ in range(times)]

        return wrapper

    return decorator


@repeat(3)  # same as: roll = repeat(3)(roll)
def roll(value: str) -> str:
    return value.upper()
# --8<-- [end:with_arguments]


# --8<-- [start:stacking]
def tag(name: str):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return f"<{name}>{func(*args, **kwargs)}</{name}>"

        return wrapper

    return decorator


@tag("b")  # applied last, so it runs first and wraps everything below it
@tag("i")  # applied first, closest to the function
def greet(name: str) -> str:
    return f"hello {name}"
# --8<-- [end:stacking]
