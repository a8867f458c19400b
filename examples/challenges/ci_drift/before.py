"""The listing search as first written (docs/challenges/passed-locally-failed-in-ci.md).

It works on SQLite, where LIKE ignores the case of ASCII letters, so the test that searches
"nairobi" for a listing in "Nairobi" passes on a laptop; PostgreSQL's LIKE does not.
"""

from __future__ import annotations

from django.db.models import QuerySet

from properties.models import Property


# --8<-- [start:search]
def search_listings(text: str) -> QuerySet[Property]:
    """Listings whose location contains `text`, whatever its case (or so it seemed)."""
    return Property.objects.filter(location__contains=text).order_by("title")
# --8<-- [end:search]
