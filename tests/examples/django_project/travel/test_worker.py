"""The confirmation e-mail task, run by a real Celery worker through a real Redis broker.

Every test waits on AsyncResult.get(timeout=...): the worker thread stores the result in Redis
and get() returns as soon as it is there, so no test sleeps.
"""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.core.mail import send_mail as real_send_mail
from django.utils import timezone

from measurements import matches_recorded
from travel import tasks
from travel.tasks import send_booking_confirmation, send_check_in_reminders

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]

TIMEOUT = 10  # seconds; each get() below returns in well under one


def test_worker_sends_the_confirmation_email_and_stores_the_result(make_booking):
    booking = make_booking("Abebe Bikila")

    result = send_booking_confirmation.delay(booking.pk)

    assert result.get(timeout=TIMEOUT) == {"booking": booking.pk, "status": "sent", "attempt": 1}
    assert [message.to for message in mail.outbox] == [["abebe@example.com"]]
    assert mail.outbox[0].subject == "Booking confirmed: Lalibela Lodge"
    assert "from 11 January 2030 to 13 January 2030" in mail.outbox[0].body
    booking.refresh_from_db()
    assert booking.confirmation_sent_at is not None


def test_a_transient_smtp_error_is_retried_and_the_second_attempt_sends(make_booking, monkeypatch):
    booking = make_booking()
    attempts = []

    def flaky_send_mail(**kwargs):
        # The worker thread calls this module-level name; the first call fails like a mail
        # server dropping the connection, the second one really sends (into mail.outbox).
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send_mail(**kwargs)

    monkeypatch.setattr(tasks, "send_mail", flaky_send_mail)

    # retry_backoff with jitter: the retry waits 0 or 1 second, so this returns within ~1 s.
    result = send_booking_confirmation.delay(booking.pk)

    assert result.get(timeout=TIMEOUT) == {"booking": booking.pk, "status": "sent", "attempt": 2}
    assert attempts == [1, 2]
    assert len(mail.outbox) == 1  # the failed attempt's claim was rolled back, not left behind
    booking.refresh_from_db()
    assert booking.confirmation_sent_at is not None
    assert matches_recorded("examples/django_project/travel/measured/worker-retry.md", (
        "| Attempt | `send_mail()` | Task |\n"
        "| --- | --- | --- |\n"
        "| 1 | raised `SMTPServerDisconnected` | retried by `autoretry_for`; the claim rolled back |\n"
        f"| {attempts[-1]} | sent "
        f"| returned `status: {result.result['status']}, attempt: {result.result['attempt']}` |\n\n"
        f"E-mails in `mail.outbox` afterwards: {len(mail.outbox)}.\n"
    ))


def test_the_same_booking_queued_twice_sends_one_email(make_booking):
    booking = make_booking()

    # Two messages for one booking: a double click, or confirm_payment() reached twice.
    first = send_booking_confirmation.delay(booking.pk)
    second = send_booking_confirmation.delay(booking.pk)

    assert first.get(timeout=TIMEOUT)["status"] == "sent"
    assert second.get(timeout=TIMEOUT)["status"] == "already-sent"
    assert len(mail.outbox) == 1


def test_a_redelivered_message_sends_one_email(make_booking):
    """acks_late: a worker that dies after sending but before acknowledging gets the same
    message (same task id, same arguments) delivered again. Publishing it twice reproduces that."""
    booking, other = make_booking(), make_booking("Haile Gebrselassie")
    task_id = f"redelivery-{booking.pk}"
    outcomes = []

    def record(task_id: str, retval, **kwargs):  # runs in the worker thread after each task
        if task_id == f"redelivery-{booking.pk}":
            outcomes.append(retval["status"])

    task_postrun.connect(record, weak=False)
    try:
        send_booking_confirmation.apply_async(args=[booking.pk], task_id=task_id).get(timeout=TIMEOUT)
        send_booking_confirmation.apply_async(args=[booking.pk], task_id=task_id)  # the redelivery
        # One task at a time, in queue order: once the next message's result exists, the
        # redelivered one has run too. (Its own result is not stored: the result backend keeps
        # the first SUCCESS of a task id.)
        send_booking_confirmation.delay(other.pk).get(timeout=TIMEOUT)
    finally:
        task_postrun.disconnect(record)

    assert [message.to for message in mail.outbox] == [["abebe@example.com"], ["haile@example.com"]]
    assert outcomes == ["sent", "already-sent"]
    assert matches_recorded("examples/django_project/travel/measured/worker-duplicates.md", (
        "| Delivery of the same message | Task result | E-mails sent so far |\n"
        "| --- | --- | --- |\n"
        f"| first | `{outcomes[0]}` | 1 |\n"
        f"| second (redelivered) | `{outcomes[1]}` | {len(mail.outbox) - 1} |\n"
    ))


def test_a_missing_booking_fails_at_once_instead_of_retrying(make_booking):
    result = send_booking_confirmation.delay(999_999)

    with pytest.raises(Exception, match="matching query does not exist") as raised:
        result.get(timeout=TIMEOUT)

    # Booking.DoesNotExist is not in autoretry_for: a bug or a lost row is not retried.
    assert type(raised.value).__name__ == "DoesNotExist"
    assert result.state == "FAILURE"
    assert mail.outbox == []


def test_ignore_result_stores_nothing_while_a_normal_task_stores_one_key(make_booking, results):
    make_booking("Tirunesh Dibaba", check_in=timezone.localdate() + timedelta(days=1), status="confirmed")
    booking = make_booking("Haile Gebrselassie")  # every write before the worker starts reading
    # The reminders task (ignore_result=True) runs first; the confirmation task after it. The
    # solo pool runs one task at a time in queue order, so when the second result exists the
    # first task has finished too.
    reminder_run = send_check_in_reminders.delay()
    confirmation = send_booking_confirmation.delay(booking.pk)
    confirmation.get(timeout=TIMEOUT)

    stored = sorted(key.decode() for key in results.keys("celery-task-meta-*"))
    assert stored == [f"celery-task-meta-{confirmation.id}"]
    assert not results.exists(f"celery-task-meta-{reminder_run.id}")
    ttl = results.ttl(stored[0])
    assert 3500 < ttl <= 3600  # CELERY_RESULT_EXPIRES: one hour
    size = len(results.get(stored[0]))
    assert 100 < size < 400
    assert sorted(message.subject for message in mail.outbox) == [
        "Booking confirmed: Lalibela Lodge", "See you tomorrow at Lalibela Lodge",
    ]
    assert matches_recorded("examples/django_project/travel/measured/result-backend.md", (
        "| Task | `ignore_result` | Keys in Redis db 2 | Expires after |\n"
        "| --- | --- | --- | --- |\n"
        "| `send_check_in_reminders` | `True` | 0 | - |\n"
        f"| `send_booking_confirmation` | `False` | 1 (about {round(size, -2)} bytes of JSON) | "
        f"{round(ttl / 3600)} hour |\n"
    ))
