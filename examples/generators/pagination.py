"""Lazy pagination: fetch the next page only when the consumer reaches it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

Row = tuple[int, str, str, int]  # (id, name, email, age)


# --8<-- [start:paginate]
def fetch_page(conn: sqlite3.Connection, page_size: int, offset: int) -> list[Row]:
    return conn.execute(
        "SELECT id, name, email, age FROM users ORDER BY id LIMIT ? OFFSET ?",
        (page_size, offset),
    ).fetchall()


def lazy_paginate(conn: sqlite3.Connection, page_size: int) -> Iterator[list[Row]]:
    """Yield page after page; each query runs only when the previous page is used up."""
    offset = 0
    while page := fetch_page(conn, page_size, offset):
        yield page
        offset += page_size


def paginated_users(conn: sqlite3.Connection, page_size: int) -> Iterator[Row]:
    for page in lazy_paginate(conn, page_size):
        yield from page
# --8<-- [end:paginate]


# --8<-- [start:keyset]
def keyset_paginate(conn: sqlite3.Connection, page_size: int) -> Iterator[list[Row]]:
    """Ask for rows after the last id seen instead of skipping `offset` rows."""
    last_id = 0
    while page := conn.execute(
        "SELECT id, name, email, age FROM users WHERE id > ? ORDER BY id LIMIT ?",
        (last_id, page_size),
    ).fetchall():
        yield page
        last_id = page[-1][0]
# --8<-- [end:keyset]


# --8<-- [start:average]
def stream_ages(conn: sqlite3.Connection) -> Iterator[int]:
    for (age,) in conn.execute("SELECT age FROM users"):
        yield age


def average(values: Iterable[float]) -> float:
    """One pass, constant memory: a running total and a count, no list."""
    total = count = 0
    for value in values:
        total += value
        count += 1
    if count == 0:
        raise ValueError("average of an empty sequence")
    return total / count
# --8<-- [end:average]
