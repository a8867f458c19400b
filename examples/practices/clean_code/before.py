"""The price of a booking, as first written: it works, and every change to it is a gamble.

Deliberately tangled for the clean-code note (docs/best-practices/clean-code.md); after.py
behaves exactly the same, and the same tests run against both.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal


# --8<-- [start:calc]
def calc(r, d1, d2, c=None):
    # calculate the price
    n = (d2 - d1).days
    if n < 1:
        raise ValueError("bad dates")
    t = Decimal(0)
    d = d1
    for i in range(n):
        if d.weekday() == 4 or d.weekday() == 5:
            t = t + r * Decimal("1.2")
        else:
            t = t + r
        d = d + timedelta(days=1)
    if n >= 28:
        t = t - t * Decimal("0.25")
    else:
        if n >= 7:
            t = t - t * Decimal("0.10")
    if c != None:
        if c == "WELCOME10":
            t = t - t * Decimal("0.10")
        elif c == "FLAT500":
            t = t - 500
            if t < 0:
                t = Decimal(0)
        else:
            raise ValueError("bad code")
    t = t + 300  # cleaning
    t = t * Decimal("1.15")
    return t.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    # --8<-- [end:calc]
