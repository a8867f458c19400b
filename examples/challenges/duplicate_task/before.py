"""The confirmation e-mail task as first written: reliable delivery, no idempotency.

Same Celery options as the travel app's task (travel/tasks.py): retried on transient mail errors,
acknowledged late so that a worker crash means redelivery rather than loss. What it lacks is a
check: every delivery of a message for the booking sends one more e-mail.
"""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from travel.models import Booking
from travel.tasks import TRANSIENT_ERRORS


# --8<-- [start:task]
@shared_task(bind=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_jitter=True,
             max_retries=5, acks_late=True)
def send_booking_confirmation(self, booking_id: int) -> dict:
    booking = Booking.objects.select_related("listing").get(pk=booking_id)
    send_mail(
        subject=f"Booking confirmed: {booking.listing.title}",
        message=f"Hello {booking.guest_name},\n\nyour stay from {booking.check_in:%d %B %Y} is confirmed.",
        from_email=None,
        recipient_list=[booking.guest_email],
    )
    # Recorded, but never read: nothing stops the next delivery from sending again.
    Booking.objects.filter(pk=booking_id).update(confirmation_sent_at=timezone.now())
    return {"booking": booking_id, "status": "sent", "attempt": self.request.retries + 1}
# --8<-- [end:task]
