"""docs/challenges/task-ran-twice.md: the confirmation e-mail sent twice, reproduced with a real
Celery worker and a real Redis broker, traced through the worker's own log and signals, fixed
with an idempotency guard, and counted in mail.outbox.

A worker that dies before acknowledging is reproduced by losing the acknowledgement on its way
to Redis and then sweeping the unacknowledged messages back into the queue, as the Redis
transport does after its visibility timeout (redelivery.py). No test sleeps: DeliveryLog and
LostAcknowledgements wake the test when the worker thread has got that far.
"""

from __future__ import annotations

import re
from collections import Counter
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.cache import cache

from challenges.duplicate_task import after, before
from challenges.duplicate_task.after import CLAIM_TTL
from challenges.duplicate_task.redelivery import Acknowledgements, redeliver_unacknowledged, unacknowledged
from challenges.stale_cache.tracing import redis_monitor  # the MONITOR helper of the stale-cache case
from measurements import matches_recorded
from travel import tasks as travel_tasks

pytestmark = pytest.mark.usefixtures("celery_worker")

RESULTS_DB = 7  # where the SET NX claims live (conftest.claims_in_redis)

GUARDS = {
    "Before: no guard": before.send_booking_confirmation,
    "After: conditional UPDATE": travel_tasks.send_booking_confirmation,
    "After: SET NX key": after.send_booking_confirmation,
}


def deliver(task, booking, times: int, celery_app) -> None:
    """One message for `booking`, delivered `times` times: every delivery but the last loses its
    acknowledgement, and the sweep puts the message back in the queue. Returns after the last
    delivery's acknowledgement reached Redis, so that nothing of it overlaps the next case."""
    with Acknowledgements(lose=times - 1) as acks:
        task.apply_async(args=[booking.pk], task_id=f"confirm-booking-{booking.pk}")
        for delivery in range(1, times):
            acks.wait_for(delivery)  # the worker is done with it; Redis still counts it as unacknowledged
            assert unacknowledged(celery_app) == 1
            assert redeliver_unacknowledged(celery_app) == 1
        acks.wait_for(times)
    assert [lost for _, lost in acks.seen] == [True] * (times - 1) + [False]


def queue_twice(task, booking) -> None:
    with Acknowledgements() as acks:
        task.delay(booking.pk)
        task.delay(booking.pk)
        acks.wait_for(2)


def emails_to(booking) -> int:
    return sum(message.to == [booking.guest_email] for message in mail.outbox)


def render_log(records, booking) -> str:
    """Celery's and DeliveryLog's lines, with what differs between runs replaced: random task ids,
    the booking's primary key, durations."""
    ids: dict[str, str] = {}

    def task_id(match: re.Match) -> str:
        return "[" + ids.setdefault(match.group(1), f"<random id {len(ids) + 1}>") + "]"

    lines = []
    for record in records:
        text = record.getMessage()
        text = re.sub(r"\[([0-9a-f]{8}-[0-9a-f-]{27})\]", task_id, text)
        text = text.replace(f"confirm-booking-{booking.pk}", "confirm-booking-<pk>")
        text = re.sub(rf"args=\[{booking.pk}\]", "args=[<pk>]", text)
        text = re.sub(rf"'booking': {booking.pk}\b", "'booking': <pk>", text)
        text = re.sub(r"succeeded in [0-9.e-]+s", "succeeded in <t>s", text)
        lines.append(f"[{record.name}] {text}")
    return "``` text\n" + "\n".join(lines) + "\n```\n"


def worker_records(caplog):
    names = {"celery.worker.strategy", "celery.app.trace", "challenges.duplicate_task"}
    return [record for record in caplog.records if record.name in names]


def test_a_lost_acknowledgement_sends_the_confirmation_twice(make_booking, deliveries, celery_app, caplog):
    booking = make_booking("Abebe Bikila")

    deliver(before.send_booking_confirmation, booking, 2, celery_app)

    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["abebe.bikila@example.com"], "Booking confirmed: Lalibela Lodge")] * 2
    rows = ["| E-mail in `mail.outbox` | To | Subject |", "| ---: | --- | --- |"]
    rows += [f"| {n} | `{message.to[0]}` | {message.subject} |" for n, message in enumerate(mail.outbox, start=1)]
    assert matches_recorded("examples/challenges/duplicate_task/measured/symptom.md", "\n".join(rows) + "\n")

    # The worker's log: one task id, run twice; the second delivery is flagged by the broker.
    log = worker_records(caplog)
    starts = [record for record in log if record.getMessage().startswith("start ")]
    assert [re.search(r"\[(.+?)\]", record.getMessage()).group(1) for record in starts] == \
        [f"confirm-booking-{booking.pk}"] * 2
    assert [record.getMessage().endswith("redelivered=True") for record in starts] == [False, True]
    assert all("attempt=1" in record.getMessage() for record in starts)  # not a retry
    assert matches_recorded("examples/challenges/duplicate_task/measured/worker-log-redelivered.md",
                            render_log(log, booking))


def test_two_messages_for_one_booking_show_two_task_ids(make_booking, deliveries, caplog):
    booking = make_booking("Tirunesh Dibaba")

    queue_twice(before.send_booking_confirmation, booking)

    assert emails_to(booking) == 2
    log = worker_records(caplog)
    ids = {re.search(r"\[(.+?)\]", record.getMessage()).group(1) for record in log}
    assert len(ids) == 2  # two messages: a double enqueue, not a redelivery
    assert matches_recorded("examples/challenges/duplicate_task/measured/worker-log-queued-twice.md",
                            render_log(log, booking))


def test_a_lost_acknowledgement_leaves_the_message_in_the_brokers_unacked_hash(make_booking, deliveries,
                                                                                  celery_app):
    booking = make_booking("Derartu Tulu")
    with Acknowledgements(lose=1) as acks:
        before.send_booking_confirmation.apply_async(args=[booking.pk], task_id="lost-ack")
        acks.wait_for(1)
        with celery_app.connection_for_write() as connection:
            client = connection.default_channel.client
            queued, [raw] = client.llen("celery"), client.hvals("unacked")
        assert (unacknowledged(celery_app), queued) == (1, 0)  # neither queued nor acknowledged: waiting
        assert b"lost-ack" in raw  # the whole message is kept, ready to be put back
        assert redeliver_unacknowledged(celery_app) == 1
        acks.wait_for(2)
    assert emails_to(booking) == 2
    assert unacknowledged(celery_app) == 0


def test_emails_per_booking_for_duplicate_deliveries(make_booking, deliveries, celery_app, claims_in_redis):
    counts: dict[str, dict[str, int]] = {name: {} for name in GUARDS}
    for name, task in GUARDS.items():
        for times in (1, 2, 3, 5):
            booking = make_booking(f"{name.split(':')[-1].strip()} {times}")
            deliver(task, booking, times, celery_app)
            counts[name][f"{times}"] = emails_to(booking)
        booking = make_booking(f"{name.split(':')[-1].strip()} twice")
        queue_twice(task, booking)
        counts[name]["twice"] = emails_to(booking)

    assert counts["Before: no guard"] == {"1": 1, "2": 2, "3": 3, "5": 5, "twice": 2}
    assert counts["After: conditional UPDATE"] == counts["After: SET NX key"] == \
        {"1": 1, "2": 1, "3": 1, "5": 1, "twice": 1}
    rows = ["| How the task reached the worker | " + " | ".join(GUARDS) + " |",
            "| --- | ---: | ---: | ---: |"]
    for key, label in (("1", "one message, delivered once"), ("2", "one message, delivered 2 times"),
                       ("3", "one message, delivered 3 times"), ("5", "one message, delivered 5 times"),
                       ("twice", "two messages (queued twice)")):
        rows.append(f"| {label} | " + " | ".join(str(counts[name][key]) for name in GUARDS) + " |")
    text = "\n".join(rows) + "\n\nE-mails per booking, counted in `mail.outbox`.\n"
    assert matches_recorded("examples/challenges/duplicate_task/measured/emails-per-booking.md", text)


def test_the_set_nx_claim_is_a_redis_key_with_the_task_id_and_a_week_to_live(make_booking, claims_in_redis):
    booking = make_booking("Haile Gebrselassie")
    key = f"nexus:1:booking-confirmation-sent:{booking.pk}"
    with redis_monitor(claims_in_redis, RESULTS_DB) as commands, Acknowledgements() as acks:
        after.send_booking_confirmation.apply_async(args=[booking.pk], task_id="claim-owner")
        acks.wait_for(1)
    # cache.add() on django-redis is one SET with NX (only if absent) and PX (its lifetime in ms).
    [claim] = [command for command in commands if command.startswith(f"SET {key} ")]
    assert claim.endswith(f" NX PX {CLAIM_TTL * 1000}")
    assert claims_in_redis.exists(key)
    assert cache.get(f"booking-confirmation-sent:{booking.pk}") == "claim-owner"  # who sent it
    assert CLAIM_TTL - 60 < claims_in_redis.ttl(key) <= CLAIM_TTL


def test_a_failed_send_releases_the_set_nx_claim_so_the_retry_sends(make_booking, deliveries, claims_in_redis,
                                                                    monkeypatch):
    booking = make_booking("Kenenisa Bekele")
    attempts = Counter()
    real_send_mail = after.send_mail

    def flaky_send_mail(**kwargs):
        attempts["calls"] += 1
        if attempts["calls"] == 1:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send_mail(**kwargs)

    monkeypatch.setattr(after, "send_mail", flaky_send_mail)
    with Acknowledgements() as acks:
        after.send_booking_confirmation.delay(booking.pk)
        acks.wait_for(2)  # the failed attempt's message, then the retry's (backoff with jitter: 0 or 1 s)
    runs = deliveries.wait_for(2)

    assert [retval["status"] if isinstance(retval, dict) else type(retval).__name__ for _, retval in runs] == \
        ["Retry", "sent"]
    assert emails_to(booking) == 1
