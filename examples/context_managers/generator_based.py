"""contextlib.contextmanager: the same protocol written as a generator with one yield."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


# --8<-- [start:opened]
@contextmanager
def opened(database: str) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(database)  # before yield: __enter__
    try:
        yield conn  # the with block runs here; its exception is raised at this line
    finally:
        conn.close()  # after yield: __exit__, on success and on error
# --8<-- [end:opened]


# --8<-- [start:transaction]
@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise  # re-raise, or the exception is suppressed
    else:
        conn.commit()
# --8<-- [end:transaction]


# --8<-- [start:leaky]
@contextmanager
def opened_leaky(database: str) -> Iterator[sqlite3.Connection]:
    """Broken on purpose: no try/finally around the yield."""
    conn = sqlite3.connect(database)
    yield conn
    conn.close()  # skipped when the with block raises: the exception surfaces at `yield`
# --8<-- [end:leaky]
