"""Fixtures shared by more than one topic's example tests. A topic that uses `redis_client`
names its own database on the shared test Redis with a `redis_db` fixture."""

from __future__ import annotations

import pytest
import redis as redis_py

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


@pytest.fixture
def redis_client(redis, redis_db):
    """A plain redis-py client on the topic's database, answering str instead of bytes; empty
    before and after the test."""
    client = redis_py.Redis.from_url(redis.url(redis_db), decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
