"""The same work run four ways: one after another, in threads, in processes, on the event loop.

`wait_for_io` stands for a network call or a database query (the thread waits and the CPU is
idle); `crunch` stands for CPU-bound work written in pure Python. The test in
tests/examples/concurrency/test_workloads.py times each combination.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")


# --8<-- [start:work]
def wait_for_io(delay: float) -> float:
    """I/O-bound: the thread sleeps the way it waits for a socket, and releases the GIL meanwhile."""
    time.sleep(delay)
    return delay


async def wait_for_io_async(delay: float) -> float:
    """The same wait, written for the event loop: it suspends the task instead of the thread."""
    await asyncio.sleep(delay)
    return delay


def crunch(n: int) -> int:
    """CPU-bound: pure Python arithmetic, which holds the GIL the whole time it runs."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


async def crunch_async(n: int) -> int:
    """CPU work inside a coroutine: there is no await, so the loop can run nothing else meanwhile."""
    return crunch(n)
# --8<-- [end:work]


# --8<-- [start:runners]
def one_after_another(func: Callable[[A], R], args: Iterable[A]) -> list[R]:
    return [func(arg) for arg in args]


def in_threads(func: Callable[[A], R], args: Iterable[A], workers: int) -> list[R]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, args))


def in_processes(func: Callable[[A], R], args: Iterable[A], workers: int) -> list[R]:
    # func and its arguments travel to the worker processes by pickle: a module-level function.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, args))


def on_the_event_loop(coroutine_function: Callable[[A], Awaitable[R]], args: Iterable[A]) -> list[R]:
    async def main() -> list[R]:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(coroutine_function(arg)) for arg in args]
        return [task.result() for task in tasks]

    return asyncio.run(main())
# --8<-- [end:runners]


def timed(run: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    started = time.perf_counter()
    run()
    return time.perf_counter() - started
