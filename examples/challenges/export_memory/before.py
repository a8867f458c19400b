"""The bookings export as first written: correct, one query, and its memory grows with the table.

A staff member downloads every booking of the travel app (travel/models.py) as a CSV file. The
listing's title and location come in the same query (`select_related`), so there is no N+1; the
problem is where the rows go. Looping over the QuerySet evaluates it: every row is fetched and
turned into a model instance, and the QuerySet keeps all of them in its result cache. The CSV text
is then written into a StringIO, copied out as one string, and encoded into the response's body.
"""

from __future__ import annotations

import csv
import io

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse

from travel.models import Booking

HEADER = ["booking", "created_at", "guest_name", "guest_email", "listing", "location",
          "check_in", "check_out", "total_price", "currency", "status"]


# --8<-- [start:export]
@staff_member_required
def export_bookings(request):
    bookings = Booking.objects.select_related("listing").order_by("id")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for booking in bookings:  # the first iteration loads every row, and the cache keeps them
        writer.writerow([
            booking.pk, booking.created_at, booking.guest_name, booking.guest_email,
            booking.listing.title, booking.listing.location, booking.check_in, booking.check_out,
            booking.total_price, booking.listing.currency, booking.status,
        ])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv")  # a copy of the text, encoded once more
    response["Content-Disposition"] = 'attachment; filename="bookings.csv"'
    return response
# --8<-- [end:export]
