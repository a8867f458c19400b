"""Fixtures of the "An export that ran out of memory" case study: the case's own URLconf, a
logged-in staff member, and a bookings table that a test grows to the size it needs.

Every row has a fixed primary key and values derived from it, so the CSV file, and with it the
memory the export needs, is the same on every run whatever other tests did to the database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from travel.models import Booking, Listing

LISTINGS = 20
# The first guests test the CSV quoting and the encoding: a comma, quotes, and non-ASCII letters.
SPECIAL_GUESTS = ['Guest, with a comma', 'Guest "quoted"', "Gäst Ünïcode"]


@pytest.fixture(autouse=True)
def case_urls(settings):
    settings.ROOT_URLCONF = "challenges.export_memory.urls"


@pytest.fixture
def staff_client(client, db):
    staff = get_user_model().objects.create_user(id=1, username="accountant", is_staff=True)
    client.force_login(staff)
    return client


def booking(number: int, listing: Listing) -> Booking:
    check_in = date(2030, 1, 1) + timedelta(days=number % 365)
    guest = SPECIAL_GUESTS[number - 1] if number <= len(SPECIAL_GUESTS) else f"Guest {number}"
    return Booking(
        id=number, listing=listing, guest_name=guest, guest_email=f"guest{number}@example.com",
        check_in=check_in, check_out=check_in + timedelta(days=1 + number % 7),
        total_price=listing.price_per_night * (1 + number % 7), status=Booking.Status.CONFIRMED,
        created_at=datetime(2029, 6, 1, tzinfo=UTC) + timedelta(minutes=number),
    )


@pytest.fixture
def bookings(db):
    """grow(n) adds bookings until the table holds n of them, spread over 20 listings."""
    listings = Listing.objects.bulk_create(
        Listing(id=n, title=f"Listing {n}", location=f"Town {n % 5}", price_per_night=Decimal("1500.00") + n)
        for n in range(1, LISTINGS + 1)
    )

    def grow(count: int) -> None:
        start = Booking.objects.count()
        Booking.objects.bulk_create(
            (booking(n, listings[n % LISTINGS]) for n in range(start + 1, count + 1)), batch_size=1000
        )

    return grow
