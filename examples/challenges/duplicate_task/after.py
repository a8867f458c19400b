"""A second idempotency guard for the confirmation e-mail: a Redis key set with NX and a TTL.

The travel app's task (travel/tasks.py) guards with a conditional UPDATE of the booking row;
this version needs no column: Django's cache.add() on django-redis is Redis's SET key value NX
PX ttl, which only one caller can win while the key exists.
"""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.core.mail import send_mail

from travel.models import Booking
from travel.tasks import TRANSIENT_ERRORS

CLAIM_TTL = 7 * 24 * 60 * 60  # a week: far longer than any retry or redelivery can take


# --8<-- [start:set_nx]
@shared_task(bind=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_jitter=True,
             max_retries=5, acks_late=True)
def send_booking_confirmation(self, booking_id: int) -> dict:
    claim = f"booking-confirmation-sent:{booking_id}"
    # SET claim <task id> NX PX <ttl>: True for the first caller only, while the key lives.
    if not cache.add(claim, self.request.id, timeout=CLAIM_TTL):
        return {"booking": booking_id, "status": "already-sent", "attempt": self.request.retries + 1}
    try:
        booking = Booking.objects.select_related("listing").get(pk=booking_id)
        send_mail(
            subject=f"Booking confirmed: {booking.listing.title}",
            message=f"Hello {booking.guest_name},\n\nyour stay from {booking.check_in:%d %B %Y} is confirmed.",
            from_email=None,
            recipient_list=[booking.guest_email],
        )
    except Exception:
        cache.delete(claim)  # not sent: the retry must be able to claim it again
        raise
    return {"booking": booking_id, "status": "sent", "attempt": self.request.retries + 1}
# --8<-- [end:set_nx]
