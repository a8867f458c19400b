"""What blocks the event loop: time.sleep versus asyncio.sleep versus asyncio.to_thread."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


# --8<-- [start:naps]
async def blocking_nap(delay: float) -> None:
    time.sleep(delay)  # blocks the whole thread, so the event loop runs nothing else


async def polite_nap(delay: float) -> None:
    await asyncio.sleep(delay)  # hands control back to the loop until the delay is over


async def threaded_nap(delay: float) -> None:
    await asyncio.to_thread(time.sleep, delay)  # the blocking call runs in a worker thread


async def run_together(nap: Callable[[float], Awaitable[None]], delay: float, count: int = 4) -> float:
    """Start `count` naps concurrently; return the wall-clock seconds until all are done."""
    started = time.perf_counter()
    await asyncio.gather(*(nap(delay) for _ in range(count)))
    return time.perf_counter() - started
# --8<-- [end:naps]
