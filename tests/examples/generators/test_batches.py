"""Streaming SQLite rows with a cursor and with fetchmany(), and closing the cursor."""

import sqlite3

import pytest

from generators.batches import create_users, sample_users, stream_users, stream_users_in_batches, users_older_than


class RecordingCursor(sqlite3.Cursor):
    """A real cursor that remembers fetchmany() sizes and whether close() was called."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fetches = []
        self.closed = False

    def fetchmany(self, size=None):
        self.fetches.append(size)
        return super().fetchmany(size)

    def close(self):
        self.closed = True
        super().close()


class RecordingConnection(sqlite3.Connection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cursors = []

    def cursor(self, factory=RecordingCursor):
        cursor = super().cursor(factory)
        self.cursors.append(cursor)
        return cursor


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:", factory=RecordingConnection)
    create_users(connection, sample_users(7))
    yield connection
    connection.close()


def test_sample_users_are_deterministic():
    assert list(sample_users(2)) == [("user1", "user1@example.com", 25), ("user2", "user2@example.com", 32)]


def test_stream_users_yields_every_row_in_id_order(conn):
    rows = list(stream_users(conn))
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[0] == (1, "user1", "user1@example.com", 25)


def test_stopping_early_and_closing_the_generator_closes_the_cursor(conn):
    users = stream_users(conn)
    next(users)
    cursor = conn.cursors[-1]
    assert cursor.closed is False  # still open while the generator is paused
    users.close()
    assert cursor.closed is True


def test_dropping_the_last_reference_closes_the_cursor_in_cpython(conn):
    users = stream_users(conn)
    next(users)
    cursor = conn.cursors[-1]
    del users  # reference counting finalizes the generator at once, which calls close()
    assert cursor.closed is True


def test_batches_have_at_most_batch_size_rows_and_the_last_one_is_short(conn):
    assert [len(batch) for batch in stream_users_in_batches(conn, 3)] == [3, 3, 1]


def test_each_batch_is_fetched_only_when_the_consumer_asks_for_it(conn):
    batches = stream_users_in_batches(conn, 3)
    assert conn.cursors == []  # no query before the first next()
    next(batches)
    cursor = conn.cursors[-1]
    assert cursor.fetches == [3]
    next(batches)
    assert cursor.fetches == [3, 3]
    assert cursor.closed is False


def test_exhausting_the_batches_ends_on_an_empty_fetch_and_closes_the_cursor(conn):
    list(stream_users_in_batches(conn, 3))
    cursor = conn.cursors[-1]
    assert cursor.fetches == [3, 3, 3, 3]  # the fourth fetch returns [] and ends the loop
    assert cursor.closed is True


def test_users_older_than_filters_batch_by_batch(conn):
    ages = {row[0]: row[3] for row in stream_users(conn)}
    older = list(users_older_than(conn, 40, batch_size=2))
    assert [row[0] for row in older] == [user_id for user_id, age in ages.items() if age > 40]
    assert all(row[3] > 40 for row in older)
    assert conn.cursors[-1].fetches == [2, 2, 2, 2, 2]  # 7 rows in batches of 2, then the empty fetch


def test_a_generator_has_no_length(conn):
    with pytest.raises(TypeError, match="has no len"):
        len(stream_users(conn))


def test_errors_surface_when_rows_are_consumed_not_when_the_generator_is_created(conn):
    users = stream_users(conn)  # fine: nothing has run yet
    conn.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        next(users)  # the query runs now, on a connection that is already closed
