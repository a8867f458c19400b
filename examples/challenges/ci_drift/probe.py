"""Which id does a row created in a test get? Three tests that each create one listing, in
rolled-back transactions as every Django TestCase test is, and write down the id it got."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.test import TestCase

from properties.models import Property


# --8<-- [start:probe]
class NextIdProbe(TestCase):
    ids: ClassVar[list[int]] = []  # the id of each test's new listing, in the order the tests ran

    @classmethod
    def setUpTestData(cls):
        for title in ("Garden house", "Sea view flat"):
            Property.objects.create(title=title, description="-", price=Decimal("100.00"), location="Nairobi")

    def create_one(self):
        listing = Property.objects.create(title="Lake cabin", description="-", price=Decimal("180.00"),
                                          location="Naivasha")
        self.ids.append(listing.pk)

    test_1, test_2, test_3 = create_one, create_one, create_one
# --8<-- [end:probe]
