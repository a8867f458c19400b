"""Fixtures for the DRF notes' tests: users, clients that carry a JWT, conversations."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from messaging.models import Conversation, Message

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters live in the cache: every test starts (and leaves) with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher is slow on purpose; the tests create many users and log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    """alice, bob and carol talk to each other; dave is a stranger to all their conversations."""
    make = get_user_model().objects.create_user
    return {name: make(username=name, password=PASSWORD) for name in ("alice", "bob", "carol", "dave")}


@pytest.fixture
def api():
    """api(user) is an APIClient sending that user's access token; api() is anonymous."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
        return client

    return client_for


@pytest.fixture
def make_conversation(db):
    def make(*participants, title: str = "", messages: int = 0) -> Conversation:
        conversation = Conversation.objects.create(title=title)
        conversation.participants.set(participants)
        for number in range(messages):
            sender = participants[number % len(participants)]
            Message.objects.create(conversation=conversation, sender=sender, body=f"message {number}")
        return conversation

    return make


@pytest.fixture
def chat(users, make_conversation):
    """A direct conversation between alice and bob with one message from each."""
    return make_conversation(users["alice"], users["bob"], messages=2)


@pytest.fixture
def log_in(api):
    """log_in("alice") -> {"access": ..., "refresh": ...} from the real token endpoint."""

    def tokens_for(username: str) -> dict:
        response = api().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.json()
        return response.json()

    return tokens_for
