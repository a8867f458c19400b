"""Fixtures of the API design note's tests: a PostgreSQL database of its own, a frozen
rate-limit clock (the counters' Redis fixture is in tests/examples/conftest.py), and the data
the representation tests measure."""

from __future__ import annotations

import dataclasses
import types
from datetime import date

import psycopg
import pytest

from api_demo.models import Author, Book


@pytest.fixture(scope="session")
def pagination_dsn(postgres) -> str:
    """A database of this topic's own in the session's PostgreSQL, so topics never collide."""
    with psycopg.connect(postgres.dsn, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS api_design")
        admin.execute("CREATE DATABASE api_design")
    return dataclasses.replace(postgres, database="api_design").dsn


@pytest.fixture
def pg(pagination_dsn):
    with psycopg.connect(pagination_dsn, autocommit=True) as conn:
        yield conn



@pytest.fixture
def frozen_ratelimit_clock(monkeypatch):
    """One fixed second for django-ratelimit's windows and for the headers, so nothing depends on
    when the test runs (a window boundary mid-test would reset the counter)."""
    import django_ratelimit.core

    import api_demo.ratelimit_headers

    clock = types.SimpleNamespace(time=lambda: 1_767_225_600.0)  # 2026-01-01T00:00:00Z
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    monkeypatch.setattr(api_demo.ratelimit_headers, "time", clock)
    return clock


@pytest.fixture
def library(db):
    """Five authors with four books each; every text has a fixed length, so sizes are exact."""
    authors = Author.objects.bulk_create(
        Author(name=f"Author {a}", bio=f"Author {a} writes about backend engineering. " * 4) for a in range(1, 6)
    )
    Book.objects.bulk_create(
        Book(title=f"Book {a}.{b}", summary=f"What book {a}.{b} teaches, chapter by chapter. " * 6,
             published=date(2024, a, b), pages=200 + 10 * b, author=author)
        for a, author in enumerate(authors, start=1) for b in range(1, 5)
    )
    return authors
