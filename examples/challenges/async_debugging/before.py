"""Push notifications for a new message, as first written: it looked right, returned at once,
raised no error, and did not work. Three bugs, each marked below."""

from __future__ import annotations

import asyncio

from challenges.async_debugging.gateway import send_push


# --8<-- [start:notify]
async def notify(url: str, recipient: str, message_id: int, delivered: asyncio.Queue) -> None:
    """Push one notification, then record the delivery for the audit log's writer."""
    send_push(url, recipient, message_id)  # BUG 1: a blocking call; the whole event loop waits
    delivered.put(recipient)  # BUG 2: Queue.put is a coroutine; without await it never runs


async def on_message_sent(url: str, message_id: int, recipients: list[str], delivered: asyncio.Queue) -> None:
    """Called by the request that saved the message: notify everyone in the background."""
    for recipient in recipients:
        asyncio.create_task(notify(url, recipient, message_id, delivered))  # BUG 3: nobody keeps or awaits it
# --8<-- [end:notify]
