"""Fixtures shared by more than one topic's example tests."""

from __future__ import annotations

import pytest

RATELIMIT_REDIS_DB = 4  # the API design and security topics share this database on the test Redis


@pytest.fixture
def ratelimit_cache(settings, redis):
    """django-ratelimit's counters in the real Redis, empty before and after the test."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis.url(RATELIMIT_REDIS_DB)},
    }
    caches["ratelimit"].clear()  # FLUSHDB of this database only
    yield caches["ratelimit"]
    caches["ratelimit"].clear()
