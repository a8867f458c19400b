"""asyncio beyond the basics: bounded fan-out, one deadline for a group, blocking code, CPU work.

The "services" here are simulated with asyncio.sleep so that the tests need no network.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from concurrency.workloads import crunch

T = TypeVar("T")


# --8<-- [start:bounded]
async def call_services(delays: dict[str, float], limit: int, per_call: float, log: list[str]) -> dict[str, str | None]:
    """Call every service, at most `limit` at a time; a call slower than `per_call` seconds gives None."""
    gate = asyncio.Semaphore(limit)

    async def call(name: str, delay: float) -> str | None:
        async with gate:  # waits here while `limit` calls are already running
            log.append(f"start {name}")
            try:
                async with asyncio.timeout(per_call):
                    await asyncio.sleep(delay)  # the request itself
                    return f"{name} ok"
            except TimeoutError:
                return None  # this call's failure is handled here, so the group carries on
            finally:
                log.append(f"end {name}")

    async with asyncio.TaskGroup() as group:
        tasks = {name: group.create_task(call(name, delay)) for name, delay in delays.items()}
    return {name: task.result() for name, task in tasks.items()}
# --8<-- [end:bounded]


# --8<-- [start:deadline]
async def collect_until(deadline: float, delays: dict[str, float], log: list[str]) -> dict[str, str]:
    """Run every call under one deadline; return what finished in time, cancel the rest."""
    done: dict[str, str] = {}

    async def call(name: str, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            done[name] = f"{name} ok"
        except asyncio.CancelledError:
            log.append(f"{name} cancelled")
            raise  # never swallow a cancellation: the TaskGroup and the timeout rely on it

    try:
        async with asyncio.timeout(deadline):
            async with asyncio.TaskGroup() as group:
                for name, delay in delays.items():
                    group.create_task(call(name, delay))
    except TimeoutError:
        log.append("deadline passed")
    return done
# --8<-- [end:deadline]


# --8<-- [start:to_thread]
async def call_blocking(blocking: Callable[[], T], seconds: float) -> T | None:
    """Run a blocking call in a worker thread; stop waiting for it after `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            return await asyncio.to_thread(blocking)
    except TimeoutError:
        return None  # we stopped waiting; the thread itself cannot be stopped and runs on
# --8<-- [end:to_thread]


# --8<-- [start:cpu_from_async]
async def crunch_in_processes(sizes: list[int], workers: int = 2) -> list[int]:
    """CPU work from async code: hand it to a process pool, and the loop stays free meanwhile."""
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(await asyncio.gather(*(loop.run_in_executor(pool, crunch, n) for n in sizes)))


async def crunch_on_the_loop(sizes: list[int]) -> list[int]:
    """The same work run directly in a coroutine: every other task waits until it is done."""
    return [crunch(n) for n in sizes]
# --8<-- [end:cpu_from_async]


async def heartbeats_during(work, interval: float = 0.005) -> int:
    """How many times a task that wakes every `interval` seconds ran while `work` was awaited."""
    beats = 0

    async def heartbeat() -> None:
        nonlocal beats
        while True:
            await asyncio.sleep(interval)
            beats += 1

    ticker = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)  # let the heartbeat start and reach its first sleep
    await work
    ticker.cancel()  # delivered at its next wake-up, before it can count another beat
    with contextlib.suppress(asyncio.CancelledError):
        await ticker
    return beats
