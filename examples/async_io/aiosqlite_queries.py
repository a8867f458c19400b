"""Two SQLite queries at once with aiosqlite and asyncio.gather (the program's async exercise)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import aiosqlite


# --8<-- [start:setup]
async def create_users_db(database: str, users: Iterable[tuple[str, int]]) -> None:
    async with aiosqlite.connect(database) as db:
        await db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER NOT NULL)")
        await db.executemany("INSERT INTO users (name, age) VALUES (?, ?)", users)
        await db.commit()
# --8<-- [end:setup]


# --8<-- [start:queries]
async def async_fetch_users(database: str) -> list[tuple]:
    async with (
        aiosqlite.connect(database) as db,
        db.execute("SELECT id, name, age FROM users ORDER BY id") as cursor,
    ):
        return await cursor.fetchall()


async def async_fetch_older_users(database: str, older_than: int = 40) -> list[tuple]:
    async with (
        aiosqlite.connect(database) as db,
        db.execute("SELECT id, name, age FROM users WHERE age > ? ORDER BY id", (older_than,)) as cursor,
    ):
        return await cursor.fetchall()


async def fetch_concurrently(database: str) -> tuple[list[tuple], list[tuple]]:
    all_users, older_users = await asyncio.gather(
        async_fetch_users(database),
        async_fetch_older_users(database),
    )
    return all_users, older_users
# --8<-- [end:queries]
