"""What happens to a booking outside the payment itself: confirmation and expiry.

`confirm_booking()` runs inside the transaction that completes the payment, and queues the
confirmation e-mail for when (and only if) that transaction commits.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from travel.models import Booking
from travel.tasks import send_booking_confirmation

logger = logging.getLogger(__name__)


def confirmation_task_id(booking_id: int) -> str:
    """A task id derived from the booking: a caller can find the task's result without
    having been handed it, and two messages for the same booking are easy to spot in logs."""
    return f"booking-confirmation-{booking_id}"


# --8<-- [start:confirm_booking]
def confirm_booking(booking: Booking) -> bool:
    """Mark a pending booking confirmed and queue its e-mail after the commit."""
    if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.PENDING).update(
        status=Booking.Status.CONFIRMED
    ):
        # Paid, but the booking expired meanwhile: a person decides (refund, or confirm by hand).
        booking.refresh_from_db(fields=["status"])
        logger.warning("booking %s was paid while %s; not confirmed", booking.pk, booking.status)
        return False
    booking.status = Booking.Status.CONFIRMED
    # Not .delay(): the message would leave now, and a worker could read the booking before
    # this transaction commits (and see it pending), or after it rolls back (and see nothing).
    transaction.on_commit(
        lambda: send_booking_confirmation.apply_async(args=[booking.pk], task_id=confirmation_task_id(booking.pk))
    )
    return True
# --8<-- [end:confirm_booking]


# --8<-- [start:too_early]
def confirm_booking_too_early(booking: Booking):
    """The bug this note warns about, kept to prove it in a test: publishing inside the transaction."""
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CONFIRMED)
    return send_booking_confirmation.delay(booking.pk)  # leaves for the broker before the COMMIT
# --8<-- [end:too_early]


# --8<-- [start:expire]
def expire_stale_bookings(*, older_than: timedelta, dry_run: bool = False) -> int:
    """Expire pending bookings created more than `older_than` ago; return how many.

    One UPDATE with the condition in its WHERE clause: a booking confirmed a moment ago is no
    longer pending and is left alone, and running the job twice expires nothing the second time."""
    stale = Booking.objects.filter(status=Booking.Status.PENDING, created_at__lt=timezone.now() - older_than)
    if dry_run:
        return stale.count()
    return stale.update(status=Booking.Status.EXPIRED)
# --8<-- [end:expire]
