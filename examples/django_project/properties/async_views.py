"""Async views and async ORM calls: the async section of docs/concepts/asynchronous-programming.md."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import aget_object_or_404, get_object_or_404

from properties.models import Property
from properties.services import fetch_rate

CURRENCIES = ("USD", "EUR", "KES")


# --8<-- [start:stats]
async def property_stats(request: HttpRequest) -> JsonResponse:
    """An async view using the ORM's async API: a-prefixed methods and `async for`."""
    count = await Property.objects.acount()
    cheapest = await Property.objects.order_by("price", "id").afirst()
    locations = sorted({location async for location in Property.objects.values_list("location", flat=True)})
    return JsonResponse({"count": count, "cheapest": cheapest and cheapest.title, "locations": locations})
# --8<-- [end:stats]


# --8<-- [start:quote]
async def fetch_rates(currencies: tuple[str, ...]) -> dict[str, Decimal]:
    """Ask for every rate at once: the calls wait together, not one after another."""
    async with asyncio.TaskGroup() as group:
        tasks = {currency: group.create_task(fetch_rate(currency)) for currency in currencies}
    return {currency: task.result() for currency, task in tasks.items()}


def quote(prop: Property, rates: dict[str, Decimal]) -> dict:
    prices = {currency: str((prop.price * rate).quantize(Decimal("0.01"))) for currency, rate in rates.items()}
    return {"title": prop.title, "prices": prices}


async def property_quote(request: HttpRequest, pk: int) -> JsonResponse:
    prop = await aget_object_or_404(Property, pk=pk)
    return JsonResponse(quote(prop, await fetch_rates(CURRENCIES)))


def property_quote_sync(request: HttpRequest, pk: int) -> JsonResponse:
    """The same from a sync view: async_to_sync runs the coroutine on an event loop and waits for it."""
    prop = get_object_or_404(Property, pk=pk)
    return JsonResponse(quote(prop, async_to_sync(fetch_rates)(CURRENCIES)))
# --8<-- [end:quote]


# --8<-- [start:reprice]
def reprice(location: str, percent: int) -> int:
    """Change every price in one location by `percent`: all rows or none."""
    with transaction.atomic():
        properties = list(Property.objects.select_for_update().filter(location=location))
        for prop in properties:
            prop.price = (prop.price * (100 + percent) / 100).quantize(Decimal("0.01"))
            prop.save(update_fields=["price", "updated_at"])
    return len(properties)


# Transactions do not work in async code: run the whole transaction as one sync function,
# in one thread and on one connection. (thread_sensitive=True is the default.)
areprice = sync_to_async(reprice)


async def areprice_inline(location: str, percent: int) -> int:
    """The tempting version, which fails at the first line: atomic() is sync-only."""
    with transaction.atomic():  # pragma: no cover (raises SynchronousOnlyOperation: the body never runs)
        count = 0
        async for prop in Property.objects.filter(location=location):
            prop.price = (prop.price * (100 + percent) / 100).quantize(Decimal("0.01"))
            await prop.asave(update_fields=["price", "updated_at"])
            count += 1
        return count
# --8<-- [end:reprice]
