"""The bookings export, streamed: the pattern of Django's "How to create CSV output" guide.

The rows are read with `QuerySet.iterator()` as plain tuples (`values_list()`), a chunk of rows at a
time; a generator turns each one into a line of CSV; `StreamingHttpResponse` sends each line as it
is produced. At any moment the process holds one chunk of rows and one line of text, whatever the
size of the table.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib.admin.views.decorators import staff_member_required
from django.http import StreamingHttpResponse

from challenges.export_memory.before import HEADER
from travel.models import Booking

CHUNK_SIZE = 1000  # rows per fetch from the database cursor


# --8<-- [start:echo]
class Echo:
    """A file-like object for csv.writer: write() hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(header)  # writerow() returns what write() returned: the line
    for row in rows:
        yield writer.writerow(row)
# --8<-- [end:echo]


# --8<-- [start:export]
# The columns of HEADER, in its order; "listing__title" follows the foreign key with a JOIN.
COLUMNS = ("pk", "created_at", "guest_name", "guest_email", "listing__title", "listing__location",
           "check_in", "check_out", "total_price", "listing__currency", "status")


@staff_member_required
def export_bookings(request):
    rows = Booking.objects.order_by("id").values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    response = StreamingHttpResponse(csv_lines(HEADER, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="bookings.csv"'
    return response
# --8<-- [end:export]
