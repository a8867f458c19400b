"""The tests as they were when they passed locally: Django TestCase classes, as in the project's
tests/ folder. (Kept under examples/ so that the notes can show them; the case's own tests run
them on SQLite and on PostgreSQL, see tests/examples/challenges/ci_drift/.)
"""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase

from challenges.ci_drift.before import search_listings
from properties.models import Property


# --8<-- [start:tests]
class ListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Property.objects.create(title="Garden house", description="Three rooms", price=Decimal("250.00"),
                                location="Nairobi")
        Property.objects.create(title="Sea view flat", description="One room", price=Decimal("100.00"),
                                location="Mombasa")

    def test_a_listing_can_be_renamed(self):
        listing = Property.objects.create(title="Hill villa", description="Four rooms", price=Decimal("350.00"),
                                          location="Nakuru")
        listing.title = "Hill top villa"
        listing.save()
        self.assertEqual(Property.objects.get(location="Nakuru").title, "Hill top villa")

    def test_search_ignores_case(self):
        self.assertEqual([p.title for p in search_listings("nairobi")], ["Garden house"])

    def test_the_new_listing_is_served_at_its_url(self):
        Property.objects.create(title="Lake cabin", description="Two rooms", price=Decimal("180.00"),
                                location="Naivasha")
        response = self.client.get("/properties/3/")  # two listings exist, so the new one is number 3
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Lake cabin")
# --8<-- [end:tests]
