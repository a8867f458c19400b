"""One failing task among several: what asyncio.gather and asyncio.TaskGroup each do."""

from __future__ import annotations

import asyncio


# --8<-- [start:worker]
async def worker(name: str, delay: float, log: list[str], fail: bool = False) -> str:
    try:
        await asyncio.sleep(delay)
        if fail:
            raise ValueError(f"{name} failed")
        log.append(f"{name} finished")
        return name
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise  # always let cancellation continue
# --8<-- [end:worker]


# --8<-- [start:gather]
async def with_gather(log: list[str]) -> BaseException | None:
    slow = asyncio.create_task(worker("slow", 0.05, log))
    raised = None
    try:
        await asyncio.gather(worker("bad", 0, log, fail=True), slow)
    except ValueError as error:
        log.append(f"gather raised: {error}")
        raised = error
    await slow  # gather did not cancel it: it is still running, and finishes
    return raised
# --8<-- [end:gather]


# --8<-- [start:return_exceptions]
async def with_gather_collecting() -> list[object]:
    return await asyncio.gather(
        worker("good", 0, []),
        worker("bad", 0, [], fail=True),
        return_exceptions=True,  # exceptions come back as results, in argument order
    )
# --8<-- [end:return_exceptions]


# --8<-- [start:task_group]
async def with_task_group(log: list[str]) -> BaseException | None:
    raised = None
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(worker("bad", 0, log, fail=True))
            group.create_task(worker("slow", 0.05, log))
    except* ValueError as errors:  # TaskGroup raises an ExceptionGroup; except* matches inside it
        log.append(f"TaskGroup raised: {[str(error) for error in errors.exceptions]}")
        raised = errors
    return raised
# --8<-- [end:task_group]
