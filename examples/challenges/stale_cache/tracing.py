"""The investigation tools of the stale-cache case: one numbered log of cache calls and SQL
statements, and Redis's own MONITOR.

`TracingRedisCache` is django-redis's backend with a log line for every get, set, add and
delete: point `CACHES["default"]["BACKEND"]` at it. `trace_sql` is a database execute wrapper
that writes each statement into the same log. Every line names the request that made the call
(see `acting_as()`), so two interleaved requests read in the order things really happened.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import secrets
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.cache import RedisCache

logger = logging.getLogger("challenges.stale_cache")
REQUEST: contextvars.ContextVar[str] = contextvars.ContextVar("request", default="-")
_PAUSES: list[tuple[str, Callable[[], None]]] = []


@contextlib.contextmanager
def acting_as(request: str) -> Iterator[None]:
    """Label every log line written inside the block with `request` ("reader", "writer")."""
    token = REQUEST.set(request)
    try:
        yield
    finally:
        REQUEST.reset(token)


def describe(value) -> str:
    """A cached listing as `[title: price, ...]`; anything else as its repr; None as a miss."""
    if value is None:
        return "miss"
    if isinstance(value, list):
        return "[" + ", ".join(f"{row['title']}: {row['price']}" for row in value) + "]"
    return repr(value)


def log(kind: str, message: str) -> None:
    logger.info("%s %s %s", REQUEST.get(), kind, message)


def pause_before_set(prefix: str, other_request: Callable[[], None]) -> None:
    """Run `other_request` once, just before the next cache SET of a key starting with `prefix`.

    That is the moment, between a reader's database read and its cache fill, where another
    request can run in production; here it runs there on every test run."""
    _PAUSES.append((prefix, other_request))


# --8<-- [start:backend]
class TracingRedisCache(RedisCache):
    """django-redis, plus one log line per call: which request, which key, what came back."""

    def get(self, key, default=None, version=None, client=None):
        value = super().get(key, default, version, client)
        log("cache", f"GET {key} -> {describe(value)}")
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, *args, **kwargs):
        for pause in [pause for pause in _PAUSES if key.startswith(pause[0])]:
            _PAUSES.remove(pause)
            pause[1]()  # another request runs here (tests only)
        stored = super().set(key, value, timeout, *args, **kwargs)
        if timeout is None:
            lifetime = "no expiry"
        elif timeout is DEFAULT_TIMEOUT:
            lifetime = "default timeout"
        else:
            lifetime = f"{timeout} s"
        log("cache", f"SET {key} = {describe(value)} ({lifetime})")
        return stored

    def add(self, key, value, *args, **kwargs):
        added = super().add(key, value, *args, **kwargs)
        log("cache", f"ADD {key} = {describe(value)} -> {'added' if added else 'already there'}")
        return added

    def delete(self, key, *args, **kwargs):
        deleted = super().delete(key, *args, **kwargs)
        log("cache", f"DEL {key} -> {'deleted' if deleted else 'nothing to delete'}")
        return deleted
# --8<-- [end:backend]


# --8<-- [start:trace_sql]
def trace_sql(execute, sql, params, many, context):
    """connection.execute_wrapper(trace_sql): each statement in the same log, prices shown."""
    log("SQL", summarize_sql(sql, params))
    return execute(sql, params, many, context)
# --8<-- [end:trace_sql]


def summarize_sql(sql: str, params) -> str:
    """`SELECT ... FROM "table"`, or `UPDATE "table" SET price = 120.00` for the changed price."""
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|UPDATE|INTO) "(\w+)"', sql)
    text = f'{verb} ... "{table.group(1)}"' if table else verb
    prices = [value for value in params or () if isinstance(value, Decimal)]
    return f"{text} (price {prices[0]})" if verb in {"UPDATE", "INSERT"} and prices else text


# --8<-- [start:monitor]
@contextlib.contextmanager
def redis_monitor(client, db: int) -> Iterator[list[str]]:
    """Every command Redis runs on database `db` during the block, in the order the server ran
    them, from every client (Redis's MONITOR command: fine in a test, never on a busy server)."""
    commands: list[str] = []
    end = f"end-of-trace-{secrets.token_hex(4)}"
    with client.monitor() as monitor:
        yield commands
        client.echo(end)  # a marker: everything before it has been streamed to the monitor
        while end not in (entry := monitor.next_command())["command"]:
            if entry["db"] == db:
                commands.append(entry["command"])
# --8<-- [end:monitor]


def shorten_command(command: str) -> str:
    """A MONITOR line with a pickled value and a clock-based version replaced by placeholders."""
    command = re.sub(r"\\x80.*?(?= PX \d+$|$)", "<pickled listing>", command)
    return re.sub(r"\b\d{16,}\b", "<time_ns>", command)
