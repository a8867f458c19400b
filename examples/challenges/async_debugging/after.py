"""The same notifications with the three causes removed: the blocking call runs in a worker
thread, the queue write is awaited, and background tasks are kept and their failures logged."""

from __future__ import annotations

import asyncio
import logging

from challenges.async_debugging.gateway import send_push

logger = logging.getLogger("nexus.notifications")


# --8<-- [start:notify]
async def notify(url: str, recipient: str, message_id: int, delivered: asyncio.Queue) -> None:
    """Push one notification, then record the delivery for the audit log's writer."""
    await asyncio.to_thread(send_push, url, recipient, message_id)  # FIX 1: off the event loop
    await delivered.put(recipient)  # FIX 2: awaited


background_tasks: set[asyncio.Task] = set()  # FIX 3: strong references until each task is done


def finished(task: asyncio.Task) -> None:
    background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:  # retrieved, so never "never retrieved"
        logger.error("Push notification failed: %s", task.get_name(), exc_info=task.exception())


async def on_message_sent(url: str, message_id: int, recipients: list[str], delivered: asyncio.Queue) -> None:
    """Called by the request that saved the message: notify everyone in the background."""
    for recipient in recipients:
        task = asyncio.create_task(notify(url, recipient, message_id, delivered), name=f"push to {recipient}")
        background_tasks.add(task)
        task.add_done_callback(finished)
# --8<-- [end:notify]
