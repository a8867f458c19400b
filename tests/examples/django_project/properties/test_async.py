"""docs/concepts/asynchronous-programming.md, "Async in Django": async views and the async ORM API.

pytest-django runs these tests synchronously (no async test plugin is installed), so each one
drives the async code with asgiref's async_to_sync: the coroutine runs on an event loop in a
helper thread, and the ORM's thread-sensitive calls come back to the test's own thread, where
the test database connection and its transaction live.
"""

from __future__ import annotations

import asyncio
import threading
import time
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import SynchronousOnlyOperation
from django.db import connection

from measurements import matches_recorded
from properties import services
from properties.async_views import areprice, areprice_inline, fetch_rates, reprice
from properties.models import Property

pytestmark = pytest.mark.django_db


def test_the_async_view_answers_through_the_async_client(async_client, listings):
    response = async_to_sync(async_client.get)("/properties/stats/")
    assert response.status_code == 200
    assert response.json() == {"count": 3, "cheapest": "Harbour flat", "locations": ["Mombasa", "Nairobi"]}


def test_the_async_view_also_runs_under_the_ordinary_test_client(client, listings, monkeypatch):
    # Under WSGI (and the sync test client), Django wraps an async view in async_to_sync, which
    # starts an event loop of its own for the call, in another thread, and closes it afterwards.
    # The view's first await, acount(), records the loop and the thread it ran in.
    from django.db.models.query import QuerySet

    seen: list[tuple[asyncio.AbstractEventLoop, int]] = []
    original_acount = QuerySet.acount

    async def recording_acount(self):
        seen.append((asyncio.get_running_loop(), threading.get_ident()))
        return await original_acount(self)

    monkeypatch.setattr(QuerySet, "acount", recording_acount)
    first, second = client.get("/properties/stats/"), client.get("/properties/stats/")
    assert first.json() == second.json() == {
        "count": 3, "cheapest": "Harbour flat", "locations": ["Mombasa", "Nairobi"]
    }
    [(first_loop, first_thread), (second_loop, second_thread)] = seen
    assert first_loop is not second_loop  # a new loop for each request ...
    assert first_loop.is_closed() and second_loop.is_closed()  # ... closed once the response is made
    assert threading.get_ident() not in (first_thread, second_thread)  # not on the request's own thread


def test_the_async_orm_runs_the_sync_query_in_another_thread_than_the_event_loop(listings):
    query_threads: list[int] = []

    def record_thread(execute, sql, params, many, context):
        query_threads.append(threading.get_ident())
        return execute(sql, params, many, context)

    async def fetch():
        loop_thread = threading.get_ident()
        prop = await Property.objects.aget(pk=listings.villa.pk)
        return loop_thread, prop

    with connection.execute_wrapper(record_thread):
        loop_thread, prop = async_to_sync(fetch)()
    assert prop.title == "Hill villa"
    assert len(query_threads) == 1
    assert query_threads[0] != loop_thread  # aget() handed the query to a thread: no async driver
    assert query_threads[0] == threading.get_ident()  # here: the test's thread (thread_sensitive)


def test_calling_the_sync_orm_directly_from_async_code_is_refused(listings):
    async def count_directly():
        return Property.objects.count()

    with pytest.raises(SynchronousOnlyOperation):
        async_to_sync(count_directly)()


def test_a_transaction_opened_in_async_code_fails_at_once(listings):
    with pytest.raises(SynchronousOnlyOperation):
        async_to_sync(areprice_inline)("Nairobi", 10)
    assert Property.objects.get(pk=listings.loft.pk).price == Decimal("120000.00")  # nothing changed


def test_the_whole_transaction_as_one_sync_function_works_from_async_code(listings):
    assert async_to_sync(areprice)("Nairobi", 10) == 2
    prices = dict(Property.objects.values_list("title", "price"))
    assert prices == {
        "Riverside loft": Decimal("132000.00"), "Hill villa": Decimal("385000.00"), "Harbour flat": Decimal("90000.00")
    }


def test_reprice_is_all_or_nothing(listings, monkeypatch):
    saves = []
    original_save = Property.save

    def fail_on_second_save(self, *args, **kwargs):
        saves.append(self.pk)
        if len(saves) == 2:
            raise RuntimeError("the database went away")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Property, "save", fail_on_second_save)
    with pytest.raises(RuntimeError):
        reprice("Nairobi", 10)
    monkeypatch.undo()
    assert sorted(Property.objects.filter(location="Nairobi").values_list("price", flat=True)) == [
        Decimal("120000.00"), Decimal("350000.00")]  # the first save was rolled back too


def test_an_async_view_waits_for_several_services_at_once(async_client, client, listings, monkeypatch):
    delay = 0.3  # long enough that request overhead on a busy machine stays well below it
    monkeypatch.setattr(services, "RATE_DELAY", delay)
    url = f"/properties/{listings.flat.pk}/quote/"

    started = time.perf_counter()
    response = async_to_sync(async_client.get)(url)
    concurrent = time.perf_counter() - started
    started = time.perf_counter()
    sync_response = client.get(f"/properties/{listings.flat.pk}/quote-sync/")
    from_sync_view = time.perf_counter() - started

    assert response.json() == sync_response.json() == {
        "title": "Harbour flat", "prices": {"USD": "90000.00", "EUR": "81000.00", "KES": "11700000.00"}}
    # Three calls of 0.3 s each: one after another would take 0.9 s.
    assert concurrent < 2 * delay and from_sync_view < 2 * delay
    # Recorded as the bound the test asserts: the exact times vary from run to run.
    table = (
        "| View | Three rate calls of d = 0.3 s each took |\n"
        "| --- | --- |\n"
        "| async view, `TaskGroup` | under 2 × d |\n"
        "| sync view, `async_to_sync(fetch_rates)` | under 2 × d |\n"
        "| one after another (for comparison) | 3 × d or more |\n"
    )
    assert matches_recorded("examples/django_project/properties/measured/async-quote.md", table)


def test_fetch_rates_returns_every_requested_rate():
    assert async_to_sync(fetch_rates)(("EUR",)) == {"EUR": Decimal("0.9")}


def test_an_unknown_property_is_a_404_in_both_quote_views(async_client, client, db):
    assert async_to_sync(async_client.get)("/properties/999/quote/").status_code == 404
    assert client.get("/properties/999/quote-sync/").status_code == 404
