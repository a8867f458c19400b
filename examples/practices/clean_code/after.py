"""The price of a booking: nights at the nightly rate, a weekend surcharge, discounts, a
cleaning fee and VAT.

The refactored version of before.py for the clean-code note
(docs/best-practices/clean-code.md): the same behaviour, one named function per rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# --8<-- [start:rules]
WEEKEND_NIGHTS = {4, 5}  # the nights of Friday and Saturday (date.weekday(): Monday is 0)
WEEKEND_SURCHARGE = Decimal("1.20")
LONG_STAY_DISCOUNTS = [(28, Decimal("0.25")), (7, Decimal("0.10"))]  # (minimum nights, discount)
CLEANING_FEE = Decimal("300")
VAT_RATE = Decimal("0.15")
CENT = Decimal("0.01")
# --8<-- [end:rules]


# --8<-- [start:total]
def booking_total(
    nightly_rate: Decimal, check_in: date, check_out: date, promo_code: str | None = None
) -> Decimal:
    """What the guest pays, in the listing's currency, rounded to the cent.

    Raises ValueError for a stay shorter than one night or an unknown promo code.
    """
    nights = stay_nights(check_in, check_out)
    lodging = sum((night_price(nightly_rate, night) for night in nights), Decimal(0))
    lodging -= lodging * long_stay_discount(len(nights))
    lodging = apply_promo_code(lodging, promo_code)
    return with_vat(lodging + CLEANING_FEE)
    # --8<-- [end:total]


# --8<-- [start:steps]
def stay_nights(check_in: date, check_out: date) -> list[date]:
    count = (check_out - check_in).days
    if count < 1:
        raise ValueError(f"check-out ({check_out}) must be at least one night after check-in ({check_in})")
    return [check_in + timedelta(days=offset) for offset in range(count)]


def night_price(nightly_rate: Decimal, night: date) -> Decimal:
    if night.weekday() in WEEKEND_NIGHTS:
        return nightly_rate * WEEKEND_SURCHARGE
    return nightly_rate


def long_stay_discount(nights: int) -> Decimal:
    for minimum_nights, discount in LONG_STAY_DISCOUNTS:
        if nights >= minimum_nights:
            return discount
    return Decimal(0)


def ten_percent_off(amount: Decimal) -> Decimal:
    return amount - amount * Decimal("0.10")


def five_hundred_off(amount: Decimal) -> Decimal:
    return max(amount - 500, Decimal(0))  # a voucher never makes the lodging negative


PROMO_CODES: dict[str, Callable[[Decimal], Decimal]] = {
    "WELCOME10": ten_percent_off,
    "FLAT500": five_hundred_off,
}


def apply_promo_code(amount: Decimal, promo_code: str | None) -> Decimal:
    if promo_code is None:
        return amount
    if promo_code not in PROMO_CODES:
        raise ValueError(f"unknown promo code: {promo_code!r}")
    return PROMO_CODES[promo_code](amount)


def with_vat(amount: Decimal) -> Decimal:
    return (amount * (1 + VAT_RATE)).quantize(CENT, rounding=ROUND_HALF_UP)
    # --8<-- [end:steps]
