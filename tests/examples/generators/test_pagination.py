"""Lazy pagination runs one query per page, and only when the consumer reaches that page."""

import sqlite3
from itertools import islice

import pytest

from generators.batches import create_users, sample_users
from generators.pagination import average, keyset_paginate, lazy_paginate, paginated_users, stream_ages
from measurements import matches_recorded


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    create_users(connection, sample_users(7))
    yield connection
    connection.close()


@pytest.fixture
def selects(conn):
    """Every SELECT statement SQLite runs on this connection, as SQLite reports it."""
    statements = []
    conn.set_trace_callback(statements.append)
    yield statements
    conn.set_trace_callback(None)


def selects_after_taking(conn, selects, count):
    """Consume `count` rows (None: all of them) and count the SELECTs that ran meanwhile."""
    selects.clear()
    list(islice(paginated_users(conn, page_size=3), count))
    return sum(statement.startswith("SELECT") for statement in selects)


def test_creating_the_paginator_runs_no_query(conn, selects):
    lazy_paginate(conn, 3)
    assert selects == []


def test_pages_come_in_order_and_the_last_page_is_short(conn):
    pages = list(lazy_paginate(conn, 3))
    assert [[row[0] for row in page] for page in pages] == [[1, 2, 3], [4, 5, 6], [7]]


def test_each_page_is_one_limit_offset_query(conn, selects):
    pages = lazy_paginate(conn, 3)
    next(pages)
    next(pages)
    assert [statement.split("LIMIT")[1].strip() for statement in selects] == ["3 OFFSET 0", "3 OFFSET 3"]


def test_pages_fetched_depend_on_rows_consumed(conn, selects):
    taken = {count: selects_after_taking(conn, selects, count) for count in (1, 3, 4, 7, None)}
    # Taking exactly 7 stops at the 7th row; reading to the end costs one more query that finds nothing.
    assert taken == {1: 1, 3: 1, 4: 2, 7: 3, None: 4}
    rows = "\n".join(
        f"| {'all, to the end' if count is None else count} | {queries} |" for count, queries in taken.items()
    )
    table = (
        "| Rows the consumer takes (page size 3, 7 users) | SELECT statements run |\n"
        "| --- | --- |\n"
        f"{rows}\n"
    )
    assert matches_recorded("examples/generators/measured/pagination.md", table)


def test_offset_pages_skip_a_row_deleted_between_pages_and_keyset_pages_do_not(conn):
    offset_pages = lazy_paginate(conn, 3)
    keyset_pages = keyset_paginate(conn, 3)
    assert [row[0] for row in next(offset_pages)] == [1, 2, 3]
    assert [row[0] for row in next(keyset_pages)] == [1, 2, 3]
    conn.execute("DELETE FROM users WHERE id = 2")  # someone deletes a row we already showed
    assert [row[0] for row in next(offset_pages)] == [5, 6, 7]  # id 4 slid onto page 1: never shown
    assert [row[0] for row in next(keyset_pages)] == [4, 5, 6]


def test_average_age_is_computed_in_one_streaming_pass(conn):
    ages = [row[0] for row in conn.execute("SELECT age FROM users")]
    assert average(stream_ages(conn)) == sum(ages) / len(ages)


def test_average_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        average(iter([]))


def test_keyset_pages_cover_every_row_once(conn):
    pages = list(keyset_paginate(conn, 3))
    assert [[row[0] for row in page] for page in pages] == [[1, 2, 3], [4, 5, 6], [7]]
