"""Run the .sql files of examples/sql with psycopg 3, and show results as Markdown.

The SQL the notes show lives in .sql files, in named sections (`-- --8<-- [start:name]`),
so the note and the test read the very same text: `statement("booking/seed.sql", "users")`
is the section the note includes as `examples/sql/booking/seed.sql:users`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
SECTION = re.compile(r"--8<-- \[(start|end):([a-z][-_0-9a-z]*)\]")


def statement(path: str, section: str | None = None) -> str:
    """The text of examples/sql/<path>, or of one named section of it, marker lines left out."""
    text = (HERE / path).read_text(encoding="utf-8")
    if section is None:
        return "\n".join(line for line in text.splitlines() if not SECTION.search(line))
    kept, inside, found = [], False, False
    for line in text.splitlines():
        marker = SECTION.search(line)
        if marker and marker.group(2) == section:
            inside = marker.group(1) == "start"
            found = True
        elif inside and not marker:
            kept.append(line)
    if not found:
        raise KeyError(f"{path} has no section {section!r}")
    return "\n".join(kept)


# --8<-- [start:run]
def run(conn: psycopg.Connection, path: str, section: str | None = None) -> None:
    """Execute a file (or one section of it). Without parameters psycopg sends the
    text as one simple query, so a file of several statements runs in one call."""
    conn.execute(statement(path, section))


def rows(conn: psycopg.Connection, path: str, section: str | None = None, params=None) -> list[tuple]:
    """Run a file or section and return the rows of its last statement that returns rows."""
    return last_result(conn.execute(statement(path, section), params))[1]


def load_booking(conn: psycopg.Connection, *, seed: bool = True) -> None:
    """The booking database in the connection's current schema: tables, indexes, data."""
    run(conn, "booking/schema.sql")
    run(conn, "booking/indexes.sql")
    if seed:
        run(conn, "booking/seed.sql")
# --8<-- [end:run]


def last_result(cursor: psycopg.Cursor) -> tuple[list[str], list[tuple]]:
    """After several statements in one execute(), psycopg keeps one result per
    statement; step through them and keep the column names and rows of the last
    one that returned rows."""
    found: tuple[list[str], list[tuple]] = ([], [])
    while True:
        if cursor.description is not None:
            found = ([column.name for column in cursor.description], cursor.fetchall())
        if not cursor.nextset():
            return found


def connect(dsn: str, schema: str | None = None, **kwargs) -> psycopg.Connection:
    """A connection whose unqualified table names resolve in `schema` first, then in
    public (where the btree_gist extension lives)."""
    if schema is not None:
        kwargs["options"] = f"-c search_path={schema},public"
    return psycopg.connect(dsn, **kwargs)


def cell(value) -> str:
    """One value as the notes print it."""
    if value is None:
        return "NULL"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def markdown_table(columns: Sequence[str], body: Iterable[Sequence]) -> str:
    """A Markdown table; numbers are right-aligned."""
    body = [list(row) for row in body]
    if not body:
        return "| " + " | ".join(columns) + " |\n| " + " | ".join("---" for _ in columns) + " |\n\n*(no rows)*\n"

    def is_number(value) -> bool:
        return isinstance(value, (int, Decimal)) and not isinstance(value, bool)

    numeric = [all(is_number(row[i]) or row[i] is None for row in body) and any(row[i] is not None for row in body)
               for i in range(len(columns))]
    lines = ["| " + " | ".join(columns) + " |",
             "| " + " | ".join("---:" if right else "---" for right in numeric) + " |"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def result_table(conn: psycopg.Connection, path: str, section: str | None = None, params=None) -> str:
    """Run a query from a file and render its result, with the column names the query gives."""
    return markdown_table(*last_result(conn.execute(statement(path, section), params)))
