"""The confirmation task's delivery and retry options, and the waits they produce."""

from __future__ import annotations

from smtplib import SMTPException, SMTPServerDisconnected

import pytest
from celery.utils.time import get_exponential_backoff_interval
from django.core import mail

from measurements import matches_recorded
from travel import tasks
from travel.tasks import send_booking_confirmation


def test_confirmation_task_retries_transient_errors_only_and_acknowledges_late():
    task = send_booking_confirmation
    assert task.name == "travel.tasks.send_booking_confirmation"
    assert set(task.autoretry_for) == {SMTPException, ConnectionError, TimeoutError}
    assert (task.retry_backoff, task.retry_backoff_max, task.retry_jitter) == (True, 600, True)
    assert task.max_retries == 5
    assert task.acks_late is True
    assert task.ignore_result is False  # the tests and the payment flow read its result


def test_scheduled_tasks_do_not_store_results():
    assert tasks.expire_pending_bookings.ignore_result is True
    assert tasks.send_check_in_reminders.ignore_result is True


def test_backoff_doubles_per_retry_and_stops_at_retry_backoff_max():
    # retry_backoff=True is a factor of 1 second. With retry_jitter the real wait is a random
    # whole number of seconds from 0 up to this maximum.
    ceilings = [
        get_exponential_backoff_interval(factor=1, retries=n, maximum=600, full_jitter=False) for n in range(11)
    ]

    assert ceilings == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600]
    first_five = ceilings[:5]  # max_retries=5: the task gives up after the fifth retry
    rows = "\n".join(f"| {n + 1} | {seconds} s |" for n, seconds in enumerate(first_five))
    assert matches_recorded("examples/django_project/travel/measured/retry-backoff.md", (
        "| Retry | Longest wait before it |\n| --- | --- |\n" + rows + "\n\n"
        f"Worst case before the task fails for good: {sum(first_five)} s of waiting over 6 attempts. "
        "With `max_retries=None` (retry for ever) the waits would keep doubling up to the "
        f"{ceilings[-1]} s ceiling (`retry_backoff_max`) and stay there.\n"
    ))


@pytest.mark.django_db
def test_after_max_retries_the_task_fails_with_the_last_error(make_booking, monkeypatch):
    """Run in-process with apply(), where retries happen at once instead of after the waits
    above (a real worker would take up to 31 seconds)."""
    calls = []

    def down(**kwargs):
        calls.append(1)
        raise SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(tasks, "send_mail", down)
    booking = make_booking()

    result = send_booking_confirmation.apply(args=[booking.pk])

    assert result.state == "FAILURE"
    assert isinstance(result.result, SMTPServerDisconnected)
    assert len(calls) == 6  # the first attempt and max_retries=5 retries
    assert mail.outbox == []
    booking.refresh_from_db()
    assert booking.confirmation_sent_at is None  # every claim was rolled back
