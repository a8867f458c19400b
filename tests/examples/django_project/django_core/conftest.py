"""Shared data for the Django notes' tests: three users and a small, known set of conversations."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from messaging.models import Conversation, Message


@pytest.fixture
def people(django_user_model):
    """alice, bob and carol, with e-mail addresses (the signals e-mail notifications).

    No passwords: hashing one takes a noticeable fraction of a second, and the tests log in
    with client.force_login instead."""
    return SimpleNamespace(**{
        name: django_user_model.objects.create_user(name, email=f"{name}@example.com")
        for name in ("alice", "bob", "carol")
    })


@pytest.fixture
def superuser(django_user_model):
    """Like pytest-django's admin_user, minus the password hashing that makes it slow."""
    return django_user_model.objects.create_superuser("root", "root@example.com", password=None)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def chat(people):
    """Two conversations, created in this order (sent_at and id follow it):

    Trip (alice, bob, carol): bob "Train at 9?"; carol "Bus is cheaper" (read);
                              alice "9 works" (reply to bob); bob "or 10" (reply to himself)
    Pair (alice, bob):        alice "Lunch?"; bob "Sure"
    """
    trip = Conversation.objects.create(title="Trip")
    trip.participants.add(people.alice, people.bob, people.carol)
    pair = Conversation.objects.create(title="Pair")
    pair.participants.add(people.alice, people.bob)
    train = Message.objects.create(conversation=trip, sender=people.bob, body="Train at 9?")
    bus = Message.objects.create(conversation=trip, sender=people.carol, body="Bus is cheaper", read=True)
    works = Message.objects.create(conversation=trip, sender=people.alice, body="9 works", parent=train)
    or_ten = Message.objects.create(conversation=trip, sender=people.bob, body="or 10", parent=train)
    lunch = Message.objects.create(conversation=pair, sender=people.alice, body="Lunch?")
    sure = Message.objects.create(conversation=pair, sender=people.bob, body="Sure")
    return SimpleNamespace(
        trip=trip, pair=pair, train=train, bus=bus, works=works, or_ten=or_ten, lunch=lunch, sure=sure, **vars(people)
    )


@pytest.fixture
def clean_cache():
    """The rate limit counts in Django's cache, which outlives a test: start and end empty."""
    cache.clear()
    yield cache
    cache.clear()
