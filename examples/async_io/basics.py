"""Coroutines run only when awaited; gather runs several at once on one event loop."""

from __future__ import annotations

import asyncio


# --8<-- [start:coroutines]
async def fetch(name: str, delay: float, log: list[str]) -> str:
    log.append(f"start {name}")
    await asyncio.sleep(delay)  # suspends this coroutine; the loop runs others meanwhile
    log.append(f"end {name}")
    return name


async def one_after_another(log: list[str]) -> list[str]:
    return [await fetch("a", 0.02, log), await fetch("b", 0.01, log)]


async def at_the_same_time(log: list[str]) -> list[str]:
    return await asyncio.gather(fetch("a", 0.02, log), fetch("b", 0.01, log))
# --8<-- [end:coroutines]


# --8<-- [start:tasks]
async def start_then_wait(log: list[str]) -> list[str]:
    # Scheduled now; it runs once this coroutine yields to the loop.
    task = asyncio.create_task(fetch("background", 0.01, log))
    log.append("task created")
    await asyncio.sleep(0)  # yield once: the task starts
    log.append("main continues")
    return [await task]
# --8<-- [end:tasks]
