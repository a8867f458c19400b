"""Fixtures of the "APIs that balance flexibility and performance" case study.

Every id and timestamp in the data is fixed, so that response sizes in bytes are the same on
every run (a JSON body holds ids, URLs with ids, and ISO dates).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from crm.models import Customer, Order, Product
from messaging.models import Conversation, Message

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
CONVERSATIONS = 30
MESSAGES_EACH = 10


@pytest.fixture(autouse=True)
def case_urls(settings):
    settings.ROOT_URLCONF = "challenges.api_flexibility.urls"


@pytest.fixture(autouse=True)
def empty_cache():
    """DRF's throttle counters live in the cache: start every test without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(db):
    make = get_user_model().objects.create_user
    users = {name: make(username=name, id=number, email=f"{name}@example.com", first_name=name.title())
             for number, name in enumerate(("alice", "bob", "carol", "dave"), 1)}
    get_user_model().objects.update(date_joined=T0)
    return users


@pytest.fixture
def inbox(people):
    """alice's 30 conversations with bob and carol (dave joins every third), 10 messages each,
    every body exactly 100 characters long."""
    for number in range(1, CONVERSATIONS + 1):
        conversation = Conversation.objects.create(id=number, title=f"Conversation {number:02d}")
        members = ["alice", "bob", "carol"] + (["dave"] if number % 3 == 0 else [])
        conversation.participants.set([people[name] for name in members])
        # auto_now_add ignores a value given to create(): an UPDATE sets a fixed one.
        Conversation.objects.filter(pk=number).update(created_at=T0 + timedelta(hours=number))
    senders = [people["alice"], people["bob"], people["carol"]]
    Message.objects.bulk_create(
        Message(id=(c - 1) * MESSAGES_EACH + m, conversation_id=c, sender=senders[m % 3],
                body=f"Message {m:02d} in conversation {c:02d}. ".ljust(100, "."))
        for c in range(1, CONVERSATIONS + 1) for m in range(1, MESSAGES_EACH + 1)
    )
    messages = list(Message.objects.all())
    for message in messages:
        message.sent_at = T0 + timedelta(hours=message.conversation_id, minutes=message.id)
    Message.objects.bulk_update(messages, ["sent_at"])
    return people


class RecordingClient:
    """An API client for one user that counts what a screen costs: requests (round trips),
    bytes of the response bodies, and the SQL queries the server ran to answer them."""

    def __init__(self, user):
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
        self.requests = self.bytes = self.queries = 0
        self.log: list[str] = []  # one line per request, like an access log

    def get(self, url: str, params: dict | None = None):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, params or {})
        assert response.status_code == 200, response.content
        self.requests += 1
        self.bytes += len(response.content)
        self.queries += len(captured)
        query = response.request["QUERY_STRING"]
        target = response.request["PATH_INFO"] + (f"?{query}" if query else "")
        self.log.append(f"GET {target:<55} {response.status_code}  {len(response.content):>7,} bytes  "
                        f"{len(captured)} queries")
        return response.json()


@pytest.fixture
def recording_client():
    return RecordingClient


@pytest.fixture
def shop(db):
    """The CRM data for the GraphQL measurements: 50 customers with 2 orders of 2 products each."""
    products = Product.objects.bulk_create(
        Product(id=n, name=f"Product {n}", price=Decimal("10.00") * n, stock=100) for n in range(1, 6)
    )
    Customer.objects.bulk_create(
        Customer(id=n, name=f"Customer {n:02d}", email=f"customer{n:02d}@example.com", phone="+251911000000",
                 created_at=T0) for n in range(1, 51)
    )
    orders = Order.objects.bulk_create(
        Order(id=n, customer_id=(n + 1) // 2, total_amount=Decimal("30.00"), order_date=T0) for n in range(1, 101)
    )
    Order.products.through.objects.bulk_create(
        Order.products.through(order_id=order.id, product_id=product.id)
        for order in orders for product in products[(order.id % 4):(order.id % 4) + 2]
    )
