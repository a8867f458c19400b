"""DatabaseConnection commits or rolls back and closes; ExecuteQuery returns rows and closes."""

import sqlite3

import pytest

from context_managers.database import DatabaseConnection, ExecuteQuery, create_users, is_open

USERS = [("ada", 36), ("tim", 12), ("grace", 45), ("linus", 54)]


@pytest.fixture
def database(tmp_path):
    path = str(tmp_path / "users.db")
    create_users(path, USERS)
    return path


def names(database):
    with ExecuteQuery(database, "SELECT name FROM users ORDER BY id") as rows:
        return [name for (name,) in rows]


def test_database_connection_yields_a_connection_and_closes_it(database):
    with DatabaseConnection(database) as conn:
        assert conn.execute("SELECT COUNT(*) FROM users").fetchone() == (4,)
    assert is_open(conn) is False


def test_database_connection_commits_when_the_block_succeeds(database):
    with DatabaseConnection(database) as conn:
        conn.execute("INSERT INTO users (name, age) VALUES ('edsger', 72)")
    assert names(database)[-1] == "edsger"


def test_database_connection_rolls_back_closes_and_re_raises_on_error(database):
    # Two statements on purpose: the insert the rollback must undo, then the failure.
    with pytest.raises(RuntimeError, match="half-way"), DatabaseConnection(database) as conn:  # noqa: PT012
        conn.execute("INSERT INTO users (name, age) VALUES ('edsger', 72)")
        raise RuntimeError("failed half-way")
    assert "edsger" not in names(database)
    assert is_open(conn) is False


def test_execute_query_returns_the_rows_of_a_parameterized_query(database):
    with ExecuteQuery(database, "SELECT name, age FROM users WHERE age > ? ORDER BY id", (25,)) as rows:
        assert rows == [("ada", 36), ("grace", 45), ("linus", 54)]


def test_execute_query_closes_its_connection_after_the_block(database):
    query = ExecuteQuery(database, "SELECT 1")
    with query as rows:
        assert rows == [(1,)]
        assert is_open(query.connection) is True
    assert is_open(query.connection) is False


def test_execute_query_closes_the_connection_when_the_query_itself_fails(database):
    query = ExecuteQuery(database, "SELECT * FROM no_such_table")
    with pytest.raises(sqlite3.OperationalError, match="no such table"), query:
        pass  # never reached: __enter__ raised, so __exit__ is not called either
    assert is_open(query.connection) is False
