"""Timeouts and cancellation: both arrive as CancelledError inside the awaited coroutine."""

from __future__ import annotations

import asyncio


# --8<-- [start:timeout]
async def slow_query(log: list[str], delay: float = 10.0) -> str:
    log.append("query started")
    try:
        await asyncio.sleep(delay)
        return "rows"
    finally:
        log.append("query cleaned up")  # runs on success, timeout and cancellation


async def query_with_timeout(seconds: float, log: list[str], delay: float = 10.0) -> str | None:
    try:
        async with asyncio.timeout(seconds):
            return await slow_query(log, delay)
    except TimeoutError:  # the timeout cancelled slow_query, then raised TimeoutError here
        log.append("timed out")
        return None
# --8<-- [end:timeout]


# --8<-- [start:cancel]
async def cancel_running_query(log: list[str]) -> bool:
    task = asyncio.create_task(slow_query(log))
    await asyncio.sleep(0)  # let the task start and reach its await
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.append("caller saw CancelledError")
    return task.cancelled()
# --8<-- [end:cancel]


# --8<-- [start:swallowed]
async def stubborn(log: list[str]) -> str:
    """Broken on purpose: it swallows the cancellation."""
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("cancellation ignored")
    return "carried on"


async def cancel_stubborn(log: list[str]) -> tuple[bool, str]:
    task = asyncio.create_task(stubborn(log))
    await asyncio.sleep(0)
    task.cancel()
    result = await task  # no CancelledError: the task simply returned
    return task.cancelled(), result
# --8<-- [end:swallowed]
