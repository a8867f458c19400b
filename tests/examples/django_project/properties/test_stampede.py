"""docs/concepts/caching/index.md: a cache stampede against a real Redis, with and without a lock.

N threads miss the same key at once. The "expensive query" each one would run is instrumented
so that the outcome does not depend on timing: without protection it waits until all N threads
are inside it (proving N concurrent recomputations); with the lock it waits until the other
N - 1 threads have found the lock taken at least once (proving they really were waiting).
"""

from __future__ import annotations

import random
import threading
import time

import pytest

from measurements import matches_recorded
from properties import stampede
from properties.stampede import get_unprotected, get_with_early_recompute, get_with_lock, should_recompute_early

N = 8
WAIT = 5.0  # seconds; only reached if the code under test is broken


class ExpensiveQuery:
    """Counts its calls; returns only once `ready()` is true (checked under a condition variable)."""

    def __init__(self, ready) -> None:
        self.calls = 0
        self.waiters: set[int] = set()
        self.changed = threading.Condition()
        self.ready = ready

    def __call__(self) -> str:
        with self.changed:
            self.calls += 1
            self.changed.notify_all()
            assert self.changed.wait_for(lambda: self.ready(self), timeout=WAIT), "the other threads never arrived"
        return "listing"

    def note_waiter(self) -> None:
        """The lock's pause: remember which thread found the lock taken, then pause briefly."""
        with self.changed:
            self.waiters.add(threading.get_ident())
            self.changed.notify_all()
        time.sleep(0.001)


def run_concurrently(target, count: int = N) -> list[str]:
    results: list[str] = []
    start = threading.Barrier(count)

    def worker() -> None:
        start.wait(timeout=WAIT)  # all threads ask at the same moment
        results.append(target())

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    return results


def test_without_protection_every_concurrent_miss_recomputes(redis_client):
    query = ExpensiveQuery(ready=lambda q: q.calls == N)
    results = run_concurrently(lambda: get_unprotected(redis_client, "listing", query))
    assert results == ["listing"] * N
    assert query.calls == N


def test_with_a_lock_one_request_recomputes_and_the_others_wait(redis_client):
    query = ExpensiveQuery(ready=lambda q: len(q.waiters) == N - 1)
    results = run_concurrently(lambda: get_with_lock(redis_client, "listing", query, pause=query.note_waiter))
    assert results == ["listing"] * N
    assert query.calls == 1
    assert len(query.waiters) == N - 1
    assert redis_client.exists("lock:listing") == 0  # released
    assert redis_client.ttl("listing") > 0


def test_the_note_shows_the_recomputation_counts(redis_client):
    unprotected = ExpensiveQuery(ready=lambda q: q.calls == N)
    run_concurrently(lambda: get_unprotected(redis_client, "listing", unprotected))
    redis_client.flushdb()
    locked = ExpensiveQuery(ready=lambda q: len(q.waiters) == N - 1)
    run_concurrently(lambda: get_with_lock(redis_client, "listing", locked, pause=locked.note_waiter))
    table = (
        f"| {N} concurrent requests for a missing key | Recomputations |\n"
        "| --- | --- |\n"
        f"| no protection | {unprotected.calls} |\n"
        f"| lock with `SET lock:key token NX PX 5000` | {locked.calls} |\n"
    )
    assert matches_recorded("examples/django_project/properties/measured/stampede.md", table)


def test_releasing_the_lock_never_deletes_a_lock_someone_else_now_holds(redis_client):
    def overrunning_compute() -> str:
        # While we compute, our lock expires and another client takes it with its own token.
        redis_client.set("lock:listing", "their-token", px=5000)
        return "listing"

    assert get_with_lock(redis_client, "listing", overrunning_compute) == "listing"
    assert redis_client.get("lock:listing") == "their-token"  # the compare-and-delete left it alone


def test_a_request_stuck_behind_a_lock_that_never_frees_computes_after_lock_ms(redis_client):
    redis_client.set("lock:listing", "a-crashed-client", px=60_000)  # held, and nobody fills the key
    started = time.monotonic()
    value = get_with_lock(redis_client, "listing", lambda: "listing", lock_ms=50)
    assert value == "listing"
    assert time.monotonic() - started >= 0.05  # it waited out lock_ms first
    assert redis_client.get("listing") is None  # then computed for itself, without filling the cache


def test_after_taking_the_lock_it_checks_again_before_recomputing(redis_client):
    class AnotherRequestFinishesFirst:
        """The client as get_with_lock sees it, except that another request fills the key just
        before this one takes the lock (after the first GET missed)."""

        def __getattr__(self, name):
            return getattr(redis_client, name)

        def set(self, name, value, **options):
            if options.get("nx"):
                redis_client.set("listing", "filled by the other request", ex=60)
            return redis_client.set(name, value, **options)

    def must_not_run() -> str:
        raise AssertionError("the value was already there")

    assert get_with_lock(AnotherRequestFinishesFirst(), "listing", must_not_run) == "filled by the other request"


def test_a_hit_never_takes_the_lock(redis_client):
    redis_client.set("listing", "cached")

    def must_not_run() -> str:
        raise AssertionError("a hit must not recompute")

    assert get_with_lock(redis_client, "listing", must_not_run) == "cached"
    assert get_unprotected(redis_client, "listing", must_not_run) == "cached"


def early_recompute_share(remaining: float, compute_seconds: float, draws: int = 10_000) -> float:
    rng = random.Random(2026)  # seeded: the same draws on every run
    return sum(should_recompute_early(remaining, compute_seconds, rand=rng.random) for _ in range(draws)) / draws


def test_early_recomputation_gets_likelier_as_expiry_nears():
    shares = {left: early_recompute_share(remaining=left * 0.2, compute_seconds=0.2) for left in (10, 3, 1, 0)}
    assert shares[10] < 0.001  # exp(-10) is about 0.00005
    assert 0.04 < shares[3] < 0.06  # exp(-3) is about 0.0498
    assert 0.35 < shares[1] < 0.39  # exp(-1) is about 0.368
    assert shares[0] == 1.0  # at expiry, every request recomputes
    table = (
        "| Time left before expiry | Requests that recompute early |\n"
        "| --- | --- |\n"
        + "".join(f"| {left} × the recomputation time | {shares[left]:.1%} |\n" for left in (10, 3, 1, 0))
    )
    assert matches_recorded("examples/django_project/properties/measured/early-recompute.md", table)


def test_early_recomputation_with_redis_refreshes_a_key_before_it_expires(redis_client, monkeypatch):
    calls = []
    clock = [1000.0]  # a monotonic clock the test moves by hand

    def compute() -> str:
        calls.append(1)
        clock[0] += 2.5  # this recomputation "takes" 2.5 s on that clock
        return f"listing {len(calls)}"

    with monkeypatch.context() as patched:
        patched.setattr(stampede.time, "monotonic", lambda: clock[0])
        assert get_with_early_recompute(redis_client, "listing", compute, ttl=60) == "listing 1"  # a miss
    # Stored next to the value: exactly how long compute() took, the input of the early decision.
    assert float(redis_client.hget("listing", "compute_seconds")) == 2.5
    redis_client.hset("listing", "compute_seconds", 10)  # pretend it took 10 s: a refresh is worth planning
    never = lambda: 0.0  # noqa: E731 (the luckiest draw: recompute only at expiry)
    assert get_with_early_recompute(redis_client, "listing", compute, ttl=60, rand=never) == "listing 1"
    always = lambda: 1.0 - 1e-12  # noqa: E731 (the unluckiest draw: recompute now)
    assert get_with_early_recompute(redis_client, "listing", compute, ttl=60, rand=always) == "listing 2"
    assert 55 <= redis_client.ttl("listing") <= 60  # the refresh set a new TTL
    assert len(calls) == 2


@pytest.mark.parametrize("remaining", [-1.0, -2.0])
def test_a_missing_key_is_always_recomputed(remaining):
    assert should_recompute_early(remaining, compute_seconds=0.5, rand=lambda: 0.0)
