"""Cache utilities of the properties app: the cached listing, its invalidation, and hit/miss metrics.

The names follow the program's project: get_all_properties() and get_redis_cache_metrics().
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

from properties.models import Property

logger = logging.getLogger(__name__)

ALL_PROPERTIES = "all_properties"
LISTING_VERSION = "properties:listing_version"
FIELDS = ("id", "title", "description", "price", "location", "created_at")


# --8<-- [start:get_all_properties]
def get_all_properties() -> list[dict]:
    """Every listing: from the cache when it is there, else from the database, then cached for an hour."""
    properties = cache.get(ALL_PROPERTIES)
    if properties is None:  # a miss (an empty list is a hit: it is not None)
        properties = list(Property.objects.values(*FIELDS))  # plain dicts, not model instances
        cache.set(ALL_PROPERTIES, properties, timeout=settings.PROPERTIES_CACHE_TIMEOUT)
    return properties


def forget_all_properties() -> None:
    """Called on every save and delete (properties/signals.py): the next read rebuilds the list."""
    cache.delete(ALL_PROPERTIES)
# --8<-- [end:get_all_properties]


# --8<-- [start:listing_version]
def listing_version() -> int:
    """A number that changes on every write; cache keys that include it go stale all at once."""
    return cache.get_or_set(LISTING_VERSION, time.time_ns, timeout=None)


def bump_listing_version() -> None:
    cache.set(LISTING_VERSION, time.time_ns(), timeout=None)
# --8<-- [end:listing_version]


# --8<-- [start:metrics]
def hit_ratio(hits: int, misses: int) -> float | None:
    """hits / (hits + misses), or None before the first lookup (no data is not a ratio of 0)."""
    lookups = hits + misses
    return round(hits / lookups, 3) if lookups else None


def get_redis_cache_metrics() -> dict:
    """Hit and miss counters from Redis INFO, and the hit ratio, logged and returned."""
    from django_redis import get_redis_connection  # only the Redis backend has these counters

    stats = get_redis_connection("default").info("stats")
    hits, misses = stats["keyspace_hits"], stats["keyspace_misses"]
    metrics = {"keyspace_hits": hits, "keyspace_misses": misses, "hit_ratio": hit_ratio(hits, misses)}
    logger.info(
        "Redis cache metrics: %(keyspace_hits)d hits, %(keyspace_misses)d misses, hit ratio %(hit_ratio)s", metrics
    )
    return metrics
# --8<-- [end:metrics]
