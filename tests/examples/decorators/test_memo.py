"""Memoization turns exponential recursion into one call per argument; and two ways it bites."""

import gc
import weakref

import pytest

from decorators import memo
from decorators.memo import PriceList, fib_cached, fib_memo, fib_plain, load_setting, tags_for
from measurements import matches_recorded

N = 25


@pytest.fixture(autouse=True)
def fresh_caches():
    memo.calls.clear()
    fib_cached.cache_clear()
    fib_memo.cache_clear()
    load_setting.cache_clear()
    tags_for.cache_clear()


def test_all_three_versions_agree():
    assert fib_plain(N) == fib_cached(N) == fib_memo(N) == 75025


def test_caching_runs_the_body_once_per_argument():
    fib_plain(N)
    fib_cached(N)
    fib_memo(N)
    assert memo.calls["cached"] == memo.calls["memo"] == N + 1  # fib(0) .. fib(25)
    assert memo.calls["plain"] == 242_785
    table = (
        f"| fib({N}) computed with | Times the function body ran |\n"
        "| --- | --- |\n"
        f"| no cache | {memo.calls['plain']:,} |\n"
        f"| `@functools.cache` | {memo.calls['cached']} |\n"
        f"| hand-written `@memoize` | {memo.calls['memo']} |\n"
    )
    assert matches_recorded("examples/decorators/measured/memo-calls.md", table)


def test_a_second_call_is_served_from_the_cache():
    fib_cached(N)
    before = fib_cached.cache_info()
    fib_cached(N)
    after = fib_cached.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 0)


def test_lru_cache_evicts_the_least_recently_used_entry():
    for name in ["currency", "language", "currency", "timezone", "language"]:
        load_setting(name)
    # currency miss, language miss, currency hit, timezone miss (evicts language), language miss
    info = load_setting.cache_info()
    assert (info.hits, info.misses, info.currsize, info.maxsize) == (1, 4, 2, 2)
    assert memo.calls["load_setting"] == 4


def test_hand_written_memoize_exposes_its_cache():
    fib_memo(3)
    assert fib_memo.cache == {(1,): 1, (0,): 0, (2,): 1, (3,): 2}
    fib_memo.cache_clear()
    assert fib_memo.cache == {}


def test_unhashable_arguments_cannot_be_cached():
    with pytest.raises(TypeError, match="unhashable"):
        fib_memo([1, 2])
    with pytest.raises(TypeError, match="unhashable"):
        fib_cached([1, 2])


def test_a_cached_mutable_result_is_shared_between_callers():
    first = tags_for(1)
    first.append("vip")  # one caller changes "its" list ...
    assert tags_for(1) == ["new", "vip"]  # ... and every later caller sees it


def test_lru_cache_on_a_method_keeps_instances_alive():
    prices = PriceList({"tea": 30})
    assert prices.price("tea") == 30
    alive = weakref.ref(prices)
    del prices
    gc.collect()
    assert alive() is not None  # still referenced from the class-level cache
    PriceList.price.cache_clear()
    gc.collect()
    assert alive() is None
