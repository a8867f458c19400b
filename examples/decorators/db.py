"""Decorators that own a sqlite3 connection and a transaction for the function they wrap."""

from __future__ import annotations

import functools
import sqlite3


# --8<-- [start:with_connection]
def with_connection(database: str):
    """Open a connection, pass it as the first argument, and always close it."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            conn = sqlite3.connect(database)
            try:
                return func(conn, *args, **kwargs)
            finally:
                conn.close()  # on success and on error alike

        return wrapper

    return decorator
# --8<-- [end:with_connection]


# --8<-- [start:transactional]
def transactional(func):
    """Commit if the function returns, roll back and re-raise if it raises."""

    @functools.wraps(func)
    def wrapper(conn: sqlite3.Connection, *args, **kwargs):
        try:
            result = func(conn, *args, **kwargs)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return result

    return wrapper
# --8<-- [end:transactional]


# --8<-- [start:usage]
@with_connection("bank.db")  # a relative path: resolved against the working directory at call time
def balances(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT owner, balance FROM accounts ORDER BY owner"))


@with_connection("bank.db")  # outermost: it supplies `conn`
@transactional  # inner: it receives `conn` and wraps the two updates in one transaction
def transfer(conn: sqlite3.Connection, source: str, target: str, amount: int) -> None:
    conn.execute("UPDATE accounts SET balance = balance - ? WHERE owner = ?", (amount, source))
    credited = conn.execute("UPDATE accounts SET balance = balance + ? WHERE owner = ?", (amount, target))
    if credited.rowcount != 1:
        raise LookupError(f"no account for {target!r}")  # the debit above must not survive
# --8<-- [end:usage]


# --8<-- [start:schema]
def create_bank(database: str, accounts: dict[str, int]) -> None:
    conn = sqlite3.connect(database)
    try:
        conn.execute(
            "CREATE TABLE accounts (owner TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))"
        )
        conn.executemany("INSERT INTO accounts VALUES (?, ?)", accounts.items())
        conn.commit()
    finally:
        conn.close()
# --8<-- [end:schema]
