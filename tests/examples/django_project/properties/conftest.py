"""Fixtures of the caching notes' tests: a real Redis (database 3) behind Django's cache, and listings.

The project's settings keep the cache in local memory; every test here switches it to
django-redis on the session's throw-away redis-server, and starts and ends with database 3 empty.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from nexus.settings import redis_cache

CACHE_DB = 3  # the caching topic's own database number on the shared test Redis


@pytest.fixture
def redis_db():
    return CACHE_DB


@pytest.fixture(autouse=True)
def redis_cache_backend(redis, redis_client, settings):
    """Django's default cache on django-redis, on the same empty database 3, for every test here."""
    settings.CACHES = {"default": redis_cache(redis.url(CACHE_DB))}
    return redis_client


@pytest.fixture
def listings(db):
    """Three listings in two locations, created in this order."""
    from properties.models import Property

    make = Property.objects.create
    return SimpleNamespace(
        loft=make(title="Riverside loft", description="Two rooms by the river",
                  price=Decimal("120000.00"), location="Nairobi"),
        villa=make(title="Hill villa", description="Four rooms and a garden",
                   price=Decimal("350000.00"), location="Nairobi"),
        flat=make(title="Harbour flat", description="One room near the port",
                  price=Decimal("90000.00"), location="Mombasa"),
    )
