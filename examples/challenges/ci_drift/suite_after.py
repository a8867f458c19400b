"""The same tests after the fix: one uses the fixed search, one stops assuming an id."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from challenges.ci_drift.after import search_listings
from properties.models import Property


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

    # --8<-- [start:tests]
    def test_search_ignores_case(self):
        self.assertEqual([p.title for p in search_listings("nairobi")], ["Garden house"])

    def test_the_new_listing_is_served_at_its_url(self):
        listing = Property.objects.create(title="Lake cabin", description="Two rooms", price=Decimal("180.00"),
                                          location="Naivasha")
        response = self.client.get(reverse("properties:detail", args=[listing.pk]))  # its id, whatever it is
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Lake cabin")
    # --8<-- [end:tests]
