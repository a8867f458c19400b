"""docs/concepts/asynchronous-programming.md: structured concurrency, deadlines, to_thread, CPU work."""

from __future__ import annotations

import asyncio
import threading

from concurrency.structured import (
    call_blocking,
    call_services,
    collect_until,
    crunch_in_processes,
    crunch_on_the_loop,
    heartbeats_during,
)
from concurrency.workloads import crunch


def peak_concurrency(log: list[str]) -> int:
    running = peak = 0
    for entry in log:
        running += 1 if entry.startswith("start") else -1
        peak = max(peak, running)
    return peak


def test_a_semaphore_caps_how_many_calls_run_at_once():
    log: list[str] = []
    delays = {f"service {n}": 0.01 for n in range(6)}
    results = asyncio.run(call_services(delays, limit=2, per_call=1.0, log=log))
    assert results == {name: f"{name} ok" for name in delays}
    assert peak_concurrency(log) == 2
    assert len(log) == 12


def test_a_slow_call_times_out_alone_and_the_others_succeed():
    log: list[str] = []
    results = asyncio.run(call_services({"fast": 0, "slow": 10, "also fast": 0}, limit=3, per_call=0.05, log=log))
    assert results == {"fast": "fast ok", "slow": None, "also fast": "also fast ok"}
    assert "end slow" in log  # its finally ran: the timeout cancelled it cleanly


def test_one_deadline_cancels_every_unfinished_call_before_the_caller_continues():
    log: list[str] = []
    done = asyncio.run(collect_until(0.05, {"fast": 0, "slow": 10, "slower": 20}, log))
    assert done == {"fast": "fast ok"}
    assert sorted(log[:2]) == ["slow cancelled", "slower cancelled"]
    assert log[2] == "deadline passed"  # no task outlived the block: structured concurrency


def test_a_timeout_stops_the_wait_but_not_the_thread():
    release, finished = threading.Event(), threading.Event()

    def blocking() -> str:  # a call that knows nothing about asyncio, e.g. a sync HTTP client
        release.wait(timeout=5)
        finished.set()
        return "done"

    async def main():
        result = await call_blocking(blocking, seconds=0.05)
        still_running = not finished.is_set()
        release.set()  # let the thread end; asyncio.run() waits for it before it returns
        return result, still_running

    result, still_running = asyncio.run(main())
    assert result is None
    assert still_running  # the timeout did not stop the thread...
    assert finished.is_set()  # ...which finished later, on its own


def test_a_blocking_call_that_finishes_in_time_returns_its_value():
    assert asyncio.run(call_blocking(lambda: 42, seconds=1)) == 42


def test_cpu_work_in_a_process_pool_leaves_the_event_loop_free():
    sizes = [800_000, 800_000]
    expected = [crunch(n) for n in sizes]

    async def measure(make_work):
        results = []

        async def work():
            results.extend(await make_work(sizes))

        beats = await heartbeats_during(work())
        return results, beats

    on_loop, beats_on_loop = asyncio.run(measure(crunch_on_the_loop))
    in_pool, beats_in_pool = asyncio.run(measure(crunch_in_processes))
    assert on_loop == in_pool == expected
    assert beats_on_loop == 0  # the loop was busy computing: the heartbeat never ran
    assert beats_in_pool >= 2  # the loop kept running other tasks while the processes computed
