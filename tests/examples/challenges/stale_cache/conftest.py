"""Fixtures of the "Stale data after caching" case study.

The race needs two database connections that cannot see each other's uncommitted rows, as two
requests on a real server: `requests` gives a reader and a writer, each with its own connection
to a database of this case's own on the session's PostgreSQL (migrated once per module). Django's
cache is django-redis, through the tracing backend, on Redis database 6, empty before and after
every test.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import psycopg
import pytest
from django.core.management import call_command
from django.db.utils import ConnectionHandler

from challenges.stale_cache.reproduce import Requests
from nexus.settings import redis_cache
from properties.models import Property

DATABASE = "challenges_stale_cache"
CACHE_DB = 6  # this case's Redis database number
TRACING_BACKEND = "challenges.stale_cache.tracing.TracingRedisCache"


def new_connection(postgres):
    """A Django connection of its own (alias "default") to this case's database."""
    return ConnectionHandler({"default": postgres.django_database(DATABASE)})["default"]


@pytest.fixture(scope="module")
def connection_pair(postgres, django_db_blocker):
    """(reader, writer): two connections to a freshly created and migrated database."""
    with psycopg.connect(postgres.dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    reader, writer = new_connection(postgres), new_connection(postgres)
    with django_db_blocker.unblock():
        requests = Requests(reader, writer, listing_pk=0)
        with requests.acting("writer"):
            call_command("migrate", "properties", verbosity=0)
        yield reader, writer
        reader.close()
        writer.close()


@pytest.fixture
def redis_db():
    return CACHE_DB


@pytest.fixture
def traced_cache(redis, redis_client, settings):
    """Django's default cache: django-redis through the tracing backend, on the empty database 6."""
    settings.CACHES = {**settings.CACHES, "default": {**redis_cache(redis.url(CACHE_DB)), "BACKEND": TRACING_BACKEND}}
    return redis_client


@pytest.fixture
def requests(connection_pair, traced_cache, django_db_blocker):
    """A reader and a writer on two listings: the Sea view flat (100.00) is the one that changes."""
    reader, writer = connection_pair
    with django_db_blocker.unblock():
        pair = Requests(reader, writer, listing_pk=0)
        with pair.acting("writer"):
            Property.objects.all().delete()
            Property.objects.create(title="Garden house", description="Three rooms", price=Decimal("250.00"),
                                    location="Nairobi")
            flat = Property.objects.create(title="Sea view flat", description="One room by the sea",
                                           price=Decimal("100.00"), location="Mombasa")
        traced_cache.flushdb()  # the creates above invalidated an empty cache: start from nothing
        yield Requests(reader, writer, listing_pk=flat.pk)


@pytest.fixture
def trace(caplog):
    """The trace so far, one (request, kind, message) tuple per line."""
    caplog.set_level(logging.INFO, logger="challenges.stale_cache")

    def lines() -> list[tuple[str, str, str]]:
        return [record.args for record in caplog.records if record.name == "challenges.stale_cache"]

    return lines
