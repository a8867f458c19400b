"""Queries of the bookings export (docs/challenges/export-ran-out-of-memory.md): how many, and when
they run; and what QuerySet.iterator() changes about the result cache and prefetch_related()."""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.export_memory.after import CHUNK_SIZE
from measurements import matches_recorded
from travel.models import Booking

MEASURED = "examples/challenges/export_memory/measured"
ROWS = 2_500
EXPORT = 'FROM "travel_booking"'  # the export's own SELECT; the others read the session and the user


def test_the_streamed_export_queries_after_the_view_has_returned(staff_client, bookings):
    bookings(ROWS)
    table = ["| Version | Queries while the view ran | Queries while the body was read | The export's `SELECT` ran |",
             "| --- | ---: | ---: | --- |"]
    for version, label in (("before", "First version"), ("after", "Streamed")):
        with CaptureQueriesContext(connection) as in_view:
            response = staff_client.get(f"/{version}/bookings.csv")
        with CaptureQueriesContext(connection) as while_read:
            for _ in response.streaming_content if response.streaming else [response.content]:
                pass
        exports_in_view = sum(EXPORT in query["sql"] for query in in_view)
        exports_while_read = sum(EXPORT in query["sql"] for query in while_read)
        assert exports_in_view + exports_while_read == 1  # one SELECT, whatever the number of rows
        when = "inside the view" if exports_in_view else "after the view returned, as the body was read"
        table.append(f"| {label} | {len(in_view)} | {len(while_read)} | {when} |")
    assert table[2:] == [
        "| First version | 3 | 0 | inside the view |",
        "| Streamed | 2 | 1 | after the view returned, as the body was read |",
    ]
    assert matches_recorded(f"{MEASURED}/queries.md", "\n".join(table) + "\n")


def count_queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def test_what_iterator_changes_about_the_cache_and_prefetching(bookings):
    bookings(ROWS)
    queryset = Booking.objects.order_by("id")

    def twice(make_iterable):
        for _ in range(2):
            for _ in make_iterable():
                pass

    cached = queryset.all()
    chunks = math.ceil(ROWS / CHUNK_SIZE)
    rows = [
        ("a QuerySet, iterated twice", count_queries(lambda: twice(lambda: cached)), 1),
        ("`.iterator()` of the same QuerySet, twice", count_queries(lambda: twice(queryset.iterator)), 2),
        ('`list(queryset.prefetch_related("payments"))`',
         count_queries(lambda: list(queryset.prefetch_related("payments"))), 2),
        (f'`queryset.prefetch_related("payments").iterator(chunk_size={CHUNK_SIZE})`',
         count_queries(lambda: list(queryset.prefetch_related("payments").iterator(chunk_size=CHUNK_SIZE))),
         1 + chunks),
    ]
    for _, counted, expected in rows:
        assert counted == expected
    with pytest.raises(ValueError, match="chunk_size must be provided") as refused:
        queryset.prefetch_related("payments").iterator()
    table = [f"| Over {ROWS:,} bookings | Queries |", "| --- | ---: |",
             *(f"| {what} | {counted} |" for what, counted, _ in rows),
             f'| `queryset.prefetch_related("payments").iterator()` | `ValueError`: {refused.value} |', ""]
    assert matches_recorded(f"{MEASURED}/iterator-queries.md", "\n".join(table))
