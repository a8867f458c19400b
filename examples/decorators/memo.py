"""Memoization: functools.cache and lru_cache, and the same idea written by hand."""

from __future__ import annotations

import functools
from collections import Counter

calls: Counter[str] = Counter()  # how many times each function body really ran


# --8<-- [start:plain]
def fib_plain(n: int) -> int:
    calls["plain"] += 1
    return n if n < 2 else fib_plain(n - 1) + fib_plain(n - 2)
# --8<-- [end:plain]


# --8<-- [start:cache]
@functools.cache  # unbounded: same as lru_cache(maxsize=None)
def fib_cached(n: int) -> int:
    calls["cached"] += 1
    return n if n < 2 else fib_cached(n - 1) + fib_cached(n - 2)
# --8<-- [end:cache]


# --8<-- [start:memoize]
def memoize(func):
    """Remember results by positional arguments; they must be hashable."""
    results = {}

    @functools.wraps(func)
    def wrapper(*args):
        if args not in results:
            results[args] = func(*args)
        return results[args]

    wrapper.cache = results
    wrapper.cache_clear = results.clear
    return wrapper


@memoize
def fib_memo(n: int) -> int:
    calls["memo"] += 1
    return n if n < 2 else fib_memo(n - 1) + fib_memo(n - 2)
# --8<-- [end:memoize]


# --8<-- [start:lru]
SETTINGS = {"currency": "ETB", "language": "en", "timezone": "Africa/Addis_Ababa"}


@functools.lru_cache(maxsize=2)  # keep the two most recently used results
def load_setting(name: str) -> str:
    calls["load_setting"] += 1
    return SETTINGS[name]
# --8<-- [end:lru]


# --8<-- [start:pitfalls]
@functools.cache
def tags_for(user_id: int) -> list[str]:
    return ["new"]  # the same list object is handed to every caller


class PriceList:
    def __init__(self, prices: dict[str, int]):
        self.prices = prices

    @functools.lru_cache(maxsize=128)  # the cache key includes self, so the cache keeps self alive
    def price(self, item: str) -> int:
        return self.prices[item]
# --8<-- [end:pitfalls]
