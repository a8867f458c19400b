"""The program's two context-manager exercises: DatabaseConnection and ExecuteQuery."""

from __future__ import annotations

import sqlite3


# --8<-- [start:database_connection]
class DatabaseConnection:
    """`with DatabaseConnection(path) as conn:` commits on success, rolls back on error, always closes."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.connection: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        self.connection = sqlite3.connect(self.database)
        return self.connection

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            if exc_type is None:
                self.connection.commit()
            else:
                self.connection.rollback()
        finally:
            self.connection.close()
        return False  # never hide the caller's exception
# --8<-- [end:database_connection]


# --8<-- [start:execute_query]
class ExecuteQuery:
    """`with ExecuteQuery(path, sql, params) as rows:` runs one query and hands back its rows."""

    def __init__(self, database: str, query: str, params: tuple = ()) -> None:
        self.database = database
        self.query = query
        self.params = params
        self.connection: sqlite3.Connection | None = None

    def __enter__(self) -> list[tuple]:
        self.connection = sqlite3.connect(self.database)
        try:
            return self.connection.execute(self.query, self.params).fetchall()
        except BaseException:
            self.connection.close()  # __exit__ is not called when __enter__ raises
            raise

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.connection.close()
        return False
# --8<-- [end:execute_query]


# --8<-- [start:setup]
def create_users(database: str, users: list[tuple[str, int]]) -> None:
    with DatabaseConnection(database) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER NOT NULL)")
        conn.executemany("INSERT INTO users (name, age) VALUES (?, ?)", users)
# --8<-- [end:setup]


# --8<-- [start:is_open]
def is_open(conn: sqlite3.Connection) -> bool:
    """True while the connection can still run a statement."""
    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return False
    return True
# --8<-- [end:is_open]
