"""Cache stampede: many requests miss the same key at once and all recompute it.

get_unprotected() lets every miss recompute; get_with_lock() lets one request recompute while
the others wait for its result (a Redis lock taken with SET NX PX); should_recompute_early() is
the probabilistic alternative, which refreshes a hot key shortly before it expires.
All functions take a redis-py client created with decode_responses=True.
"""

from __future__ import annotations

import math
import random
import secrets
import time
from collections.abc import Callable

Pause = Callable[[], None]


def short_pause() -> None:
    time.sleep(0.01)


# --8<-- [start:unprotected]
def get_unprotected(client, key: str, compute: Callable[[], str], ttl: int = 60) -> str:
    value = client.get(key)
    if value is None:  # every request that misses recomputes, all at once
        value = compute()
        client.set(key, value, ex=ttl)
    return value
# --8<-- [end:unprotected]


# --8<-- [start:locked]
# Delete the lock only if it is still ours: after a timeout it may belong to someone else.
RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def get_with_lock(client, key: str, compute: Callable[[], str], ttl: int = 60,
                  lock_ms: int = 5000, pause: Pause = short_pause) -> str:
    lock = f"lock:{key}"
    deadline = time.monotonic() + lock_ms / 1000
    while True:
        value = client.get(key)
        if value is not None:
            return value
        token = secrets.token_hex(16)
        if client.set(lock, token, nx=True, px=lock_ms):  # only one request gets the lock
            try:
                value = client.get(key)  # filled while we were acquiring it? then we are done
                if value is None:
                    value = compute()
                    client.set(key, value, ex=ttl)
                return value
            finally:
                client.eval(RELEASE, 1, lock, token)
        if time.monotonic() > deadline:  # the holder is stuck or gone: stop waiting and compute
            return compute()
        pause()  # someone else is computing: look again in a moment
# --8<-- [end:locked]


# --8<-- [start:early]
def should_recompute_early(remaining: float, compute_seconds: float, beta: float = 1.0,
                           rand: Callable[[], float] = random.random) -> bool:
    """Recompute before expiry with a probability that rises as expiry nears ("XFetch").

    The probability is exp(-remaining / (beta * compute_seconds)): negligible while the key has
    many recomputation times left, about 37 % with one left (beta = 1), certain at expiry.
    Requests decide independently, so usually one of them refreshes the key early, alone."""
    return compute_seconds * beta * -math.log(1.0 - rand()) >= remaining


def get_with_early_recompute(client, key: str, compute: Callable[[], str], ttl: int = 60,
                             beta: float = 1.0, rand: Callable[[], float] = random.random) -> str:
    value, took = client.hmget(key, "value", "compute_seconds")
    remaining = client.pttl(key) / 1000  # negative when the key is missing
    if value is None or should_recompute_early(remaining, float(took), beta, rand):
        started = time.monotonic()
        value = compute()
        with client.pipeline() as pipe:  # MULTI ... EXEC: the value, its cost and its TTL together
            pipe.hset(key, mapping={"value": value, "compute_seconds": time.monotonic() - started})
            pipe.expire(key, ttl)
            pipe.execute()
    return value
# --8<-- [end:early]
