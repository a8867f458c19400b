"""Fixtures for the SQL notes' tests: a database of their own on the test PostgreSQL
(`nexus_sql`, so other topics' databases never collide with it) and a fresh schema
for every test, dropped afterwards, so tests cannot see each other's tables."""

from __future__ import annotations

import dataclasses
import itertools

import psycopg
import pytest

from sql import db

DATABASE = "nexus_sql"
_numbers = itertools.count()


@dataclasses.dataclass(frozen=True)
class Schema:
    dsn: str
    name: str

    def connect(self, **kwargs) -> psycopg.Connection:
        return db.connect(self.dsn, self.name, **kwargs)


@pytest.fixture(scope="session")
def sql_dsn(postgres) -> str:
    with psycopg.connect(postgres.dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    dsn = dataclasses.replace(postgres, database=DATABASE).dsn
    with psycopg.connect(dsn, autocommit=True) as conn:
        # In public, which every test schema's search_path includes after itself.
        conn.execute("CREATE EXTENSION btree_gist")
    return dsn


def new_schema(dsn: str) -> Schema:
    name = f"test_{next(_numbers)}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
    return Schema(dsn, name)


def drop_schema(schema: Schema) -> None:
    with psycopg.connect(schema.dsn, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema.name} CASCADE")


@pytest.fixture
def schema(sql_dsn):
    created = new_schema(sql_dsn)
    yield created
    drop_schema(created)


@pytest.fixture(scope="module")
def module_schema(sql_dsn):
    """A schema shared by the tests of one module, for data that is slow to load."""
    created = new_schema(sql_dsn)
    yield created
    drop_schema(created)


@pytest.fixture
def conn(schema):
    """An autocommit connection in the test's schema: each statement commits, as in psql."""
    with schema.connect(autocommit=True) as connection:
        yield connection


@pytest.fixture
def booking(conn):
    """The booking database (schema.sql, indexes.sql, seed.sql) in the test's schema."""
    db.load_booking(conn)
    return conn
