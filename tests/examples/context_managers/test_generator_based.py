"""@contextmanager: code before yield enters, code after exits; try/finally is not optional."""

import sqlite3

import pytest

from context_managers.database import is_open
from context_managers.generator_based import opened, opened_leaky, transaction


@pytest.fixture
def database(tmp_path):
    path = str(tmp_path / "notes.db")
    with opened(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT NOT NULL)")
    return path


def bodies(database):
    with opened(database) as conn:
        return [body for (body,) in conn.execute("SELECT body FROM notes")]


def test_opened_closes_after_the_block(database):
    with opened(database) as conn:
        assert is_open(conn)
    assert not is_open(conn)


def test_opened_closes_even_when_the_block_raises(database):
    with pytest.raises(ZeroDivisionError), opened(database) as conn:
        raise ZeroDivisionError
    assert not is_open(conn)


def test_transaction_commits_on_success(database):
    with opened(database) as conn, transaction(conn):
        conn.execute("INSERT INTO notes VALUES ('kept')")
    assert bodies(database) == ["kept"]


def test_transaction_rolls_back_and_re_raises_on_error(database):
    # Two inserts on purpose: the first succeeds and must be rolled back when the second fails.
    with pytest.raises(sqlite3.IntegrityError), opened(database) as conn, transaction(conn):  # noqa: PT012
        conn.execute("INSERT INTO notes VALUES ('lost')")
        conn.execute("INSERT INTO notes VALUES (NULL)")  # NOT NULL constraint fails
    assert bodies(database) == []


def test_without_try_finally_the_connection_leaks_when_the_block_raises(database):
    with pytest.raises(ZeroDivisionError), opened_leaky(database) as conn:
        raise ZeroDivisionError
    assert is_open(conn)  # conn.close() after the yield never ran
    conn.close()


def test_without_an_error_the_leaky_version_does_close(database):
    with opened_leaky(database) as conn:
        pass
    assert not is_open(conn)


def test_catching_without_re_raising_in_a_generator_manager_suppresses_the_error():
    from contextlib import contextmanager

    @contextmanager
    def swallowing():
        try:  # noqa: SIM105 (try/except around yield is what this test is about)
            yield
        except ZeroDivisionError:
            pass  # no raise: the generator ends normally, so `with` treats the error as handled

    with swallowing():
        raise ZeroDivisionError
    # reaching this line is the point: the ZeroDivisionError never left the with statement
