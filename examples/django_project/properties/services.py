"""A stand-in for an external exchange-rate API: each call waits like a network round trip.

The rates are made up for the example; RATE_DELAY is how long one call takes.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

RATES = {"USD": Decimal("1"), "EUR": Decimal("0.9"), "KES": Decimal("130")}  # made-up rates
RATE_DELAY = 0.05  # seconds per call


async def fetch_rate(currency: str) -> Decimal:
    await asyncio.sleep(RATE_DELAY)  # where a real client would await an HTTP response
    return RATES[currency]
