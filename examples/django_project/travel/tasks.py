"""Celery tasks of the travel app: the confirmation e-mail, and the two jobs beat schedules.

Task arguments are ids, never model instances: the message is JSON, and the task must read the
row as it is when it runs, not as it was when it was queued.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from travel.models import Booking

logger = logging.getLogger(__name__)

# Errors worth another try: the mail server is down, slow or refusing for now. A bug
# (a KeyError, a missing booking) is not retried: it would fail the same way every time.
TRANSIENT_ERRORS = (SMTPException, ConnectionError, TimeoutError)


# --8<-- [start:confirmation_task]
@shared_task(
    bind=True,  # the task gets `self`, for self.request.retries
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,  # wait up to 1 s, 2 s, 4 s, ... before retry 1, 2, 3, ...
    retry_backoff_max=600,  # never more than 10 minutes
    retry_jitter=True,  # a random wait in [0, that maximum], so retries do not arrive in herds
    max_retries=5,  # then the task fails for good, with the last exception
    acks_late=True,  # acknowledge after the task ends: a worker crash means redelivery, not loss
)
def send_booking_confirmation(self, booking_id: int) -> dict:
    with transaction.atomic():
        booking = Booking.objects.select_related("listing").get(pk=booking_id)
        # Claim the e-mail with a conditional UPDATE. It matches only while no confirmation
        # was sent, and it holds the row's write lock until this transaction ends, so a second
        # delivery of the same message waits here and then matches nothing.
        claimed = Booking.objects.filter(pk=booking_id, confirmation_sent_at__isnull=True).update(
            confirmation_sent_at=timezone.now()
        )
        if not claimed:
            return {"booking": booking_id, "status": "already-sent", "attempt": self.request.retries + 1}
        send_mail(
            subject=f"Booking confirmed: {booking.listing.title}",
            message=(
                f"Hello {booking.guest_name},\n\nyour {booking.nights}-night stay at {booking.listing.title} from "
                f"{booking.check_in:%d %B %Y} to {booking.check_out:%d %B %Y} is confirmed."
            ),
            from_email=None,  # DEFAULT_FROM_EMAIL
            recipient_list=[booking.guest_email],
        )
        # An exception from send_mail() rolls the claim back, and the retry can claim again.
    return {"booking": booking_id, "status": "sent", "attempt": self.request.retries + 1}
# --8<-- [end:confirmation_task]


# --8<-- [start:scheduled_tasks]
@shared_task(ignore_result=True)  # nobody reads a periodic task's result: do not store it
def expire_pending_bookings() -> int:
    from travel.bookings import expire_stale_bookings

    return expire_stale_bookings(older_than=timedelta(minutes=settings.TRAVEL_BOOKING_HOLD_MINUTES))


@shared_task(ignore_result=True)
def send_check_in_reminders() -> int:
    """E-mail every confirmed guest who checks in tomorrow, once."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    sent = 0
    due = Booking.objects.filter(status=Booking.Status.CONFIRMED, check_in=tomorrow, reminder_sent_at__isnull=True)
    for booking in due.select_related("listing"):
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            ):
                continue  # another run got there first
            send_mail(
                subject=f"See you tomorrow at {booking.listing.title}",
                message=f"Hello {booking.guest_name},\n\ncheck-in at {booking.listing.location} is tomorrow.",
                from_email=None,
                recipient_list=[booking.guest_email],
            )
        sent += 1
    logger.info("check-in reminders sent: %d", sent)
    return sent
# --8<-- [end:scheduled_tasks]
