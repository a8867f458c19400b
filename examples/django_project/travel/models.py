"""Listings, bookings and their payments: the models of ALX's travel app, reduced to what the
background jobs, scheduling and payments notes need.

A booking starts `pending`, becomes `confirmed` when its payment is verified, or `expired` when
nobody paid within the hold time. A payment starts `pending` and ends `completed` or `failed`,
once; the transition is a conditional UPDATE, so two requests cannot both win it.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class Listing(models.Model):
    title = models.CharField(max_length=100)
    location = models.CharField(max_length=100)
    price_per_night = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(max_length=3, default="ETB")

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


# --8<-- [start:booking]
class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        CONFIRMED = "confirmed"
        EXPIRED = "expired"

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="bookings")
    guest_name = models.CharField(max_length=100)
    guest_email = models.EmailField()
    check_in = models.DateField()
    check_out = models.DateField()
    # Stored, not computed on read: the price the guest agreed to, even if the listing changes.
    total_price = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set in the same transaction that sends the e-mail: the task's idempotency marker.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(check_out__gt=models.F("check_in")), name="travel_booking_dates"),
        ]

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    @classmethod
    def create_for(cls, listing: Listing, *, guest_name: str, guest_email: str, check_in, check_out) -> Booking:
        nights = (check_out - check_in).days
        return cls.objects.create(
            listing=listing, guest_name=guest_name, guest_email=guest_email, check_in=check_in,
            check_out=check_out, total_price=listing.price_per_night * nights,
        )
# --8<-- [end:booking]

    def __str__(self) -> str:
        return f"{self.guest_name}: {self.listing} {self.check_in} to {self.check_out}"


class InvalidTransition(Exception):
    """A payment was asked to move to a state its current state does not allow."""


# --8<-- [start:payment]
class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        COMPLETED = "completed"
        FAILED = "failed"

    # Which state may follow which: completed and failed are final.
    TRANSITIONS = {Status.PENDING: {Status.COMPLETED, Status.FAILED}}

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="payments")
    # Our reference, sent to Chapa and used in every later call: unique, never reused.
    tx_ref = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    checkout_url = models.URLField(max_length=500, blank=True)
    chapa_reference = models.CharField(max_length=64, blank=True)  # Chapa's own id, from verify
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one payment in progress per booking: a double click cannot open two checkouts.
            models.UniqueConstraint(
                fields=["booking"], condition=models.Q(status="pending"), name="travel_one_pending_payment"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="travel_payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "completed", "failed"]), name="travel_payment_status_valid"
            ),
        ]

    @staticmethod
    def new_tx_ref(booking: Booking) -> str:
        return f"nexus-{booking.pk}-{secrets.token_hex(6)}"

    def transition(self, new_status: str, **fields) -> bool:
        """Move to `new_status` if the row is still in a state that allows it.

        Returns True if this call made the change, False if the payment was already in
        `new_status` (a replayed webhook, a second click); raises InvalidTransition otherwise.
        The WHERE clause re-checks the state in the database, so of two concurrent callers
        exactly one gets True."""
        sources = [old for old, targets in self.TRANSITIONS.items() if new_status in targets]
        changed = Payment.objects.filter(pk=self.pk, status__in=sources).update(status=new_status, **fields)
        self.refresh_from_db()
        if changed:
            return True
        if self.status == new_status:
            return False
        raise InvalidTransition(f"payment {self.tx_ref} is {self.status}; it cannot become {new_status}")
# --8<-- [end:payment]

    def __str__(self) -> str:
        return f"{self.tx_ref} ({self.status})"
