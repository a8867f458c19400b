"""When the confirmation message leaves for the broker: after the COMMIT, or too early.

No worker runs while the transactions are open, so the broker's queue shows exactly what was
published and when; a worker is started afterwards to show what it does with each message.
"""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.core import mail
from django.db import transaction

from measurements import matches_recorded
from travel.bookings import confirm_booking, confirm_booking_too_early, confirmation_task_id
from travel.models import Booking

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "celery"  # the default queue: a Redis list in the broker's database
TIMEOUT = 10


class PaymentDeclined(Exception):
    """Stands for anything that fails after confirm_booking() and rolls the transaction back."""


def test_a_message_leaves_with_the_commit_and_never_before(celery_app, broker, make_booking):
    rows = {}

    # 1. on_commit, and the transaction commits.
    committed = make_booking("Abebe Bikila")
    with transaction.atomic():
        confirm_booking(committed)
        inside = broker.llen(QUEUE)
    rows["on_commit, committed"] = [inside, broker.llen(QUEUE)]

    # 2. on_commit, and the transaction rolls back.
    rolled_back = make_booking("Tirunesh Dibaba")
    before = broker.llen(QUEUE)
    with pytest.raises(PaymentDeclined), transaction.atomic():  # noqa: PT012 (work, then the failure)
        confirm_booking(rolled_back)
        inside = broker.llen(QUEUE) - before
        raise PaymentDeclined
    rows["on_commit, rolled back"] = [inside, broker.llen(QUEUE) - before]

    # 3. .delay() inside the transaction, which then rolls back, taking the new booking with it.
    before = broker.llen(QUEUE)
    with pytest.raises(PaymentDeclined), transaction.atomic():  # noqa: PT012 (work, then the failure)
        too_early = confirm_booking_too_early(make_booking("Derartu Tulu"))
        inside = broker.llen(QUEUE) - before
        raise PaymentDeclined
    rows["delay, rolled back"] = [inside, broker.llen(QUEUE) - before]

    with start_worker(celery_app, pool="solo", perform_ping_check=False):
        sent = AsyncResult(confirmation_task_id(committed.pk), app=celery_app).get(timeout=TIMEOUT)
        with pytest.raises(Exception, match="matching query does not exist") as raised:
            too_early.get(timeout=TIMEOUT)

    assert rows == {"on_commit, committed": [0, 1], "on_commit, rolled back": [0, 0], "delay, rolled back": [1, 1]}
    assert sent["status"] == "sent"
    assert [message.to for message in mail.outbox] == [["abebe@example.com"]]
    assert type(raised.value).__name__ == "DoesNotExist"  # the worker looked for a rolled-back row
    assert not Booking.objects.filter(guest_name="Derartu Tulu").exists()
    assert Booking.objects.get(pk=rolled_back.pk).status == "pending"
    assert matches_recorded("examples/django_project/travel/measured/on-commit.md", (
        "| How the task is queued | Messages published inside the transaction | "
        "... after COMMIT or ROLLBACK | What the worker then did |\n"
        "| --- | --- | --- | --- |\n"
        "| `transaction.on_commit(...)`, committed | {} | {} | sent the e-mail (`{}`) |\n"
        "| `transaction.on_commit(...)`, rolled back | {} | {} | nothing: there was no message |\n"
        "| `.delay()` inside the transaction, rolled back | {} | {} | failed with `Booking.{}` |\n"
    ).format(*rows["on_commit, committed"], sent["status"], *rows["on_commit, rolled back"],
             *rows["delay, rolled back"], type(raised.value).__name__))
