"""docs/concepts/caching/index.md: cache-aside, read-through, write-through and write-behind, and TTLs.

Every pattern runs against the dict-backed fake and against a real Redis, and must send exactly
the same reads and writes to the "database" with both.
"""

from __future__ import annotations

import pytest

from measurements import matches_recorded
from properties.patterns import (
    CacheAside,
    CountingDatabase,
    DictCache,
    ReadThrough,
    WriteBehind,
    WriteThrough,
    run_scenario,
)

PATTERNS = {
    "cache-aside": CacheAside, "read-through": ReadThrough, "write-through": WriteThrough, "write-behind": WriteBehind
}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["dict", "redis"])
def make_cache(request, redis_client):
    """A fresh cache of either kind; both answer get/set(ex=)/delete the same way."""
    return (lambda: DictCache()) if request.param == "dict" else (lambda: redis_client)


def traffic(pattern_class, cache) -> dict:
    db = CountingDatabase({"p1": "v1"})
    pattern = pattern_class(cache, db)
    run_scenario(pattern)
    result = {"reads": db.reads, "writes": db.writes, "db_value": db.rows["p1"]}
    if isinstance(pattern, WriteBehind):
        result["flushed"] = pattern.flush()
        result["writes_after_flush"] = db.writes
        result["db_value_after_flush"] = db.rows["p1"]
    return result


def test_the_patterns_send_these_reads_and_writes_to_the_database(make_cache, redis_client):
    counts = {}
    for name, pattern_class in PATTERNS.items():
        redis_client.flushdb()  # each pattern starts with a cold cache
        counts[name] = traffic(pattern_class, make_cache())

    # Cache-aside and read-through: a miss after every write, so three database reads.
    assert counts["cache-aside"] == counts["read-through"] == {"reads": 3, "writes": 4, "db_value": "v5"}
    # Write-through: the cache is filled on write, so only the first read reaches the database.
    assert counts["write-through"] == {"reads": 1, "writes": 4, "db_value": "v5"}
    # Write-behind: no database write until the flush, then one for four changes of the same key.
    assert counts["write-behind"] == {
        "reads": 1, "writes": 0, "db_value": "v1", "flushed": 1, "writes_after_flush": 1, "db_value_after_flush": "v5",
    }


def test_both_caches_give_the_same_counts_and_the_note_shows_them(redis_client):
    by_backend = {}
    for backend in ("dict", "redis"):
        by_backend[backend] = {}
        for name, pattern_class in PATTERNS.items():
            redis_client.flushdb()
            by_backend[backend][name] = traffic(pattern_class, DictCache() if backend == "dict" else redis_client)
    assert by_backend["dict"] == by_backend["redis"]

    counts = by_backend["redis"]
    rows = []
    for name, result in counts.items():
        writes = (f"{result['writes']} until the flush, then {result['writes_after_flush']}"
                  if name == "write-behind" else str(result["writes"]))
        value = f"`{result['db_value']}` until the flush" if name == "write-behind" else f"`{result['db_value']}`"
        rows.append(f"| {name} | {result['reads']} | {writes} | {value} |\n")
    table = (
        "| Pattern | Database reads | Database writes | Database holds, after the last write |\n"
        "| --- | --- | --- | --- |\n" + "".join(rows)
    )
    assert matches_recorded("examples/django_project/properties/measured/cache-patterns.md", table)


def test_a_read_through_cache_is_the_only_thing_callers_talk_to():
    db = CountingDatabase({"p1": "v1"})
    pattern = ReadThrough(DictCache(), db)
    assert pattern.get("p1") == "v1" and pattern.get("p1") == "v1"
    assert db.reads == 1
    assert pattern.get("missing") is None  # a miss in the database is not cached...
    assert pattern.get("missing") is None
    assert db.reads == 3  # ...so it reaches the database every time (see "negative caching")


def test_cache_aside_does_not_cache_a_row_that_does_not_exist(make_cache):
    db = CountingDatabase()
    pattern = CacheAside(make_cache(), db)
    assert pattern.get("missing") is None and pattern.get("missing") is None
    assert db.reads == 2


def test_a_ttl_ends_an_entry_in_the_fake_cache():
    clock = FakeClock()
    cache = DictCache(clock)
    db = CountingDatabase({"p1": "v1"})
    pattern = CacheAside(cache, db, ttl=60)
    pattern.get("p1")
    clock.now = 59.9
    pattern.get("p1")
    assert db.reads == 1  # still fresh
    clock.now = 60.0
    pattern.get("p1")
    assert db.reads == 2  # expired at exactly 60 s: the next read went to the database
    assert cache.delete("p1") == 1 and cache.delete("p1") == 0


def test_a_ttl_in_redis_is_what_the_ttl_command_reports(redis_client):
    pattern = CacheAside(redis_client, CountingDatabase({"p1": "v1"}), ttl=3600)
    pattern.get("p1")
    assert 3595 <= redis_client.ttl("p1") <= 3600  # seconds left, counted down by the server
    redis_client.set("no-ttl", "x")
    assert redis_client.ttl("no-ttl") == -1  # a key without expiry
    assert redis_client.ttl("absent") == -2  # no such key
