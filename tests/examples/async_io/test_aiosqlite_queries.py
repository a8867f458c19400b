"""Both aiosqlite queries start before either finishes, and return the right rows."""

import asyncio
import sqlite3

import pytest

from async_io import aiosqlite_queries
from async_io.aiosqlite_queries import create_users_db, fetch_concurrently

USERS = [("ada", 36), ("tim", 12), ("grace", 45), ("linus", 54), ("barbara", 40)]


@pytest.fixture
def database(tmp_path):
    path = str(tmp_path / "users.db")  # a file: each aiosqlite connection opens it on its own thread
    asyncio.run(create_users_db(path, USERS))
    return path


def test_fetch_concurrently_returns_all_users_and_users_older_than_40(database):
    all_users, older = asyncio.run(fetch_concurrently(database))
    assert [name for _, name, _ in all_users] == ["ada", "tim", "grace", "linus", "barbara"]
    assert [(name, age) for _, name, age in older] == [("grace", 45), ("linus", 54)]  # 40 is not older


def test_the_two_queries_overlap(database, monkeypatch):
    log = []

    def traced(label, query):
        async def wrapper(*args):
            log.append(f"{label} started")
            rows = await query(*args)
            log.append(f"{label} finished")
            return rows

        return wrapper

    # fetch_concurrently looks both names up in its module at call time, so patch them there.
    monkeypatch.setattr(aiosqlite_queries, "async_fetch_users", traced("all", aiosqlite_queries.async_fetch_users))
    monkeypatch.setattr(
        aiosqlite_queries, "async_fetch_older_users", traced("older", aiosqlite_queries.async_fetch_older_users)
    )
    asyncio.run(fetch_concurrently(database))
    assert log[:2] == ["all started", "older started"]  # the second began before the first ended
    assert sorted(log[2:]) == ["all finished", "older finished"]


def test_every_connection_to_memory_gets_its_own_empty_database():
    async def setup_then_query():
        await create_users_db(":memory:", USERS)  # created in one connection's private database ...
        return await aiosqlite_queries.async_fetch_users(":memory:")  # ... not visible from another

    with pytest.raises(sqlite3.OperationalError, match="no such table: users"):
        asyncio.run(setup_then_query())
