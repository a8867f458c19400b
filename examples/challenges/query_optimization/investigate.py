"""The two tools that found the causes: a query log grouped by the shape of each statement,
and EXPLAIN ANALYZE of exactly the SQL a piece of Django code sent."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext

from sql import plans

LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
COLUMNS = re.compile(r'SELECT (?:"\w+"\."\w+", )*"\w+"\."\w+" FROM ')  # a list of table.column names


# --8<-- [start:shapes]
def shape(sql: str) -> str:
    """A statement with its literal values replaced by `?` and its column list by `...`,
    so that the same query for different rows looks the same."""
    return COLUMNS.sub("SELECT ... FROM ", LITERALS.sub("?", sql))


def queries_by_shape(captured: CaptureQueriesContext) -> list[tuple[int, str]]:
    """(how many times, shape) for every distinct statement the context captured, most frequent first."""
    counts = Counter(shape(query["sql"]) for query in captured.captured_queries)
    return sorted(((count, text) for text, count in counts.items()), key=lambda item: (-item[0], item[1]))
# --8<-- [end:shapes]


# --8<-- [start:explain]
def explain_what_ran(connection: BaseDatabaseWrapper, action: Callable[[], Any]) -> tuple[Any, list[dict]]:
    """Run `action` (a paginator, a view, any ORM code) while recording the SQL it sends on
    `connection`, then run each statement again under EXPLAIN ANALYZE. Returns the action's
    result and one plan (PostgreSQL's JSON form) per statement, with the statement under "SQL"."""
    with CaptureQueriesContext(connection) as captured:
        result = action()
    explained = []
    for query in captured.captured_queries:
        plan = plans.explain(connection.connection, query["sql"])  # the driver's connection: psycopg
        explained.append({**plan, "SQL": query["sql"]})
    return result, explained
# --8<-- [end:explain]
