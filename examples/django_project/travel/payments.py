"""The payment flow: start a Chapa checkout for a booking, then confirm it exactly once.

`start_payment()` runs when the guest clicks "Pay"; `confirm_payment()` runs when the guest
comes back (return_url), when Chapa calls callback_url, and when Chapa's webhook arrives, in
any order and any number of times. Only one of those calls completes the payment, and only
that one queues the confirmation e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from travel.bookings import confirm_booking
from travel.chapa import ChapaClient, ChapaError
from travel.models import Booking, Payment

logger = logging.getLogger(__name__)

FAILED_STATES = {"failed"}  # Chapa's data.status values that end a payment as failed


class PaymentNotAllowed(Exception):
    """The booking is not waiting for a payment (already confirmed, or expired)."""


# --8<-- [start:start_payment]
def start_payment(booking: Booking, *, url_for: Callable[[str], str], client: ChapaClient | None = None):
    """Return (payment, created). A booking has at most one pending payment: asking again
    returns the same checkout instead of opening a second one."""
    if booking.status != Booking.Status.PENDING:
        raise PaymentNotAllowed(f"booking {booking.pk} is {booking.status}")
    payment = booking.payments.filter(status=Payment.Status.PENDING).first()
    if payment is not None and payment.checkout_url:
        return payment, False
    if payment is None:
        try:
            with transaction.atomic():  # a savepoint: the IntegrityError must not poison an outer transaction
                payment = Payment.objects.create(
                    booking=booking, tx_ref=Payment.new_tx_ref(booking),
                    amount=booking.total_price, currency=booking.listing.currency,
                )
        except IntegrityError:  # a concurrent request created the pending payment first
            return booking.payments.get(status=Payment.Status.PENDING), False
    # The HTTP call happens outside any transaction: no lock is held while Chapa answers.
    first_name, _, last_name = booking.guest_name.partition(" ")
    try:
        checkout_url = (client or ChapaClient()).initialize(
            tx_ref=payment.tx_ref, amount=payment.amount, currency=payment.currency,
            email=booking.guest_email, first_name=first_name, last_name=last_name,
            callback_url=url_for(payment.tx_ref), return_url=url_for(payment.tx_ref),
            title=booking.listing.title,
        )
    except ChapaError as error:
        payment.transition(Payment.Status.FAILED, failure_reason=f"initialize failed: {error}"[:200])
        raise
    Payment.objects.filter(pk=payment.pk).update(checkout_url=checkout_url)
    payment.checkout_url = checkout_url
    logger.info("payment %s started for booking %s", payment.tx_ref, booking.pk)
    return payment, True
# --8<-- [end:start_payment]


@dataclass(frozen=True)
class Outcome:
    payment: Payment
    processed: bool  # True only for the one call that moved the payment out of "pending"


# --8<-- [start:confirm_payment]
def confirm_payment(tx_ref: str, *, client: ChapaClient | None = None) -> Outcome:
    """Ask Chapa about `tx_ref` and record the answer once. Raises Payment.DoesNotExist for an
    unknown tx_ref and ChapaError when Chapa cannot answer now (the payment stays pending)."""
    payment = Payment.objects.select_related("booking__listing").get(tx_ref=tx_ref)
    if payment.status != Payment.Status.PENDING:
        return Outcome(payment, processed=False)  # replay: already decided, do not ask Chapa again
    verification = (client or ChapaClient()).verify(tx_ref)  # a redirect or a webhook is a hint, this is the proof
    if not verification.paid:
        if verification.status in FAILED_STATES:
            changed = payment.transition(Payment.Status.FAILED, failure_reason=f"Chapa reports {verification.status}")
            return Outcome(payment, processed=changed)
        return Outcome(payment, processed=False)  # not paid yet: ask again later
    if (verification.amount, verification.currency) != (payment.amount, payment.currency):
        reason = (f"amount mismatch: expected {payment.amount} {payment.currency}, "
                  f"Chapa reports {verification.amount} {verification.currency}")
        logger.warning("payment %s: %s", tx_ref, reason)
        return Outcome(payment, processed=payment.transition(Payment.Status.FAILED, failure_reason=reason))
    with transaction.atomic():
        changed = payment.transition(
            Payment.Status.COMPLETED, chapa_reference=verification.reference, completed_at=timezone.now()
        )
        if changed:
            confirm_booking(payment.booking)  # queues the e-mail for after the COMMIT
    logger.info("payment %s completed (processed by this call: %s)", tx_ref, changed)
    return Outcome(payment, processed=changed)
# --8<-- [end:confirm_payment]
