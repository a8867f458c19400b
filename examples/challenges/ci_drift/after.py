"""The listing search, fixed: it asks for a case-insensitive match instead of relying on SQLite's."""

from __future__ import annotations

from django.db.models import QuerySet

from properties.models import Property


# --8<-- [start:search]
def search_listings(text: str) -> QuerySet[Property]:
    """Listings whose location contains `text`, in any case, on every database."""
    return Property.objects.filter(location__icontains=text).order_by("title")
# --8<-- [end:search]
