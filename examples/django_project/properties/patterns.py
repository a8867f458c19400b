"""The four caching patterns of docs/concepts/caching/index.md, with no framework in the way.

The "database" is a dict that counts its reads and writes. The cache is anything with redis-py's
get/set/delete signatures: DictCache below (a dict with expiry times), or a real redis.Redis
client created with decode_responses=True. The tests run every pattern against both.
"""

from __future__ import annotations

import time
from collections.abc import Callable


# --8<-- [start:fakes]
class CountingDatabase:
    """A dict standing in for the database, counting the reads and writes that reach it."""

    def __init__(self, rows: dict[str, str] | None = None) -> None:
        self.rows = dict(rows or {})
        self.reads = self.writes = 0

    def read(self, key: str) -> str | None:
        self.reads += 1
        return self.rows.get(key)

    def write(self, key: str, value: str) -> None:
        self.writes += 1
        self.rows[key] = value


class DictCache:
    """A dict with expiry times, answering like redis-py: get(key), set(key, value, ex=seconds), delete(key)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.entries: dict[str, tuple[str, float | None]] = {}

    def get(self, key: str) -> str | None:
        value, expires = self.entries.get(key, (None, None))
        if expires is not None and self.clock() >= expires:
            del self.entries[key]  # expired: gone, as in Redis
            return None
        return value

    def set(self, key: str, value: str, ex: float | None = None) -> bool:
        self.entries[key] = (value, None if ex is None else self.clock() + ex)
        return True

    def delete(self, *keys: str) -> int:
        return sum(self.entries.pop(key, None) is not None for key in keys)
# --8<-- [end:fakes]


# --8<-- [start:cache_aside]
class CacheAside:
    """The application does everything: look in the cache, fall back to the database, fill the cache.
    A write goes to the database and deletes the cached copy."""

    def __init__(self, cache, db: CountingDatabase, ttl: int = 3600) -> None:
        self.cache, self.db, self.ttl = cache, db, ttl

    def get(self, key: str) -> str | None:
        value = self.cache.get(key)
        if value is None:
            value = self.db.read(key)
            if value is not None:
                self.cache.set(key, value, ex=self.ttl)
        return value

    def set(self, key: str, value: str) -> None:
        self.db.write(key, value)
        self.cache.delete(key)  # the next read loads the new value
# --8<-- [end:cache_aside]


# --8<-- [start:read_through]
class ReadThroughCache:
    """The cache loads what it misses, through a loader it was given: callers only ever ask the cache.
    (Same traffic as cache-aside; what changes is who owns the loading code.)"""

    def __init__(self, cache, loader: Callable[[str], str | None], ttl: int = 3600) -> None:
        self.cache, self.loader, self.ttl = cache, loader, ttl

    def get(self, key: str) -> str | None:
        value = self.cache.get(key)
        if value is None:
            value = self.loader(key)
            if value is not None:
                self.cache.set(key, value, ex=self.ttl)
        return value

    def forget(self, key: str) -> None:
        self.cache.delete(key)


class ReadThrough:
    """The application's side: reads go to the cache, writes to the database plus an invalidation."""

    def __init__(self, cache, db: CountingDatabase, ttl: int = 3600) -> None:
        self.db = db
        self.cache = ReadThroughCache(cache, loader=db.read, ttl=ttl)

    def get(self, key: str) -> str | None:
        return self.cache.get(key)

    def set(self, key: str, value: str) -> None:
        self.db.write(key, value)
        self.cache.forget(key)
# --8<-- [end:read_through]


# --8<-- [start:write_through]
class WriteThrough(ReadThrough):
    """Every write goes to the database and then to the cache, before the caller gets control back:
    reads after a write are hits, at the price of a slower write."""

    def set(self, key: str, value: str) -> None:
        self.db.write(key, value)
        self.cache.cache.set(key, value, ex=self.cache.ttl)
# --8<-- [end:write_through]


# --8<-- [start:write_behind]
class WriteBehind(ReadThrough):
    """Writes go to the cache only and are queued; flush() writes them to the database later,
    one write per key however many times it changed. Until then the database is behind."""

    def __init__(self, cache, db: CountingDatabase, ttl: int = 3600) -> None:
        super().__init__(cache, db, ttl)
        self.pending: dict[str, str] = {}  # in real systems: a durable queue, not process memory

    def set(self, key: str, value: str) -> None:
        self.cache.cache.set(key, value, ex=self.cache.ttl)
        self.pending[key] = value  # a later write to the same key replaces the queued one

    def flush(self) -> int:
        """What a background worker does every few seconds."""
        for key, value in self.pending.items():
            self.db.write(key, value)
        flushed, self.pending = len(self.pending), {}
        return flushed
# --8<-- [end:write_behind]


# --8<-- [start:scenario]
def run_scenario(pattern) -> None:
    """Three reads, a write, two reads, three quick writes, one read: all on one key."""
    for _ in range(3):
        pattern.get("p1")
    pattern.set("p1", "v2")
    for _ in range(2):
        pattern.get("p1")
    for version in ("v3", "v4", "v5"):
        pattern.set("p1", version)
    assert pattern.get("p1") == "v5"  # every pattern answers the newest value
# --8<-- [end:scenario]
