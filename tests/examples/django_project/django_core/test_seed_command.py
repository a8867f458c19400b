"""`manage.py seed_messaging` creates what is missing, and only that."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from measurements import matches_recorded
from messaging.models import Conversation, Message, Notification

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_messaging", *args, stdout=out)
    return out.getvalue().strip()


def counts() -> tuple[int, int, int]:
    return get_user_model().objects.count(), Conversation.objects.count(), Message.objects.count()


def test_first_run_creates_users_a_conversation_and_count_messages():
    assert seed("--count", "5") == "users +3, conversations +1, messages +5; 'Seed conversation' holds 5 messages"
    assert counts() == (3, 1, 5)
    conversation = Conversation.objects.get()
    assert sorted(conversation.participants.values_list("username", flat=True)) == ["alice", "bob", "carol"]
    assert list(conversation.messages.values_list("body", flat=True)[:2]) == ["Seed message 1", "Seed message 2"]


def test_a_second_run_with_the_same_count_creates_nothing():
    seed("--count", "5")
    assert seed("--count", "5") == "users +0, conversations +0, messages +0; 'Seed conversation' holds 5 messages"
    assert counts() == (3, 1, 5)


def test_a_larger_count_tops_up_and_a_smaller_one_deletes_nothing():
    seed("--count", "5")
    assert seed("--count", "8").startswith("users +0, conversations +0, messages +3;")
    assert seed("--count", "2").startswith("users +0, conversations +0, messages +0;")
    assert counts() == (3, 1, 8)
    assert Message.objects.last().body == "Seed message 8"


def test_the_default_count_is_twenty():
    seed()
    assert counts() == (3, 1, 20)


def test_seeded_users_cannot_log_in():
    seed("--count", "0")
    assert not any(user.has_usable_password() for user in get_user_model().objects.all())


def test_bulk_create_sends_no_post_save_so_seeding_notifies_nobody():
    seed("--count", "5")
    assert Notification.objects.count() == 0


def test_a_negative_count_is_refused_before_anything_is_written():
    with pytest.raises(CommandError, match="--count must be zero or more"):
        seed("--count", "-1")
    assert counts() == (0, 0, 0)


def test_render_the_output_of_three_runs():
    runs = [("--count", "5"), ("--count", "5"), ("--count", "8")]
    transcript = "".join(
        f"$ python manage.py seed_messaging {' '.join(args)}\n{seed(*args)}\n" for args in runs
    )
    assert counts() == (3, 1, 8)
    assert matches_recorded("examples/django_project/measured/django-seed-output.txt", transcript)
