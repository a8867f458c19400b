"""The stale listing on demand: two requests on two real database connections, interleaved in
a fixed order, so that a race that shows up "sometimes" in production shows up on every run.

Each request runs with Django's default connection pointed at a connection of its own, so the
reader cannot see the writer's uncommitted UPDATE, exactly as on a real PostgreSQL server; and
with its name on every line of the trace (tracing.acting_as). A strategy is a pair: the signal
receiver that invalidates, and the function that reads the listing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save

from challenges.stale_cache import after, before
from challenges.stale_cache.tracing import acting_as, log, pause_before_set, trace_sql
from properties.models import Property
from properties.utils import ALL_PROPERTIES

APP_RECEIVERS = {post_save: "properties.invalidate_on_save", post_delete: "properties.invalidate_on_delete"}


@dataclass(frozen=True)
class Strategy:
    name: str
    receiver: Callable  # connected to post_save and post_delete of Property
    read: Callable[[], list[dict]]


PROGRAM = Strategy("delete the key in post_save", before.invalidate_at_once, before.get_all_properties)
ON_COMMIT = Strategy("delete the key after the commit", before.invalidate_on_commit, before.get_all_properties)
VERSIONED = Strategy("versioned key", before.invalidate_on_commit, after.get_all_properties)
STRATEGIES = (PROGRAM, ON_COMMIT, VERSIONED)


@contextlib.contextmanager
def invalidating_with(receiver: Callable) -> Iterator[None]:
    """Connect `receiver` in place of the properties app's own receiver while the block runs."""
    for signal, uid in APP_RECEIVERS.items():
        signal.disconnect(sender=Property, dispatch_uid=uid)
        signal.connect(receiver, sender=Property, dispatch_uid=f"stale_cache.{uid}", weak=False)
    try:
        yield
    finally:
        for signal, uid in APP_RECEIVERS.items():
            signal.disconnect(sender=Property, dispatch_uid=f"stale_cache.{uid}")
            signal.connect(before.invalidate_on_commit, sender=Property, dispatch_uid=uid)


class Requests:
    """A reader and a writer, each with its own database connection, working on one listing."""

    def __init__(self, reader_connection, writer_connection, listing_pk: int) -> None:
        self.connections = {"reader": reader_connection, "writer": writer_connection}
        self.listing_pk = listing_pk

    @contextlib.contextmanager
    def acting(self, name: str) -> Iterator[None]:
        """Run the block as request `name`: its connection, its name in the trace."""
        connection, previous = self.connections[name], connections["default"]
        connections["default"] = connection
        try:
            with acting_as(name), connection.execute_wrapper(trace_sql):
                yield
        finally:
            connections["default"] = previous

    def read(self, strategy: Strategy) -> Decimal:
        """One GET of the listing page: the price it shows for the listing."""
        with self.acting("reader"):
            [row] = [row for row in strategy.read() if row["id"] == self.listing_pk]
        return row["price"]

    def update_price(self, price: Decimal, during: Callable[[], object] | None = None) -> None:
        """One POST that changes the price, in a transaction; `during` runs before its COMMIT."""
        with self.acting("writer"), transaction.atomic():
            transaction.on_commit(lambda: log("DB", "COMMIT"))  # first callback: marks the commit
            listing = Property.objects.get(pk=self.listing_pk)
            listing.price = price
            listing.save()
            if during:
                during()

    def price_in_database(self) -> Decimal:
        with self.acting("writer"):
            return Property.objects.values_list("price", flat=True).get(pk=self.listing_pk)


# --8<-- [start:interleavings]
def no_overlap(requests: Requests, strategy: Strategy, price: Decimal) -> None:
    requests.read(strategy)  # fills the cache
    requests.update_price(price)  # then the write, and its invalidation


def read_during_write(requests: Requests, strategy: Strategy, price: Decimal) -> None:
    # The reader misses while the writer's transaction is still open: it reads the old row.
    requests.update_price(price, during=lambda: requests.read(strategy))


def fill_after_commit(requests: Requests, strategy: Strategy, price: Decimal) -> None:
    # The reader misses and reads the old row; the writer commits and invalidates; only then
    # does the reader store what it read.
    pause_before_set(ALL_PROPERTIES, lambda: requests.update_price(price))
    requests.read(strategy)
# --8<-- [end:interleavings]


INTERLEAVINGS = {
    "no overlap: read, then write": no_overlap,
    "the reader misses inside the writer's transaction": read_during_write,
    "the reader fills the cache after the writer's commit": fill_after_commit,
}


# --8<-- [start:count]
def count_stale_reads(requests: Requests, strategy: Strategy, interleaving, cycles: int = 10,
                      reads_after: int = 3) -> int:
    """Run `cycles` update/read cycles; after each write, `reads_after` reads compare the price
    they show with the committed one. Returns how many showed an old price."""
    stale = 0
    with invalidating_with(strategy.receiver):
        for cycle in range(1, cycles + 1):
            cache.clear()  # every cycle starts with a miss, as after an expiry
            interleaving(requests, strategy, Decimal(100 + 10 * cycle))
            committed = requests.price_in_database()
            stale += sum(requests.read(strategy) != committed for _ in range(reads_after))
    return stale
# --8<-- [end:count]
