"""The fix of the stale listing (docs/challenges/stale-data-after-caching.md): a versioned key.

The properties app already keeps a listing version in the cache, which its signal receiver
changes after every committed write (properties/utils.py, listing_version()). Putting that
version into the listing's key closes the race: a reader that read the old rows can only
store them under the old version's key, which no later reader asks for.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from properties.models import Property
from properties.utils import ALL_PROPERTIES, FIELDS, listing_version


# --8<-- [start:versioned]
def get_all_properties() -> list[dict]:
    """Every listing, cached under the listing's current version (changed on every commit)."""
    key = f"{ALL_PROPERTIES}:{listing_version()}"  # read the version BEFORE the query
    properties = cache.get(key)
    if properties is None:
        properties = list(Property.objects.values(*FIELDS))
        cache.set(key, properties, timeout=settings.PROPERTIES_CACHE_TIMEOUT)
    return properties
# --8<-- [end:versioned]
