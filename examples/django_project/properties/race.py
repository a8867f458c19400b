"""The stale-read race of cache-aside with delete-on-write, made deterministic, and a fix.

A reader that misses the cache reads the database and then fills the cache. If a writer updates
the database and deletes the key between the reader's two steps, the reader puts the old value
back and it stays there until its TTL. The `between` argument of the readers is the moment
where "another request runs": the tests pass the writer in, so the interleaving is exact.
"""

from __future__ import annotations

from collections.abc import Callable

NOTHING: Callable[[], None] = lambda: None  # noqa: E731


class VersionedDatabase:
    """Rows with a version number that every write increases (a version column, or updated_at)."""

    def __init__(self, rows: dict[str, str]) -> None:
        self.rows = {key: (1, value) for key, value in rows.items()}

    def read(self, key: str) -> tuple[int, str]:
        return self.rows[key]

    def write(self, key: str, value: str) -> int:
        version = self.rows[key][0] + 1
        self.rows[key] = (version, value)
        return version


# --8<-- [start:naive]
def read_naive(cache, db: VersionedDatabase, key: str, between=NOTHING, ttl: int = 3600) -> str:
    value = cache.get(key)
    if value is None:
        _, value = db.read(key)
        between()  # the race window: another request may run here
        cache.set(key, value, ex=ttl)
    return value


def write_naive(cache, db: VersionedDatabase, key: str, value: str) -> None:
    db.write(key, value)
    cache.delete(key)
# --8<-- [end:naive]


# --8<-- [start:versioned]
def read_versioned(cache, db: VersionedDatabase, key: str, between=NOTHING, ttl: int = 3600) -> str:
    cached = cache.get_versioned(key)
    if cached is not None:
        return cached[1]
    version, value = db.read(key)
    between()  # the same race window
    cache.set_if_newer(key, version, value, ttl)  # refused if the cache already holds a newer version
    return value


def write_versioned(cache, db: VersionedDatabase, key: str, value: str, ttl: int = 3600) -> None:
    version = db.write(key, value)
    cache.set_if_newer(key, version, value, ttl)  # leave the new version behind instead of a hole
# --8<-- [end:versioned]


class VersionedDictCache:
    """set_if_newer over a plain dict: fine in one thread, which is all the fake needs."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, str]] = {}

    def get_versioned(self, key: str) -> tuple[int, str] | None:
        return self.entries.get(key)

    def set_if_newer(self, key: str, version: int, value: str, ttl: int) -> bool:
        current = self.entries.get(key)
        if current is not None and current[0] >= version:
            return False
        self.entries[key] = (version, value)
        return True


# --8<-- [start:redis_versioned]
# Compare and set in one step: Redis runs a script atomically, so no other client's command can
# slip in between the HGET and the HSET.
SET_IF_NEWER = """
local current = redis.call('HGET', KEYS[1], 'version')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'value', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


class VersionedRedisCache:
    """Each key is a hash {version, value}; a write with an older version is refused."""

    def __init__(self, client) -> None:
        self.client = client
        self.set_script = client.register_script(SET_IF_NEWER)

    def get_versioned(self, key: str) -> tuple[int, str] | None:
        version, value = self.client.hmget(key, "version", "value")
        return None if version is None else (int(version), value)

    def set_if_newer(self, key: str, version: int, value: str, ttl: int) -> bool:
        return bool(self.set_script(keys=[key], args=[version, value, ttl]))
# --8<-- [end:redis_versioned]
