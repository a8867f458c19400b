"""docs/best-practices/test-early-test-often.md: factories for the messaging models."""

from __future__ import annotations

import pytest

from messaging.models import Message
from practices.testing.factories import make_conversation, make_message, make_user

pytestmark = pytest.mark.django_db


def test_a_user_needs_no_arguments_and_gets_a_name_of_its_own():
    first, second = make_user(), make_user()
    assert first.username != second.username
    assert first.username.startswith("user")
    assert not first.has_usable_password()  # no password: the slow hasher never ran


def test_a_conversation_without_participants_gets_two_new_users():
    conversation = make_conversation()
    assert conversation.participants.count() == 2
    assert conversation.title == ""


def test_a_conversation_takes_the_participants_and_fields_a_test_gives():
    alice, bob = make_user(username="alice"), make_user(username="bob")
    conversation = make_conversation(alice, bob, title="Weekend")
    assert sorted(user.username for user in conversation.participants.all()) == ["alice", "bob"]
    assert conversation.title == "Weekend"


def test_a_message_needs_no_arguments_and_is_sent_by_a_participant(message_factory):
    message = message_factory()
    assert message.sender in message.conversation.participants.all()
    assert message.body.startswith("message ") and not message.read


def test_a_test_written_with_factories_states_only_what_it_is_about(message_factory):
    """Alice's unread messages: sent by someone else, not read, in her conversations."""
    alice, bob = make_user(), make_user()
    chat = make_conversation(alice, bob)
    waiting = message_factory(chat, sender=bob)
    message_factory(chat, sender=bob, read=True)  # already read
    message_factory(chat, sender=alice)  # her own
    message_factory()  # someone else's conversation
    assert list(Message.unread.for_user(alice)) == [waiting]


def test_the_factory_function_works_without_the_fixture():
    assert make_message(body="hello").body == "hello"
