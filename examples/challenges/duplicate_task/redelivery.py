"""A worker that dies after a task's work and before its acknowledgement, reproduced with the
Redis transport's own machinery instead of a killed process.

kombu's Redis transport emulates acknowledgements: a message handed to a worker waits in the
hash `unacked` (its delivery time in the sorted set `unacked_index`) until the worker acks it.
A worker that dies first leaves it there. Once it is older than `visibility_timeout` (one hour
in the project's settings), any live worker's periodic sweep, QoS.restore_visible(), puts it
back in its queue, marked redelivered, and a worker runs the task again.

- `Acknowledgements(lose=n)`: watches every acknowledgement on its way to Redis, and drops the
  first n. The worker carries on as if they had arrived; for the broker, that worker has died.
- `redeliver_unacknowledged(app)`: the sweep, as if the visibility timeout were over for every
  waiting message.
"""

from __future__ import annotations

import threading

from kombu.transport import virtual
from kombu.transport.redis import QoS as RedisQoS


class Acknowledgements:
    """While active, watch every acknowledgement the worker sends, and lose the first `lose`."""

    def __init__(self, lose: int = 0) -> None:
        self.remaining = lose
        self.seen: list[tuple[str, bool]] = []  # (delivery tag, lost?), in order
        self._changed = threading.Condition()
        self._original = RedisQoS.ack

    def _ack(self, qos: RedisQoS, delivery_tag: str) -> None:
        with self._changed:
            lost = self.remaining > 0
            if lost:
                self.remaining -= 1
                virtual.QoS.ack(qos, delivery_tag)  # the worker forgets it; Redis still holds it as unacked
            else:
                self._original(qos, delivery_tag)
            self.seen.append((delivery_tag, lost))
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        """Block until `count` acknowledgements (lost or not) have been sent by the worker."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.seen) >= count, timeout):
                raise TimeoutError(f"{len(self.seen)} of {count} acknowledgements within {timeout} s")

    def __enter__(self) -> Acknowledgements:
        watcher = self
        RedisQoS.ack = lambda qos, delivery_tag: watcher._ack(qos, delivery_tag)
        return self

    def __exit__(self, *exc_info) -> None:
        RedisQoS.ack = self._original


# --8<-- [start:sweep]
def unacknowledged(app) -> int:
    """How many delivered messages wait in the broker for an acknowledgement (HLEN unacked)."""
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        return channel.client.hlen(channel.unacked_key)


def redeliver_unacknowledged(app) -> int:
    """What a worker's sweep does once `visibility_timeout` has passed: put every message that
    waits for an acknowledgement back in its queue, marked redelivered. (restore_visible() picks
    the messages older than the timeout, then restores each with restore_by_tag().)"""
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        waiting = channel.client.hkeys(channel.unacked_key)
        for delivery_tag in waiting:
            channel.qos.restore_by_tag(delivery_tag, channel.client)
        return len(waiting)
# --8<-- [end:sweep]
