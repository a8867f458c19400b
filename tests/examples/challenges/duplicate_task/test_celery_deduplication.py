"""docs/challenges/task-ran-twice.md: what Celery's own worker_deduplicate_successful_tasks does
for the unguarded task, and what it cannot do. This module's worker starts with the setting on.

A worker remembers the ids of the tasks it completed in its own memory (celery.worker.state.
successful_requests); a redelivery after a crash reaches another worker process, which does not.
Emptying that set before the redelivery stands for that other process: it can only ask the
result backend.
"""

from __future__ import annotations

import pytest
from celery.worker.state import successful_requests
from django.core import mail

from challenges.duplicate_task import before
from challenges.duplicate_task.redelivery import Acknowledgements, redeliver_unacknowledged
from measurements import matches_recorded

pytestmark = pytest.mark.usefixtures("celery_worker")

CELERY_SETTINGS = {"worker_deduplicate_successful_tasks": True}  # read by conftest.celery_app


def redelivered_once(booking, celery_app, *, same_worker: bool, **options) -> None:
    with Acknowledgements(lose=1) as acks:
        before.send_booking_confirmation.apply_async(args=[booking.pk], task_id=f"dedup-{booking.pk}", **options)
        acks.wait_for(1)
        if not same_worker:
            successful_requests.clear()  # the redelivery reaches a worker that never ran it
        assert redeliver_unacknowledged(celery_app) == 1
        acks.wait_for(2)


def emails_to(booking) -> int:
    return sum(message.to == [booking.guest_email] for message in mail.outbox)


def test_deduplication_skips_a_redelivery_only_when_it_can_know_the_task_succeeded(make_booking, celery_app,
                                                                                   caplog):
    same, other, other_no_result, queued = (make_booking(name) for name in ("Same Worker", "Other Worker",
                                                                            "No Result", "Two Messages"))
    redelivered_once(same, celery_app, same_worker=True)
    redelivered_once(other, celery_app, same_worker=False)
    redelivered_once(other_no_result, celery_app, same_worker=False, ignore_result=True)
    with Acknowledgements() as acks:
        before.send_booking_confirmation.delay(queued.pk)
        before.send_booking_confirmation.delay(queued.pk)
        acks.wait_for(2)

    counts = [emails_to(booking) for booking in (same, other, other_no_result, queued)]
    assert counts == [1, 1, 2, 2]
    # The other worker found SUCCESS in the result backend and said so in its log.
    ignored = [record.getMessage() for record in caplog.records if record.getMessage().endswith("successfully.")]
    assert ignored == [
        f"Task {before.send_booking_confirmation.name}[dedup-{other.pk}] Task already completed successfully."
    ]
    rows = ["| The unguarded task, the worker started with `worker_deduplicate_successful_tasks=True` | E-mails |",
            "| --- | ---: |",
            f"| one message, redelivered to the worker that ran it (it remembers the task id) | {counts[0]} |",
            f"| one message, redelivered to another worker; `SUCCESS` is in the result backend | {counts[1]} |",
            f"| one message, redelivered to another worker; no result stored (`ignore_result=True`) | {counts[2]} |",
            f"| two messages (queued twice): two task ids | {counts[3]} |"]
    assert matches_recorded(
        "examples/challenges/duplicate_task/measured/celery-deduplication.md", "\n".join(rows) + "\n"
    )
