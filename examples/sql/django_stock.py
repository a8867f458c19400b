"""The lost update in Django, and its fixes: an F() expression, and select_for_update().
Uses the CRM app's Product (examples/django_project/crm), whose stock can never be negative."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from crm.models import Product


# --8<-- [start:naive]
def sell_naive(product: Product) -> None:
    """Read-modify-write in Python: saves the stock this instance read, minus one."""
    product.stock -= 1
    product.save(update_fields=["stock"])
# --8<-- [end:naive]


# --8<-- [start:f_expression]
def sell(product_id: int) -> bool:
    """UPDATE ... SET stock = stock - 1 WHERE id = ... AND stock > 0: the database does
    the arithmetic on the row it has locked, so no sale is lost or oversold."""
    return Product.objects.filter(pk=product_id, stock__gt=0).update(stock=F("stock") - 1) == 1
# --8<-- [end:f_expression]


# --8<-- [start:select_for_update]
def sell_locked(product_id: int) -> bool:
    """Lock the row first (SELECT ... FOR UPDATE), then read-modify-write in Python."""
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product_id)
        if product.stock == 0:
            return False
        product.stock -= 1
        product.save(update_fields=["stock"])
        return True
# --8<-- [end:select_for_update]
