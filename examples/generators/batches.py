"""Streaming rows out of SQLite one at a time or in batches, with `fetchmany`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

Row = tuple[int, str, str, int]  # (id, name, email, age)


# --8<-- [start:setup]
def create_users(conn: sqlite3.Connection, users: Iterable[tuple[str, str, int]]) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS users ("
        " id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, age INTEGER NOT NULL)"
    )
    conn.executemany("INSERT INTO users (name, email, age) VALUES (?, ?, ?)", users)
    conn.commit()


def sample_users(count: int) -> Iterator[tuple[str, str, int]]:
    """Deterministic fake users: ages cycle through 18..77."""
    for i in range(1, count + 1):
        yield f"user{i}", f"user{i}@example.com", 18 + (i * 7) % 60
# --8<-- [end:setup]


# --8<-- [start:stream_rows]
def stream_users(conn: sqlite3.Connection) -> Iterator[Row]:
    """Yield one row at a time; a sqlite3 cursor is itself an iterator over rows."""
    cursor = conn.cursor()
    try:
        cursor.execute("SELECT id, name, email, age FROM users ORDER BY id")
        yield from cursor
    finally:
        cursor.close()  # also runs when the consumer stops early and the generator is closed
# --8<-- [end:stream_rows]


# --8<-- [start:stream_batches]
def stream_users_in_batches(conn: sqlite3.Connection, batch_size: int) -> Iterator[list[Row]]:
    """Yield lists of at most `batch_size` rows, fetching each batch only when asked for."""
    cursor = conn.cursor()
    try:
        cursor.execute("SELECT id, name, email, age FROM users ORDER BY id")
        while batch := cursor.fetchmany(batch_size):
            yield batch
    finally:
        cursor.close()


def users_older_than(conn: sqlite3.Connection, age: int, batch_size: int = 100) -> Iterator[Row]:
    """Filter batch by batch: memory holds one batch, never the whole table."""
    for batch in stream_users_in_batches(conn, batch_size):
        for user in batch:
            if user[3] > age:
                yield user
# --8<-- [end:stream_batches]
