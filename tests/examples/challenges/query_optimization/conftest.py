"""Fixtures of the "Optimizing database queries at scale" case study.

The N+1 tests run on the project's usual SQLite test database. The index and pagination
tests need the real PostgreSQL planner: `busy_pg` migrates the messaging app into a database
of this case's own on the session's PostgreSQL, under an extra Django connection alias, so that
real QuerySets and DRF paginators run there with `.using(ALIAS)` while every other test keeps
its SQLite database.
"""

from __future__ import annotations

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.db.utils import ConnectionHandler

from challenges.query_optimization import busy_conversation

ALIAS = "challenges_queries"  # the Django connection alias, and the database's name
DATABASE = "challenges_queries"


@pytest.fixture(autouse=True)
def empty_cache():
    """DRF's throttle counters live in the cache: start every test without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def busy_pg(postgres, django_db_blocker):
    """The Django connection to the seeded PostgreSQL database (100,000 messages)."""
    with psycopg.connect(postgres.dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    # ConnectionHandler fills in the defaults Django gives every DATABASES entry.
    connections.settings[ALIAS] = ConnectionHandler({"default": postgres.django_database(DATABASE)}).settings["default"]
    try:
        with django_db_blocker.unblock():
            for app in ("auth", "messaging"):  # auth completely, then messaging
                call_command("migrate", app, database=ALIAS, verbosity=0)
            connection = connections[ALIAS]
            busy_conversation.seed(connection)
            with connection.cursor() as cursor:  # plans that stay the same from run to run
                cursor.execute("SET max_parallel_workers_per_gather = 0")
                cursor.execute("SET jit = off")
            yield connection
    finally:
        with django_db_blocker.unblock():
            connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
