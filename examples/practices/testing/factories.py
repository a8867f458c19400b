"""Factories for the messaging models, with no library: plain functions and one fixture.

Each factory makes a valid object with a single call and takes keyword arguments for whatever
the test is about; everything else gets a default. See docs/best-practices/test-early-test-often.md.
"""

from __future__ import annotations

from itertools import count

import pytest
from django.contrib.auth import get_user_model

from messaging.models import Conversation, Message

sequence = count(1)  # unique numbers for unique names, across every test of the session


# --8<-- [start:factories]
def make_user(**fields):
    """A user named user<N>. Without a password the hasher never runs: it is slow on purpose."""
    fields.setdefault("username", f"user{next(sequence)}")
    return get_user_model().objects.create_user(**fields)


def make_conversation(*participants, **fields) -> Conversation:
    """A conversation between the given users, or between two new ones."""
    conversation = Conversation.objects.create(**fields)
    conversation.participants.set(participants or [make_user(), make_user()])
    return conversation


def make_message(conversation: Conversation | None = None, sender=None, **fields) -> Message:
    """A message in the given conversation (or a new one), sent by one of its participants."""
    conversation = conversation or make_conversation()
    fields.setdefault("body", f"message {next(sequence)}")
    return Message.objects.create(
        conversation=conversation, sender=sender or conversation.participants.first(), **fields
    )


@pytest.fixture
def message_factory(db):
    """The factory as a fixture: a test that asks for it also gets database access."""
    return make_message
    # --8<-- [end:factories]
