"""docs/concepts/caching/index.md: the stale-read race of invalidate-on-write, and the versioned fix.

The reader's `between` hook runs the writer at the exact moment between the reader's database
read and its cache fill, so the race happens on every run, with the fake and with Redis.
"""

from __future__ import annotations

import pytest

from measurements import matches_recorded
from properties.patterns import DictCache
from properties.race import (
    VersionedDatabase,
    VersionedDictCache,
    VersionedRedisCache,
    read_naive,
    read_versioned,
    write_naive,
    write_versioned,
)


@pytest.fixture(params=["dict", "redis"])
def caches(request, redis_client):
    """(plain cache, versioned cache) of the same kind."""
    if request.param == "dict":
        return DictCache(), VersionedDictCache()
    return redis_client, VersionedRedisCache(redis_client)


def naive_race(cache) -> tuple[str, str, str]:
    db = VersionedDatabase({"price": "100"})
    returned = read_naive(cache, db, "price", between=lambda: write_naive(cache, db, "price", "120"))
    return returned, db.read("price")[1], cache.get("price")


def versioned_race(cache) -> tuple[str, str, str]:
    db = VersionedDatabase({"price": "100"})
    returned = read_versioned(cache, db, "price", between=lambda: write_versioned(cache, db, "price", "120"))
    return returned, db.read("price")[1], cache.get_versioned("price")[1]


def test_invalidate_on_write_leaves_the_old_value_in_the_cache(caches):
    cache, _ = caches
    returned, in_database, in_cache = naive_race(cache)
    assert returned == "100"  # the reader saw the old value: fine, it read before the write
    assert in_database == "120"
    assert in_cache == "100"  # but it cached it after the delete: stale for the whole TTL
    db = VersionedDatabase({"price": "120"})
    assert read_naive(cache, db, "price") == "100"  # every later reader gets the stale value


def test_set_if_newer_refuses_the_late_old_value(caches):
    _, versioned = caches
    returned, in_database, in_cache = versioned_race(versioned)
    assert (returned, in_database, in_cache) == ("100", "120", "120")


def test_writers_arriving_out_of_order_cannot_go_backwards(caches):
    _, versioned = caches
    assert versioned.set_if_newer("price", 3, "130", 60)
    assert not versioned.set_if_newer("price", 2, "120", 60)  # a slow writer with an older version
    assert versioned.get_versioned("price") == (3, "130")


def test_without_a_race_both_versions_work(caches):
    cache, versioned = caches
    db = VersionedDatabase({"price": "100"})
    assert read_naive(cache, db, "price") == "100"
    write_naive(cache, db, "price", "120")
    assert read_naive(cache, db, "price") == "120"
    db = VersionedDatabase({"stock": "5"})
    assert read_versioned(versioned, db, "stock") == "5"  # a miss fills the cache...
    db.write("stock", "4")  # (a write that bypassed the cache)
    assert read_versioned(versioned, db, "stock") == "5"  # ...and the next read is a hit


def test_a_short_ttl_bounds_how_long_the_stale_value_lives():
    now = [0.0]
    cache = DictCache(clock=lambda: now[0])
    db = VersionedDatabase({"price": "100"})
    read_naive(cache, db, "price", between=lambda: write_naive(cache, db, "price", "120"), ttl=30)
    now[0] = 29.0
    assert read_naive(cache, db, "price", ttl=30) == "100"  # still stale...
    now[0] = 30.0
    assert read_naive(cache, db, "price", ttl=30) == "120"  # ...until the entry expires


def test_the_redis_version_keeps_a_ttl_on_every_key(redis_client):
    versioned = VersionedRedisCache(redis_client)
    versioned.set_if_newer("price", 1, "100", 60)
    assert 55 <= redis_client.ttl("price") <= 60
    assert redis_client.hgetall("price") == {"version": "1", "value": "100"}


def test_the_note_shows_both_outcomes(redis_client):
    naive = naive_race(redis_client)
    redis_client.flushdb()  # the versioned cache keeps a hash under the same key name
    versioned = versioned_race(VersionedRedisCache(redis_client))
    table = (
        "| Invalidation | Reader returned | Database holds | Cache holds afterwards |\n"
        "| --- | --- | --- | --- |\n"
        f"| delete the key after the write | `{naive[0]}` | `{naive[1]}` | `{naive[2]}` (stale until the TTL ends) |\n"
        f"| versioned: set only if newer | `{versioned[0]}` | `{versioned[1]}` | `{versioned[2]}` |\n"
    )
    assert matches_recorded("examples/django_project/properties/measured/stale-read-race.md", table)
