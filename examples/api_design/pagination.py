"""Offset pagination and keyset (cursor) pagination over one PostgreSQL table, with psycopg 3.

The table is a feed read newest first. Offset pagination asks the database to skip rows;
keyset pagination asks it to start after the last row the client saw, which the client
carries in an opaque cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

import psycopg

# --8<-- [start:schema]
SCHEMA = """
CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL,
    title text NOT NULL
);
-- The feed's sort order, with the id as a tie-breaker: two events may share a timestamp.
CREATE INDEX events_created_at_id ON events (created_at, id);
"""
# --8<-- [end:schema]

START = datetime(2025, 1, 1, tzinfo=UTC)


def create_events(conn: psycopg.Connection, count: int) -> None:
    """The events table with `count` rows, one a minute from START, statistics up to date."""
    conn.execute("DROP TABLE IF EXISTS events")
    conn.execute(SCHEMA)
    conn.execute(
        "INSERT INTO events (created_at, title) "
        "SELECT %s + n * interval '1 minute', 'event ' || n FROM generate_series(1, %s) AS n",
        (START, count),
    )
    conn.execute("ANALYZE events")


# --8<-- [start:offset]
OFFSET_PAGE = "SELECT id, created_at, title FROM events ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s"


def offset_page(conn: psycopg.Connection, page: int, size: int) -> list[tuple]:
    """Page `page` (from 1): the database reads and throws away (page - 1) * size rows first."""
    return conn.execute(OFFSET_PAGE, (size, (page - 1) * size)).fetchall()
# --8<-- [end:offset]


# --8<-- [start:keyset]
FIRST_PAGE = "SELECT id, created_at, title FROM events ORDER BY created_at DESC, id DESC LIMIT %s"
NEXT_PAGE = (
    "SELECT id, created_at, title FROM events WHERE (created_at, id) < (%s, %s) "
    "ORDER BY created_at DESC, id DESC LIMIT %s"
)


def keyset_page(conn: psycopg.Connection, cursor: str | None, size: int) -> tuple[list[tuple], str | None]:
    """One page after `cursor` (None: the first page), and the cursor of the next page or None."""
    if cursor is None:
        rows = conn.execute(FIRST_PAGE, (size + 1,)).fetchall()
    else:
        created_at, last_id = decode_cursor(cursor)
        rows = conn.execute(NEXT_PAGE, (created_at, last_id, size + 1)).fetchall()
    # One row more than a page tells whether a next page exists, without a COUNT query.
    page, more = rows[:size], len(rows) > size
    return page, (encode_cursor(page[-1]) if more else None)


def encode_cursor(row: tuple) -> str:
    """The sort key of the last row seen, as an opaque, URL-safe string."""
    row_id, created_at = row[0], row[1]
    return base64.urlsafe_b64encode(json.dumps([created_at.isoformat(), row_id]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The sort key inside a cursor; ValueError (an API's 400) for anything it did not issue."""
    try:
        created_at, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created_at), int(row_id)
    except (ValueError, TypeError, binascii.Error) as error:
        raise ValueError(f"not a cursor this API issued: {cursor!r}") from error
# --8<-- [end:keyset]


# --8<-- [start:explain]
def explain(conn: psycopg.Connection, query: str, params: tuple) -> dict:
    """What PostgreSQL did for `query`: EXPLAIN ANALYZE runs it and reports the plan it used."""
    plan = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query}", params).fetchone()[0][0]
    scan = plan["Plan"]
    while "Plans" in scan:  # Limit -> the scan that feeds it
        scan = scan["Plans"][0]
    return {
        "node": f"{scan['Node Type']} {scan.get('Scan Direction', '')}".strip(),
        "rows_read": scan["Actual Rows"],  # rows the scan produced for the Limit above it
        "rows_returned": plan["Plan"]["Actual Rows"],
        "blocks": scan.get("Shared Hit Blocks", 0) + scan.get("Shared Read Blocks", 0),
        "ms": plan["Execution Time"],
    }
# --8<-- [end:explain]
