"""The receivers in messaging/signals.py: notifications, edit history, e-mail after commit, cleanup."""

from __future__ import annotations

import logging
from functools import partial

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

import messaging.signals
from measurements import matches_recorded
from messaging.models import Conversation, Message, MessageHistory, Notification
from messaging.signals import email_too_early

pytestmark = pytest.mark.django_db


def usernames(queryset) -> list[str]:
    return sorted(queryset.values_list("user__username", flat=True))


# --- notification on save --------------------------------------------------------------------------

def test_a_new_message_notifies_every_participant_but_the_sender(chat):
    assert usernames(Notification.objects.filter(message=chat.train)) == ["alice", "carol"]
    assert usernames(Notification.objects.filter(message=chat.lunch)) == ["bob"]
    assert Notification.objects.count() == 4 * 2 + 2 * 1  # Trip: 4 messages x 2, Pair: 2 x 1


def test_saving_an_existing_message_notifies_nobody(chat):
    chat.train.read = True
    chat.train.save()
    assert Notification.objects.filter(message=chat.train).count() == 2


def test_a_message_nobody_else_can_read_notifies_nobody_and_queues_no_email(
    people, django_capture_on_commit_callbacks, django_assert_num_queries
):
    notes = Conversation.objects.create(title="Notes to self")
    notes.participants.add(people.alice)
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(2):
        Message.objects.create(conversation=notes, sender=people.alice, body="Buy milk")  # INSERT, SELECT
    assert (Notification.objects.count(), callbacks) == (0, [])


def test_the_receiver_adds_two_queries_to_creating_a_message(chat, django_assert_num_queries):
    with django_assert_num_queries(3):  # INSERT message, SELECT recipients, INSERT notifications
        Message.objects.create(conversation=chat.trip, sender=chat.alice, body="Booked")


def test_loading_data_raw_creates_no_notifications(chat):
    # loaddata saves with raw=True: the receivers must not add rows the fixture does not contain.
    pk, dumped = chat.sure.pk, serializers.serialize("json", [chat.sure])
    chat.sure.delete()  # its notifications go with it (CASCADE)
    for item in serializers.deserialize("json", dumped):
        item.save()  # what loaddata does: save_base(raw=True)
    assert Message.objects.filter(pk=pk).exists()
    assert Notification.objects.filter(message_id=pk).count() == 0


# --- edit history ------------------------------------------------------------------------------------

def test_editing_the_body_keeps_the_old_body_and_marks_the_message_edited(chat):
    chat.train.body = "Train at 10?"
    chat.train.save()
    chat.train.body = "Train at 11?"
    chat.train.save()
    chat.train.refresh_from_db()
    assert chat.train.edited is True
    assert list(chat.train.history.values_list("old_body", flat=True)) == ["Train at 10?", "Train at 9?"]


def test_saving_with_the_same_body_records_no_history(chat):
    chat.train.read = True
    chat.train.save()
    chat.train.refresh_from_db()
    assert (chat.train.edited, chat.train.history.count()) == (False, 0)


def test_update_fields_without_body_skips_the_lookup(chat, django_assert_num_queries):
    chat.train.read = True
    with django_assert_num_queries(1):  # just the UPDATE
        chat.train.save(update_fields=["read"])


def test_pitfall_update_fields_body_alone_drops_the_edited_flag(chat):
    # The receiver sets instance.edited, but only the fields named in update_fields are written.
    chat.train.body = "Train at 10?"
    chat.train.save(update_fields=["body"])
    chat.train.refresh_from_db()
    assert (chat.train.edited, chat.train.history.count()) == (False, 1)
    chat.train.body = "Train at 11?"
    chat.train.save(update_fields=["body", "edited"])  # the fix: name both
    chat.train.refresh_from_db()
    assert (chat.train.edited, chat.train.history.count()) == (True, 2)


def test_pitfall_queryset_update_sends_no_signal_so_no_history(chat):
    Message.objects.filter(pk=chat.train.pk).update(body="Rewritten")
    chat.train.refresh_from_db()
    assert (chat.train.body, chat.train.edited, MessageHistory.objects.count()) == ("Rewritten", False, 0)


# --- e-mail after commit --------------------------------------------------------------------------------

def test_in_a_test_transaction_on_commit_callbacks_never_run(chat, mailoutbox):
    # The chat fixture created six messages, but the test's transaction is rolled back, not committed.
    assert Notification.objects.count() == 10
    assert mailoutbox == []


def test_the_email_is_queued_for_commit_not_sent_during_save(chat, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        Message.objects.create(conversation=chat.trip, sender=chat.bob, body="Tickets bought")
    assert (len(callbacks), mailoutbox) == (1, [])
    callbacks[0]()  # what Django does right after COMMIT
    assert sorted(mail.to[0] for mail in mailoutbox) == ["alice@example.com", "carol@example.com"]
    assert mailoutbox[0].subject == "New message from bob"
    assert mailoutbox[0].body == "Tickets bought"


def test_users_without_an_email_address_get_a_notification_but_no_email(
    chat, mailoutbox, django_capture_on_commit_callbacks
):
    chat.carol.email = ""
    chat.carol.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = Message.objects.create(conversation=chat.trip, sender=chat.bob, body="Seats 4A, 4B")
    assert usernames(message.notifications) == ["alice", "carol"]
    assert [mail.to for mail in mailoutbox] == [["alice@example.com"]]


def test_pitfall_work_done_before_commit_survives_a_rollback(chat, mailoutbox, django_capture_on_commit_callbacks):
    post_save.connect(email_too_early, sender=Message, dispatch_uid="test.email_too_early")
    try:
        # The save, then a failure later in the request: the rollback must undo the save.
        with (  # noqa: PT012
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            Message.objects.create(conversation=chat.pair, sender=chat.bob, body="Never saved")
            raise RuntimeError("something later in the same request fails")
    finally:
        post_save.disconnect(sender=Message, dispatch_uid="test.email_too_early")
    assert not Message.objects.filter(body="Never saved").exists()  # rolled back
    assert callbacks == []  # the rollback discarded the on_commit e-mail...
    assert [mail.body for mail in mailoutbox] == ["Never saved"]  # ...but the early one went out


def test_the_early_receiver_ignores_edits_too(chat, mailoutbox):
    post_save.connect(email_too_early, sender=Message, dispatch_uid="test.email_too_early")
    try:
        chat.sure.body = "Sure!"
        chat.sure.save()
    finally:
        post_save.disconnect(sender=Message, dispatch_uid="test.email_too_early")
    assert mailoutbox == []


def test_a_failing_mail_server_is_logged_not_raised(chat, monkeypatch, caplog, django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(messaging.signals, "send_mail", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        Message.objects.create(conversation=chat.pair, sender=chat.bob, body="Still saved")
    assert Message.objects.filter(body="Still saved").exists()
    assert "in on_commit()" in caplog.text and "mail server down" in caplog.text


def test_pitfall_a_partial_breaks_the_error_logging_of_robust_callbacks(django_capture_on_commit_callbacks):
    # Django's log message for a failing robust callback reads callback.__qualname__, which a
    # functools.partial does not have: the logging itself fails. Hence the lambda in signals.py.
    def fail(reason):
        raise ConnectionRefusedError(reason)

    with pytest.raises(AttributeError, match="__qualname__"), django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(partial(fail, "mail server down"), robust=True)


def test_an_exception_in_a_receiver_aborts_the_save_with_it(chat):
    def broken_receiver(sender, instance, created, **kwargs):
        raise RuntimeError("receiver failed")

    post_save.connect(broken_receiver, sender=Message, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError, match="receiver failed"), transaction.atomic():
            Message.objects.create(conversation=chat.pair, sender=chat.bob, body="Lost")
    finally:
        post_save.disconnect(sender=Message, dispatch_uid="test.broken")
    assert not Message.objects.filter(body="Lost").exists()  # same transaction: rolled back too


@pytest.mark.django_db(transaction=True)  # real COMMITs, as in production
def test_with_real_commits_the_email_goes_out_after_the_commit(people, mailoutbox):
    conversation = Conversation.objects.create(title="Real")
    conversation.participants.add(people.alice, people.bob)
    with transaction.atomic():
        Message.objects.create(conversation=conversation, sender=people.alice, body="Hello")
        assert mailoutbox == []  # inside the transaction: not yet
    assert [mail.to for mail in mailoutbox] == [["bob@example.com"]]  # after COMMIT


# --- cleanup on delete ------------------------------------------------------------------------------------

def test_cascade_removes_the_users_messages_and_everything_hanging_off_them(chat):
    chat.train.body = "Train at 10?"
    chat.train.save()  # gives bob's message a history row
    chat.bob.delete()
    # His messages, and through Message.parent (CASCADE) alice's reply to one of them.
    assert sorted(Message.objects.values_list("body", flat=True)) == ["Bus is cheaper", "Lunch?"]
    assert MessageHistory.objects.count() == 0
    assert not Notification.objects.filter(user__username="bob").exists()
    assert sorted(chat.trip.participants.values_list("username", flat=True)) == ["alice", "carol"]


def test_conversations_the_user_leaves_empty_are_deleted_and_others_kept(chat):
    solo = Conversation.objects.create(title="Bob's notes")
    solo.participants.add(chat.bob)
    unrelated_empty = Conversation.objects.create(title="Not bob's")  # no participants at all
    chat.bob.delete()
    assert sorted(Conversation.objects.values_list("title", flat=True)) == ["Not bob's", "Pair", "Trip"]
    assert unrelated_empty.pk in Conversation.objects.values_list("pk", flat=True)


def test_queryset_delete_also_sends_the_delete_signals(chat):
    solo = Conversation.objects.create(title="Bob's notes")
    solo.participants.add(chat.bob)
    get_user_model().objects.filter(username="bob").delete()  # unlike update(), delete() signals
    assert not Conversation.objects.filter(pk=solo.pk).exists()


# --- the table the signals note quotes ------------------------------------------------------------------

def test_render_what_each_save_costs_with_the_receivers(chat, mailoutbox, django_capture_on_commit_callbacks):
    def measure(action):
        with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
            action()
        return len(queries), len(callbacks)

    notes = Conversation.objects.create(title="Notes to self")
    notes.participants.add(chat.alice)
    rows = [
        ("`Message.objects.create(...)` in Trip (2 other participants)",
         *measure(lambda: Message.objects.create(conversation=chat.trip, sender=chat.bob, body="Booked"))),
        ("`Message.objects.create(...)` in a conversation with no one else",
         *measure(lambda: Message.objects.create(conversation=notes, sender=chat.alice, body="Buy milk"))),
    ]
    chat.train.body = "Train at 10?"
    rows.append(("`message.save()` after changing the body", *measure(chat.train.save)))
    chat.train.read = True
    rows.append(("`message.save(update_fields=[\"read\"])`", *measure(lambda: chat.train.save(update_fields=["read"]))))
    rows.append(("`Message.objects.filter(...).update(body=...)`",
                 *measure(lambda: Message.objects.filter(pk=chat.sure.pk).update(body="Sure!"))))
    assert [(q, c) for _, q, c in rows] == [(3, 1), (2, 0), (3, 0), (1, 0), (1, 0)]
    assert mailoutbox == []  # nothing was sent: the callbacks were captured, not run
    table = "| Operation | Queries | `on_commit` callbacks queued |\n| --- | ---: | ---: |\n" + "".join(
        f"| {label} | {q} | {c} |\n" for label, q, c in rows
    )
    assert matches_recorded("examples/django_project/measured/django-signal-costs.md", table)
