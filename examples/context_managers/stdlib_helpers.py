"""contextlib.suppress and contextlib.closing, and the sqlite3 `with` that does not close."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress


# --8<-- [start:suppress]
def remove_if_present(path: str) -> None:
    with suppress(FileNotFoundError):  # the same as try/except FileNotFoundError: pass
        os.remove(path)
# --8<-- [end:suppress]


# --8<-- [start:sqlite_with]
def count_users_plain_with(database: str) -> tuple[int, sqlite3.Connection]:
    with sqlite3.connect(database) as conn:  # commits or rolls back at the end ...
        count = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
    return count, conn  # ... but conn is still open here


def count_users_closing(database: str) -> tuple[int, sqlite3.Connection]:
    with closing(sqlite3.connect(database)) as conn:  # calls conn.close() at the end
        count = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
    return count, conn
# --8<-- [end:sqlite_with]
