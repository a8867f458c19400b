"""suppress() ignores one expected error; a sqlite3 connection's own `with` does not close it."""

import pytest

from context_managers.database import create_users, is_open
from context_managers.stdlib_helpers import count_users_closing, count_users_plain_with, remove_if_present


def test_remove_if_present_deletes_an_existing_file(tmp_path):
    path = tmp_path / "cache.json"
    path.write_text("{}")
    remove_if_present(str(path))
    assert not path.exists()


def test_remove_if_present_ignores_a_missing_file(tmp_path):
    remove_if_present(str(tmp_path / "never-created.json"))  # no FileNotFoundError


def test_suppress_lets_other_errors_through(tmp_path):
    with pytest.raises(OSError) as raised:  # noqa: PT011 (which OSError depends on the platform)
        remove_if_present(str(tmp_path))  # a directory: os.remove fails with a different OSError
    assert not isinstance(raised.value, FileNotFoundError)


@pytest.fixture
def database(tmp_path):
    path = str(tmp_path / "users.db")
    create_users(path, [("ada", 36), ("tim", 12)])
    return path


def test_with_sqlite3_connect_leaves_the_connection_open(database):
    count, conn = count_users_plain_with(database)
    assert count == 2
    assert is_open(conn)  # the with statement only ended a transaction
    conn.close()


def test_closing_closes_the_connection(database):
    count, conn = count_users_closing(database)
    assert count == 2
    assert not is_open(conn)
